"""BM25 retrieval over sentences, with rank-bm25's BM25Okapi scores, computed fast.

`BM25Okapi.get_scores` loops over every passage in Python for every query term. Here the
same quantities (its idf with the epsilon floor, k1, b, doc_len, avgdl) are worked out once,
when the index is built, into term-major postings of per-sentence contributions
(`bm25_postings`), saved with the index and memory-mapped at load. A query then only adds
up the postings of its terms, in query order as `get_scores` does, so the sums are the same
floating-point operations. The idf is computed by rank-bm25's own `_calc_idf`, and a test
checks the scores against `get_scores` to 1e-9.
"""

from __future__ import annotations

import threading

import numpy as np

from bot.index import BM25_PARAMS, CorpusIndex


def okapi_idf(doc_freq: dict[str, int], corpus_size: int, epsilon: float) -> dict[str, float]:
    """rank-bm25's BM25Okapi idf (with its epsilon floor) from document frequencies alone."""
    from rank_bm25 import BM25Okapi

    okapi = BM25Okapi.__new__(BM25Okapi)  # skip its per-document dicts; only _calc_idf is used
    okapi.corpus_size = corpus_size
    okapi.epsilon = epsilon
    okapi.idf = {}
    okapi._calc_idf(doc_freq)
    return okapi.idf


def bm25_postings(
    indptr: np.ndarray, indices: np.ndarray, counts: np.ndarray, n_terms: int, vocab: list[str]
) -> dict[str, np.ndarray]:
    """Term-major BM25Okapi contributions of a sentence x term count matrix (CSR).

    Returns `bm25_ptr`/`bm25_rows`/`bm25_vals` (column t holds the sentences with term t, in
    order, and idf(t) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * doc_len / avgdl)), evaluated in
    rank-bm25's order of operations), `bm25_idf`, `bm25_max` (each term's largest contribution,
    the bound `Retriever.top` prunes with) and `sent_len` (each passage's doc_len).
    """
    from scipy.sparse import csr_matrix  # build time only: serving never imports scipy

    k1, b, eps = BM25_PARAMS["k1"], BM25_PARAMS["b"], BM25_PARAMS["epsilon"]
    n = len(indptr) - 1
    tf = counts.astype(np.float64)
    row_len = np.diff(indptr)
    doc_len = np.zeros(n)
    if len(tf):
        nonempty = row_len > 0
        doc_len[nonempty] = np.add.reduceat(tf, indptr[:-1][nonempty])
    avgdl = float(doc_len.sum() / n) if n else 0.0
    doc_freq = np.bincount(indices, minlength=n_terms)
    idf_map = okapi_idf(dict(zip(vocab, doc_freq.tolist(), strict=True)), n, eps) if n_terms else {}
    idf = np.array([idf_map[t] for t in vocab], dtype=np.float64)
    norm = k1 * (1 - b + b * doc_len / (avgdl or 1.0))  # per sentence, as rank-bm25 computes it
    contrib = idf[indices] * (tf * (k1 + 1) / (tf + np.repeat(norm, row_len)))
    m = csr_matrix((contrib, indices, indptr), shape=(n, n_terms)).tocsc()
    m.sort_indices()
    ptr = m.indptr.astype(np.int64)
    best = np.zeros(n_terms)
    held = np.diff(ptr) > 0
    if held.any():
        best[held] = np.maximum.reduceat(m.data, ptr[:-1][held])
    return {
        "bm25_ptr": ptr,
        "bm25_rows": m.indices.astype(np.int32),
        "bm25_vals": m.data.astype(np.float64),
        "bm25_idf": idf,
        "bm25_max": best,
        "sent_len": doc_len.astype(np.int32),
    }


#: Below this many postings per sentence of the corpus, a query sorts its postings; above,
#: it adds them into a dense per-sentence buffer (cheaper than sorting that many).
_DENSE_SHARE = 1 / 64


