"""Candidate sentences for a question and their features (the columns of `scoring.FEATURES`).

Candidates come from three places, so a subject that was not linked still finds its evidence:
the top BM25 hits of the whole question, the linked speakers' sentences ranked by the topic,
and the sentence after each of the best of those (an answer often follows its lead-in).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from bot.answering.evidence import KIND_EVIDENCE, NUMBER_RE, is_count
from bot.answering.scoring import FEATURES
from bot.index import CorpusIndex
from bot.ingest import HOW_CODES
from bot.periods import Period
from bot.retriever import Retriever
from bot.text import tokenize

QUESTION_HITS = 80  # best BM25 hits of the whole question kept as candidates
TOPIC_HITS = 80  # a linked speaker's best sentences on the topic
LEAD_INS = 25  # of the best candidates, this many also bring the sentence after them
SHORT_CHARS = 30
_DIRECT = np.array([h in ("quote", "tweet", "label", "continued") for h in HOW_CODES])
_COL = {f: i for i, f in enumerate(FEATURES)}
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|we|We|our|Our|my|My|us)\b")


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
        self._median_idf = float(np.median(retriever.idf)) if len(retriever.idf) else 1.0

    def speaker_sentences(self, speakers: np.ndarray) -> np.ndarray:
        """Sentence ids of the given speaker rows (each sentence has one speaker: no duplicates)."""
        parts = [self._by_speaker[self._speaker_ptr[s] : self._speaker_ptr[s + 1]] for s in speakers.tolist()]
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    def idf(self, term: str) -> float:
        t = self.retriever.term_id(term)
        return max(float(self.retriever.idf[t]), 0.01) if t is not None else self._median_idf

    def build(self, q: Query) -> Candidates:
        idx = self.index
        n = idx.n_sentences
        ids_q, sc_q = self.retriever.scores(q.terms) if q.terms else (np.zeros(0, np.int64), np.zeros(0))
        ids_t, sc_t = self.retriever.scores(q.topic) if q.topic else (np.zeros(0, np.int64), np.zeros(0))
        strength = q.speaker_strength
        pools = [_top(ids_q, sc_q, QUESTION_HITS)]
        if strength is not None:
            linked = np.flatnonzero(strength > 0)
            if len(ids_t):
                spk = np.asarray(idx.sent_speaker)[ids_t]
                mine = (spk >= 0) & (strength[np.maximum(spk, 0)] > 0)
                pools.append(_top(ids_t[mine], sc_t[mine], TOPIC_HITS))
            else:  # "what did X say?": X's sentences, longest direct quotes first
                own = self.speaker_sentences(linked)
                if len(own):
                    spans = np.asarray(idx.sent_span)[own]
                    size = np.minimum(spans[:, 1] - spans[:, 0], 300) / 300
                    pref = size + _DIRECT[np.asarray(idx.sent_how)[own]] + self.recency(own)
                    pools.append(_top(own, pref, TOPIC_HITS))
        if len(ids_t):
            pools.append(_top(ids_t, sc_t, QUESTION_HITS // 2))
        base = np.unique(np.concatenate(pools)) if pools else np.zeros(0, np.int64)
        if q.exclude:
            base = base[~np.isin(base, list(q.exclude))]
        bq = _lookup(ids_q, sc_q, base)
        lead = base[np.argsort(-bq, kind="stable")[:LEAD_INS]]
        nxt = lead + 1
        nxt = nxt[nxt < n]
        nxt = nxt[np.asarray(idx.sent_article)[nxt] == np.asarray(idx.sent_article)[nxt - 1]]
        sents = np.unique(np.concatenate([base, nxt]))
        if q.exclude:
            sents = sents[~np.isin(sents, list(q.exclude))]
        return self._features(q, sents, ids_q, sc_q, ids_t, sc_t)

    def recency(self, sents: np.ndarray) -> np.ndarray:
        return self.article_recency[np.asarray(self.index.sent_article)[sents]]

    def _features(
        self,
        q: Query,
        sents: np.ndarray,
        ids_q: np.ndarray,
        sc_q: np.ndarray,
        ids_t: np.ndarray,
        sc_t: np.ndarray,
    ) -> Candidates:
        idx = self.index
        X = np.zeros((len(sents), len(FEATURES)))
        if not len(sents):
            return Candidates(sents, X, np.zeros(0))
        X[:, _COL["bias"]] = 1.0
        bq = _lookup(ids_q, sc_q, sents)
        bt = _lookup(ids_t, sc_t, sents)
        top_q = bq.max() or 1.0
        X[:, _COL["bm25_question"]] = bq / top_q
        X[:, _COL["bm25_topic"]] = bt / (bt.max() or 1.0)
        spk = np.asarray(idx.sent_speaker)[sents]
        how = np.asarray(idx.sent_how)[sents]
        arts = np.asarray(idx.sent_article)[sents]
        X[:, _COL["direct_quote"]] = _DIRECT[how]
        prev = np.maximum(sents - 1, 0)
        same = (sents > 0) & (np.asarray(idx.sent_article)[prev] == arts)
        # The lead-in: the sentence before is among the best hits ("Putin spoke about X:" → the answer).
        bprev = _lookup(ids_q, sc_q, prev) * same
        X[:, _COL["lead_in_next"]] = bprev / top_q
        if q.speaker_strength is not None:
            st = q.speaker_strength
            X[:, _COL["speaker_link"]] = np.where(spk >= 0, st[np.maximum(spk, 0)], 0.0)
            pspk = np.asarray(idx.sent_speaker)[prev]
            X[:, _COL["lead_in_speaker"]] = np.where(same & (pspk >= 0), st[np.maximum(pspk, 0)], 0.0)
        X[:, _COL["recency"]] = self.article_recency[arts]
        if q.period is not None:
            X[:, _COL["date_match"]] = [q.period.contains(self.article_dates[a]) for a in arts.tolist()]
        idf_q = {t: self.idf(t) for t in set(q.terms)}
        idf_t = {t: self.idf(t) for t in set(q.topic)}
        tot_q, tot_t = sum(idf_q.values()) or 1.0, sum(idf_t.values()) or 1.0
        subj = set(q.subject_terms)
        evidence = KIND_EVIDENCE.get(q.kind)
        titles: dict[int, set[str]] = {}
        n = idx.n_sentences
        for row, (s, a) in enumerate(zip(sents.tolist(), arts.tolist(), strict=True)):
            text = idx.sentence(s)
            own = set(tokenize(text))
            X[row, _COL["coverage"]] = sum(v for t, v in idf_q.items() if t in own) / tot_q
            X[row, _COL["topic_coverage"]] = sum(v for t, v in idf_t.items() if t in own) / tot_t
            around = own | titles.setdefault(a, set(tokenize(idx.articles[a]["title"])))
            for nb in (s - 2, s - 1, s + 1, s + 2):
                if 0 <= nb < n and int(idx.sent_article[nb]) == a:
                    around |= set(tokenize(idx.sentence(nb)))
            X[row, _COL["context_coverage"]] = sum(v for t, v in idf_t.items() if t in around) / tot_t
            if q.addressee:
                heard = set(own)
                for nb in (s - 1, s - 2):
                    if 0 <= nb < n and int(idx.sent_article[nb]) == a:
                        heard |= set(tokenize(idx.sentence(nb)))
                        sp = int(idx.sent_speaker[nb])
                        if sp >= 0:
                            heard |= set(tokenize(idx.speakers[sp]["display"]))
                X[row, _COL["addressee_match"]] = len(set(q.addressee) & heard) / len(set(q.addressee))
            if subj:
                X[row, _COL["subject_named"]] = len(subj & own) / len(subj)
                near = titles[a] | (set(tokenize(idx.sentence(s - 1))) if same[row] else set())
                X[row, _COL["subject_in_article"]] = len(subj & near) / len(subj)
            if evidence is not None and evidence(text):
                X[row, _COL["typed_evidence"]] = 1.0
            if q.kind == "how_many":
                X[row, _COL["number_near_topic"]] = _number_near_terms(text, idf_t) / tot_t
            X[row, _COL["short"]] = len(text) < SHORT_CHARS
            X[row, _COL["question_mark"]] = text.rstrip().endswith("?")
            X[row, _COL["first_person"]] = bool(_FIRST_PERSON.search(text))
        return Candidates(sents, X, bq)


def _top(ids: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    if len(ids) <= k:
        return ids[scores > 0] if len(ids) else ids
    part = np.argpartition(-scores, k)[:k]
    return ids[part[scores[part] > 0]]


def _lookup(ids: np.ndarray, scores: np.ndarray, sents: np.ndarray) -> np.ndarray:
    """Each sentence's score in a sorted (ids, scores) pair; 0 where it is not there."""
    if not len(ids):
        return np.zeros(len(sents))
    k = np.minimum(np.searchsorted(ids, sents), len(ids) - 1)
    return np.where(ids[k] == sents, scores[k], 0.0)


def _number_near_terms(sentence: str, idf: dict[str, float]) -> float:
    """The idf mass of topic terms within three words of a count ("220 votes", "39 … dead")."""
    words = re.findall(r"[\w.,%$€£-]+", sentence)
    best = 0.0
    for i, w in enumerate(words):
        if (NUMBER_RE.fullmatch(w) or w[:1].isdigit()) and is_count(re.sub(r"(?:st|nd|rd|th)$", "", w)):
            near = {t for x in words[max(0, i - 3) : i + 4] for t in tokenize(x)}
            best = max(best, sum(v for t, v in idf.items() if t in near))
    return best


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
