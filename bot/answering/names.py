"""How the corpus writes a question's words: which it capitalises as names, which it writes in lower
case, how it spells a person's name, whether it names a person at all, and where a person's speech is.

Users type names in lower case and misspelt; the corpus is the authority on what is a name, so these
read its sentences (and the capitalisation counts saved in the index), never a list of names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
from rapidfuzz import fuzz, process

from bot import lexicon
from bot.answering.content import SPEECH_CUE
from bot.answering.features import FeatureBuilder
from bot.answering.questions import QUESTION_WORDS, Question
from bot.attribution.phrases import is_first_name
from bot.entities import SubjectLinker, name_key
from bot.entities.lexicon import country_of, role_words
from bot.entities.link import FUZZY_CUTOFF, possessors_in, translit
from bot.index import CorpusIndex
from bot.retriever import Retriever
from bot.text import STOP_WORDS, by_initial, fold, tokenize, words

CASED_SHARE = 0.8  # a word the corpus capitalises in this share of the sentences holding it is a name
CASED_MIN_DF = 2
LOWER_SHARE = 0.3  # …and a word it writes in lower case in this share of them is a common word
LOWER_MIN_DF = 10
_NAMED_BLOCK = 4096  # sentences of a name's rarest word checked at a time for the other words
_SPELLING_ENTITIES = 8  # of the persons holding a name key, this many are read for their spelling
_SPELLING_SHARE = 2  # the corpus's spelling replaces the typed one when it is this much more frequent

ROLE_WORDS = role_words()
CALENDAR = lexicon.words("calendar.words")
ORG_HEADS = lexicon.words("roles.organisations.heads")
PEOPLE = lexicon.words("questions.people.nouns", "roles.gender") | ROLE_WORDS
NEVER_NAMES = STOP_WORDS | ROLE_WORDS | CALENDAR
_QUOTE_OR_PRONOUN = re.compile(r"[“”\"]|\b(?:he|she|they|his|her|their)\b", re.I)
# A run of two or more capitalised words, each maybe after a short lower-case particle ("al-Quaety").
_NAME_RUN = re.compile(r"(?:[a-z]{1,3}-)?[A-Z][\w’'-]*(?:\s+(?:[a-z]{1,3}-)?[A-Z][\w’'-]*)+")
_MATE_SENTENCES = 64  # of an article's sentences writing a name word, this many are read for its name
MATE_MIN = 3  # letters of a name's own word: shorter ones ("al", "de") are particles of many names


class CorpusNames:
    """The corpus's evidence on names, read from the index's postings and capitalisation counts."""

    def __init__(self, index: CorpusIndex, retriever: Retriever, features: FeatureBuilder) -> None:
        self.index = index
        self.retriever = retriever
        self.features = features
        self._names_by_initial: dict[str, list[str]] | None = None

    def name_mates(self, term: str, article: int) -> set[str]:
        """The other words of the names the article writes with `term` ("nabil", "hasan" for "quaeti"
        where it writes "Nabil Hasan al-Quaety"): a news article names a person in full once and by
        one part of the name after ("Nabil's murder"), so a sentence holding a mate is about them."""
        lo, hi = int(self.index.article_first[article]), int(self.index.article_first[article + 1])
        rows = np.arange(lo, hi, dtype=np.int64)
        rows = rows[self.features.holds(term, rows)][:_MATE_SENTENCES]
        out: set[str] = set()
        for text in self.index.sentences(rows):
            out |= name_mates(text, term)
        return out

    def cased_names(self, text: str) -> list[str]:
        """Runs of a lower-case question's words that the corpus writes capitalised nearly everywhere
        ("when did putin and lukashenko unveil the rzhev memorial" → putin, lukashenko, rzhev): the
        names `Question.name_groups` reads from capitals when the user typed them."""
        groups: list[list[str]] = [[]]
        for w in re.findall(r"[\w’'-]+", text):
            f = fold(w)
            if f not in NEVER_NAMES and f not in QUESTION_WORDS and self.cased(f):
                groups[-1].append(w)
            elif groups[-1]:
                groups.append([])
        return [" ".join(g) for g in groups if g]

    def _case_counts(self, word: str) -> tuple[int, int]:
        """How many sentences hold the word itself, and how often the corpus writes it capitalised
        (0, 0 for a phrase or a word no sentence holds)."""
        terms = tokenize(word)
        if len(terms) != 1:
            return 0, 0
        return self.features.own_df(terms[0]), self.index.names.get(word, 0)

    def passages(self, word: str) -> int:
        """How many passages hold the word (its postings; 0 for a word the corpus never holds)."""
        ids = [self.retriever.term_id(t) for t in tokenize(word)]
        ptr = self.index.bm25_ptr
        return max((int(ptr[i + 1]) - int(ptr[i]) for i in ids if i is not None), default=0)

    def cased(self, word: str) -> bool:
        df, capitalised = self._case_counts(word)
        return df >= CASED_MIN_DF and capitalised >= CASED_SHARE * df

    def lower_case(self, word: str) -> bool:
        """The corpus writes the word in lower case in a good share of the sentences holding it
        ("new", "office", "staff"), which a name never is."""
        df, capitalised = self._case_counts(word)
        return df >= LOWER_MIN_DF and capitalised <= (1 - LOWER_SHARE) * df

    def as_name(self, q: Question, written: list[str]) -> str | None:
        """The subject's surname when it must be found written as a name: typed capitalised, or a
        word the corpus capitalises nearly everywhere ("investigators" in a role phrase is not)."""
        if not written:
            return None
        last = written[-1]
        return last if last in capitalised(q.subject or "") or self.cased(last) else None

    def subject_names(self, subject: str) -> list[str]:
        """The subject's own name words less those the corpus writes in lower case ("the government
        staff"), unless typed capitalised ("Taylor Swift" is a name, however common "swift" is)."""
        typed = capitalised(subject)
        return [w for w in own_name_words(subject) if w in typed or not self.lower_case(w)]

    def respelt_subject(self, subject: str) -> str | None:
        """The subject in the corpus's spelling, when as typed it names no one but with its misspelt
        words put right names someone the corpus writes of without quoting them by that name, so no
        entity links it ("zaluzhniy" → Zaluzhnyi, "nur khan litton" → Nur Khan Liton); else None.

        Each name word the corpus never holds is read as the one word the corpus writes as a name that
        is nearest it in spelling (`FUZZY_CUTOFF`, transliterations made one; the same first letter,
        as a misspelling nearly always keeps it), and the words put right must be named together in
        one sentence: a near spelling of a name the corpus lacks is not enough."""
        names = self.subject_names(subject)
        fixed: dict[str, str] = {}
        for w in names:
            if len(w) < 4 or self.in_corpus(tokenize(w)):
                continue
            near = [
                (name, score)
                for name, score, _ in process.extract(
                    w,
                    self._by_initial().get(w[:1], []),
                    scorer=fuzz.ratio,
                    processor=translit,
                    score_cutoff=FUZZY_CUTOFF,
                    limit=5,
                )
                if self._written_as_name(name)
            ]
            if not near or (len(near) > 1 and near[1][1] == near[0][1]):
                return None  # none near, or two as near: no telling which was meant
            fixed[w] = str(near[0][0])
        if not fixed or not self.named([fixed.get(w, w) for w in names]):
            return None
        # The name words as the corpus writes them (capitalised), the others as typed.
        own = set(names)
        typed = re.findall(r"[\w’'-]+", subject)
        return " ".join(fixed.get(f, w).capitalize() if (f := fold(w)) in own else w for w in typed)

    def _by_initial(self) -> dict[str, list[str]]:
        """The words the corpus writes capitalised, by first letter: what a misspelt name is matched
        against."""
        if self._names_by_initial is None:
            self._names_by_initial = by_initial(self.index.names)
        return self._names_by_initial

    def _written_as_name(self, word: str) -> bool:
        """The corpus capitalises the word in `CASED_SHARE` of the sentences holding it, however few
        (a person named once is still named)."""
        df, capitalised = self._case_counts(word)
        # "Brennan's" is the name too (the index counts it apart, as one sentence holds one form)
        capitalised += sum(self.index.names.get(word + s, 0) for s in ("'s", "’s"))
        return df >= 1 and capitalised >= CASED_SHARE * df and word not in NEVER_NAMES

    def in_corpus(self, terms: list[str]) -> bool:
        return any(self.retriever.term_id(t) is not None for t in terms)

    def named(self, names: list[str]) -> bool:
        """Whether the corpus names the person: all the name's words in one sentence, or else its first
        and last (a middle name or particle is often left out or spelt otherwise: "Jo Anne Val Tilburg")."""
        if self._named_together(names):
            return True
        return len(names) >= 3 and self._named_together([names[0], names[-1]])

    def _named_together(self, names: list[str]) -> bool:
        """Whether one sentence holds all of a name's words ("Taylor" and "Swift" apart are not
        "Taylor Swift")."""
        postings = sorted((self.retriever.postings(t) for t in tokenize(" ".join(names))), key=len)
        if not postings or not len(postings[0]):
            return False
        # The rarest word's sentences, looked up in the others' (sorted) postings a block at a time:
        # a name said together is found in the first block, not after 250,000 look-ups.
        rarest = np.asarray(postings[0])
        for start in range(0, len(rarest), _NAMED_BLOCK):
            common = rarest[start : start + _NAMED_BLOCK]
            for p in postings[1:]:
                k = np.minimum(np.searchsorted(p, common), len(p) - 1)
                common = common[np.asarray(p[k] == common)]
                if not len(common):
                    break
            else:
                return True
        return False

    def spellings(self, q: Question, subject_terms: set[str], linker: SubjectLinker) -> dict[str, str]:
        """Typed term → the corpus's term, for the question's words (other than its subject) that name
        someone the corpus spells otherwise: a word with a person's name key ("zelensky" and
        "Zelenskyy" are one key) that the corpus writes more often in that person's spelling."""
        out: dict[str, str] = {}
        for w in dict.fromkeys(words(q.text)):
            typed = tokenize(w)
            if len(typed) != 1 or typed[0] in subject_terms or typed[0] in QUESTION_WORDS:
                continue
            key = name_key(w)
            ids = linker.by_name.get(key)
            if not ids or len(key) < 4:
                continue
            best, best_df = typed[0], self.features.own_df(typed[0])
            for e in ids[:_SPELLING_ENTITIES]:
                for v in words(linker.table.entities[e].display):
                    got = tokenize(v)
                    if len(got) == 1 and got[0] != best and name_key(v) == key:
                        df = self.features.own_df(got[0])
                        if df > _SPELLING_SHARE * max(best_df, 1):
                            best, best_df = got[0], df
            if best != typed[0]:
                out[typed[0]] = best
        return out

    def speech_near_name(
        self,
        sents: np.ndarray,
        name_terms: list[str],
        skip: np.ndarray | None = None,
        written_as: str | None = None,
    ) -> np.ndarray:
        """Per sentence: it has a quote or a verb of saying and names the person (by surname), or
        follows one that does. Where `skip` is set the answer is not needed (left False). With
        `written_as` (the surname as typed) the sentence or the one before must write it as a name,
        capitalised: "they butchered the cattle" does not name Ann Butcher.

        Whether a sentence names the person is read from the postings for all at once; only those
        that do are read as text for the speech cue."""
        idx = self.index
        todo = np.ones(len(sents), dtype=bool) if skip is None else ~skip
        if name_terms:  # news names a person by surname after the first mention
            surname = name_terms[-1]
            prev = np.maximum(sents - 1, 0)
            art = np.asarray(idx.sent_article)
            after = (sents > 0) & (art[prev] == art[sents])
            todo &= self.features.holds(surname, sents) | (self.features.holds(surname, prev) & after)
        out = np.zeros(len(sents), dtype=bool)
        key = name_key(written_as) if written_as else None
        own = self.features.holds(name_terms[-1], sents) if name_terms else np.ones(len(sents), dtype=bool)
        for i in np.flatnonzero(todo).tolist():
            text = idx.sentence(int(sents[i]))
            out[i] = bool(SPEECH_CUE.search(text))
            if out[i] and not own[i]:
                # After the sentence naming the person, a quote or "he/she said" carries on their
                # words; a verb alone ("Also invited were A, B and C") is someone else's news.
                out[i] = bool(_QUOTE_OR_PRONOUN.search(text))
            if out[i] and key is not None and not writes_name(text, key):
                s = int(sents[i])
                out[i] = s > 0 and int(idx.sent_article[s - 1]) == int(idx.sent_article[s])
                out[i] = out[i] and writes_name(idx.sentence(s - 1), key)
        return out


