"""Example questions for the help of Slack and `citebot chat`, drawn from the corpus actually loaded.

Names are never hard-coded: the most-quoted people and a recent article title give the
examples, and each is asked once so the help only suggests questions that get an answer.
"""

from __future__ import annotations

import threading

import numpy as np

from bot.corpus import Corpus


def speaker_questions(corpus: Corpus) -> list[str]:
    """'What did X say?' for people first, most-quoted first."""
    index = corpus.index
    speakers = index.speakers
    ids = np.asarray(index.sent_speaker)
    counts = np.bincount(ids[ids >= 0], minlength=len(speakers)) if len(speakers) else np.zeros(0)
    order = sorted(range(len(speakers)), key=lambda i: (bool(speakers[i].get("org")), -int(counts[i])))
    return [
        f"What did {speakers[i]['display']} say?"
        for i in order
        if counts[i] > 0 and speakers[i].get("display")
    ]


def role_questions(corpus: Corpus) -> list[str]:
    """'Who is X?' for people the corpus names with a role, most-quoted first (a second kind
    of question beside 'What did X say?')."""
    index = corpus.index
    ids = np.asarray(index.sent_speaker)
    counts = np.bincount(ids[ids >= 0], minlength=len(index.speakers)) if len(index.speakers) else np.zeros(0)
    people = [i for i, s in enumerate(index.speakers) if not s.get("org") and s.get("roles") and counts[i]]
    people.sort(key=lambda i: -int(counts[i]))
    return [f"Who is {index.speakers[i]['display']}?" for i in people]


class Examples:
    """Two working example questions, recomputed when a new index is loaded."""

    def __init__(self, corpus: Corpus, count: int = 2, tries: int = 6) -> None:
        self.corpus = corpus
        self.count = count
        self.tries = tries
        self._cache: tuple[str | None, list[str]] | None = None
        self._lock = threading.Lock()

    def get(self) -> list[str]:
        version = self.corpus.snapshot.version
        with self._lock:
            if self._cache is not None and self._cache[0] == version:
                return self._cache[1]
            examples = self._pick()
            self._cache = (version, examples)
            return examples

    def _pick(self) -> list[str]:
        # One of each kind when both work, so the help shows the range of questions.
        pools = [speaker_questions(self.corpus)[: self.tries], role_questions(self.corpus)[: self.tries]]
        picked: list[str] = []
        for pool in pools:
            # About someone else than the example before it, where the corpus allows.
            fresh = [q for q in pool if not any(_about(q) == _about(p) for p in picked)] or pool
            good = next((q for q in fresh if self.corpus.answer(q).found), None)
            if good:
                picked.append(good)
        for pool in pools:  # fill up from whatever works, then from anything at all
            picked += [q for q in pool if q not in picked][: self.count - len(picked)]
        return picked[: self.count]


def _about(question: str) -> str:
    """The person an example question is about ("What did X say?" / "Who is X?" → X)."""
    return question.removeprefix("What did ").removeprefix("Who is ").removesuffix(" say?").rstrip("?")
