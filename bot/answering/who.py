"""The who-is strategy: "who is X" reads the sentences naming X for the one that says what X is;
"who is <role>" first finds the one person the corpus states holds the role.

It ranks by how plainly a sentence states a role ("spokesman Ned Price", "X was appointed …"), not by
the fitted scoring function: the question's only words are the name, which every candidate holds.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

import numpy as np

from bot.answering.absence import AbsenceCheck
from bot.answering.citing import AnswerBuilder, Candidate, decline
from bot.answering.evidence import ROLE_RE, has_role
from bot.answering.names import CorpusNames
from bot.answering.questions import Question
from bot.entities import Link, SubjectLinker, name_key
from bot.index import CorpusIndex
from bot.models import Answer
from bot.retriever import Retriever
from bot.text import STOP_WORDS, fold, tokenize, words

WHO_CANDIDATES = 200  # sentences naming the person that are read for a role
SOLE_HOLDER_CONFIDENCE = 0.9  # "who is <role>" answers by the holder's name only above this link confidence
_TITLE_JOINERS = {"of", "the", "and", "for", "on"}


class WhoStrategy:
    """Answers "who is …" from the sentences naming the person."""

    def __init__(
        self,
        index: CorpusIndex,
        retriever: Retriever,
        linker: SubjectLinker,
        names: CorpusNames,
        absence: AbsenceCheck,
        builder: AnswerBuilder,
    ) -> None:
        self.index = index
        self.retriever = retriever
        self.linker = linker
        self.names = names
        self.absence = absence
        self.builder = builder

    def sole_holder(self, role: str) -> str | None:
        """The one person the corpus states holds a role ("the kremlin spokesman" → Dmitry Peskov),
        linked with confidence; None when several might be meant or it is a body."""
        link = self.linker.link(role)
        if link.how != "role" or link.confidence < SOLE_HOLDER_CONFIDENCE or not link.strengths:
            return None
        entities = self.linker.table.entities
        people = [
            e
            for e in link.strengths
            if not (ent := entities[e]).org and len(ent.display.split()) >= 2 and self.linker.states(e, role)
        ]
        if len(link.strengths) == 1:
            return entities[people[0]].display if people else None
        # Several holders over the years ("who is the press secretary"): "is" asks for the one the
        # corpus states last, when it states that one holding every word of the role after all others.
        # A succession only: the last holder took it up after every other was last stated in it (the
        # presidents of several countries and firms at once are no answer to "who is the president").
        tenure = {e: t for e in people if (t := entities[e].held_span(link.held_roles))}
        if not tenure or len(tenure) < len(people):
            return None
        last = max(tenure, key=lambda e: tenure[e][1])
        if any(tenure[last][0] < tenure[e][1] for e in tenure if e != last):
            return None
        return entities[last].display

    def answer(
        self, q: Question, asked: str | None = None, trace: list[Candidate] | None = None
    ) -> tuple[Answer, Link]:
        """Sentences saying what someone is, and the subject's link (for --explain). `asked`: the role
        the user asked about, when `q.subject` is its holder's name (the head then names both)."""
        assert q.subject is not None
        link = self.linker.link(q.subject)
        # A typo is read as the corpus's spelling only when the corpus lacks the word as typed.
        names = [
            w if self.names.in_corpus(tokenize(w)) else link.corrected.get(w, w)
            for w in words(q.subject)
            if w not in STOP_WORDS
        ]
        names = [n for n in names if name_key(n) in self.linker.by_name or self.names.in_corpus(tokenize(n))]
        terms = tokenize(" ".join(names))
        subject = q.subject

        def absent() -> tuple[Answer, Link]:
            return decline(q, self.absence.absent_subject(subject, who_is=True)), link

        if not terms or len(names) < len([w for w in words(q.subject) if w not in STOP_WORDS]):
            return absent()
        hits = self.retriever.top(terms, k=WHO_CANDIDATES)
        if not hits:
            return absent()
        ids, scores = np.array([h[0] for h in hits]), np.array([h[1] for h in hits])
        cands = []
        keys = {name_key(n) for n in names}
        surname = name_key(names[-1])
        for i, s in zip(ids, scores, strict=True):
            sentence = self.index.sentence(int(i))
            # Each part of a hyphenated name too, as `words` splits the question's ("Kassym-Jomart").
            found = [p for w in re.findall(r"[\w’'-]+", sentence) for p in {w, *w.split("-")} if p]
            present = {name_key(w) for w in found}
            # The surname as a name, capitalised ("need" and "price spikes" are not Ned Price).
            if not keys <= present or surname not in {name_key(w) for w in found if w[:1].isupper()}:
                continue
            role = role_of(sentence, tuple(names)) + 0.3 * has_role(sentence)
            if len(sentence.split()) < 6:  # a heading or caption ("Judge Ketanji Brown Jackson")
                role -= 0.5
            cands.append(Candidate(int(i), float(s), float(s) / (scores.max() or 1) + role))
        if not cands:
            return absent()
        # Its scores are not the ranked strategy's: the first one's neighbours only fill empty slots.
        cites = self.builder.cite(cands, trace, context=replace(self.builder.context, margin=math.inf))
        who = " ".join(names) if set(names) - set(words(q.subject)) else q.subject
        if asked is not None:
            return self.builder.answer(q, f"The corpus names {who} as {asked}:", cites, subject=who), link
        return self.builder.answer(q, f"What the corpus says about who {who} is:", cites, subject=who), link


def role_of(sentence: str, names: tuple[str, ...]) -> float:
    """How plainly a sentence says what someone is: "spokesman Ned Price", "X has been
    appointed Acting Head …", "X, the minister, …"."""
    if not names:
        return 0.0
    folded = fold(sentence)
    first, last = re.escape(names[0]), re.escape(names[-1])
    role = ROLE_RE.pattern
    # "Foreign Minister of Ukraine Dmytro Kuleba": the words between the role and the name are
    # part of a title (capitalised, or of/the/and), not "The President presented to Artem Zhoga".
    titled = {fold(w) for w in re.findall(r"[\w.’'-]+", sentence) if w[:1].isupper()} | _TITLE_JOINERS
    for m in re.finditer(rf"{role}\s+((?:[\w.’'-]+\s+){{0,4}}?){first}", folded):
        if all(w in titled for w in m.group(1).split()):
            return 1.0
    if re.search(
        rf"{last}\s+(?:is|was|has been|had been|became|becomes|serves as|served as|"
        rf"was appointed|has been appointed|was named|has been named|was elected|has been elected)\b",
        folded,
    ):
        return 1.0
    if re.search(rf"{last},\s+(?:the|a|an)?\s*(?:[\w-]+\s+){{0,3}}{role}", folded):
        return 0.8
    return 0.0