def name_mates(text: str, term: str) -> set[str]:
    """The other terms of each name of two or more words the text writes with `term` among them:
    no role, country, calendar or function word ("President Volodymyr Zelenskyy" mates
    "zelenskyy" with "volodymyr" only), nor a particle of under three letters ("al"). An
    organisation's name mates nothing: "Supreme" alone is no mention of the Supreme Court."""
    out: set[str] = set()
    for written in _name_runs(text):
        if any(fold(w) in ORG_HEADS for w in written):
            continue
        kept = [w for w in written if not _never_name(fold(w))]
        terms = tokenize(" ".join(kept))
        if len(kept) >= 2 and term in terms:
            out |= {t for t in terms if t != term and len(t) >= MATE_MIN}
    return out


def _name_runs(text: str) -> Iterator[list[str]]:
    """The words of each run of two or more capitalised words the text writes (`_NAME_RUN`)."""
    for m in _NAME_RUN.finditer(text):
        yield re.findall(r"[\w’'-]+", m.group())


def _never_name(word: str) -> bool:
    bare = re.sub(r"[’']s$", "", word)
    return bare in NEVER_NAMES or country_of(bare) is not None


def is_name(phrase: str) -> bool:
    """Every word of the phrase can only be a name (no role, country or function word)."""
    content = [w for w in words(phrase) if w not in STOP_WORDS]
    return bool(content) and name_words(phrase) == content and len(content) == len(words(phrase))