class Retriever:
    """Exact BM25Okapi scoring of the index's sentences (each sentence + its title is a passage).

    Stateless between queries apart from per-thread scratch buffers: safe to share across threads.
    """

    def __init__(self, index: CorpusIndex) -> None:
        self.index = index
        self._col_ptr = index.bm25_ptr
        self._col_rows = index.bm25_rows
        self._col_vals = index.bm25_vals
        self.idf = np.asarray(index.bm25_idf)
        self._max = np.asarray(index.bm25_max)
        self._local = threading.local()

    @property
    def doc_freq(self) -> np.ndarray:
        """Passages holding each term."""
        return np.diff(self._col_ptr)

    @property
    def doc_len(self) -> np.ndarray:
        """Terms of each passage (sentence + title), as BM25 counts them."""
        return np.asarray(self.index.sent_len, dtype=np.float64)

    @property
    def avgdl(self) -> float:
        n = self.index.n_sentences
        return float(self.doc_len.sum() / n) if n else 0.0

    def term_id(self, term: str) -> int | None:
        return self.index.term_ids.get(term)

    def postings(self, term: str) -> np.ndarray:
        """Sentence numbers holding `term` (sorted)."""
        t = self.term_id(term)
        if t is None:
            return np.zeros(0, dtype=np.int32)
        return self._col_rows[self._col_ptr[t] : self._col_ptr[t + 1]]

    def _buffers(self) -> tuple[np.ndarray, np.ndarray]:
        bufs = getattr(self._local, "bufs", None)
        if bufs is None:
            n = self.index.n_sentences
            bufs = self._local.bufs = (np.zeros(n), np.zeros(n, dtype=bool))
        return bufs

    def scores(self, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(sentence numbers, BM25 scores) of every sentence holding at least one query term.

        Terms repeat as in `get_scores` (a term twice in the query counts twice).
        """
        spans = []
        for q in terms:
            t = self.term_id(q)
            if t is not None:
                lo, hi = int(self._col_ptr[t]), int(self._col_ptr[t + 1])
                if hi > lo:
                    spans.append((lo, hi))
        if not spans:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        rows_of = [self._col_rows[lo:hi] for lo, hi in spans]
        vals_of = [self._col_vals[lo:hi] for lo, hi in spans]
        if len(spans) == 1:
            return rows_of[0].astype(np.int64), np.array(vals_of[0])
        total = sum(hi - lo for lo, hi in spans)
        if total < self.index.n_sentences * _DENSE_SHARE:
            cand, inverse = np.unique(np.concatenate(rows_of), return_inverse=True)
            acc = np.zeros(len(cand))
            start = 0
            for rows, vals in zip(rows_of, vals_of, strict=True):  # term by term, in query order
                acc[inverse[start : start + len(rows)]] += vals
                start += len(rows)
            return cand.astype(np.int64), acc
        acc, hit = self._buffers()
        for rows, vals in zip(rows_of, vals_of, strict=True):  # rows are distinct within a term
            acc[rows] += vals
            hit[rows] = True
        ids = np.flatnonzero(hit)
        out = acc[ids]
        acc[ids] = 0.0
        hit[ids] = False
        return ids, out

    def get_scores(self, terms: list[str]) -> np.ndarray:
        """Dense scores for every sentence, like `BM25Okapi.get_scores` (for checks and tools)."""
        out = np.zeros(self.index.n_sentences)
        ids, vals = self.scores(terms)
        out[ids] = vals
        return out

    def top(self, terms: list[str], k: int = 10) -> list[tuple[int, float]]:
        """The `k` best (sentence number, score) pairs, best first; ties by sentence order.

        Exact, but it need not add up every posting (MaxScore): the query's rarer terms are
        scored in full first; once the k-th best score so far beats the most the remaining
        (common) terms could add, no sentence outside those candidates can enter the top k,
        and the common terms are only looked up for the candidates.
        """
        occ = []
        for q in terms:
            t = self.term_id(q)
            if t is not None:
                lo, hi = int(self._col_ptr[t]), int(self._col_ptr[t + 1])
                if hi > lo:
                    occ.append((hi - lo, lo, hi, t))
        if not occ:
            return []
        budget = self.index.n_sentences * _DENSE_SHARE
        if len(occ) > 1 and sum(o[0] for o in occ) >= budget and k > 0:
            found = self._top_pruned(sorted(occ), k, budget)
            if found is not None:
                return _best(*found, k)
        return _best(*self.scores(terms), k)

    def _top_pruned(
        self, occ: list[tuple[int, int, int, int]], k: int, budget: float
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """(candidates, their full scores) holding the top k, or None when pruning does not pay."""
        if any(self.idf[t] < 0 for *_, t in occ):
            return None  # a negative contribution: partial scores are no lower bound
        # What the terms from i on could add at most (with a margin for rounding).
        bounds = np.cumsum([float(self._max[t]) for *_, t in occ][::-1])[::-1] * (1 + 1e-9)
        rest_bound = [*bounds.tolist(), 0.0]
        cand = np.zeros(0, dtype=np.int32)
        score = np.zeros(0)
        for i, (_, lo, hi, _) in enumerate(occ):
            rows, vals = self._col_rows[lo:hi], self._col_vals[lo:hi]
            if i == 0:
                cand, score = np.asarray(rows), np.array(vals)
            else:
                merged, inverse = np.unique(np.concatenate([cand, rows]), return_inverse=True)
                acc = np.zeros(len(merged))
                acc[inverse[: len(cand)]] = score
                acc[inverse[len(cand) :]] += vals
                cand, score = merged, acc
            if len(cand) > budget:
                return None
            if len(cand) >= k:
                kth = np.partition(score, len(score) - k)[len(score) - k]
                if rest_bound[i + 1] < kth:
                    break
        else:
            return cand, score
        for _, lo, hi, _ in occ[i + 1 :]:  # only the candidates' entries of the common terms
            rows = self._col_rows[lo:hi]
            pos = np.minimum(np.searchsorted(rows, cand), len(rows) - 1)
            holds = rows[pos] == cand
            score[holds] += self._col_vals[lo:hi][pos[holds]]
        return cand, score


def _best(ids: np.ndarray, vals: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The k best of (ids, vals), best first, ties by id."""
    if len(ids) > k:
        # Everything scoring at least the k-th best (ties at the edge included), then sort.
        kth = np.partition(vals, len(vals) - k)[len(vals) - k]
        keep = vals >= kth
        ids, vals = ids[keep], vals[keep]
    order = np.lexsort((ids, -vals))[:k]
    return [(int(ids[i]), float(vals[i])) for i in order]
