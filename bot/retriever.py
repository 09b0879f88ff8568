"""BM25 retrieval over sentences, with rank-bm25's BM25Okapi scores, computed fast.

`BM25Okapi.get_scores` loops over every passage in Python for every query term. Here the
same quantities (its idf with the epsilon floor, k1, b, doc_len, avgdl) are precomputed
into a term-major sparse matrix of per-sentence contributions, so a query touches only the
sentences that hold its terms. The idf is computed by rank-bm25's own `_calc_idf`, and a
test checks the scores against `get_scores` to 1e-9.
"""

from __future__ import annotations

import numpy as np
from rank_bm25 import BM25Okapi
from scipy.sparse import csr_matrix

from bot.index import BM25_PARAMS, CorpusIndex


def okapi_idf(doc_freq: dict[str, int], corpus_size: int, epsilon: float) -> dict[str, float]:
    """rank-bm25's BM25Okapi idf (with its epsilon floor) from document frequencies alone."""
    okapi = BM25Okapi.__new__(BM25Okapi)  # skip its per-document dicts; only _calc_idf is used
    okapi.corpus_size = corpus_size
    okapi.epsilon = epsilon
    okapi.idf = {}
    okapi._calc_idf(doc_freq)
    return okapi.idf


class Retriever:
    """Exact BM25Okapi scoring of the index's sentences (each sentence + its title is a passage)."""

    def __init__(self, index: CorpusIndex) -> None:
        self.index = index
        k1, b, eps = BM25_PARAMS["k1"], BM25_PARAMS["b"], BM25_PARAMS["epsilon"]
        n = index.n_sentences
        n_terms = len(index.vocab)
        counts = index.tf_counts.astype(np.float64)
        self.doc_len = np.add.reduceat(counts, index.tf_indptr[:-1]) if len(counts) else np.zeros(n)
        self.doc_len[np.diff(index.tf_indptr) == 0] = 0.0  # reduceat quirk on empty rows
        self.avgdl = float(self.doc_len.sum() / n) if n else 0.0
        doc_freq = np.bincount(index.tf_indices, minlength=n_terms)
        idf_map = okapi_idf(dict(zip(index.vocab, doc_freq.tolist(), strict=True)), n, eps) if n_terms else {}
        self.idf = np.array([idf_map[t] for t in index.vocab], dtype=np.float64)
        self.doc_freq = doc_freq
        rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(index.tf_indptr))
        denom = counts + k1 * (1 - b + b * self.doc_len[rows] / (self.avgdl or 1.0))
        contrib = self.idf[index.tf_indices] * (counts * (k1 + 1) / denom)
        # Term-major (CSC of sentence x term): column t lists the sentences holding term t.
        m = csr_matrix((contrib, index.tf_indices, index.tf_indptr), shape=(n, n_terms)).tocsc()
        m.sort_indices()
        self._col_ptr, self._col_rows, self._col_vals = m.indptr, m.indices, m.data

    def term_id(self, term: str) -> int | None:
        return self.index.term_ids.get(term)

    def postings(self, term: str) -> np.ndarray:
        """Sentence numbers holding `term` (sorted)."""
        t = self.term_id(term)
        if t is None:
            return np.zeros(0, dtype=np.int32)
        return self._col_rows[self._col_ptr[t] : self._col_ptr[t + 1]]

    def scores(self, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(sentence numbers, BM25 scores) of every sentence holding at least one query term.

        Terms repeat as in `get_scores` (a term twice in the query counts twice).
        """
        cols = [t for t in (self.term_id(q) for q in terms) if t is not None]
        if not cols:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        parts = [(self._col_rows[self._col_ptr[t] : self._col_ptr[t + 1]],
                  self._col_vals[self._col_ptr[t] : self._col_ptr[t + 1]]) for t in cols]
        if len(parts) == 1:
            return parts[0][0].astype(np.int64), parts[0][1].copy()
        cand, inverse = np.unique(np.concatenate([p[0] for p in parts]), return_inverse=True)
        acc = np.zeros(len(cand))
        start = 0
        for rows, vals in parts:  # term by term, in query order, as get_scores adds them
            acc[inverse[start : start + len(rows)]] += vals
            start += len(rows)
        return cand.astype(np.int64), acc

    def get_scores(self, terms: list[str]) -> np.ndarray:
        """Dense scores for every sentence, like `BM25Okapi.get_scores` (for checks and tools)."""
        out = np.zeros(self.index.n_sentences)
        ids, vals = self.scores(terms)
        out[ids] = vals
        return out

    def top(self, terms: list[str], k: int = 10) -> list[tuple[int, float]]:
        """The `k` best (sentence number, score) pairs, best first; ties by sentence order."""
        ids, vals = self.scores(terms)
        if len(ids) > k:
            part = np.argpartition(-vals, k - 1)[:k]
            ids, vals = ids[part], vals[part]
        order = np.lexsort((ids, -vals))
        return [(int(ids[i]), float(vals[i])) for i in order]
