"""The template answerer: picks the sentences that answer a question and fills a template.

No language model: every sentence it shows is a verbatim sentence of the corpus, and when
the corpus holds no evidence it says so instead of citing the nearest unrelated sentence.

Strategies per question kind: who-is reads the sentences naming the person for a role; every
other kind ranks candidate sentences (bot.answering.features) with one fitted scoring function
(bot.answering.scoring), said-questions weighted as "said", the rest as "other".
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot import lexicon
from bot.answering.content import SPEECH_CUE, statement_words
from bot.answering.evidence import ROLE_RE, has_role
from bot.answering.features import Candidates, FeatureBuilder, Query
from bot.answering.questions import (
    QUESTION_WORDS,
    VAGUE_TOPIC,
    Question,
    analyse,
    with_context,
    without_mentions,
)
from bot.answering.scoring import FEATURES, Weights, kind_group, load_weights
from bot.entities import EntityTable, Link, SubjectLinker, build_entities, name_key
from bot.entities.lexicon import country_of, role_words
from bot.entities.link import FUZZY_CUTOFF, possessors_in
from bot.index import CorpusIndex
from bot.models import Answer, Citation, Conversation
from bot.periods import PeriodMatch, find_period
from bot.retriever import Retriever
from bot.text import STOP_WORDS, fold, stem, tokenize, words

MAX_CITATIONS = 3
#: Of two sentences sharing this share of their words (Jaccard), the second is cited only if no
#: other is left: three citations of one passage in other words leave the alternatives out.
NEAR_DUPLICATE = 0.5
MAX_QUESTION_CHARS = 2000
MIN_STATEMENT_WORDS = 4  # content words a sentence needs to stand for "what X said" with no topic
WHO_CANDIDATES = 200  # sentences naming the person that are read for a role
DECLINE = "I couldn't find that in the corpus."
# A word of everyday news (in one sentence of 10,000 or more) is missing from this many sentences
# with a chance under 5% (e^-3): only then does a word the corpus lacks say the event is not in it.
ABSENCE_SENTENCES = 30_000
CASED_SHARE = 0.8  # a word the corpus capitalises in this share of the sentences holding it is a name
CASED_MIN_DF = 2
SOLE_HOLDER_CONFIDENCE = 0.9  # "who is <role>" answers by the holder's name only above this link confidence
LOWER_SHARE = 0.3  # …and a word it writes in lower case in this share of them is a common word
LOWER_MIN_DF = 10
# A sentence holding this many of the question's names is about the thing asked, even when its other
# words are paraphrased ("travel" / "arrived"); one name alone ("the capital of France") is not.
NAMES_ENOUGH = 3
SHOWN_READS = 3000  # characters of an article read for the full name of a label's bare surname
_NAMED_BLOCK = 4096  # sentences of a name's rarest word checked at a time for the other words
_ELSE = re.compile(r"^\s*(?:what|anything|and what)\s+else\b", re.I)


_EXCHANGE = frozenset(tokenize(" ".join(lexicon.words("speech.exchange.words"))))


def _exchanged(terms: list[str]) -> list[str]:
    """The words of an exchange (speech.exchange.words) when a term is one: "when did X speak with
    Y" holds beyond its names in "X had a telephone conversation with Y", not in "Y visited X"."""
    return sorted(_EXCHANGE - set(terms)) if _EXCHANGE & set(terms) else []


@dataclass
class Candidate:
    sent: int
    score: float  # BM25 of the whole question
    rank: float  # answer score used for ordering
    features: dict[str, float] = field(default_factory=dict)  # each feature's part of `rank` (for --explain)