def gives_name(sentence: str, asked: set[str]) -> bool:
    """The sentence holds a capitalised word, not its first, that is no word of the question nor a
    function, role or calendar word: a name it gives."""
    for w in re.findall(r"[\w’'-]+", sentence)[1:]:
        if w[:1].isupper() and fold(w) not in asked and fold(w) not in NEVER_NAMES:
            return True
    return False


def gives_person_name(sentence: str, asked: set[str]) -> bool:
    """The sentence writes a person's name the question does not hold: a first name (the name
    table's) before another capitalised word ("Mickaël Harpon"), not a body or a creed ("Agence
    France-Presse", "Islam")."""
    for written in _name_runs(sentence):
        folded = [fold(re.sub(r"[’']s$", "", w)) for w in written]
        for k in range(len(written) - 1):
            if is_first_name(folded[k]) and folded[k] not in NEVER_NAMES and folded[k + 1] not in asked:
                return True
    return False


def asks_for_person(thing: list[str]) -> bool:
    """Whether the thing a name is asked for is a person ("the man injured", "the attacker")."""
    return any(w in PEOPLE or w.rstrip("s") in PEOPLE for w in thing[:2])


def writes_name(text: str, key: str) -> bool:
    """The text writes a capitalised word whose name key is `key` ("Butcher's", not "butchered")."""
    return any(
        w[:1].isupper() and name_key(re.sub(r"[’']s$", "", w)) == key for w in re.findall(r"[\w’'-]+", text)
    )


def own_name_words(subject: str) -> list[str]:
    """The subject's name words less a possessor's ("zelensky's chief of staff" is not Zelensky)."""
    owners = possessors_in(subject)
    return [w for w in name_words(subject) if w not in owners]


def capitalised(text: str) -> set[str]:
    """Folded words the user wrote with a capital."""
    return {fold(w) for w in re.findall(r"[\w’'-]+", text) if w[:1].isupper()}


def name_words(subject: str) -> list[str]:
    """The words of a subject phrase that can only be names: not roles, countries or stop words."""
    return [w for w in words(subject) if w not in STOP_WORDS and w not in ROLE_WORDS and not country_of(w)]
