"""Whether what a question asks about is in the corpus at all, and how a decline says so.

Ranking always finds a best sentence; these checks decide that it is no answer — a topic word the
corpus never holds, the topic's most specific name missing from the best sentence's article — and
word the decline in the user's own spelling (never a "corrected" name they did not type).
"""

from __future__ import annotations

import re

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.answering.citing import join_words
from bot.answering.features import FeatureBuilder
from bot.answering.names import NEVER_NAMES, CorpusNames, name_words
from bot.answering.questions import Question
from bot.entities import Link, SubjectLinker, name_key
from bot.entities.lexicon import (
    country_of,
    country_phrases,
    everyday_country_forms,
    role_classes,
    role_phrases,
)
from bot.entities.link import FUZZY_CUTOFF
from bot.index import CorpusIndex
from bot.lexicon import words as lexicon_words
from bot.retriever import Retriever
from bot.text import by_initial, fold, tokenize, words

DECLINE = "I couldn't find that in the corpus."
# A word of everyday news (in one sentence of 10,000 or more) is missing from this many sentences
# with a chance under 5% (e^-3): only then does a word the corpus lacks say the event is not in it.
ABSENCE_SENTENCES = 30_000
# A term in this many sentences is common enough that a near misspelling of it means it.
RESPELL_SENTENCES = 20
_POSSESSIVE = re.compile(r"[’']s$", re.I)


# Roles of several words (`roles.classes`: "prime minister", "press secretary"), each with the
# forms of its class ("premier"): a topic naming one is held only by one of them.
_ROLE_PHRASES = {r: re.compile(rf"\b{re.escape(r)}\b", re.I) for r in role_phrases()}
_ROLE_FORMS = {
    cls: [re.compile(rf"\b{re.escape(r)}\b", re.I) for r, c in role_classes().items() if c == cls]
    for cls in set(role_classes().values())
}
AROUND = 2  # sentences either side of the best one read, with its title, for a name or role asked
_DETERMINERS = frozenset(lexicon_words("questions.words.determiner"))


def _names_holder(text: str, at: int) -> bool:
    """Whether the role written at `at` names its holder ("when did the danish prime minister come"),
    a determiner within the two words before it, rather than being what someone became ("when did X
    become prime minister"), which the answer must hold."""
    return bool(set(words(text[:at])[-2:]) & _DETERMINERS)