class Answerer:
    """Answers questions from one index. Stateless between questions; safe to share across threads."""

    def __init__(self, index: CorpusIndex, retriever: Retriever, weights: Weights | None = None) -> None:
        self.index = index
        self.retriever = retriever
        self.weights = weights or load_weights()
        self._entities: EntityTable | None = None
        self._linker: SubjectLinker | None = None
        self._features: FeatureBuilder | None = None
        self._by_initial: dict[str, list[str]] | None = None
        self._local = threading.local()  # per-thread trace of candidates and link, for --explain

    def warm(self) -> None:
        """Build the lookup tables the first question would otherwise pay for."""
        _ = self.linker
        self.features.warm()

    @property
    def entities(self) -> EntityTable:
        if self._entities is None:
            self._entities = self.index.entity_table or build_entities(self.index)
        return self._entities

    @property
    def linker(self) -> SubjectLinker:
        if self._linker is None:
            self._linker = SubjectLinker(
                self.entities,
                self._lower_case,
                lambda w: w in self.index.names,
                count=self._passages,
            )
        return self._linker

    @property
    def features(self) -> FeatureBuilder:
        if self._features is None:
            self._features = FeatureBuilder(self.index, self.retriever)
        return self._features

    # --- entry point ---------------------------------------------------------------------

    def answer(
        self,
        question: str,
        context: str | Conversation | None = None,
        trace: list[Candidate] | None = None,
    ) -> Answer:
        """Answer one question; `context` is the conversation so far (or just its subject).

        The returned answer carries the next conversation state on `Answer.conversation`.
        When `trace` is given, the ranked candidates the answer was chosen from are appended to it.
        """
        conv = context if isinstance(context, Conversation) else Conversation(subject=context)
        self._local.trace = trace
        self._local.link = None
        self._local.why = None
        self._local.topic = None
        self._local.missing = None
        self._local.held = []
        self._local.kept = None
        ans = self._answer_text(question, conv)
        cited = [(c.article_id, c.start, c.end) for c in ans.citations]
        topic = self._local.topic if ans.found else None
        ans.conversation = conv.with_answer(ans.subject if ans.found else None, topic, cited)
        return ans

    def answer_with_candidates(self, question: str) -> tuple[Answer, str | None, Candidates | None, bool]:
        """The answer, the scored strategy's group and candidates (None if it ranked none) and
        whether the question had a topic: what `bench/fit_weights.py` fits the weights on."""
        self._local.collect = []
        try:
            ans = self.answer(question)
            got = self._local.collect
        finally:
            self._local.collect = None
        return (ans, *got[0]) if got else (ans, None, None, False)

    @property
    def last_decline(self) -> str | None:
        """Why this thread's last question was declined by the fitted thresholds, if it was."""
        return getattr(self._local, "why", None)

    def _trace_declined(self, cands: Candidates, scores: np.ndarray, group: str) -> None:
        """For --explain: the best candidates of a declined question, as a cited answer's are shown."""
        trace = getattr(self._local, "trace", None)
        if trace is None:
            return
        for i in np.argsort(-scores, kind="stable")[:10].tolist():
            trace.append(
                Candidate(
                    int(cands.sents[i]),
                    float(cands.bm25[i]),
                    float(scores[i]),
                    self.weights.contributions(group, cands.X[i]),
                )
            )

    @property
    def last_kept(self) -> str | None:
        """Why this thread's last question was answered though a fitted gate would have declined it."""
        return getattr(self._local, "kept", None)

    @property
    def last_link(self) -> Link | None:
        """The subject link of this thread's last question (for --explain)."""
        return getattr(self._local, "link", None)

    def _answer_text(self, question: str, conv: Conversation) -> Answer:
        raw = question
        text = without_mentions(question)
        if not text or not re.search(r"\w", text):
            return Answer(
                question=raw,
                found=False,
                kind="empty",
                text="Please ask a question in words, e.g. “What did <someone> say about <something>?”",
            )
        if len(text) > MAX_QUESTION_CHARS:
            return Answer(
                question=raw[:200] + "…",
                found=False,
                kind="too_long",
                text=f"That question is too long ({len(text):,} characters); "
                f"please ask in under {MAX_QUESTION_CHARS:,}.",
            )
        text = with_context(text, conv.subject)
        # The period filters by article date when it can; its words stay in the question, as they may
        # date the event itself ("where did X plant trees in 2018").
        period = find_period(text, any_year=True)
        content = set(tokenize(text)) - QUESTION_WORDS - set(tokenize(conv.subject or ""))
        kept = None
        if conv.topic and set(words(text)) & VAGUE_TOPIC and not content:
            kept = conv.topic  # "when did she say it?": the topic of the turn before
            text = f"{text} about {kept}"
        q = analyse(text)
        if not q.name_groups:
            q.name_groups = self._cased_names(q.text)
        exclude: set[int] = set()
        if _ELSE.match(question) and conv.cited:
            exclude = self._sentence_ids(conv.cited)
        ans = None
        if q.kind == "who" and q.subject and not self._is_name(q.subject):
            holder = self._sole_holder(q.subject)  # "who is the kremlin spokesman": the one the corpus names
            if holder is not None:
                ans = self._who(replace(q, subject=holder), asked=q.subject)
            if ans is None or not ans.found:
                q.kind, q.subject = "other", None  # "who is the new head of the prison service": retrieve
                ans = None
        if ans is None and kept is not None and q.kind == "when" and conv.cited and conv.subject:
            ans = self._when_said(q, conv, kept)  # "when did she say it?": the date of what was cited
        if ans is None:
            ans = self._who(q) if q.kind == "who" else self._ranked(q, period, exclude)
        if kept is not None:
            self._local.topic = kept
        ans.question = raw
        return ans

    def _when_said(self, q: Question, conv: Conversation, topic: str) -> Answer | None:
        """ "When did she say it?" after "What did X say about Y?": the date of the article that
        reports the quote the thread was given first, with that quote, not another event's date.
        None when the turn before can't be read again to the same first quote."""
        before = self._ranked(analyse(f"what did {conv.subject} say about {topic}"), None, set())
        if not before.found or not before.citations:
            return None
        first = before.citations[0]
        if (first.article_id, first.start, first.end) not in set(conv.cited):
            return None
        who = first.speaker or conv.subject
        when = (
            f"in an article of {first.published.isoformat()}" if first.published else "in an undated article"
        )
        return self._answer(q, f"{who} said it {when}:", [first], subject=conv.subject)

    def _cased_names(self, text: str) -> list[str]:
        """Runs of a lower-case question's words that the corpus writes capitalised nearly everywhere
        ("when did putin and lukashenko unveil the rzhev memorial" → putin, lukashenko, rzhev): the
        names `Question.name_groups` reads from capitals when the user typed them."""
        groups: list[list[str]] = [[]]
        for w in re.findall(r"[\w’'-]+", text):
            f = fold(w)
            if f not in _NEVER_NAMES and f not in QUESTION_WORDS and self._cased(f):
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

    def _passages(self, word: str) -> int:
        """How many passages hold the word (its postings; 0 for a word the corpus never holds)."""
        ids = [self.retriever.term_id(t) for t in tokenize(word)]
        ptr = self.index.bm25_ptr
        return max((int(ptr[i + 1]) - int(ptr[i]) for i in ids if i is not None), default=0)

    def _cased(self, word: str) -> bool:
        df, capitalised = self._case_counts(word)
        return df >= CASED_MIN_DF and capitalised >= CASED_SHARE * df

    def _as_name(self, q: Question, written: list[str]) -> str | None:
        """The subject's surname when it must be found written as a name: typed capitalised, or a
        word the corpus capitalises nearly everywhere ("investigators" in a role phrase is not)."""
        if not written:
            return None
        last = written[-1]
        return last if last in _capitalised(q.subject or "") or self._cased(last) else None

    def _subject_names(self, subject: str) -> list[str]:
        """The subject's own name words less those the corpus writes in lower case ("the government
        staff"), unless typed capitalised ("Taylor Swift" is a name, however common "swift" is)."""
        typed = _capitalised(subject)
        return [w for w in _own_name_words(subject) if w in typed or not self._lower_case(w)]

    def _lower_case(self, word: str) -> bool:
        """The corpus writes the word in lower case in a good share of the sentences holding it
        ("new", "office", "staff"), which a name never is."""
        df, capitalised = self._case_counts(word)
        return df >= LOWER_MIN_DF and capitalised <= (1 - LOWER_SHARE) * df

    def _sentence_ids(self, keys: list[tuple[str, int, int]]) -> set[int]:
        out = set()
        for art_id, start, end in keys:
            a = self.index.article_ids.get(art_id)
            if a is None:
                continue
            for s in self.index.article_sentences(a):
                lo, hi, _ = self.index.sent_span[s]
                if int(lo) == start and int(hi) == end:
                    out.add(s)
                    break
        return out

    # --- the ranked strategy: said and typed questions --------------------------------------

    def _ranked(
        self, q: Question, pm: PeriodMatch | None, exclude: set[int], use_link: bool = True
    ) -> Answer:
        group = "said" if q.kind == "said" else "other"
        period = pm.period if pm else None
        link = self.linker.link(q.subject, period) if q.subject and use_link else None
        self._local.link = link
        subject_terms = tokenize(q.subject) if q.subject else []
        terms = q.terms
        if link is not None and link.corrected:
            # Retrieve on the corpus's spelling of a misspelt name, as well as the user's.
            fixed = [t for w in link.corrected.values() for t in tokenize(w)]
            terms, subject_terms = terms + fixed, subject_terms + fixed
        if link is not None and link.expansion:
            more = tokenize(link.expansion)
            terms, subject_terms = terms + more, subject_terms + more
        # A name the question spells otherwise than the corpus ("zelensky" where it writes "Zelenskyy")
        # is read in the corpus's spelling, in the topic as in retrieval.
        spelt = self._corpus_spellings(q, set(subject_terms))
        terms = [spelt.get(t, t) for t in terms]
        topic = q.topic_terms if q.kind == "said" else [t for t in terms if t not in set(subject_terms)]
        topic = [spelt.get(t, t) for t in topic]
        if period is not None:  # the period is a filter, not the topic (its words still count in BM25)
            dated = set(tokenize(period.label))
            topic = [t for t in topic if t not in dated]
        if q.subject and not (link and link.strengths):
            # Unlinked: answer from retrieval only if the corpus names the subject at all.
            names = self._subject_names(q.subject)
            if (names and not self._named(names)) or not self._in_corpus(subject_terms):
                return self._decline(q, self._absent_subject(q.subject))
        unknown = self._unknown_word(q, topic) if not q.subject and self._absence_tells else None
        if unknown is not None:
            # "How many died in the Beirut port explosion": with no one to quote, every word of the
            # topic constrains the event, and a word the corpus never holds (nor a near spelling of
            # one) is an event it lacks, however well the other words match.
            self._local.why = f"the topic word {unknown!r} is nowhere in the corpus"
            return self._decline(q, f"{DECLINE} It never mentions “{unknown}”.")
        if not terms:
            return self._decline(q, DECLINE)
        fallback = group == "said" and not (link and link.strengths) and bool(q.subject)
        strength = self._speaker_strength(link) if link and link.strengths else None
        addressee = [spelt.get(t, t) for t in tokenize(q.addressee)] if q.addressee else []
        # Whom the sentence should name: the subject, or else the names the question holds.
        named = subject_terms or tokenize(" ".join(q.name_groups))
        subject_words = set(subject_terms)
        # The question's other names, each a constraint on the answer; a month ("in May 2022") dates it.
        others = [
            g
            for g in (
                [spelt.get(t, t) for t in tokenize(n)]
                for n in q.name_groups
                if not set(words(n)) <= _CALENDAR
            )
            if g and not set(g) & subject_words
        ]
        query = Query(
            q.kind,
            terms,
            topic,
            named,
            strength,
            period,
            exclude,
            addressee,
            q.tense,
            q.unit_classes,
            others,
            self._out_of_role(link) if link is not None and link.how == "role" else None,
        )
        cands = self.features.build(query)
        if period is not None and len(cands.sents):
            # Filter by article date when any candidate is from the period; otherwise the words name
            # an event's date ("where did X plant trees in 2018"), not the article's: fail open.
            keep = cands.X[:, FEATURES.index("date_match")] > 0
            if keep.any():
                cands = Candidates(cands.sents[keep], cands.X[keep], cands.bm25[keep])
            else:
                period = None
        if strength is not None and len(cands.sents) and group == "said":
            # "What did X say?" is answered by X's words: sentences attributed to X, or (with a topic)
            # sentences naming X with a speech cue — never another speaker's on the same topic.
            own = cands.X[:, FEATURES.index("speaker_link")] > 0
            own |= cands.X[:, FEATURES.index("reported_on")] > 0
            if topic:
                written = self._subject_names(q.subject or "")
                names = tokenize(" ".join(written))
                if names:
                    own |= self._speech_near_name(
                        cands.sents, names, skip=own, written_as=self._as_name(q, written)
                    )
            if not own.any():
                return self._weak(q, link, pm, exclude)
            cands = Candidates(cands.sents[own], cands.X[own], cands.bm25[own])
        if fallback and len(cands.sents):
            # "What did X say (about Y)?" where no sentence is attributed to X: only sentences naming X
            # (or after one that does) with a speech cue — a quote or a verb of saying. None: decline.
            written = self._subject_names(q.subject or "")
            names = tokenize(" ".join(written)) or subject_terms
            cue = self._speech_near_name(cands.sents, names, written_as=self._as_name(q, written))
            whole = tokenize(" ".join(_own_name_words(q.subject or "")))
            if written and len(whole) >= 2:
                # The article names the whole person: "Taylor Swift" is not Miles Taylor in an article
                # that never writes "swift".
                # (Its first and last words: a middle one is often left out or spelt otherwise.)
                arts = np.asarray(self.index.sent_article)[cands.sents]
                for t in {whole[0], whole[-1]}:
                    cue &= self.features.in_articles(t, arts)
            cands = Candidates(cands.sents[cue], cands.X[cue], cands.bm25[cue])
            if not len(cands.sents):
                return self._decline(q, self._absent_subject(q.subject or ""))
        people = self._people_named(q) if q.kind in _PERSON_BOUND and len(cands.sents) else []
        if people:
            # "When did Grossi visit Japan?": a sentence naming Grossi or said by him, not another's trip
            # — and naming Japan (in it, beside it or in its title), not his visit to Kyiv.
            theirs = np.array(
                [all(self._about_person(int(s), e) for e in people) for s in cands.sents], dtype=bool
            )
            theirs &= cands.X[:, FEATURES.index("names_held")] == 1.0
            cands = Candidates(cands.sents[theirs], cands.X[theirs], cands.bm25[theirs])
        if not len(cands.sents):
            if exclude:
                return self._decline(q, "I have no more quotes on that than the ones above.")
            if period is not None:
                return self._decline(q, f"{DECLINE} Nothing in it from {period.describe()}.")
            return self._decline(q, DECLINE)
        collect = getattr(self._local, "collect", None)
        if collect is not None:  # bench/fit_weights.py: the features, before any weight is applied
            collect.append((kind_group(group, q.kind), cands, bool(topic)))
        thing = q.name_of
        if thing and len(cands.sents):
            # (After the fit's collection, as the "stated" filter below: the weights rank all candidates.)
            # "What was the name of the man injured in the fire": a sentence on a man that gives a name
            # the question does not hold ("a mannequin, nicknamed “Ripley”"), not one saying only that
            # a man was injured, nor one naming the town's mayor.
            asked = set(words(q.text))
            on_it = np.zeros(len(cands.sents), dtype=bool)
            for t in {stem(w) for w in thing}:
                on_it |= self.features.holds(t, cands.sents)
            named = on_it & np.array(
                [_gives_name(self.index.sentence(int(s)), asked) for s in cands.sents], dtype=bool
            )
            cands = Candidates(cands.sents[named], cands.X[named], cands.bm25[named])
            if not len(cands.sents):
                self._local.why = "no candidate gives a name the question does not hold"
                return self._decline(q, f"{DECLINE} No sentence on it gives the name.")
        if group == "said" and not topic and strength is not None:
            # "What did X say?": a question X asked ("Can you move further up?") states nothing, nor
            # does a line of a few words ("Thank you.", "Yes.") whose label is all that matches X.
            stated = cands.X[:, FEATURES.index("is_question")] == 0
            stated &= np.array(
                [statement_words(self.index.sentence(int(s))) >= MIN_STATEMENT_WORDS for s in cands.sents],
                dtype=bool,
            )
            if stated.any():
                cands = Candidates(cands.sents[stated], cands.X[stated], cands.bm25[stated])
        weighed = kind_group(group, q.kind)  # the group's weights, corrected for the kind
        scores = self.weights.score(weighed, cands.X)
        top = int(np.argmax(scores))
        best = float(scores[top])
        # First, as its reason tells the user most: what was asked for is missing, not merely rare.
        missing = self._missing_name(q, topic, int(cands.sents[top])) if topic else None
        if missing is not None:
            # "What did Xi say about Taiwan in his talks with Putin": Xi's statements on the talks are
            # no answer when their article never names Taiwan, the most specific thing asked about;
            # nor is a grain deal's date when its article never names Istanbul, where it was signed.
            self._local.why = (
                f"the topic's most specific name ({missing}) is not in the best candidate's article"
            )
            self._local.missing = missing
            self._local.held = self._typed_terms(q, topic, int(cands.sents[top]), but=missing)
            self._trace_declined(cands, scores, weighed)
            return self._weak(q, link, pm, exclude)
        # With a topic, the best sentence must hold enough of it; "what did X say?" needs only X.
        why = self.weights.decline_reason(group, best, cands.X[top]) if topic else None
        if why is not None and best >= self.weights.decline_below.get(group, -1e9):
            # Under a coverage gate, the best sentence may still hold what is asked for: the topic's
            # most specific term, beside it or in its title ("what did Pelosi say about Ukraine when
            # she met Zelensky in Kyiv" → her words in the article on the Kyiv visit, by "Zelenskyy").
            held = self._holds_rarest(q, topic, int(cands.sents[top]))
            if held is not None:
                self._local.kept = f"{why}, but it holds the topic's most specific term ({held}) around it"
                why = None
        if why is not None:
            self._local.why = why
            self._trace_declined(cands, scores, weighed)
            return self._weak(q, link, pm, exclude)
        named_terms = tokenize(" ".join(q.name_groups))
        beyond = [t for t in topic if t not in set(named_terms)]
        if (
            beyond
            and not self._on_names(cands.X[top], group, len(q.name_groups))
            and not self.features.around_holds_any(
                beyond + _exchanged(beyond),
                int(cands.sents[top]),
                # A typed question's answer holds the topic around it, or its title does while naming
                # the names too; the title of a said-question's article is the occasion of the words.
                title_with=named_terms if group != "said" else None,
            )
        ):
            # It matched on the names alone ("the capital of France" → a sentence about France).
            self._local.why = (
                f"no word of the topic beyond its names ({' '.join(beyond)}) around the best candidate"
            )
            self._trace_declined(cands, scores, weighed)
            return self._weak(q, link, pm, exclude)
        order = np.argsort(-scores, kind="stable")
        if pm is not None and pm.newest:
            # "When did X last speak about Y": of the sentences that match, the newest article first.
            floor = max(self.weights.decline_below.get(group, -1e9), best - 1.0)
            matching = [i for i in order.tolist() if scores[i] >= floor]
            rec = self.features.recency(cands.sents[matching])
            order = np.array([matching[i] for i in np.argsort(-rec, kind="stable")], dtype=np.int64)
        explain = getattr(self._local, "trace", None) is not None  # only --explain shows contributions
        ranked = [
            Candidate(
                int(cands.sents[i]),
                float(cands.bm25[i]),
                float(scores[i]),
                self.weights.contributions(weighed, cands.X[i]) if explain else {},
            )
            for i in order[:50].tolist()
        ]
        if topic:  # the quotes after the first must hold some of the topic too: no padding
            col = FEATURES.index("topic_coverage")
            holds = {int(cands.sents[i]) for i in order[:50].tolist() if cands.X[i, col] > 0}
            ranked = ranked[:1] + [c for c in ranked[1:] if c.sent in holds]
        linked = set(strength.nonzero()[0].tolist()) if strength is not None else set()
        first_theirs = bool(ranked) and self._spk(ranked[0].sent) in linked
        if group == "said" and first_theirs:
            # Under "X said …:" every quote is X's: a sentence attributed to another speaker that
            # names X ("The President also thanked X …") is left out; unattributed ones may stay.
            ranked = ranked[:1] + [
                c for c in ranked[1:] if self._spk(c.sent) in linked or self._spk(c.sent) < 0
            ]
        cites = self._cite(ranked)
        self._local.topic = q.topic or None
        # The head names X as the speaker only when the first quote is X's; else it is about X.
        who = _join_names(c.speaker for c in cites if c.speaker and self._spk(c.start_sent) in linked)
        if not first_theirs:
            who = ""
        when = f", {period.describe()}" if period is not None else ""
        topic_words = q.topic
        if pm is not None and pm.period is not None:
            topic_words = re.sub(rf"\s*{re.escape(pm.period.label)}\s*", " ", topic_words, flags=re.I).strip()
        # A question mark or stop inside the topic ("about grain? & more") is no part of its name.
        topic_words = re.sub(r"\s*[?!]+(?=\s|$)|\s+[.]+(?=\s|$)", "", topic_words).strip()
        if not tokenize(topic_words):  # "& why", "then": no word to search for is no topic to name
            topic_words = ""
        about = f" about {topic_words}" if topic_words else ""
        told = bool(q.addressee) and fold(topic_words) == fold(q.addressee or "")
        if group == "said" and who and told:  # "what did X tell Y?": Y is whom, not what about
            head = f"What {who} told {q.addressee}{when}:"
        elif group == "said" and who:
            head = f"{who} on {topic_words}{when}:" if topic_words and when else f"{who} said{about}{when}:"
        elif group == "said":
            head = f"What the corpus says about {q.subject}{when}:" if q.subject else "From the corpus:"
        else:
            head = _HEADS.get(q.kind, "From the corpus:")
            if q.measure:  # "How long, according to the corpus:"
                head = f"How {q.measure}, according to the corpus:"
            if when:
                head = head.rstrip(":") + when + ":"
        note = None
        if link is not None and link.corrected and who:
            note = f"showing results for “{who}”"  # only when the corrected name was what answered
        return self._answer(q, head, cites, subject=who or q.subject, note=note)

    @staticmethod
    def _on_names(x: np.ndarray, group: str, names: int) -> bool:
        """The best candidate holds every name the question asks about, and that is evidence enough
        for the other words to be paraphrased: it is the subject's own statement holding most of the
        topic (by idf) in itself ("what did X say about the fighting in Luhansk and Donetsk" → X on
        "the Luhansk and Donetsk regions"), or the names are NAMES_ENOUGH or more."""
        if not names or x[FEATURES.index("names_held")] != 1.0:
            return False
        if names >= NAMES_ENOUGH:
            return True
        return (
            group == "said"
            and x[FEATURES.index("speaker_link")] > 0
            and x[FEATURES.index("topic_coverage")] > 0.5
        )

    def _unknown_word(self, q: Question, topic: list[str]) -> str | None:
        """A word of the question (as typed) for a topic term the corpus never holds and that is no
        misspelling of a corpus term, else None."""
        for w in re.findall(r"[\w’'-]+", q.text):
            t = tokenize(w)
            if len(t) != 1 or t[0] not in topic or self.retriever.term_id(t[0]) is not None or len(t[0]) < 4:
                continue
            if not self._misspelt(t[0]):
                return str(w)
        return None

    @property
    def _absence_tells(self) -> bool:
        """Whether the corpus is large enough that a word missing from it is a rare one, not an everyday
        word a small corpus happens to lack ("held", "countries")."""
        return self.index.n_sentences >= ABSENCE_SENTENCES

    def _misspelt(self, word: str) -> bool:
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

    @property
    def _terms_by_initial(self) -> dict[str, list[str]]:
        """The corpus's terms by first letter: the pool a misspelt word is matched in."""
        if self._by_initial is None:
            out: dict[str, list[str]] = {}
            for term in self.index.vocab:
                out.setdefault(term[:1], []).append(term)
            self._by_initial = out
        return self._by_initial

    def _typed_terms(self, q: Question, topic: list[str], sent: int, but: str) -> list[str]:
        """The question's words (as typed) for the topic terms around `sent`: what was found there."""
        out: list[str] = []
        for w in re.findall(r"[\w’'-]+", q.text):
            t = tokenize(w)
            asked = w != but and w not in out and len(t) == 1 and t[0] in topic
            if asked and self.features.around_holds_any(t, sent):
                out.append(w)
        return out

    def _rarest(self, topic: list[str]) -> str | None:
        """The topic's most specific term: the highest idf of those the corpus indexes ("before" is not)."""
        indexed = [t for t in topic if self.retriever.term_id(t) is not None]
        return max(indexed, key=self.features.idf) if indexed else None

    def _holds_rarest(self, q: Question, topic: list[str], sent: int) -> str | None:
        """The question's word for the topic's most specific term (highest idf of those the corpus
        holds), when the sentence, its two neighbours either side or its title hold it, in any
        spelling of a name ("Zelensky" / "Zelenskyy"); else None."""
        rarest = self._rarest(topic)
        if rarest is None:
            return None
        typed = [str(w) for w in re.findall(r"[\w’'-]+", q.text) if tokenize(w) == [rarest]] or [rarest]
        if self.features.around_holds_any([rarest], sent):
            return typed[0]
        idx = self.index
        art = int(idx.sent_article[sent])
        lo, hi = int(idx.article_first[art]), int(idx.article_first[art + 1])
        around = [idx.articles[art]["title"]] + [
            idx.sentence(r) for r in range(max(lo, sent - 2), min(hi, sent + 3))
        ]
        keys = {name_key(w) for text in around for w in re.findall(r"[\w’'-]+", text)}
        return next((w for w in typed if name_key(w) in keys), None)

    def _missing_name(self, q: Question, topic: list[str], sent: int) -> str | None:
        """The question's word for the topic's most specific term (highest idf), when it is a name the
        corpus capitalises (a place, a thing; not a person the corpus knows, not a month) and the
        article of `sent` holds it in no spelling or form ("Japanese" is held by "Japan"), else None.
        Names are not paraphrased, as other words are: an article without it is about something else."""
        rarest = self._rarest(topic)
        if rarest is None:
            return None
        for w in re.findall(r"[\w’'-]+", q.text):
            f = fold(w)
            if tokenize(w) != [rarest] or f in _NEVER_NAMES or not self._cased(f):
                continue
            key = name_key(f)
            if any(
                not (ent := self.entities.entities[e]).org and name_key(ent.display.split()[-1]) == key
                for e in self.linker.by_name.get(key, [])
            ):
                return None  # a person's surname: spelt many ways, and linked as a subject elsewhere
            art = int(self.index.sent_article[sent])
            if self.features.in_article(rarest, art):
                return None
            country = country_of(f)
            for n in self.index.article_names(art):
                if (country and country_of(n) == country) or fuzz.ratio(name_key(n), key) >= FUZZY_CUTOFF:
                    return None
            return str(w)
        return None

    def _corpus_spellings(self, q: Question, subject_terms: set[str]) -> dict[str, str]:
        """Typed term → the corpus's term, for the question's words (other than its subject) that name
        someone the corpus spells otherwise: a word with a person's name key ("zelensky" and
        "Zelenskyy" are one key) that the corpus writes more often in that person's spelling."""
        out: dict[str, str] = {}
        for w in dict.fromkeys(words(q.text)):
            typed = tokenize(w)
            if len(typed) != 1 or typed[0] in subject_terms or typed[0] in QUESTION_WORDS:
                continue
            key = name_key(w)
            ids = self.linker.by_name.get(key)
            if not ids or len(key) < 4:
                continue
            best, best_df = typed[0], self.features.own_df(typed[0])
            for e in ids[:_SPELLING_ENTITIES]:
                for v in words(self.entities.entities[e].display):
                    got = tokenize(v)
                    if len(got) == 1 and got[0] != best and name_key(v) == key:
                        df = self.features.own_df(got[0])
                        if df > _SPELLING_SHARE * max(best_df, 1):
                            best, best_df = got[0], df
            if best != typed[0]:
                out[typed[0]] = best
        return out

    def _weak(self, q: Question, link: Link | None, pm: PeriodMatch | None, exclude: set[int]) -> Answer:
        """Decline for weak evidence — unless the subject was linked by a role alone ("poland's interior
        minister"): a role may name someone else's holder, so answer as if unlinked (fail open)."""
        if link is not None and link.how == "role" and link.strengths:
            collect = getattr(self._local, "collect", None)
            if collect is not None:
                collect.clear()  # bench/fit_weights.py fits on the candidates actually ranked
            trace = getattr(self._local, "trace", None)
            if trace is not None:
                trace.clear()  # --explain shows the candidates of the answer given
            self._local.why = None
            return self._ranked(q, pm, exclude, use_link=False)
        return self._decline(q, self._weak_evidence(q, link))

    def _people_named(self, q: Question) -> list[int]:
        """Persons the question is about: named (not by a role or a country) as the subject of its
        verb, right after the question word and auxiliary ("When did Grossi visit …"), and linked
        with confidence; not a name inside the topic ("… the ship renamed after Alan Kurdi")."""
        out: list[int] = []
        for group in q.name_groups:
            if not re.match(rf"^\w+\s+\w+\s+{re.escape(group)}\b", q.text, re.I):
                continue
            link = self.linker.link(group)
            best = link.best
            if (
                link.how in {"name", "surname", "fuzzy"}
                and best is not None
                and link.confidence >= 0.9
                and not self.entities.entities[best].org
            ):
                out.append(best)
        return out

    def _about_person(self, sent: int, entity: int) -> bool:
        """The sentence is attributed to the entity, or it, a neighbour or its title names the entity."""
        ent = self.entities.entities[entity]
        if int(self.index.sent_speaker[sent]) in ent.speakers:
            return True
        surname = tokenize(ent.display.split()[-1]) if ent.display.split() else []
        return bool(surname) and self.features.around_holds_any(surname, sent)

    def _speech_near_name(
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
            if out[i] and key is not None and not _writes_name(text, key):
                s = int(sents[i])
                out[i] = s > 0 and int(idx.sent_article[s - 1]) == int(idx.sent_article[s])
                out[i] = out[i] and _writes_name(idx.sentence(s - 1), key)
        return out

    @staticmethod
    def _is_name(phrase: str) -> bool:
        """Every word of the phrase can only be a name (no role, country or function word)."""
        content = [w for w in words(phrase) if w not in STOP_WORDS]
        return bool(content) and _name_words(phrase) == content and len(content) == len(words(phrase))

    def _spk(self, sent: int) -> int:
        return int(self.index.sent_speaker[sent])

    def _speaker_strength(self, link: Link) -> np.ndarray:
        """Per speaker row: how strongly it is the question's subject (strength × confidence)."""
        out = np.zeros(len(self.index.speakers))
        for e, s in link.strengths.items():
            out[self.entities.entities[e].speakers] = s * link.confidence
        return out

    def _out_of_role(self, link: Link) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The stretches in which the corpus says a linked holder did not hold the role asked, per
        speaker row: (rows, first day, last day) for `Query.out_of_role`."""
        rows: list[int] = []
        lo: list[int] = []
        hi: list[int] = []
        for e in link.strengths:
            ent = self.entities.entities[e]
            for a, b in ent.out_of(link.held_roles):
                rows += ent.speakers
                lo += [a] * len(ent.speakers)
                hi += [b] * len(ent.speakers)
        return np.array(rows, dtype=np.int64), np.array(lo, dtype=np.int64), np.array(hi, dtype=np.int64)

    def _in_corpus(self, terms: list[str]) -> bool:
        return any(self.retriever.term_id(t) is not None for t in terms)

    def _weak_evidence(self, q: Question, link: Link | None) -> str:
        """Say what was found and what was not, in the user's words: a name the user misspelt is
        given as typed (never a "corrected" name they did not type)."""
        if link is not None and link.strengths:
            typed = q.subject or ""
            display = self.entities.entities[link.best].display if link.best is not None else ""
            missing = getattr(self._local, "missing", None)
            topic = missing or q.topic
            if not set(_name_words(typed)) <= {fold(w) for w in words(display)}:
                # Linked to a name the user did not type ("dudda" → Duda): say nothing of who spoke.
                return f"{DECLINE} I found no statement by {typed} about “{topic}”." if topic else DECLINE
            held = getattr(self._local, "held", []) if missing else []
            on = f" on {_join_words(held)}" if held else ""
            if topic:
                return f"I found statements by {display}{on}, but none about “{topic}”."
        missing = getattr(self._local, "missing", None)
        held = getattr(self._local, "held", [])
        if missing and held:  # "when was the grain deal signed in Istanbul"
            return f"{DECLINE} I found sentences on {_join_words(held)}, but none about “{missing}”."
        return DECLINE

    def _sole_holder(self, role: str) -> str | None:
        """The one person the corpus states holds a role ("the kremlin spokesman" → Dmitry Peskov),
        linked with confidence; None when several might be meant or it is a body."""
        link = self.linker.link(role)
        if link.how != "role" or link.confidence < SOLE_HOLDER_CONFIDENCE or not link.strengths:
            return None
        people = [
            e
            for e in link.strengths
            if not (ent := self.entities.entities[e]).org
            and len(ent.display.split()) >= 2
            and self.linker.states(e, role)
        ]
        if len(link.strengths) == 1:
            return self.entities.entities[people[0]].display if people else None
        # Several holders over the years ("who is the press secretary"): "is" asks for the one the
        # corpus states last, when it states that one holding every word of the role after all others.
        # A succession only: the last holder took it up after every other was last stated in it (the
        # presidents of several countries and firms at once are no answer to "who is the president").
        tenure = {e: t for e in people if (t := self.entities.entities[e].held_span(link.held_roles))}
        if not tenure or len(tenure) < len(people):
            return None
        last = max(tenure, key=lambda e: tenure[e][1])
        if any(tenure[last][0] < tenure[e][1] for e in tenure if e != last):
            return None
        return self.entities.entities[last].display

    def _who(self, q: Question, asked: str | None = None) -> Answer:
        """Sentences saying what someone is. `asked`: the role the user asked about, when `q.subject`
        is its holder's name (the head then names both)."""
        assert q.subject is not None
        link = self.linker.link(q.subject)
        self._local.link = link
        # A typo is read as the corpus's spelling only when the corpus lacks the word as typed.
        names = [
            w if self._in_corpus(tokenize(w)) else link.corrected.get(w, w)
            for w in words(q.subject)
            if w not in STOP_WORDS
        ]
        names = [n for n in names if name_key(n) in self.linker.by_name or self._in_corpus(tokenize(n))]
        terms = tokenize(" ".join(names))
        if not terms or len(names) < len([w for w in words(q.subject) if w not in STOP_WORDS]):
            return self._decline(q, self._absent_subject(q.subject))
        hits = self.retriever.top(terms, k=WHO_CANDIDATES)
        if not hits:
            return self._decline(q, self._absent_subject(q.subject))
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
            role = self._role_of(sentence, tuple(names)) + 0.3 * has_role(sentence)
            if len(sentence.split()) < 6:  # a heading or caption ("Judge Ketanji Brown Jackson")
                role -= 0.5
            cands.append(Candidate(int(i), float(s), float(s) / (scores.max() or 1) + role))
        if not cands:
            return self._decline(q, self._absent_subject(q.subject))
        cites = self._cite(cands)
        who = " ".join(names) if set(names) - set(words(q.subject)) else q.subject
        if asked is not None:
            return self._answer(q, f"The corpus names {who} as {asked}:", cites, subject=who)
        return self._answer(q, f"What the corpus says about who {who} is:", cites, subject=who)

    @staticmethod
    def _role_of(sentence: str, names: tuple[str, ...]) -> float:
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

    # --- helpers ---------------------------------------------------------------------------

    def _cite(self, cands: list[Candidate]) -> list[Citation]:
        """Best candidates first, each sentence text once (syndicated copies cited once)."""
        cands.sort(key=lambda c: (-c.rank, c.sent))
        trace = getattr(self._local, "trace", None)
        if trace is not None:
            trace.extend(cands[:10])
        seen: set[str] = set()
        out: list[Citation] = []
        said: list[frozenset[str]] = []  # the words of each sentence cited so far
        later: list[Candidate] = []  # near-duplicates of a cited sentence, cited only if room is left
        for c in cands:
            sentence = self.index.sentence(c.sent)
            key = re.sub(r"\W+", " ", fold(sentence)).strip()
            if key in seen:
                continue
            seen.add(key)
            words = frozenset(tokenize(sentence))
            if any(_overlap(words, w) >= NEAR_DUPLICATE for w in said):
                later.append(c)
                continue
            said.append(words)
            out.append(self._citation(c))
            if len(out) == MAX_CITATIONS:
                break
        for c in later[: MAX_CITATIONS - len(out)]:
            out.append(self._citation(c))
        return out

    def _shown(self, spk: int, sent: int) -> str:
        """The speaker as a citation shows them: a label's bare surname ("MS. PSAKI:", "Mr Lind said")
        by the full name the article itself gives one person of that surname ("Press Secretary Jen
        Psaki" in its title); if it gives none, or two ("Joe Biden", "Jill Biden"), the label stays."""
        display = str(self.index.speakers[spk]["display"])
        parts = display.split()
        if len(parts) != 1 or not parts[0][:1].isalpha():
            return display
        a = int(self.index.sent_article[sent])
        # The title and the article's opening name its people in full; the rest is not read.
        text = str(self.index.articles[a].get("title") or "") + "\n" + self.index.body(a)[:SHOWN_READS]
        given = re.finditer(
            rf"(?<![\w.’'-])([A-Z][\w’'-]+)\s+((?:[A-Z]\.\s+)?)({re.escape(parts[0])})(?![\w’'-])",
            text,
            flags=re.I,
        )
        full = {
            fold(f"{first} {last}"): f"{first} {middle}{last.title() if last.isupper() else last}"
            for m in given
            if (first := m.group(1))[0].isupper()
            and (last := m.group(3))[0].isupper()
            and fold(first) not in _NEVER_NAMES
            and (middle := m.group(2)) is not None
        }
        return next(iter(full.values())) if len(full) == 1 else display

    def _citation(self, c: Candidate) -> Citation:
        sentence = self.index.sentence(c.sent)
        meta = self.index.articles[int(self.index.sent_article[c.sent])]
        spk = int(self.index.sent_speaker[c.sent])
        s, e, _ = self.index.sent_span[c.sent]
        return Citation(
            article_id=meta["article_id"],
            title=meta["title"],
            url=meta.get("url"),
            published=meta.get("published"),
            sentence=sentence,
            score=round(c.score, 4),
            speaker=self._shown(spk, c.sent) if spk >= 0 else None,
            start=int(s),
            end=int(e),
            start_sent=c.sent,
        )

    def _answer(
        self,
        q: Question,
        head: str,
        cites: list[Citation],
        subject: str | None = None,
        note: str | None = None,
    ) -> Answer:
        # A citation's score is the BM25 score of the whole question for its sentence, whatever
        # ranked it (a speaker's sentences are ranked by topic, which may be empty).
        scores = self.features.bm25_at(q.terms, np.array([c.start_sent for c in cites], dtype=np.int64))
        for c, score in zip(cites, scores.tolist(), strict=True):
            c.score = round(score, 4)
        lines = (
            ([f"({note})"] if note else []) + [head] + [f"[{i}] {c.sentence}" for i, c in enumerate(cites, 1)]
        )
        return Answer(
            question=q.text,
            found=True,
            text="\n".join(lines),
            head=head,
            note=note,
            citations=cites,
            kind=q.kind,
            subject=subject or q.subject,
        )

    def _absent_subject(self, subject: str) -> str:
        """Say whether the corpus names the subject at all (in the user's own words, never "corrected")."""
        names = self._subject_names(subject)
        if names and not self._named(names):
            return f"{DECLINE} {subject} is not mentioned in it."
        if names:
            return f"{DECLINE} {subject} is mentioned, but I found no statement by {subject}."
        return DECLINE

    def _named(self, names: list[str]) -> bool:
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

    @staticmethod
    def _decline(q: Question, text: str) -> Answer:
        return Answer(question=q.text, found=False, text=text, citations=[], kind=q.kind, subject=q.subject)


_QUOTE_OR_PRONOUN = re.compile(r"[“”\"]|\b(?:he|she|they|his|her|their)\b", re.I)


def _gives_name(sentence: str, asked: set[str]) -> bool:
    """The sentence holds a capitalised word, not its first, that is no word of the question nor a
    function, role or calendar word: a name it gives."""
    for w in re.findall(r"[\w’'-]+", sentence)[1:]:
        if w[:1].isupper() and fold(w) not in asked and fold(w) not in _NEVER_NAMES:
            return True
    return False


def _join_words(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _join_names(speakers: Iterable[str]) -> str:
    """ "A and B" for the cited speakers, one name per person ("Antony Blinken" / "Anthony Blinken"
    are one person: same surname), each given as its shortest full form."""
    by_surname: dict[str, str] = {}
    for name in speakers:
        key = name_key(name.split()[-1])
        old = by_surname.get(key)
        if old is None or (len(name.split()) >= 2 and len(name.split()) < len(old.split())):
            by_surname[key] = name
    names = list(by_surname.values())
    if not names:
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


_ROLE_WORDS = role_words()
_CALENDAR = lexicon.words("calendar.words")
_NEVER_NAMES = STOP_WORDS | _ROLE_WORDS | _CALENDAR


_TITLE_JOINERS = {"of", "the", "and", "for", "on"}


def _writes_name(text: str, key: str) -> bool:
    """The text writes a capitalised word whose name key is `key` ("Butcher's", not "butchered")."""
    return any(
        w[:1].isupper() and name_key(re.sub(r"[’']s$", "", w)) == key for w in re.findall(r"[\w’'-]+", text)
    )


def _own_name_words(subject: str) -> list[str]:
    """The subject's name words less a possessor's ("zelensky's chief of staff" is not Zelensky)."""
    owners = possessors_in(subject)
    return [w for w in _name_words(subject) if w not in owners]


def _capitalised(text: str) -> set[str]:
    """Folded words the user wrote with a capital."""
    return {fold(w) for w in re.findall(r"[\w’'-]+", text) if w[:1].isupper()}


def _name_words(subject: str) -> list[str]:
    """The words of a subject phrase that can only be names: not roles, countries or stop words."""
    return [w for w in words(subject) if w not in STOP_WORDS and w not in _ROLE_WORDS and not country_of(w)]


_PERSON_BOUND = lexicon.words("questions.kinds.person_bound")
_SPELLING_ENTITIES = 8  # of the persons holding a name key, this many are read for their spelling
_SPELLING_SHARE = 2  # the corpus's spelling replaces the typed one when it is this much more frequent

_HEADS = {
    "when": "When, according to the corpus:",
    "where": "Where, according to the corpus:",
    "how_many": "How many, according to the corpus:",
    "why": "Why, according to the corpus:",
    "yes_no": "What the corpus says:",
    "other": "From the corpus:",
}


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard overlap of two sentences' word sets."""
    return len(a & b) / len(a | b) if a or b else 0.0
