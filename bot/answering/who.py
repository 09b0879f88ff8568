"""The who-is strategy: "who is X" reads the sentences naming X for the one that says what X is;
"who is <role>" first finds the one person the corpus states holds the role.

It ranks by how plainly a sentence states a role ("spokesman Ned Price", "X was appointed …"), not by
the fitted scoring function: the question's only words are the name, which every candidate holds.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import date
from functools import cache

import numpy as np

from bot import lexicon
from bot.answering.absence import AbsenceCheck
from bot.answering.citing import AnswerBuilder, Candidate, decline
from bot.answering.evidence import ROLE_RE, has_role
from bot.answering.names import CorpusNames
from bot.answering.questions import Question
from bot.entities import Link, SubjectLinker, name_key
from bot.entities.table import span_days
from bot.index import CorpusIndex
from bot.models import Answer
from bot.periods import Period
from bot.retriever import Retriever
from bot.text import STOP_WORDS, fold, tokenize, words

WHO_CANDIDATES = 200  # sentences naming the person that are read for a role
STATING_ARTICLES = 20  # articles stating a holder's roles read for the sentence stating the one asked
ASKED_ROLE = 1.0  # a sentence stating the role asked of its holder ("who is the press secretary")
SOLE_HOLDER_CONFIDENCE = 0.9  # "who is <role>" answers by the holder's name only above this link confidence
_TITLE_JOINERS = {"of", "the", "and", "for", "on"}
DESCRIBED = 1.0  # a sentence describing the one named just before it, as plainly as a stated role
DESCRIPTION_WORDS = 25  # at most this many words in the describing phrase before the pronoun


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

    def _published(self, sent: int) -> date | None:
        return _iso_day(self.index.articles[int(self.index.sent_article[sent])].get("published"))

    def _stating(self, entity: int, terms: list[str], when: Period | None) -> list[int]:
        """Sentences holding every term, of the articles stating the entity's roles (those in `when`,
        else the newest STATING_ARTICLES)."""
        index = self.index
        arts: dict[int, date | None] = {}
        for r in self.linker.table.entities[entity].speakers:
            for art_id in index.speakers[r].get("stated") or {}:
                a = index.article_ids.get(art_id)
                if a is not None:
                    arts[a] = _iso_day(index.articles[a].get("published"))
        chosen = [a for a, d in arts.items() if when is None or when.contains(d)]
        chosen = sorted(chosen, key=lambda a: arts[a] or date.min, reverse=True)[:STATING_ARTICLES]
        if not chosen:
            return []
        rows = np.concatenate([np.arange(index.article_first[a], index.article_first[a + 1]) for a in chosen])
        keep = np.ones(len(rows), dtype=bool)
        for t in dict.fromkeys(terms):
            keep &= self.names.features.holds(t, rows)
        return [int(i) for i in rows[keep][:WHO_CANDIDATES]]

    def sole_holder(self, role: str, period: Period | None = None) -> str | None:
        """The display name of `sole_holder_entity`."""
        e = self.sole_holder_entity(role, period)
        return None if e is None else self.linker.table.entities[e].display

    def sole_holder_entity(self, role: str, period: Period | None = None) -> int | None:
        """The one person the corpus states holds a role ("the kremlin spokesman" → Dmitry Peskov),
        linked with confidence; None when several might be meant or it is a body. Of holders over
        the years, the one holding it at the newest date the corpus states a holder (or the last in
        the period asked): "who is the press secretary" is the press secretary of the last articles."""
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
            return people[0] if people else None
        # Several holders over the years ("who is the press secretary"): "is" asks for the one the
        # corpus states last, when it states that one holding every word of the role after all others.
        # A succession only: the last holder took it up after every other was last stated in it (the
        # presidents of several countries and firms at once are no answer to "who is the president").
        tenure = {e: t for e in people if (t := entities[e].held_span(link.held_roles))}
        if period is None and tenure and len(tenure) == len(people):
            last = max(tenure, key=lambda e: tenure[e][1])
            if not any(tenure[last][0] < tenure[e][1] for e in tenure if e != last):
                return last
        return self._holder_at(link, people, period)

    def _holder_at(self, link: Link, people: list[int], period: Period | None) -> int | None:
        """The holder on the newest day the holder timeline names one (of the period's days, when
        asked): the people holding it in turn, each day's the one the corpus weighs most then."""
        only = replace(link, strengths={e: link.strengths[e] for e in people})
        starts, owner = self.linker.holder_timeline(only)
        if not len(starts):
            return None
        # A holder stated on one day only (a firm's president quoted once) is no tenure to read the
        # newest holder from, where others are stated over many.
        days = {e: span_days(self.linker.holding(e, link.held_roles)) for e in people}
        least = 2 if any(d >= 2 for d in days.values()) else 1
        lo = period.start.toordinal() if period is not None and period.start else 0
        hi = period.end.toordinal() if period is not None and period.end else None
        for i in range(len(starts) - 1, -1, -1):
            begins, ends = int(starts[i]), int(starts[i + 1]) - 1 if i + 1 < len(starts) else int(starts[i])
            if hi is not None and begins > hi:
                continue
            if ends < lo:
                return None
            if owner[i] >= 0 and days.get(int(owner[i]), 0) >= least:
                e = int(owner[i])
                # A succession, not two holders at once (mayors of two towns): the timeline names it
                # the holder on most of the days the corpus states it holding the role.
                stops = np.append(starts[1:], starts[-1])
                owned = int(((stops - starts) * (owner == e)).sum())
                if owned <= days[e] / 2:
                    return None
                return e
        return None

    def answer(
        self,
        q: Question,
        asked: str | None = None,
        trace: list[Candidate] | None = None,
        when: Period | None = None,
    ) -> tuple[Answer, Link]:
        """Sentences saying what someone is, and the subject's link (for --explain). `asked`: the role
        the user asked about, when `q.subject` is its holder's name (the head then names both): a
        sentence stating that role of them comes first ("Press Secretary X", not "– X"), of an
        article in `when` if asked."""
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
        role_terms = _role_terms(asked, when)
        # A holder's name is in the titles of whole briefings ("Press Briefing by Press Secretary X"):
        # read more hits for the few sentences that name them with the role asked.
        hits = self.retriever.top(terms + role_terms, k=WHO_CANDIDATES * (5 if role_terms else 1))
        if role_terms and hits:
            # Of these deeper hits, the first WHO_CANDIDATES holding the surname themselves (not
            # through a title naming it: the rest cannot name the holder).
            hit_ids = np.array([h[0] for h in hits])
            surname_terms = tokenize(names[-1])
            own = self.names.features.holds(surname_terms[-1], hit_ids) if surname_terms else None
            if own is not None and own.any():
                hits = [hits[k] for k in np.flatnonzero(own)[:WHO_CANDIDATES].tolist()]
        if role_terms and link.best is not None:
            # The articles the corpus states the holder's roles in: their sentences naming the holder
            # with the role asked ("Press Secretary X said …"), which BM25 ranks below a briefing's
            # every line when its title names X.
            seen = {h[0] for h in hits}
            floor = min((h[1] for h in hits), default=0.0)
            stating = self._stating(link.best, terms[-1:] + role_terms, when)
            hits += [(i, floor) for i in stating if i not in seen]
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
            if role_terms and set(role_terms) <= set(tokenize(sentence)):
                role += ASKED_ROLE  # states the role asked about, not only a role
                if when is not None and when.contains(self._published(int(i))):
                    role += ASKED_ROLE / 2
            if len(sentence.split()) < 6:  # a heading or caption ("Judge Ketanji Brown Jackson")
                role -= 0.5
            cands.append(Candidate(int(i), float(s), float(s) / (scores.max() or 1) + role))
            after = int(i) + 1
            if (
                role < 1.0
                and after < self.index.n_sentences
                and int(self.index.sent_article[after]) == int(self.index.sent_article[int(i)])
                and describes(self.index.sentence(after))
            ):  # "… I'll welcome X. A survivor of the camp who …, she …": the next sentence says what X is
                cands.append(Candidate(after, float(s), float(s) / (scores.max() or 1) + DESCRIBED))
        if not cands:
            return absent()
        # Its scores are not the ranked strategy's: the first one's neighbours only fill empty slots.
        cites = self.builder.cite(cands, trace, context=replace(self.builder.context, margin=math.inf))
        who = " ".join(names) if set(names) - set(words(q.subject)) else q.subject
        if asked is not None:
            return self.builder.answer(q, f"The corpus names {who} as {asked}:", cites, subject=who), link
        return self.builder.answer(q, f"What the corpus says about who {who} is:", cites, subject=who), link


def _iso_day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _role_terms(asked: str | None, when: Period | None) -> list[str]:
    """The terms of the role asked about, less its date ("the press secretary in 2021" → press, secretari)."""
    if not asked:
        return []
    dated = set(tokenize(when.label)) if when is not None else set()
    return [t for t in tokenize(asked) if t not in dated]


@cache
def _describing_re() -> re.Pattern[str]:
    pronouns = lexicon.alternation(lexicon.words("questions.words.describing_pronouns"))
    return re.compile(rf"^(?:A|An)\s+(?P<phrase>[^,;:]+?),\s+(?:{pronouns})\b")


def describes(sentence: str) -> bool:
    """The sentence opens with an indefinite noun phrase set before "he"/"she" ("A survivor of the
    camp who lost her parents, she …"): it says what the person named just before is. A phrase of
    time or manner (questions.words.not_describing: "A day later, he …") says nothing of them."""
    m = _describing_re().match(sentence)
    if m is None:
        return False
    phrase = words(m.group("phrase"))
    return 0 < len(phrase) <= DESCRIPTION_WORDS and not set(phrase[:2]) & _NOT_DESCRIBING


_NOT_DESCRIBING = lexicon.words("questions.words.not_describing")


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