class AbsenceCheck:
    """Reads the corpus for what a question names and the best candidate's article lacks."""

    def __init__(
        self,
        index: CorpusIndex,
        retriever: Retriever,
        features: FeatureBuilder,
        names: CorpusNames,
        linker: SubjectLinker,
    ) -> None:
        self.index = index
        self.retriever = retriever
        self.features = features
        self.names = names
        self.linker = linker
        self._by_initial: dict[str, list[str]] | None = None

    @property
    def tells(self) -> bool:
        """Whether the corpus is large enough that a word missing from it is a rare one, not an everyday
        word a small corpus happens to lack ("held", "countries")."""
        return self.index.n_sentences >= ABSENCE_SENTENCES

    def unknown_word(self, q: Question, topic: list[str]) -> str | None:
        """A word of the question (as typed) for a topic term the corpus never holds and that is no
        misspelling of a corpus term, else None."""
        for w in re.findall(r"[\w’'-]+", q.text):
            t = tokenize(w)
            if len(t) != 1 or t[0] not in topic or self.retriever.term_id(t[0]) is not None or len(t[0]) < 4:
                continue
            if not self.misspelt(t[0]):
                return str(w)
        return None

    def misspelt(self, word: str) -> bool:
        """Whether a word the corpus lacks is near a corpus term: by spelling, or one slip of the keys
        from a term or from one that a stem of it would be ("poeple" ~ "peopl", "explosoin" ~ "explos":
        a typo escapes the stemmer)."""
        pool = self._terms_by_initial.get(word[:1], [])
        if process.extractOne(word, pool, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF) is not None:
            return True
        return any(
            len(t) >= 5 and 0 <= len(word) - len(t) <= 3 and OSA.distance(word[: len(t)], t) <= 1
            for t in pool
        )

    def respelt(self, word: str) -> str | None:
        """The corpus term a topic word the corpus lacks is one slip of the keys from ("inflaton" →
        "inflat", the stem of "inflation"): the closest, then the longest, then the commonest of the
        terms in `RESPELL_SENTENCES` sentences or more. A rare near term is no correction: a word the
        corpus lacks may name an event it lacks ("starlink" is not "starling"). A plural the stemmer
        leaves whole is its singular, however rare ("senkakus" → "senkaku")."""
        if len(word) < 5:
            return None
        if word.endswith("s") and self.retriever.term_id(word[:-1]) is not None:
            return word[:-1]  # a plural the stemmer keeps ("senkakus": "-us" stays): the corpus's singular
        df = self.retriever.doc_freq
        best: tuple[int, int, int] | None = None
        chosen: str | None = None
        for t in self._terms_by_initial.get(word[:1], []):
            if len(t) < 5 or not 0 <= len(word) - len(t) <= 3:
                continue
            d = OSA.distance(word, t) if len(t) == len(word) else OSA.distance(word[: len(t)], t)
            tid = self.retriever.term_id(t) if d <= 1 else None
            if tid is None or int(df[tid]) < RESPELL_SENTENCES:
                continue
            key = (-d, len(t), int(df[tid]))
            if best is None or key > best:
                best, chosen = key, t
        return chosen

    @property
    def _terms_by_initial(self) -> dict[str, list[str]]:
        """The corpus's terms by first letter: the pool a misspelt word is matched in."""
        if self._by_initial is None:
            self._by_initial = by_initial(self.index.vocab)
        return self._by_initial

    def typed_terms(self, q: Question, topic: list[str], sent: int, but: str) -> list[str]:
        """The question's words (as typed) for the topic terms around `sent`: what was found there."""
        out: list[str] = []
        for w in re.findall(r"[\w’'-]+", q.text):
            t = tokenize(w)
            asked = w != but and w not in out and len(t) == 1 and t[0] in topic
            if asked and self.features.around_holds_any(t, sent):
                out.append(w)
        return out

    def rarest(self, topic: list[str]) -> str | None:
        """The topic's most specific term: the highest idf of those the corpus indexes ("before" is not)."""
        indexed = [t for t in topic if self.retriever.term_id(t) is not None]
        return max(indexed, key=self.features.idf) if indexed else None

    def holds_rarest(self, q: Question, topic: list[str], sent: int) -> str | None:
        """The question's word for the topic's most specific term (highest idf of those the corpus
        holds), when the sentence, its two neighbours either side or its title hold it, in any
        spelling of a name ("Zelensky" / "Zelenskyy"); else None."""
        rarest = self.rarest(topic)
        if rarest is None:
            return None
        typed = [str(w) for w in re.findall(r"[\w’'-]+", q.text) if tokenize(w) == [rarest]] or [rarest]
        if self.features.around_holds_any([rarest], sent):
            return typed[0]
        keys = {name_key(w) for text in self._around(sent) for w in re.findall(r"[\w’'-]+", text)}
        return next((w for w in typed if name_key(w) in keys), None)

    def asked_names(self, q: Question, topic: list[str]) -> list[tuple[str, str, str | None]]:
        """The names an answer's article must hold, as (word as typed, term, country or None): the
        topic's most specific term (highest idf) when it is a name the corpus capitalises (a place, a
        thing; not a month), and every country the topic names whatever its idf ("how many did the
        storm kill in Vietnam" is not answered by an article on the storm that never names Vietnam)."""
        rarest = self.rarest(topic)
        if rarest is None:
            return []
        out: list[tuple[str, str, str | None]] = []
        told = set(tokenize(q.addressee or ""))
        for w in re.findall(r"[\w’'-]+", q.text):
            w = _POSSESSIVE.sub("", w)  # "portugal's" is cased as "portugal" is
            f = fold(w)
            t = tokenize(w)
            if len(t) != 1 or f in NEVER_NAMES:
                continue
            country = country_of(f) if f not in everyday_country_forms() else None
            # "what did X tell the president of brazil about …": whom, by country, the article names too
            if t[0] not in topic and not (t[0] in told and country is not None):
                continue
            if not self.names.cased(f) and country is None:  # a country is a name however written
                continue
            if (t[0] == rarest or country is not None) and t[0] not in {o[1] for o in out}:
                out.append((str(w), t[0], country))
        return out

    def missing_name(self, q: Question, topic: list[str], sent: int, near: bool = False) -> str | None:
        """The question's word for a name of `asked_names` that the article of `sent` holds in no
        spelling or form ("Japanese" is held by "Japan"), else None. Names are not paraphrased, as
        other words are: an article without it is about something else. With `near` (a typed
        question: the number, date or place asked is of the thing the name qualifies), a name other
        than a country must be around the sentence (`_around`): "how many Harvard students
        volunteered" is not answered by a count of law schools in an article naming Harvard below."""
        art = int(self.index.sent_article[sent])
        for w, term, country in self.asked_names(q, topic):
            if self._name_absent(w, term, country, art):
                return w
            if near and country is None and not self.name_around(w, term, sent):
                return w
        return None

    def name_around(self, w: str, term: str, sent: int) -> bool:
        """Whether the sentence, its neighbours within AROUND or its title hold the name, in any
        spelling ("Zelensky" / "Zelenskyy"), or its speaker is stated with it ("Gazprom CEO Alexei
        Miller", whose turn names Gazprom only in its label, sentences before)."""
        if self.features.around_holds_any([term], sent, window=AROUND):
            return True
        row = int(self.index.sent_speaker[sent])
        table = self.linker.table
        if row >= 0 and row < len(table.speaker_entity) and table.speaker_entity[row] >= 0:
            ent = table.entities[table.speaker_entity[row]]
            if fold(w) in ent.roles or name_key(fold(w)) in ent.names:
                return True
        key = name_key(fold(w))
        around = (v for text in self._around(sent) for v in re.findall(r"[\w’'-]+", text))
        return any(v[:1].isupper() and fuzz.ratio(name_key(v), key) >= FUZZY_CUTOFF for v in around)

    def _name_absent(self, w: str, term: str, country: str | None, art: int) -> bool:
        """Whether article `art` holds the question's name `w` (stemmed `term`) in no spelling or
        form; a person's surname is never absent (spelt many ways, and linked as a subject elsewhere)."""
        key = name_key(fold(w))
        if any(
            not self.linker.table.entities[e].org and self.linker.surname_of(e) == key
            for e in self.linker.by_name.get(key, [])
        ):
            return False
        if self.features.in_article(term, art):
            return False
        for n in self.index.article_names(art):
            if (country and country_of(n) == country) or fuzz.ratio(name_key(n), key) >= FUZZY_CUTOFF:
                return False
        if country:  # "american" is held by "the United States": a country's forms of several words
            for bag, code in country_phrases():
                if code == country and all(self.features.in_article(t, art) for t in tokenize(" ".join(bag))):
                    return False
        return True

    def unheld_role(self, q: Question, topic: list[str], sent: int) -> str | None:
        """A role of several words the topic names ("prime minister") that the best sentence, its
        neighbours and its title (`_around`) write in none of its class's forms, else None."""
        written = q.topic or q.text
        asked = [
            r
            for r, rx in _ROLE_PHRASES.items()
            if (m := rx.search(written))
            and set(tokenize(r)) <= set(topic)
            and not _names_holder(written, m.start())
        ]
        if not asked:
            return None
        text = " ".join(self._around(sent))
        for r in asked:
            if not any(form.search(text) for form in _ROLE_FORMS[role_classes()[r]]):
                return r
        return None

    def _around(self, sent: int) -> list[str]:
        """The title of the sentence's article, then the sentence and its neighbours within AROUND."""
        idx = self.index
        art = int(idx.sent_article[sent])
        lo, hi = int(idx.article_first[art]), int(idx.article_first[art + 1])
        rows = np.arange(max(lo, sent - AROUND), min(hi, sent + AROUND + 1), dtype=np.int64)
        return [str(idx.articles[art].get("title") or ""), *idx.sentences(rows)]

    def absent_subject(self, subject: str, who_is: bool = False) -> str:
        """Say whether the corpus names the subject at all (in the user's own words, never "corrected"),
        and what it lacks: a statement by them, or (`who_is`) a sentence saying who they are."""
        names = self.names.subject_names(subject)
        if names and not self.names.named(names):
            return f"{DECLINE} {subject} is not mentioned in it."
        if names and who_is:
            return f"{DECLINE} {subject} is mentioned, but no sentence says who {subject} is."
        if names:
            return f"{DECLINE} {subject} is mentioned, but I found no statement by {subject}."
        return DECLINE

    def weak_evidence(self, q: Question, link: Link | None, missing: str | None, held: list[str]) -> str:
        """Say what was found and what was not, in the user's words: a name the user misspelt is
        given as typed (never a "corrected" name they did not type). `missing` is the topic's name the
        best candidate's article lacked, `held` the topic words found around it."""
        if link is not None and link.strengths:
            typed = q.subject or ""
            display = self.linker.table.entities[link.best].display if link.best is not None else ""
            topic = missing or q.topic
            if not set(name_words(typed)) <= {fold(w) for w in words(display)}:
                # Linked to a name the user did not type ("dudda" → Duda): say nothing of who spoke.
                return f"{DECLINE} I found no statement by {typed} about “{topic}”." if topic else DECLINE
            on = f" on {join_words(held)}" if held and missing else ""
            if topic:
                return f"I found statements by {display}{on}, but none about “{topic}”."
        if missing and held:  # "when was the grain deal signed in Istanbul"
            return f"{DECLINE} I found sentences on {join_words(held)}, but none about “{missing}”."
        return DECLINE
