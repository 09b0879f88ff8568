"""Candidate sentences for a question and their features (the columns of `scoring.FEATURES`).

Candidates come from four places, so a subject that was not linked still finds its evidence:
the top BM25 hits of the whole question, the linked speakers' sentences ranked by the topic,
the top hits of the topic with its words' synonyms added (bot/lexicon/synonyms.tsv), and the
sentence after each of the best of those (an answer often follows its lead-in).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache, partial
from itertools import pairwise

import numpy as np

from bot.answering.content import is_question_sentence, points_back
from bot.answering.evidence import (
    KIND_EVIDENCE,
    NUMBER_RE,
    AgentCue,
    agent_evidence,
    clock_evidence,
    count_evidence,
    definition_evidence,
    has_calendar_date,
    instance_evidence,
    is_count,
    measure_evidence,
    place_evidence,
)
from bot.answering.scoring import FEATURES
from bot.index import BM25_PARAMS, CorpusIndex
from bot.ingest import HOW_CODES
from bot.lexicon import alternation, speech_verb_forms, synonyms, words
from bot.periods import Period
from bot.retriever import Retriever, search
from bot.text import STOP_WORDS, stem, tokenize
from bot.text import words as words_of

QUESTION_HITS = 80  # best BM25 hits of the whole question kept as candidates
TOPIC_HITS = 80  # a linked speaker's best sentences on the topic
SYNONYM_HITS = 20  # best BM25 hits of the topic with its terms' synonyms added
SYNONYM_MAX_SHARE = 0.01  # a synonym in more of the passages ("set", "think") widens no pool…
SYNONYM_MAX_FLOOR = 100  # …unless in this many at most (a small corpus)
EVIDENCE_DEPTH = 200  # of the topic's best hits this deep, those holding the typed evidence…
EVIDENCE_HITS = 10  # …this many best join the pool (a date for "when", a named doer for "who paid")
PERIOD_HITS = 40  # the subject's most statement-like sentences of the period's articles…
PERIOD_SENTENCES_MAX = 200_000  # …read when the period's articles hold this many sentences at most
PERIOD_TOPIC_HITS = 10  # with a topic: the subject's sentences of the period best on the question's words
DAY_EVENT_SENTENCES_MAX = 50_000  # an event's day ("his may 18 decree"): its sentences are all scored
ARTICLE_TF_KEPT = 512  # common terms whose per-article counts are kept (`article_tf`)
LEAD_INS = 25  # of the best candidates, this many also bring the sentence after them
REPORTED_POOL = 4000  # bare sentences after a linked speaker's, best on the topic, read for reported speech
NOT_HOLDER = 0.1  # …of a holder whose article is dated in another holder's stretch of the role
OUT_OF_ROLE = 0.5  # speaker_link of a role's holder the corpus says did not hold it at the article's date
REPORTED_AFTER = 2  # reported_on: this many unattributed sentences after a speaker's indirect speech
REPORTED_BETWEEN = 3  # …or between two sentences of one speaker this far apart on either side
_BARE_AFTER_MIN = 20_000  # a speaker set with this many sentences keeps its `_bare_after` rows…
_BARE_AFTER_KEPT = 32  # …for this many such sets (the oldest goes first)
TURN_FULL = 4  # turn_position is 1 this many sentences into a speaker's turn, and is read that far back
_WARM_SHARE = 16  # `warm` counts own_df ahead for terms whose titles cover 1/16 of the sentences
_DIRECT = np.array([h in ("quote", "tweet", "label", "continued") for h in HOW_CODES])
_COL = {f: i for i, f in enumerate(FEATURES)}
_K1, _B = BM25_PARAMS["k1"], BM25_PARAMS["b"]


@dataclass
class Query:
    """What the features need from the question analysis and the subject link."""

    kind: str
    terms: list[str]  # whole question (question words out)
    topic: list[str]  # the topic: less the subject and question words
    subject_terms: list[str]
    speaker_strength: np.ndarray | None  # per speaker row, 0…1 (None: no subject linked)
    period: Period | None = None
    exclude: set[int] = field(default_factory=set)
    addressee: list[str] = field(default_factory=list)  # terms of whom it was said to
    tense: str | None = None  # "past" / "future": what a relative date must agree with
    unit_classes: tuple[str, ...] = ()  # "how long": the number must carry a duration or length unit
    names: list[list[str]] = field(
        default_factory=list
    )  # terms of each name the question holds, less its subject
    # A subject linked by its role: per stretch in which a linked holder is said not to hold it, the
    # speaker row and first and last day (ordinals), so speaker_link reads the holder at each
    # candidate's article date ("the vice president" in 2021 is not a vice president of 2016).
    out_of_role: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    agent: AgentCue | None = None  # "who paid for …": how a sentence names the doer asked for
    premise: list[str] = field(default_factory=list)  # terms the question takes as given (questions.premise)
    phrases: list[str] = field(default_factory=list)  # the topic's two-word lemmas (`topic_phrases`)
    # A subject linked by its role: who of its holders holds it on each day (first day of each
    # stretch, holder entity or -1: `SubjectLinker.holder_timeline`) with each speaker row's entity:
    # a holder's words in an article dated in another's stretch are not the role's ("the vice
    # president" in 2023 is not a President the corpus once calls "Vice President").
    holders: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    place_preposition: str | None = None  # "where … from": the preposition whose place is asked
    counted: list[str] = field(default_factory=list)  # "how many people …": the counted noun's stems
    defines: str | None = None  # "what is the book of torturers": the stem of the thing's head word
    instance: str | None = None  # "which Italian singer did X quote": the stem of the asked kind's noun
    occasion: list[str] = field(default_factory=list)  # "at the security council meeting": its terms
    period_attributive: bool = False  # the period is an event's attribute ("his may 18 decree")
    clock: bool = False  # "what time …" (`Question.asks_clock_time`): a clock time answers it


@dataclass
class Candidates:
    sents: np.ndarray
    X: np.ndarray  # len(sents) x len(FEATURES)
    bm25: np.ndarray  # BM25 of the whole question, per candidate (the citation score)


class FeatureBuilder:
    def __init__(self, index: CorpusIndex, retriever: Retriever) -> None:
        self.index = index
        self.retriever = retriever
        order = np.argsort(np.asarray(index.sent_speaker), kind="stable")
        spk_sorted = np.asarray(index.sent_speaker)[order]
        n_spk = len(index.speakers)
        self._by_speaker = order  # sentence ids grouped by speaker row
        self._speaker_ptr = np.searchsorted(spk_sorted, np.arange(n_spk + 1))
        dates = [a.get("published") or "" for a in index.articles]
        rank = np.argsort(np.argsort(dates, kind="stable"), kind="stable")
        self.article_recency = rank / max(len(rank) - 1, 1)
        self.article_dates: list[date | None] = [_date(d) for d in dates]
        self.article_ordinals = np.array(
            [d.toordinal() if d else 0 for d in self.article_dates], dtype=np.int64
        )
        self.article_month_days = np.array(  # month * 100 + day; 0 = undated
            [d.month * 100 + d.day if d else 0 for d in self.article_dates], dtype=np.int64
        )
        self._median_idf = float(np.median(retriever.idf)) if len(retriever.idf) else 1.0
        self._own_idf: dict[int, float] = {}
        self._own_df: dict[int, int] = {}
        self._title_index: dict[int, tuple[np.ndarray, np.ndarray]] | None = None
        self._title_len: np.ndarray | None = None
        self._titles: dict[int, dict[int, int]] = {}
        self._avgdl = float(np.mean(index.sent_len)) if index.n_sentences else 1.0
        self._speaker_terms: dict[int, frozenset[str]] = {}
        self._calendar: np.ndarray | None = None
        self._preference: np.ndarray | None = None
        self._bare_after_cache: dict[tuple[int, ...], np.ndarray] = {}
        first = np.asarray(index.article_first)
        lengths = np.diff(first).astype(np.float64)  # `article_scores`: BM25's length norm per article
        self._article_tf: dict[int, np.ndarray] = {}  # term id → `article_tf` of a common term
        self._article_tf_warm: dict[int, np.ndarray] = {}  # …of the commonest, counted by `warm`
        self._article_norm = _K1 * (1 - _B + _B * lengths / (float(lengths.mean()) if len(lengths) else 1.0))

    def speaker_sentences(self, speakers: np.ndarray) -> np.ndarray:
        """Sentence ids of the given speaker rows (each sentence has one speaker: no duplicates)."""
        parts = [self._by_speaker[self._speaker_ptr[s] : self._speaker_ptr[s + 1]] for s in speakers.tolist()]
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    def idf(self, term: str) -> float:
        """How rare a term is in the sentences' own text, the weight of the coverage features.

        Not BM25's passage idf: a passage is sentence + title, so a title word is in every passage of
        its article, and in a corpus of one or a few articles its passage idf is ~0 (rank-bm25 floors
        it at a fraction of the mean) however rare it is in the text. Counted here are the sentences
        that hold the term themselves; the idf is Lucene's log(1 + (N - df + .5) / (df + .5)), which
        stays positive for terms in over half the sentences."""
        t = self.retriever.term_id(term)
        if t is None:
            return self._median_idf
        got = self._own_idf.get(t)
        if got is None:
            if len(self._own_idf) > 100_000:
                self._own_idf.clear()
            got = self._own_idf[t] = self._sentence_idf(term, t)
        return got

    def _sentence_idf(self, term: str, tid: int) -> float:
        df = self.own_df(term, tid)
        n = self.index.n_sentences
        return float(np.log1p((n - df + 0.5) / (df + 0.5)))

    def own_df(self, term: str, tid: int | None = None) -> int:
        """How many sentences hold the term in their own text (not only through their title).

        Cached per term: a lower-case question asks it of each of its words, and a common word's
        count reads the postings of every article whose title holds it."""
        tid = self.retriever.term_id(term) if tid is None else tid
        if tid is None:
            return 0
        got = self._own_df.get(tid)
        if got is None:
            if len(self._own_df) > 100_000:
                self._own_df.clear()
            got = self._own_df[tid] = self._count_own(term, tid)
        return got

    def _count_own(self, term: str, tid: int) -> int:
        """`own_df`, counted: the passages of articles whose title holds the term count only where
        the count exceeds the title's, read back from the BM25 contributions (vectorised over
        those articles' posting rows)."""
        idx = self.index
        lo, hi = int(idx.bm25_ptr[tid]), int(idx.bm25_ptr[tid + 1])
        df = hi - lo
        titled = self.title_index().get(tid)
        if titled is None or not df:
            return df
        arts, in_title = titled
        post = idx.bm25_rows[lo:hi]
        first = np.asarray(idx.article_first)
        a_lo = search(post, first[arts])
        counts = search(post, first[arts + 1]) - a_lo
        n_rows = int(counts.sum())
        if not n_rows:
            return df
        k = np.repeat(a_lo - (np.cumsum(counts) - counts), counts) + np.arange(n_rows)
        rows = np.asarray(post[k])
        idf = float(idx.bm25_idf[tid])
        if idf * (_K1 + 1) <= 0:  # an idf of 0 (a term in half the passages) leaves no count to read
            own = np.array([term in tokenize(idx.sentence(int(r))) for r in rows.tolist()], dtype=bool)
        else:
            w = np.asarray(idx.bm25_vals[lo:hi])[k].astype(np.float64)
            dl = np.asarray(idx.sent_len)[rows].astype(np.float64)
            big_k = _K1 * (1 - _B + _B * dl / self._avgdl)
            tf = np.rint(w * big_k / np.maximum(idf * (_K1 + 1) - w, 1e-12))
            own = tf > np.repeat(in_title, counts)
        return df - int((~own).sum())

    def warm(self) -> None:
        """Read the synonym table, count the commonest terms' `article_tf`, build the title index, and
        count `own_df` now for the terms where it costs most: those in the titles of articles holding
        over 1/16 of the sentences ("Press Briefing by Press Secretary …"), whose every sentence must
        be read back (tens of milliseconds each)."""
        synonym_stems()  # the table is read and stemmed once (about half a second)
        self.index.check_texts()  # candidates' sentences are then decoded alone, not their articles
        self.calendar_rows()
        self._statement_preferences()
        self._warm_article_tf()
        titled = self.title_index()
        per_article = np.diff(np.asarray(self.index.article_first))
        floor = self.index.n_sentences // _WARM_SHARE
        for tid, (arts, _) in titled.items():
            if int(per_article[arts].sum()) >= floor:
                self.own_df(self.index.vocab[tid], tid)

    def _warm_article_tf(self) -> None:
        """`article_tf` of the ARTICLE_TF_KEPT terms in most passages, kept apart (never dropped): a
        said-question's common words ("president", a prolific speaker's name) each read hundreds of
        thousands of postings at corpus scale."""
        ptr = np.asarray(self.index.bm25_ptr)
        size = np.diff(ptr)
        n_art = len(self._article_norm)
        common = np.argsort(-size, kind="stable")[:ARTICLE_TF_KEPT]
        for tid in common[size[common] > n_art].tolist():
            tf = self._passages_per_article(self.retriever.postings(self.index.vocab[tid]))
            self._article_tf_warm[tid] = _kept_counts(tf)

    def title_index(self) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """Term id → the articles whose title holds it and how often (built once, on first use)."""
        if self._title_index is None:
            by_term: dict[int, dict[int, int]] = {}
            lengths = np.zeros(len(self.index.articles), dtype=np.int64)
            for a, meta in enumerate(self.index.articles):
                toks = tokenize(meta["title"])
                lengths[a] = len(toks)
                for t in toks:
                    tid = self.retriever.term_id(t)
                    if tid is not None:
                        got = by_term.setdefault(tid, {})
                        got[a] = got.get(a, 0) + 1
            self._title_index = {
                t: (np.array(list(v), dtype=np.int64), np.array(list(v.values()), dtype=np.int64))
                for t, v in by_term.items()
            }
            self._title_len = lengths
        return self._title_index

    def title_len(self) -> np.ndarray:
        """Terms of each article's title, as its passages count them (built with the title index)."""
        self.title_index()
        assert self._title_len is not None
        return self._title_len

    def own_terms(self, sents: np.ndarray) -> np.ndarray:
        """Terms of each sentence itself (its passage less its title): `len(tokenize(sentence))`,
        read from the index instead of tokenizing the text again."""
        arts = np.asarray(self.index.sent_article)[sents]
        own: np.ndarray = np.asarray(self.index.sent_len)[sents].astype(np.int64) - self.title_len()[arts]
        return own

    def own_term_ids(self, sent: int) -> set[int]:
        """Term ids the sentence holds itself (its passage less its title), read from the index's term
        counts instead of tokenizing the text again."""
        tids, counts = self.index.sentence_terms(sent)
        title = self._title_terms(int(self.index.sent_article[sent]))
        return {t for t, c in zip(tids.tolist(), counts.tolist(), strict=True) if c > title.get(t, 0)}

    def title_term_ids(self, article: int) -> set[int]:
        """Term ids of an article's title."""
        return set(self._title_terms(article))

    def build(self, q: Query) -> Candidates:
        """Candidates and their features. BM25 is computed only where needed: the pruned top-k of the
        retriever for the pools, and exact per-sentence sums from the postings for the rest."""
        idx = self.index
        n = idx.n_sentences
        strength = q.speaker_strength
        # The when pool reads deeper in the topic's ranking (EVIDENCE_DEPTH): its head is kept below.
        deep = EVIDENCE_DEPTH if q.kind == "when" else 0
        topic_k = max(QUESTION_HITS // 2, deep)
        # With no subject (nor period) the topic is the question's terms: one search serves both pools
        # (top-k is exact with ties by sentence order, so the first k of a deeper one are top-k).
        shared = bool(q.topic) and q.topic == q.terms
        question_hits = self.retriever.top(
            q.terms, k=max(QUESTION_HITS, topic_k) if shared else QUESTION_HITS
        )
        pools = [_ids(question_hits[:QUESTION_HITS]) if q.terms else np.zeros(0, np.int64)]
        # Said-questions only: their articles are occasions (a call, a speech, a message) the question
        # names beside its topic; on the other kinds the feature cost dev-set CV hits.
        by_article = self.article_scores(q.terms) if q.kind == "said" else None
        on_topic: tuple[np.ndarray, np.ndarray] | None = None  # every sentence holding the topic, scored
        if strength is not None:
            linked = np.flatnonzero(strength > 0)
            own = self.speaker_sentences(linked)
            bare_after: tuple[np.ndarray, np.ndarray] | None = None  # reported speech's rows, scored
            if q.topic and len(own):
                if self._postings_size(q.topic) < len(own):  # fewer topic hits than own sentences
                    ids_t, sc_t = self.retriever.scores(q.topic)
                    on_topic = (ids_t, sc_t)
                    spk = np.asarray(idx.sent_speaker)[ids_t]
                    mine = (spk >= 0) & (strength[np.maximum(spk, 0)] > 0)
                    ids_t, sc_t = ids_t[mine], sc_t[mine]
                else:
                    # X's sentences and the bare ones after them, scored in one read of the topic's
                    # postings (a common topic word's are hundreds of thousands): the same sums.
                    after_own = self._bare_after(linked, own)
                    both = self.bm25_at(q.topic, np.concatenate([own, after_own]))
                    bare_after = (after_own, both[len(own) :])
                    ids_t, sc_t = own, both[: len(own)]
                    ids_t, sc_t = ids_t[sc_t != 0], sc_t[sc_t != 0]
                pools.append(_top(ids_t, sc_t, TOPIC_HITS))
            elif len(own):  # "what did X say?": X's statements, longest direct quotes first
                pools.append(self.statements(own, TOPIC_HITS))
            if q.topic and len(own):
                # Unattributed sentences that go on with X's reported speech, best on the topic.
                # Read where they are, not through masks of the whole corpus (1.2M sentences).
                spk_all = np.asarray(idx.sent_speaker)
                if on_topic is not None:  # a prolific speaker: only the topic's sentences are read
                    bare = spk_all[on_topic[0]] < 0
                    near, sc = on_topic[0][bare], on_topic[1][bare]
                    linked_row = np.append(strength > 0, False)  # row -1 (nobody's) is the last: False
                    follows = np.zeros(len(near), dtype=bool)
                    for k in range(1, REPORTED_BETWEEN + 1):
                        follows |= (near >= k) & linked_row[spk_all[np.maximum(near - k, 0)]]
                    near, sc = near[follows], sc[follows]
                else:
                    assert bare_after is not None
                    near, sc = bare_after
                near, sc = near[sc > 0], sc[sc > 0]  # on the topic first: the form is read as text
                if len(near) > REPORTED_POOL:  # two prolific holders of a role: their best on the topic
                    best = np.argpartition(-sc, REPORTED_POOL)[:REPORTED_POOL]
                    best.sort()
                    near, sc = near[best], sc[best]
                after = self.reported_on(near, strength, by_form=False) > 0
                near, sc = near[after], sc[after]
                keep = self.reported_on(near, strength) > 0
                pools.append(_top(near[keep], sc[keep], TOPIC_HITS // 2))
        if q.topic:
            # The when pool reads deeper in the same rankings: one search each, its head kept here.
            on_topic_hits = question_hits[:topic_k] if shared else None
            if on_topic_hits is None and on_topic is not None:  # its scores are read: rank them
                on_topic_hits = self.retriever.top_of_scores(q.topic, on_topic, topic_k)
            if on_topic_hits is None:
                on_topic_hits = self.retriever.top(q.topic, k=topic_k)
            pools.append(_ids(on_topic_hits[: QUESTION_HITS // 2]))
            max_df = max(SYNONYM_MAX_FLOOR, int(n * SYNONYM_MAX_SHARE))
            alts = self.synonyms_of(q.topic, max_df=max_df)
            # A phrase of the question ("called off") adds its synonyms ("cancel") to these hits only:
            # in the evidence pool's deeper search a phrase's looser ones ("set up" → "launch",
            # "found") brought dated sentences on other matters (dev-kremlin 50 → 49 hit@1).
            wider = self.synonyms_of(q.topic + q.phrases, max_df=max_df)
            searched = {tuple(q.topic): on_topic_hits} if deep else {}  # rankings EVIDENCE_DEPTH deep
            if wider:  # the topic as the article may word it: "finish pulling out" → "complete"
                deeper = bool(deep) and wider == alts
                hits = self.retriever.top(
                    q.topic + wider, k=max(SYNONYM_HITS, deep) if deeper else SYNONYM_HITS
                )
                if deeper:
                    searched[tuple(q.topic + wider)] = hits
                pools.append(_ids(hits[:SYNONYM_HITS]))
            pools.append(self.evidence_pool(q, alts, searched))
        if q.period is not None:
            pools.append(self.period_pool(q, strength))
        base = np.unique(np.concatenate(pools)).astype(np.int64)
        if q.exclude:
            base = base[~np.isin(base, list(q.exclude))]
        bq = self.bm25_at(q.terms, base)
        lead = base[np.argsort(-bq, kind="stable")[:LEAD_INS]]
        nxt = lead + 1
        nxt = nxt[nxt < n]
        nxt = nxt[np.asarray(idx.sent_article)[nxt] == np.asarray(idx.sent_article)[nxt - 1]]
        sents = np.unique(np.concatenate([base, nxt]))
        if q.exclude:
            sents = sents[~np.isin(sents, list(q.exclude))]
        return self._features(q, sents, by_article)

    def dated_articles(self, period: Period) -> np.ndarray:
        """Per article, whether its date is in the period (vectorised `Period.contains`: undated
        articles never are; a month without a year is that month, and day, of any year)."""
        if period.month:
            md = self.article_month_days
            want = period.month * 100 + period.day
            return np.asarray((md // 100 == period.month) if not period.day else (md == want))
        day = self.article_ordinals
        lo = period.start.toordinal() if period.start else 1
        hi = period.end.toordinal() if period.end else np.iinfo(np.int64).max
        return (day > 0) & (day >= lo) & (day <= hi)

    def period_pool(self, q: Query, strength: np.ndarray | None) -> np.ndarray:
        """The best sentences of the articles dated in the question's period: "what did X say on
        March 8" is answered by X's words in that day's articles, which seldom write "March 8" — the
        question's pools, ranked on all its words, need hold none of them. Of the subject's own
        statements; with a topic, the few of them best on the question's words (the pools' cut may
        fall just short of them). Only for a linked subject: otherwise the period often dates the
        event in the text ("how many left Mariupol on April 1", reported the day after), and the
        day's other articles would crowd the answer out of the candidates. A day that is an event's
        attribute ("his march 18 address", "their april 1 call") is the day it is reported: that
        day's best sentences on the question's words join, whoever speaks them."""
        empty = np.zeros(0, np.int64)
        if q.period is None:
            return empty
        day_event = q.period_attributive and bool(
            q.period.day or (q.period.start and q.period.start == q.period.end)
        )
        if not day_event and strength is None:
            return empty
        arts = np.flatnonzero(self.dated_articles(q.period))
        first = np.asarray(self.index.article_first)
        sizes = first[arts + 1] - first[arts]
        limit = DAY_EVENT_SENTENCES_MAX if day_event else PERIOD_SENTENCES_MAX
        if not len(arts) or int(sizes.sum()) > limit:
            return empty
        sents = np.concatenate([np.arange(first[a], first[a + 1], dtype=np.int64) for a in arts])
        if day_event:
            # "his may 18 decree", "their april 1 call": an event the date names, reported that day;
            # that day's sentences on the question's words, whoever speaks them
            return _top(sents, self.bm25_at(q.terms, sents), PERIOD_HITS)
        assert strength is not None  # no day event: a linked subject, as checked above
        spk = np.asarray(self.index.sent_speaker)[sents]
        sents = sents[(spk >= 0) & (strength[np.maximum(spk, 0)] > 0)]
        if q.topic and len(sents):
            # "what did X tell the Japanese PM in February that Ukraine needs": X's words of the period
            # best on the question's words, a few, beside the pools' (whose cut may fall just short)
            return _top(sents, self.bm25_at(q.terms, sents), PERIOD_TOPIC_HITS)
        return self.statements(sents, PERIOD_HITS) if len(sents) else empty

    def article_scores(self, terms: list[str]) -> np.ndarray:
        """BM25 of `terms` per article, each article one document: a term's frequency is how many of
        its passages hold it (a title word is in all of them), its length its sentences. An answer's
        sentence often holds little of the question while its article holds all of it ("Telephone
        conversation with President of France …" for "what did X tell Macron about Y"): the occasion,
        the addressee. Counted from the sentence postings (`article_tf`)."""
        n_art = len(self._article_norm)
        out = np.zeros(n_art)
        for t in terms:
            tf = self.article_tf(t)
            if tf is None:
                continue
            df = int(np.count_nonzero(tf))
            idf = float(np.log1p((n_art - df + 0.5) / (df + 0.5)))
            out += idf * tf * (_K1 + 1) / (tf + self._article_norm)
        return out

    def article_tf(self, term: str) -> np.ndarray | None:
        """Per article, how many of its passages hold the term (None: no passage does). A term in more
        passages than there are articles is kept (ARTICLE_TF_KEPT of them, 2 bytes an article): its
        count reads all its postings, milliseconds for a common word at corpus scale."""
        tid = self.retriever.term_id(term)
        if tid is None:
            return None
        got = self._article_tf_warm.get(tid)
        if got is None:
            got = self._article_tf.get(tid)
        if got is not None:
            return got.astype(np.float64)
        post = self.retriever.postings(term)
        if not len(post):
            return None
        tf = self._passages_per_article(post)
        if len(post) > len(tf):
            if len(self._article_tf) >= ARTICLE_TF_KEPT:
                self._article_tf.pop(next(iter(self._article_tf)))
            self._article_tf[tid] = _kept_counts(tf)
        return tf.astype(np.float64)

    def _passages_per_article(self, post: np.ndarray) -> np.ndarray:
        """Per article, how many of the sentences `post` (a term's postings) lie in it."""
        n_art = len(self._article_norm)
        counts: np.ndarray = np.bincount(np.asarray(self.index.sent_article)[post], minlength=n_art)[:n_art]
        return counts

    def _bare_after(self, linked: np.ndarray, own: np.ndarray) -> np.ndarray:
        """The unattributed sentences up to REPORTED_BETWEEN after one of `own` (the sentences of the
        speaker rows `linked`), sorted. Kept for the last few speaker sets of many sentences: every
        question on a prolific speaker or a role ("the press secretary": 200,000 sentences) marked
        them in masks of the whole corpus again."""
        key = tuple(linked.tolist())
        got = self._bare_after_cache.get(key)
        if got is not None:
            return got
        n = self.index.n_sentences
        after_own = np.zeros(n + REPORTED_BETWEEN + 1, dtype=bool)
        for k in range(1, REPORTED_BETWEEN + 1):
            after_own[own + k] = True
        got = np.flatnonzero(after_own[:n] & (np.asarray(self.index.sent_speaker) < 0))
        if len(own) >= _BARE_AFTER_MIN:
            if len(self._bare_after_cache) >= _BARE_AFTER_KEPT:
                self._bare_after_cache.pop(next(iter(self._bare_after_cache)))
            self._bare_after_cache[key] = got
        return got

    def evidence_pool(
        self,
        q: Query,
        alts: list[str],
        searched: dict[tuple[str, ...], list[tuple[int, float]]] | None = None,
    ) -> np.ndarray:
        """The best of the topic's deeper hits that hold what the kind asks for, so an answer worded
        apart from the question ("will set up the service by mid-2023", "The Executive Order
        appoints Y Director of …") is still a candidate: for "when", a calendar date among the
        EVIDENCE_DEPTH best hits of the topic (and of it with its synonyms); for a doer, a named
        agent among the EVIDENCE_DEPTH sentences best on the topic of those holding a word of the
        verb's class, an agent noun or an appointment. At most EVIDENCE_HITS; none for other kinds.
        `searched`: rankings already made (terms → hits, EVIDENCE_DEPTH deep or more), not made again."""
        if q.agent is not None and q.kind == "other":
            held = [self.retriever.postings(t) for t in sorted(q.agent.terms)]
            rows = np.unique(np.concatenate(held)).astype(np.int64) if held else np.zeros(0, np.int64)
            sc = self.bm25_at(q.topic, rows)
            rows, sc = rows[sc > 0], sc[sc > 0]
            if len(rows) > EVIDENCE_DEPTH:  # a common cue word ("head"): its best on the topic only
                keep = np.argpartition(-sc, EVIDENCE_DEPTH)[:EVIDENCE_DEPTH]
                rows, sc = rows[keep], sc[keep]
            ranked = rows[np.argsort(-sc, kind="stable")].tolist()
            cue = q.agent
            return self._first_holding(ranked, lambda text: agent_evidence(text, cue) >= 1.0)
        if q.kind == "when":
            deep = np.array(
                list(
                    dict.fromkeys(
                        h[0]
                        for terms in ([q.topic, q.topic + alts] if alts else [q.topic])
                        for h in self._ranking(terms, searched or {})[:EVIDENCE_DEPTH]
                    )
                ),
                dtype=np.int64,
            )
            if len(deep):  # only those that may hold a date are read
                deep = deep[self.calendar_rows()[deep]]
            bm = self.bm25_at(q.topic + alts, deep)
            ranked = deep[np.argsort(-bm, kind="stable")].tolist()
            return self._first_holding(ranked, has_calendar_date)
        return np.zeros(0, np.int64)

    def _ranking(
        self, terms: list[str], searched: dict[tuple[str, ...], list[tuple[int, float]]]
    ) -> list[tuple[int, float]]:
        """The EVIDENCE_DEPTH best hits of `terms`: from `searched` (rankings that deep) if made."""
        got = searched.get(tuple(terms))
        return got if got is not None else self.retriever.top(terms, k=EVIDENCE_DEPTH)

    def _first_holding(self, ranked: list[int], holds: Callable[[str], bool]) -> np.ndarray:
        """The first EVIDENCE_HITS of the ranked sentences whose text holds the evidence (read in
        order, so no more sentences are read than it takes)."""
        hits: list[int] = []
        for s in ranked:
            if holds(self.index.sentence(s)):
                hits.append(s)
                if len(hits) == EVIDENCE_HITS:
                    break
        return np.array(hits, dtype=np.int64)

    def calendar_rows(self) -> np.ndarray:
        """Per sentence, whether it holds a month's name or a year as an index term: every calendar
        date has one ("Jan. 3", "in 2020", "2020-01-02", "mid-2023"). Built once from the postings,
        so the "when" evidence pool reads the text of only those sentences."""
        if self._calendar is None:
            mask = np.zeros(self.index.n_sentences, dtype=bool)
            months = tokenize(" ".join(words("calendar.words.months", "calendar.words.month_abbreviations")))
            for t in [*months, *(str(y) for y in range(1500, 2100))]:
                mask[self.retriever.postings(t)] = True
            self._calendar = mask
        return self._calendar

    def synonyms_of(self, terms: list[str], max_df: int | None = None) -> list[str]:
        """The index terms that stand for the given ones in the synonym table, less those terms;
        with `max_df`, only those in at most that many passages. A common synonym is a weak cue, and
        its postings are what a query pays for most."""
        table = synonym_stems()
        given = set(terms)
        ptr = self.index.bm25_ptr
        out = []
        for s in dict.fromkeys(s for t in terms for s in table.get(t, ()) if s not in given):
            tid = self.retriever.term_id(s)
            if tid is not None and (max_df is None or int(ptr[tid + 1]) - int(ptr[tid]) <= max_df):
                out.append(s)
        return out

    def statement_preference(self, sents: np.ndarray) -> np.ndarray:
        """How much of a statement each sentence is, which X's sentences "what did X say?" with no topic
        draws its candidates from: its length (to 300 characters), being a direct quote, and recency."""
        pref: np.ndarray = self._statement_preferences()[sents]
        return pref

    def _statement_preferences(self) -> np.ndarray:
        """`statement_preference` of every sentence, computed once: a prolific speaker's 200,000
        sentences were read from four index columns on each question about him (the same sums,
        element by element)."""
        if self._preference is None:
            idx = self.index
            spans = np.asarray(idx.sent_span)
            size = np.minimum(spans[:, 1] - spans[:, 0], 300) / 300
            self._preference = (
                size + _DIRECT[np.asarray(idx.sent_how)] + self.article_recency[np.asarray(idx.sent_article)]
            )
        return self._preference

    def statements(self, sents: np.ndarray, k: int) -> np.ndarray:
        """The k most statement-like of `sents`, questions left out ("Why degrading?", "Can you move
        further up?" in a transcript ask, they state nothing) unless nothing else is left. Only the
        best 2k by preference are read, so a prolific speaker costs no more than a quiet one."""
        best = _top(sents, self.statement_preference(sents), 2 * k)
        stated = np.array([not is_question_sentence(t) for t in self.index.sentences(best)], dtype=bool)
        kept = best[stated] if stated.any() else best
        return _top(kept, self.statement_preference(kept), k)

    def bm25_at(
        self, terms: list[str], rows: np.ndarray, own_idf: bool = False, own_text: bool = False
    ) -> np.ndarray:
        """BM25 of `terms` for each of `rows`, exactly as the retriever sums it (a repeated term counts
        again), read from the term-major postings. With `own_idf`, each term's part is rescaled from
        the passage idf to `idf()` (the sentences' own text), which a corpus of few articles needs:
        there title words are in most passages and their passage idf collapses. With `own_text`, only
        the terms a sentence holds itself count (not those only its article's title holds)."""
        idx = self.index
        if not len(rows):
            return np.zeros(0)
        known = [(t, tid) for t in terms if (tid := self.retriever.term_id(t)) is not None]
        scales = [
            self.idf(t) / float(idx.bm25_idf[tid]) if own_idf and idx.bm25_idf[tid] > 0 else 1.0
            for t, tid in known
        ]
        if not own_text:
            return self.retriever.scores_at([tid for _, tid in known], rows, scales)
        out = np.zeros(len(rows))
        for (t, tid), scale in zip(known, scales, strict=True):
            lo, hi = int(idx.bm25_ptr[tid]), int(idx.bm25_ptr[tid + 1])
            if hi == lo:
                continue
            post = idx.bm25_rows[lo:hi]
            k = np.minimum(search(post, rows), hi - lo - 1)
            hit = np.asarray(post[k] == rows)
            part = np.asarray(idx.bm25_vals[lo:hi])[k[hit]] * scale
            out[hit] += part * self.holds(t, rows[hit])
        return out

    def _postings_size(self, terms: list[str]) -> int:
        ptr = self.index.bm25_ptr
        return sum(
            int(ptr[t + 1]) - int(ptr[t]) for t in (self.retriever.term_id(x) for x in terms) if t is not None
        )

    def recency(self, sents: np.ndarray) -> np.ndarray:
        recency: np.ndarray = self.article_recency[np.asarray(self.index.sent_article)[sents]]
        return recency

    def _features(self, q: Query, sents: np.ndarray, by_article: np.ndarray | None = None) -> Candidates:
        idx = self.index
        X = np.zeros((len(sents), len(FEATURES)))
        if not len(sents):
            return Candidates(sents, X, np.zeros(0))
        X[:, _COL["bias"]] = 1.0
        n = idx.n_sentences
        art_of = np.asarray(idx.sent_article)
        arts = art_of[sents]
        # Every term the features read, looked up once in its postings at the candidates and their
        # neighbours (-2…2): its BM25 part there and whether the sentence holds it itself (its
        # passage less its title), so no sentence is tokenized again.
        shifts = (0, -2, -1, 1, 2)
        near_rows = np.concatenate([np.clip(sents + k, 0, max(n - 1, 0)) for k in shifts])
        m = len(sents)
        looked: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for t in dict.fromkeys([*q.terms, *q.topic, *q.subject_terms, *q.addressee, *q.premise]):
            looked[t] = self._lookup(t, near_rows)

        def part(t: str, k: int) -> np.ndarray:
            i = shifts.index(k)
            return looked[t][0][i * m : (i + 1) * m]

        def held(t: str, k: int) -> np.ndarray:
            i = shifts.index(k)
            return looked[t][1][i * m : (i + 1) * m]

        def bm25(terms: list[str], k: int = 0, own_idf: bool = False, own_text: bool = False) -> np.ndarray:
            """`bm25_at(terms, sents + k, own_idf, own_text)`, from the lookups: the same sums."""
            out = np.zeros(m)
            for t in terms:
                tid = self.retriever.term_id(t)
                if tid is None or idx.bm25_ptr[tid + 1] == idx.bm25_ptr[tid]:
                    continue
                scale = self.idf(t) / float(idx.bm25_idf[tid]) if own_idf and idx.bm25_idf[tid] > 0 else 1.0
                out += part(t, k) * scale * held(t, k) if own_text else part(t, k) * scale
            return out

        bq = bm25(q.terms)
        fq = bm25(q.terms, own_idf=True)
        bt = bm25(q.topic, own_idf=True)
        top_q = fq.max() or 1.0
        X[:, _COL["bm25_question"]] = fq / top_q
        X[:, _COL["bm25_topic"]] = bt / (bt.max() or 1.0)
        spk = np.asarray(idx.sent_speaker)[sents]
        how = np.asarray(idx.sent_how)[sents]
        X[:, _COL["direct_quote"]] = _DIRECT[how]
        prev = np.maximum(sents - 1, 0)
        same = (sents > 0) & (art_of[prev] == arts)
        # The lead-in: the sentence before is among the best hits ("Putin spoke about X:" → the answer),
        # by its own words: the title it shares with the sentence says nothing of which leads in.
        X[:, _COL["lead_in_next"]] = bm25(q.terms, -1, True, True) * same / top_q
        if q.speaker_strength is not None:
            st = q.speaker_strength
            X[:, _COL["speaker_link"]] = np.where(spk >= 0, st[np.maximum(spk, 0)], 0.0)
            if q.out_of_role is not None and len(q.out_of_role[0]):
                rows, first, last = q.out_of_role
                on = self.article_ordinals[arts][:, None]
                out = ((spk[:, None] == rows) & (on >= first) & (on <= last)).any(axis=1)
                X[:, _COL["speaker_link"]] *= np.where(out, OUT_OF_ROLE, 1.0)
            if q.holders is not None and len(q.holders[0]):
                holder, mine = holders_at(q.holders, self.article_ordinals[arts], spk)
                X[:, _COL["speaker_link"]] *= np.where((holder >= 0) & (holder != mine), NOT_HOLDER, 1.0)
        X[:, _COL["recency"]] = self.article_recency[arts]
        if by_article is not None and len(by_article) and by_article.max() > 0:
            X[:, _COL["article_bm25"]] = by_article[arts] / by_article.max()
        if q.period is not None:
            X[:, _COL["date_match"]] = self.dated_articles(q.period)[arts]

        neighbour = _neighbours(sents, art_of)

        def own(terms: list[str], k: int, ok: np.ndarray) -> dict[str, np.ndarray]:
            return {t: held(t, k) & ok for t in set(terms)}

        everyone = np.ones(len(sents), dtype=bool)
        terms = set(q.terms) | set(q.topic) | set(q.subject_terms) | set(q.addressee)
        here = own(list(terms), 0, everyone)
        titled = {t: self._in_title(t, arts) for t in terms}
        idf_t = {t: self.idf(t) for t in set(q.topic)}
        tot_t = sum(idf_t.values()) or 1.0
        X[:, _COL["topic_coverage"]] = sum(v * here[t] for t, v in idf_t.items()) / tot_t
        near = {t: here[t] | titled[t] for t in q.topic}
        before_t: dict[str, np.ndarray] = {}
        for k in (-2, -1, 1, 2):
            _, ok = neighbour(k)
            for t, h in own(q.topic, k, ok).items():
                near[t] |= h
                if k == -1:
                    before_t[t] = h
        X[:, _COL["context_coverage"]] = sum(v * near[t] for t, v in idf_t.items()) / tot_t
        X[:, _COL["title_coverage"]] = sum(v * titled[t] for t, v in idf_t.items()) / tot_t
        occ = {t: self.idf(t) for t in set(q.occasion) if t in titled}
        if occ:  # the occasion named in the article's title: the words are from that occasion
            X[:, _COL["occasion_title"]] = sum(v * titled[t] for t, v in occ.items()) / sum(occ.values())
        X[:, _COL["lead_in_topic"]] = sum(v * before_t[t] for t, v in idf_t.items()) / tot_t
        X[:, _COL["synonym_coverage"]] = self._synonym_coverage(idf_t, here, sents, q.phrases) / tot_t
        # Over the topic terms the corpus holds: one it lacks ("take" where the text says "took") is in
        # no article, so it says nothing of whether this article is about the topic.
        known = {t: v for t, v in idf_t.items() if self.retriever.term_id(t) is not None}
        if known:
            in_article = sum(v * self.in_articles(t, arts) for t, v in known.items())
            X[:, _COL["article_coverage"]] = in_article / sum(known.values())
        X[:, _COL["names_held"]] = self._names_held(q.names, sents, arts, neighbour)
        # A sentence's novelty is the share of its own terms (its passage less its title) that the
        # question lacks: an echo of the question ("X asked what the West does not understand.") adds
        # nothing, an answer adds what was asked for. Alone it only says "off the topic"; it counts
        # where the topic is held. after_echo: by the sentence before ("… visited an exhibition of
        # destroyed equipment." → "The exhibition is located in …"); adds_to_topic: by the sentence
        # or the one before, so a lead-in and its quote weigh as one span, and of the two the one
        # that adds to the topic more.
        own_len = self.own_terms(sents).astype(np.float64)
        asked = sum((here[t].astype(np.float64) for t in set(q.terms)), np.zeros(m))
        novelty = np.clip(1.0 - asked / np.maximum(own_len, 1.0), 0.0, 1.0)
        X[:, _COL["after_echo"]] = X[:, _COL["lead_in_topic"]] * novelty
        span = sum(v * (here[t] | before_t[t]) for t, v in idf_t.items()) / tot_t
        X[:, _COL["adds_to_topic"]] = span * novelty
        subj = set(q.subject_terms)
        if subj:
            X[:, _COL["subject_named"]] = sum(here[t] for t in subj) / len(subj)
        if q.addressee:
            heard = {t: here[t].copy() for t in set(q.addressee)}
            for k in (-1, -2):
                rows, ok = neighbour(k)
                said_by = np.asarray(idx.sent_speaker)[rows]
                for t in heard:
                    heard[t] |= held(t, k) & ok
                    heard[t] |= np.array([self._speaker_has(int(x), t) for x in said_by]) & ok
            X[:, _COL["addressee_match"]] = sum(heard.values()) / len(heard)
        if q.kind == "said":
            X[:, _COL["turn_position"]] = self._turn_position(sents, neighbour)
            if q.speaker_strength is not None:
                X[:, _COL["reported_on"]] = self.reported_on(sents, q.speaker_strength)
        block = self._block(sents, neighbour)
        in_block = {t: here[t].copy() for t in q.topic}
        for k, inside in block.items():
            for t in in_block:
                in_block[t] |= held(t, k) & inside
        # The block's own coverage as a column cost a CV hit: its share is what tells the parts apart.
        covered = sum(v * in_block[t] for t, v in idf_t.items()) / tot_t
        X[:, _COL["block_share"]] = np.divide(
            X[:, _COL["topic_coverage"]], covered, out=np.zeros(m), where=covered > 0
        )
        if q.premise:
            self._premise(q.premise, X, held, block)
        evidence = KIND_EVIDENCE.get(q.kind)
        if q.kind == "when" and q.clock:  # "what time …": a clock time, not a day
            evidence = clock_evidence
        if q.unit_classes:  # "how long": a number with a time or length unit, not any count
            evidence = partial(measure_evidence, unit_classes=q.unit_classes, topic=frozenset(q.topic))
        texts = idx.sentences(sents)
        X[:, _COL["is_question"]] = [is_question_sentence(t) for t in texts]
        X[:, _COL["points_back"]] = [points_back(t) for t in texts]
        if q.kind == "how_many" and not q.unit_classes:  # a count of the topic's thing, not another's
            counted = {*q.counted, *one_word_synonyms(q.counted)}
            evidence = partial(count_evidence, topic=frozenset(q.topic), counted=frozenset(counted))
        if q.defines and q.kind == "other" and q.agent is None:  # "what is X": a sentence saying what X is
            evidence = partial(definition_evidence, head=q.defines)
        if q.instance and q.kind == "other" and evidence is None:  # "which singer": a named singer
            evidence = partial(instance_evidence, noun=q.instance)
        if q.agent is not None and q.kind == "other":  # "who paid for …": a named doer of the verb
            evidence = partial(agent_evidence, cue=q.agent)
        if q.kind == "where":  # a place of the asked event: a locative in the clause of a topic term
            named = {t for name in q.names for t in name}
            event = {t for t in q.topic if t not in named} or set(q.topic)
            event |= set(one_word_synonyms(event))  # the event as the article may word it: "met" for "meet"
            evidence = partial(
                place_evidence, topic=frozenset(event), asked=q.place_preposition, given=frozenset(q.terms)
            )
        if evidence is None and q.kind != "how_many":
            return Candidates(sents, X, bq)  # no feature below reads the sentences' text
        # A cause cue is weaker evidence than a date or a count (an answer to "why" often gives its
        # reason without "because"): it has its own column, so its weight is fitted apart.
        ev_col = _COL["cause_evidence"] if q.kind == "why" else _COL["typed_evidence"]
        for row, text in enumerate(texts):
            if evidence is not None:
                X[row, ev_col] = float(evidence(text, q.tense) if q.kind == "when" else evidence(text))
            if q.kind == "how_many":
                X[row, _COL["number_near_topic"]] = _number_near_terms(text, idf_t) / tot_t
        return Candidates(sents, X, bq)

    def _premise(
        self,
        premise: list[str],
        X: np.ndarray,
        held: Callable[[str, int], np.ndarray],
        block: dict[int, np.ndarray],
    ) -> None:
        """after_premise: the idf share of what the question takes as given ("the pines he planted")
        that the sentence before holds, in the candidate's block. A speaker restates the premise ("you
        planted over 1,000 pines") and says what was asked of it next, in the same turn ("those pines
        are growing well"). The restating sentence's own share as a column cost CV hits: a premise's
        words are often the answer's too ("her son" of "the student who brought her son")."""
        idf_p = {t: self.idf(t) for t in set(premise)}
        tot_p = sum(idf_p.values()) or 1.0
        before = sum(v * held(t, -1) for t, v in idf_p.items()) / tot_p
        X[:, _COL["after_premise"]] = before * block[-1]

    def _synonym_coverage(
        self, idf_t: dict[str, float], here: dict[str, np.ndarray], sents: np.ndarray, phrases: list[str]
    ) -> np.ndarray:
        """The idf mass of the topic's terms that the sentence lacks but holds a synonym, derivation or
        irregular form of: the user asks who paid for "building" the church, the article says "the
        construction of the church was funded by …". Each counts with the rarer of the two words'
        idf, so a common stand-in ("set" for "put") weighs little. A synonym that is itself a topic
        term counts nowhere here (the coverage features count it already).

        A two-word lemma counts both ways: the topic's ("called off") stands for its words' terms
        through its own synonyms, and a term's synonym that is one ("cancel" → "call off") is held
        where its words stand side by side in the sentence, with the idf of its rarest word."""
        out = np.zeros(len(sents))
        table = synonym_stems()
        for t, v in idf_t.items():
            missing = ~here[t]
            cands = [*table.get(t, ()), *(s for p in phrases if t in p.split("_") for s in table.get(p, ()))]
            alts = [s for s in dict.fromkeys(cands) if s not in idf_t]
            if not alts or not missing.any():
                continue
            got = np.zeros(len(sents))
            lacking = np.flatnonzero(missing)  # only these are looked up (`holds` is per row)
            for s in alts:
                if "_" in s:
                    held, w = self._holds_phrase(s, sents, missing)
                elif self.retriever.term_id(s) is not None:
                    held, w = np.zeros(len(sents), dtype=bool), self.idf(s)
                    held[lacking] = self.holds(s, sents[lacking])
                else:
                    continue
                if held.any():
                    got = np.maximum(got, held * min(v, w))
            out += got
        return out

    def _holds_phrase(self, phrase: str, sents: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, float]:
        """Which of the `rows` sentences hold a two-word lemma's words side by side ("pulled out"),
        and its weight, the idf of its rarest indexed word. Only sentences holding that word are read."""
        parts = phrase.split("_")
        content = [p for p in parts if self.retriever.term_id(p) is not None]
        held = np.zeros(len(sents), dtype=bool)
        if not content:
            return held, 0.0
        rows = rows.copy()
        for p in content:
            at = np.flatnonzero(rows)  # `holds` is per row: only the rows still in are looked up
            rows[at] = self.holds(p, sents[at])
        pair = (parts[0], parts[1]) if len(parts) == 2 else None
        for i in np.flatnonzero(rows):
            held[i] = pair is not None and pair in _stem_pairs(self.index.sentence(int(sents[i])))
        return held, max(self.idf(p) for p in content)

    def reported_on(self, sents: np.ndarray, strength: np.ndarray, by_form: bool = True) -> np.ndarray:
        """Per sentence the attributor left to nobody: the link strength of the speaker whose reported
        speech it goes on with, else 0. Readouts report a speaker's points over several sentences and
        name the speaker once ("The governor explained that … But young professionals receive zero
        …"): a sentence between two sentences of that speaker (each within REPORTED_BETWEEN, nobody
        else between), or after the speaker's indirect speech in its paragraph (up to REPORTED_AFTER
        on, nobody else between) that reads as reported speech by form (`_reported_by_form`). After
        it by position alone (any bare sentence) cost 3 CV hits: narrative follows speech as often.
        Without `by_form`, every such sentence after the speaker counts (a cheap superset)."""
        idx = self.index
        n = idx.n_sentences
        spk_all = np.asarray(idx.sent_speaker)
        art = np.asarray(idx.sent_article)
        para = np.asarray(idx.sent_span)[:, 2]
        how = np.asarray(idx.sent_how)
        out = np.zeros(len(sents))
        bare = spk_all[sents] < 0

        def nearest(step: int, reach: int) -> tuple[np.ndarray, np.ndarray]:
            """The first attributed sentence `step`-wise within `reach` (same article, nobody's between)
            and its distance; -1 where there is none."""
            found = np.full(len(sents), -1, dtype=np.int64)
            dist = np.zeros(len(sents), dtype=np.int64)
            open_ = bare.copy()
            for k in range(1, reach + 1):
                rows = np.clip(sents + step * k, 0, max(n - 1, 0))
                ok = open_ & (sents + step * k >= 0) & (sents + step * k < n) & (art[rows] == art[sents])
                hit = ok & (spk_all[rows] >= 0)
                found[hit], dist[hit] = rows[hit], k
                open_ = ok & ~hit
            return found, dist

        before, gap = nearest(-1, REPORTED_BETWEEN)
        after, _ = nearest(1, REPORTED_BETWEEN)
        has_b = before >= 0
        sb = np.where(has_b, spk_all[np.maximum(before, 0)], -1)
        linked_b = has_b & (strength[np.maximum(sb, 0)] > 0)
        indirect = ~_DIRECT[how[np.maximum(before, 0)]]
        same_para = para[np.maximum(before, 0)] == para[sents]
        goes_on = linked_b & indirect & same_para & (gap <= REPORTED_AFTER)
        has_a = after >= 0
        between = linked_b & has_a & (spk_all[np.maximum(after, 0)] == sb)
        # after the speaker, only what reads as reported speech by form (read as text only there)
        todo = np.flatnonzero(goes_on & ~between) if by_form else np.zeros(0, np.int64)
        goes_on[todo] = [_reported_by_form(idx.sentence(int(sents[i]))) for i in todo.tolist()]
        hit = goes_on | between
        out[hit] = strength[sb[hit]]
        return out

    def _same_speaker(
        self,
        sents: np.ndarray,
        neighbour: Callable[[int], tuple[np.ndarray, np.ndarray]],
        step: int,
        reach: int,
    ) -> list[np.ndarray]:
        """Per distance 1…reach `step`-wise: whether every sentence up to it, in the candidate's
        article, has the candidate's speaker (an unattributed candidate has none). A speaker's run is a
        transcript's "Name: …" and the lines after it, or a quote and its continuation."""
        spk_all = np.asarray(self.index.sent_speaker)
        spk = spk_all[sents]
        alive = spk >= 0
        out = []
        for k in range(1, reach + 1):
            rows, ok = neighbour(step * k)
            alive = alive & ok & (spk_all[rows] == spk)
            out.append(alive)
        return out

    def _turn_position(
        self, sents: np.ndarray, neighbour: Callable[[int], tuple[np.ndarray, np.ndarray]]
    ) -> np.ndarray:
        """How far into its speaker's turn a sentence is: the sentences before it with its speaker, up
        to TURN_FULL, as 0…1. A speaker mostly says their point first: the fit weighs it negatively,
        so a turn's first sentence beats its later ones on equal words."""
        out: np.ndarray = sum(self._same_speaker(sents, neighbour, -1, TURN_FULL), np.zeros(len(sents)))
        return out / TURN_FULL

    def _block(
        self, sents: np.ndarray, neighbour: Callable[[int], tuple[np.ndarray, np.ndarray]]
    ) -> dict[int, np.ndarray]:
        """Per offset -2…2 (not 0), whether that sentence is in the candidate's block: the unbroken
        run of its speaker's sentences in its article (a quote and its continuation, a transcript's
        turn). A multi-sentence answer often has its words in one sentence and the point in the next:
        the block's coverage says the passage is on the topic, the sentence's share which part holds it.
        An unattributed sentence is a block of its own."""
        return {
            step * k: inside
            for step in (-1, 1)
            for k, inside in enumerate(self._same_speaker(sents, neighbour, step, 2), start=1)
        }

    def own_words_hold(self, terms: list[str], sents: np.ndarray) -> np.ndarray:
        """Whether each sentence's own passage holds a term (or a one-word synonym of one): the
        sentence, the unbroken run of its speaker's sentences within two either side (a quote and its
        continuation, a transcript's turn) and the sentence before it when it is nobody's or theirs
        (the lead-in, "Asked about X, he said:"). Not its title nor another speaker's neighbouring
        words: those say what the article is about, not what this speaker said."""
        out = np.zeros(len(sents), dtype=bool)
        if not len(sents) or not terms:
            return out
        idx = self.index
        neighbour = _neighbours(sents, np.asarray(idx.sent_article))
        spk_all = np.asarray(idx.sent_speaker)
        before, ok = neighbour(-1)
        # The lead-in is nobody's words or the speaker's own, never another speaker's before them.
        lead_in = ok & ((spk_all[before] < 0) | (spk_all[before] == spk_all[sents]))
        rows = [(sents, np.ones(len(sents), dtype=bool)), (before, lead_in)]
        block = self._block(sents, neighbour)
        rows += [(neighbour(k)[0], inside) for k, inside in block.items() if k != -1]
        wanted = [*dict.fromkeys(terms), *self.synonyms_of(terms)]
        for t in wanted:
            if self.retriever.term_id(t) is None:
                continue
            for r, ok in rows:
                out |= self.holds(t, r) & ok
        return out

    def around_holds_any(
        self, terms: list[str], sent: int, window: int = 2, title_with: list[str] | None = None
    ) -> bool:
        """Whether the sentence, its neighbours within `window` (same article) or its title hold a term.

        With `title_with`, the title counts only when it holds one of those terms too: a title on
        another thing ("Kyiv is now the capital of …") is no context for a sentence on France."""
        idx = self.index
        art = int(idx.sent_article[sent])
        lo, hi = int(idx.article_first[art]), int(idx.article_first[art + 1])
        rows = np.arange(max(lo, sent - window), min(hi, sent + window + 1), dtype=np.int64)
        titled = self._title_terms(art)
        if title_with is not None and not any(self.retriever.term_id(t) in titled for t in title_with):
            titled = {}
        return any(self.retriever.term_id(t) in titled or bool(self.holds(t, rows).any()) for t in set(terms))

    def holds(self, term: str, rows: np.ndarray) -> np.ndarray:
        """Whether each sentence holds `term` itself, not only through its article's title (a passage
        is sentence + title): the term count is read back from its BM25 contribution, exactly."""
        return self._lookup(term, rows)[1]

    def _lookup(self, term: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The term's BM25 contribution to each row's passage (0 where it has none) and `holds`,
        from one binary search of the rows in its postings."""
        tid = self.retriever.term_id(term)
        if tid is None:
            return np.zeros(len(rows)), np.zeros(len(rows), dtype=bool)
        idx = self.index
        lo, hi = int(idx.bm25_ptr[tid]), int(idx.bm25_ptr[tid + 1])
        post = idx.bm25_rows[lo:hi]
        k = np.minimum(search(post, rows), len(post) - 1)
        held = np.asarray(post[k] == rows)
        vals = np.asarray(idx.bm25_vals[lo:hi])
        parts = np.where(held, vals[k], 0.0)
        cand = np.flatnonzero(held)
        if not len(cand):
            return parts, held
        in_title = self._title_count(tid, np.asarray(idx.sent_article)[rows[cand]])
        titled = in_title > 0
        if titled.any():
            at = cand[titled]
            w = vals[k[at]].astype(np.float64)
            dl = np.asarray(idx.sent_len)[rows[at]].astype(np.float64)
            big_k = _K1 * (1 - _B + _B * dl / self._avgdl)
            idf = float(idx.bm25_idf[tid])
            tf = np.rint(w * big_k / np.maximum(idf * (_K1 + 1) - w, 1e-12))
            held[at] = tf > in_title[titled]
            if idf * (_K1 + 1) <= 0:  # an idf of 0 (a term in half the passages) leaves no count to read:
                held[at] = [term in tokenize(idx.sentence(int(r))) for r in rows[at].tolist()]
        return parts, held

    def _names_held(
        self,
        names: list[list[str]],
        sents: np.ndarray,
        arts: np.ndarray,
        neighbour: Callable[[int], tuple[np.ndarray, np.ndarray]],
    ) -> np.ndarray:
        """The share of the question's names of which a word is in the sentence, its two neighbours
        either side (same article) or its title: "When did X visit Japan?" is not answered by X's
        visit to Kyiv, however well the rest matches. 1 when the question names nothing else."""
        if not names:
            return np.ones(len(sents))
        rows_ok = [(sents, np.ones(len(sents), dtype=bool))] + [neighbour(k) for k in (-2, -1, 1, 2)]
        held = np.zeros(len(sents))
        for group in names:
            got = np.zeros(len(sents), dtype=bool)
            for t in set(group):
                got |= self._in_title(t, arts)
                for rows, ok in rows_ok:
                    got |= self.holds(t, rows) & ok
            held += got
        out: np.ndarray = held / len(names)
        return out

    def in_article(self, term: str, article: int) -> bool:
        """Whether the article holds the term anywhere (a sentence or its title)."""
        return bool(self.in_articles(term, np.array([article], dtype=np.int64))[0])

    def in_articles(self, term: str, arts: np.ndarray) -> np.ndarray:
        """Whether each article holds the term anywhere (a sentence or its title), from the postings."""
        post = self.retriever.postings(term)
        first = np.asarray(self.index.article_first)
        held: np.ndarray = search(post, first[arts + 1]) > search(post, first[arts])  # in the postings' dtype
        return held

    def in_articles_any(self, terms: Iterable[str], arts: np.ndarray) -> np.ndarray:
        """Whether each article holds one of the terms anywhere (`in_articles` of each, or-ed)."""
        held = np.zeros(len(arts), dtype=bool)
        for t in terms:
            held |= self.in_articles(t, arts)
        return held

    def _in_title(self, term: str, arts: np.ndarray) -> np.ndarray:
        tid = self.retriever.term_id(term)
        if tid is None:
            return np.zeros(len(arts), dtype=bool)
        in_title: np.ndarray = self._title_count(tid, arts) > 0
        return in_title

    def _title_count(self, tid: int, arts: np.ndarray) -> np.ndarray:
        """How often each article's title holds the term: looked up for all at once in the term's
        (sorted) titled articles, not article by article."""
        titled = self.title_index().get(tid)
        if titled is None:
            return np.zeros(len(arts), dtype=np.int64)
        with_term, counts = titled
        pos = np.minimum(np.searchsorted(with_term, arts), len(with_term) - 1)
        return np.where(with_term[pos] == arts, counts[pos], 0)

    def _title_terms(self, article: int) -> dict[int, int]:
        """Term id → count in an article's title (the index adds the title to each sentence's passage)."""
        got = self._titles.get(article)
        if got is None:
            if len(self._titles) > 50_000:
                self._titles.clear()
            got = {}
            for t in tokenize(self.index.articles[article]["title"]):
                tid = self.retriever.term_id(t)
                if tid is not None:
                    got[tid] = got.get(tid, 0) + 1
            self._titles[article] = got
        return got

    def _speaker_has(self, speaker: int, term: str) -> bool:
        if speaker < 0:
            return False
        got = self._speaker_terms.get(speaker)
        if got is None:
            got = self._speaker_terms[speaker] = frozenset(tokenize(self.index.speakers[speaker]["display"]))
        return term in got


def holders_at(
    holders: tuple[np.ndarray, np.ndarray, np.ndarray], days: np.ndarray, spk: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per sentence, from its article's day ordinal and its speaker row: the role's holder on that
    day by `Query.holders` (-1: undated, or no holder dominates it) and the speaker's entity (-1:
    none). The speaker link is lowered where they differ; a role need not be named where they meet."""
    starts, owner, row_entity = holders
    seg = np.searchsorted(starts, days, side="right") - 1
    holder = np.where((seg >= 0) & (days > 0), owner[np.maximum(seg, 0)], -1)
    mine = np.where(spk >= 0, row_entity[np.maximum(spk, 0)], -1)
    return holder, mine


def _kept_counts(tf: np.ndarray) -> np.ndarray:
    """Per-article counts as kept in memory: 2 bytes an article, a count over 65,535 held at that."""
    kept: np.ndarray = np.minimum(tf, np.iinfo(np.uint16).max).astype(np.uint16)
    return kept


def _neighbours(sents: np.ndarray, art_of: np.ndarray) -> Callable[[int], tuple[np.ndarray, np.ndarray]]:
    """For an offset k, each candidate's sentence k away (clipped into the corpus) and whether it is
    a sentence of the same article: what the features read around a candidate."""
    n = len(art_of)
    arts = art_of[sents]

    def neighbour(k: int) -> tuple[np.ndarray, np.ndarray]:
        nb = np.clip(sents + k, 0, max(n - 1, 0))
        return nb, (sents + k >= 0) & (sents + k < n) & (art_of[nb] == arts)

    return neighbour


def one_word_synonyms(terms: Iterable[str]) -> list[str]:
    """The synonym table's one-word stems for each term, in order (its phrases, "pull_out", left out):
    how an article may word a noun or verb the question asks for ("met" for "meet", "attorney" for
    "lawyer")."""
    table = synonym_stems()
    return [a for t in terms for a in table.get(t, ()) if "_" not in a]


@cache
def synonym_stems() -> dict[str, frozenset[str]]:
    """The lexicon's synonym table in index terms (stemmed as the tokenizer stems; stop words out):
    a question's term and an article's meet on the table only in the form both are indexed in."""
    out: dict[str, set[str]] = {}
    for word, alts in synonyms().items():
        key = phrase_stem(word)
        if key is None:
            continue
        got = out.setdefault(key, set())
        got.update(s for a in alts if (s := phrase_stem(a)) is not None and s != key)
    return {k: frozenset(v) for k, v in out.items() if v}


def phrase_stem(word: str) -> str | None:
    """A table word in index terms: a word stemmed, a two-word lemma ("pull_out") each word stemmed
    and joined by "_" (its particle kept); None for a stop word or a phrase of stop words only."""
    parts = word.split("_")
    if all(p in STOP_WORDS for p in parts):
        return None
    return "_".join(stem(p) for p in parts)


def topic_phrases(text: str, topic: list[str]) -> list[str]:
    """The two-word lemmas of the synonym table written in `text` whose words are the topic's terms
    or stop words ("finish pulling out of …" → "pull_out"): read as one unit, their synonyms stand
    for them ("withdraw"), which neither word's alone would."""
    table = synonym_stems()
    given = set(topic)
    out = []
    for a, b in _stem_pairs(text):
        key = f"{a}_{b}"
        if key in table and all(p in given or p in STOP_WORDS for p in (a, b)):
            out.append(key)
    return list(dict.fromkeys(out))


def _stem_pairs(text: str) -> list[tuple[str, str]]:
    """The text's words stemmed, side by side in pairs: where a two-word lemma ("pull_out") is read."""
    return list(pairwise(stem(w) for w in words_of(text)))


def _top(ids: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """The k best-scoring ids. Every id holds a query term; its BM25 may still be <= 0 in a small
    corpus (rank-bm25's idf goes negative for terms in over half the passages), so none is dropped."""
    if len(ids) <= k:
        return ids
    return ids[np.argpartition(-scores, k)[:k]]


def _ids(hits: list[tuple[int, float]]) -> np.ndarray:
    return np.array([h[0] for h in hits], dtype=np.int64)


def _number_near_terms(sentence: str, idf: dict[str, float]) -> float:
    """The idf mass of topic terms within three words of a count ("220 votes", "39 … dead")."""
    if not idf:
        return 0.0
    words = _NEAR_WORD.findall(sentence)
    best = 0.0
    for i, w in enumerate(words):
        if _count_word(w):
            near = {t for x in words[max(0, i - 3) : i + 4] for t in tokenize(x)}
            best = max(best, sum(v for t, v in idf.items() if t in near))
    return best


_NEAR_WORD = re.compile(r"[\w.,%$€£-]+")
_ORDINAL_SUFFIX = re.compile(r"(?:st|nd|rd|th)$")


@lru_cache(maxsize=1 << 16)
def _count_word(word: str) -> bool:
    """Whether a word of `_number_near_terms` is a count: memoised, as a candidate pool's sentences
    repeat their words and NUMBER_RE's full match of each was most of a "how many" question's time."""
    return bool((word[:1].isdigit() or NUMBER_RE.fullmatch(word)) and is_count(_ORDINAL_SUFFIX.sub("", word)))


_COGNITION = alternation(speech_verb_forms("speech.verbs.cognition"))
_MODAL = alternation(words("speech.verbs.modal"))
# "The governor believes that …", "He also thinks …": a verb of thought whose subject is a pronoun
# or a noun phrase of a few words (the role the readout calls its speaker by).
_THOUGHT = re.compile(
    rf"^(?:(?:He|She|They|It|We)|(?:The|This|That|Our|His|Her|Their)(?:\s+[\w’'-]+){{1,3}}?)"
    rf"(?:\s+(?:also|further|still|firmly|strongly))?\s+(?:{_COGNITION})\b"
)
_CONDITIONAL = re.compile(rf"\b(?:{_MODAL})\b.*\bif\b|\bif\b.*\b(?:{_MODAL})\b", re.I)


def _reported_by_form(text: str) -> bool:
    """The sentence reads as reported speech by its form alone: a view with the speaker as its
    subject, or a conditional proposal ("… would be … if …")."""
    return bool(_THOUGHT.search(text) or _CONDITIONAL.search(text))


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
