"""BM25 retrieval over sentences, with rank-bm25's BM25Okapi scores, computed fast.

`BM25Okapi.get_scores` loops over every passage in Python for every query term. Here the
same quantities (its idf with the epsilon floor, k1, b, doc_len, avgdl) are worked out once,
when the index is built, into term-major postings of per-sentence contributions
(`bot.index_build.bm25_postings`), saved with the index and memory-mapped at load. `scores` then only adds
up the postings of its terms, in query order as `get_scores` does, so the sums are the same
floating-point operations; `top` (the k best) skips what cannot change the top k (MaxScore)
and sums in another order, equal to rounding. The idf is computed by rank-bm25's own
`_calc_idf`, and tests/test_retriever_exact.py checks both against `get_scores` to 1e-9.
"""

from __future__ import annotations

import threading

import numpy as np

from bot.index import CorpusIndex

#: Below this many postings per sentence of the corpus, a query sorts its postings; above,
#: it adds them into a dense per-sentence buffer (cheaper than sorting that many).
_DENSE_SHARE = 1 / 64
#: `top` reads its candidates by scanning the dense buffer once they are over 1/16 of the corpus.
_SCAN_SHARE = 16
#: `scores_at` reads the terms' contributions for this many rows or more through the dense buffer
#: when the terms have at most `_DENSE_RATIO` postings per row; otherwise it binary-searches them.
_DENSE_ROWS = 1024
_DENSE_RATIO = 8


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

    def _rows(self, lo: int, hi: int) -> np.ndarray:
        """A slice of the postings' sentence numbers as native integers: numpy indexes with int64
        arrays about twice as fast as with the int32 they are stored as, which repays the copy."""
        return self._col_rows[lo:hi].astype(np.intp)

    def _buffers(self) -> tuple[np.ndarray, np.ndarray]:
        bufs = getattr(self._local, "bufs", None)
        if bufs is None:
            n = self.index.n_sentences
            bufs = self._local.bufs = (np.zeros(n), np.zeros(n, dtype=bool))
        return bufs

    def _occurrences(self, terms: list[str]) -> list[tuple[int, int, int]]:
        """(start, end, term id) of each query term's postings, in query order (repeats kept)."""
        occ = []
        for q in terms:
            t = self.term_id(q)
            if t is not None:
                lo, hi = int(self._col_ptr[t]), int(self._col_ptr[t + 1])
                if hi > lo:
                    occ.append((lo, hi, t))
        return occ

    def _accumulate(self, occ: list[tuple[int, int, int]], mark: bool) -> tuple[np.ndarray, np.ndarray]:
        """Scores of every sentence into this thread's dense buffer, term by term in query order.

        With `mark`, the sentences touched are flagged too (needed when a score can be 0 or less);
        `_clear` must be called after use.
        """
        acc, hit = self._buffers()
        for lo, hi, _ in occ:  # ufunc.at: one contribution per row, several times faster than +=
            rows = self._rows(lo, hi)
            np.add.at(acc, rows, self._col_vals[lo:hi])
            if mark:
                hit[rows] = True
        return acc, hit

    def _clear(self, occ: list[tuple[int, int, int]], marked: bool) -> None:
        acc, hit = self._buffers()
        if sum(hi - lo for lo, hi, _ in occ) > len(acc) // 64:  # a memset beats scattered writes
            acc.fill(0.0)
            if marked:
                hit.fill(False)
            return
        for lo, hi, _ in occ:
            rows = self._rows(lo, hi)
            acc[rows] = 0.0
            if marked:
                hit[rows] = False

    def _positive(self, occ: list[tuple[int, int, int]]) -> bool:
        """Whether every contribution of these terms is > 0 (idf > 0), so a score > 0 means a hit."""
        return all(self.idf[t] > 0 for *_, t in occ)

    def scores(self, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(sentence numbers, BM25 scores) of every sentence holding at least one query term.

        Terms repeat as in `get_scores` (a term twice in the query counts twice).
        """
        occ = self._occurrences(terms)
        if not occ:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        if len(occ) == 1:
            lo, hi, _ = occ[0]
            return self._col_rows[lo:hi].astype(np.int64), np.array(self._col_vals[lo:hi])
        total = sum(hi - lo for lo, hi, _ in occ)
        if total < self.index.n_sentences * _DENSE_SHARE:
            rows_of = [self._col_rows[lo:hi] for lo, hi, _ in occ]
            cand, inverse = np.unique(np.concatenate(rows_of), return_inverse=True)
            acc = np.zeros(len(cand))
            start = 0
            for lo, hi, _ in occ:  # term by term, in query order
                np.add.at(acc, inverse[start : start + hi - lo], self._col_vals[lo:hi])
                start += hi - lo
            return cand.astype(np.int64), acc
        positive = self._positive(occ)
        acc, hit = self._accumulate(occ, mark=not positive)
        ids = np.flatnonzero(acc > 0) if positive else np.flatnonzero(hit)
        out = acc[ids]
        self._clear(occ, marked=not positive)
        return ids, out

    def scores_at(
        self, term_ids: list[int], rows: np.ndarray, scales: list[float] | None = None
    ) -> np.ndarray:
        """BM25 of the terms (ids, repeats counting again) for each of `rows`, each term's part times
        its scale: what `scores` sums, term by term in the given order, read for these rows only.

        Few rows are binary-searched in each term's postings. Many (a speaker's 200,000 sentences)
        would cost a search each, so then the postings are added into this thread's dense buffer and
        read back at the rows: the same values, added in the same order."""
        out = np.zeros(len(rows))
        scales = scales or [1.0] * len(term_ids)
        occ = [
            (int(self._col_ptr[t]), int(self._col_ptr[t + 1]), s)
            for t, s in zip(term_ids, scales, strict=True)
        ]
        occ = [(lo, hi, s) for lo, hi, s in occ if hi > lo]
        if not occ or not len(rows):
            return out
        total = sum(hi - lo for lo, hi, _ in occ)
        if len(rows) >= _DENSE_ROWS and total <= _DENSE_RATIO * len(rows):
            acc, _ = self._buffers()
            for lo, hi, s in occ:  # each sentence once per term: 0 + a, then + b, as below
                np.add.at(acc, self._rows(lo, hi), self._col_vals[lo:hi] * s)
            dense: np.ndarray = acc[rows.astype(np.intp, copy=False)]
            self._clear([(lo, hi, -1) for lo, hi, _ in occ], marked=False)
            return dense
        for lo, hi, s in occ:
            post = self._col_rows[lo:hi]
            k = np.minimum(search(post, rows), hi - lo - 1)
            hit = post[k] == rows
            out[hit] += self._col_vals[lo:hi][k[hit]] * s
        return out

    def get_scores(self, terms: list[str]) -> np.ndarray:
        """Dense scores for every sentence, like `BM25Okapi.get_scores` (for checks and tools)."""
        out = np.zeros(self.index.n_sentences)
        ids, vals = self.scores(terms)
        out[ids] = vals
        return out

    def top_of_scores(
        self, terms: list[str], scored: tuple[np.ndarray, np.ndarray], k: int
    ) -> list[tuple[int, float]] | None:
        """`top(terms, k)` taken from `scores(terms)` already read (`scored`), or None where the two
        could differ: a said-question on a role reads all its topic's scores, then its topic's top k
        again. They are the same when `top` itself ranks `scores` (one term, few postings, a term
        of idf <= 0), or with two terms, whose sum is the same in either order; with more, `top`'s
        rarest-first order of addition may round differently."""
        occ = self._occurrences(terms)
        if not occ or k <= 0:
            return []
        n = self.index.n_sentences
        if len(occ) <= 2 or sum(hi - lo for lo, hi, _ in occ) < n * _DENSE_SHARE or not self._positive(occ):
            return _best(*scored, k)
        return None

    def top(self, terms: list[str], k: int = 10) -> list[tuple[int, float]]:
        """The `k` best (sentence number, score) pairs, best first; ties by sentence order.

        Exact, without always adding up every posting (MaxScore): terms are added into a dense
        buffer rarest first, and once a lower bound of the k-th best score so far beats the most
        that the remaining (commoner) terms could add, no sentence outside the candidates found
        can enter the top k, so those terms are only added where they meet a candidate. Terms
        are added in that order, and a repeated term once times its repeats, not in the query's
        order: the sums differ from `get_scores` by rounding only (far below 1e-9).
        """
        occ = self._occurrences(terms)
        if not occ or k <= 0:
            return []
        n = self.index.n_sentences
        if len(occ) == 1 or sum(hi - lo for lo, hi, _ in occ) < n * _DENSE_SHARE or not self._positive(occ):
            return _best(*self.scores(terms), k)
        # A repeated term counts once per repeat: add its postings once, times the repeats.
        repeats: dict[int, int] = {}
        for _, _, t in occ:
            repeats[t] = repeats.get(t, 0) + 1
        order = sorted({t: (lo, hi, t) for lo, hi, t in occ}.values(), key=lambda o: o[1] - o[0])
        # What the terms from i on could add at most (with a margin for rounding).
        bounds = np.cumsum([float(self._max[t]) * repeats[t] for *_, t in order][::-1])[::-1] * (1 + 1e-9)
        rest_bound = [*bounds.tolist(), 0.0]
        acc, _ = self._buffers()  # all contributions are > 0 here, so acc > 0 marks the candidates
        vals_col = self._col_vals
        processed: list[np.ndarray] = []
        tau = 0.0
        stop = len(order)
        for i, (lo, hi, t) in enumerate(order):
            rows = self._rows(lo, hi)
            vals = vals_col[lo:hi]
            np.add.at(acc, rows, vals if repeats[t] == 1 else vals * repeats[t])
            processed.append(rows)
            tau = max(tau, _kth_lower_bound(acc, rows, k))
            if rest_bound[i + 1] < tau:
                stop = i + 1
                break
        n_cand = sum(len(r) for r in processed)  # at least the number of candidates
        # A candidate below tau less all that the remaining terms could add can never reach the k-th
        # best: the commoner terms are added for the others only (the rest keep a partial sum < tau).
        floor = tau - rest_bound[stop]
        survivors = None
        if stop < len(order) and floor > 0:
            if n_cand > n // _SCAN_SHARE:
                survivors = np.flatnonzero(acc >= floor)  # sorted; only candidates are > 0
            else:
                survivors = sorted_unique(np.concatenate([r[acc[r] >= floor] for r in processed]))
        for lo, hi, t in order[stop:]:  # commoner terms: only where they meet a (surviving) candidate
            few = len(survivors) if survivors is not None else n_cand
            if few * 32 < hi - lo:
                # Searched in the stored postings as they are: a common term's (400,000 rows) cast to
                # native integers would cost more than the search of a few thousand candidates.
                ids = survivors if survivors is not None else sorted_unique(np.concatenate(processed))
                col = self._col_rows[lo:hi]
                pos = np.minimum(search(col, ids), hi - lo - 1)
                meet = col[pos] == ids
                ids, pos = ids[meet], pos[meet]
            else:  # a survivor's sum only grows: it stays >= floor (others above it are harmless)
                rows = self._rows(lo, hi)
                meet = (
                    np.flatnonzero(acc[rows] >= floor)
                    if survivors is not None
                    else np.flatnonzero(acc[rows] > 0)
                )
                ids, pos = rows[meet], meet
            np.add.at(acc, ids, vals_col[lo:hi][pos] * repeats[t])
        # Every top-k sentence is a candidate scoring at least a lower bound of the k-th best.
        tau = max((_kth_lower_bound(acc, r, k) for r in processed), default=0.0)
        if survivors is not None:
            ids = survivors[acc[survivors] >= tau]
        elif tau > 0 and n_cand > n // _SCAN_SHARE:
            # Only candidates are > 0 in the buffer: one scan of it beats gathering that many postings.
            ids = np.flatnonzero(acc >= tau)
        else:
            ids = sorted_unique(np.concatenate([r[acc[r] >= tau] for r in processed]))
        vals = acc[ids]
        if n_cand > n // 64:
            acc.fill(0.0)
        else:
            for rows in processed:
                acc[rows] = 0.0
        return _best(ids, vals, k)


def _kth_lower_bound(values: np.ndarray, at: np.ndarray | None, k: int) -> float:
    """A lower bound of the k-th largest of `values[at]` (of `values` if `at` is None; 0 if fewer
    than k): exact for a few thousand values, else the k-th largest of an evenly spaced sample
    (the whole holds at least k values that large)."""
    size = len(values) if at is None else len(at)
    step = max(1, size // 4096)
    sample = values[::step] if at is None else values[at[::step]]
    if len(sample) < k:
        return 0.0
    return float(np.partition(sample, len(sample) - k)[len(sample) - k])


def _at_least_kth(values: np.ndarray, k: int) -> np.ndarray:
    """Indices of every value > 0 that is at least a lower bound of the k-th largest."""
    tau = _kth_lower_bound(values, None, k)
    return np.flatnonzero(values >= tau) if tau > 0 else np.flatnonzero(values > 0)


def _best(ids: np.ndarray, vals: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The k best of (ids, vals), best first, ties by id."""
    if len(ids) > 64 * k and (vals > 0).all():
        keep = _at_least_kth(vals, k)
        ids, vals = ids[keep], vals[keep]
    if len(ids) > k:
        # Everything scoring at least the k-th best (ties at the edge included), then sort.
        kth = np.partition(vals, len(vals) - k)[len(vals) - k]
        keep = vals >= kth
        ids, vals = ids[keep], vals[keep]
    order = np.lexsort((ids, -vals))[:k]
    return [(int(ids[i]), float(vals[i])) for i in order]


def search(postings: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """`np.searchsorted(postings, keys)` with the keys cast to the postings' dtype: given int64 keys,
    numpy would cast the (far longer, int32) postings instead, on every call — 15 times slower."""
    return np.searchsorted(postings, keys.astype(postings.dtype, copy=False))


def sorted_unique(ids: np.ndarray) -> np.ndarray:
    """`np.unique(ids)` by a sort: numpy 2's hash-based `unique` is several times slower on the
    tens of thousands of sentence ids a query can gather."""
    if len(ids) < 2:
        return np.array(ids)
    s = np.sort(ids)
    keep = np.empty(len(s), dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]
