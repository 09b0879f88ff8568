"""Example questions for the help message, drawn from the corpus actually loaded.

Names are never hard-coded: the most-quoted people and a recent article title give the
examples, and each is asked once so the help only suggests questions that get an answer.
"""

from __future__ import annotations

import threading

import numpy as np

from bot.corpus import Corpus

TITLE_CHARS = 90


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


def title_questions(corpus: Corpus) -> list[str]:
    """'Tell me about <title>' for the newest articles with a short enough title."""
    arts = [a for a in corpus.index.articles if a.get("title") and len(a["title"]) <= TITLE_CHARS]
    arts.sort(key=lambda a: str(a.get("published") or ""), reverse=True)
    return [f"Tell me about {a['title'].strip().rstrip('.')}" for a in arts]


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
        pools = [speaker_questions(self.corpus)[: self.tries], title_questions(self.corpus)[: self.tries]]
        picked: list[str] = []
        for pool in pools:
            good = next((q for q in pool if self.corpus.answer(q).found), None)
            if good:
                picked.append(good)
        for pool in pools:  # fill up from whatever works, then from anything at all
            picked += [q for q in pool if q not in picked][: self.count - len(picked)]
        return picked[: self.count]
