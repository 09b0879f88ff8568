"""Building an index: article chunks (new, or carried over from older indexes) into a `CorpusIndex`.

Kept apart from `bot.index` (the saved index and its loading) and `bot.retriever` (scoring),
so that serving imports neither this nor scipy, and neither of those imports the other's
build code: the BM25 contributions are worked out here once, the retriever only adds them up.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from bot.attribution import attributor_stamp
from bot.index import BM25_PARAMS, FORMAT_VERSION, CarriedArticle, CorpusIndex, FileStamp, IndexManifest
from bot.ingest import ArticleChunk
from bot.records import ArticleRecord, SpeakerRecord
from bot.text import tokenizer_settings


def assemble(
    chunks: Sequence[ArticleChunk | CarriedArticle],
    files: dict[str, FileStamp],
    skipped: dict[str, list[str]],
    corpus_dir: Path,
) -> CorpusIndex:
    """One index from article chunks (new, or carried over from older indexes), with a fresh vocabulary.

    Consecutive `CarriedArticle`s of one index are copied as one block of array slices
    (bodies as bytes), so carrying 10,000 unchanged articles over costs a few array
    operations rather than 10,000 chunks; new chunks cost a few dict look-ups each.
    """
    b = _Builder()
    run: list[CarriedArticle] = []
    for ch in chunks:
        if isinstance(ch, CarriedArticle):
            if run and (ch.index is not run[0].index or ch.article_no != run[-1].article_no + 1):
                b.add_run(run[0].index, run[0].article_no, run[-1].article_no + 1)
                run = []
            run.append(ch)
            continue
        if run:
            b.add_run(run[0].index, run[0].article_no, run[-1].article_no + 1)
            run = []
        b.add_chunk(ch)
    if run:
        b.add_run(run[0].index, run[0].article_no, run[-1].article_no + 1)

    indices = _cat(b.idx_parts, np.int32)
    counts = _cat(b.cnt_parts, np.uint16)
    sent_counts = _cat(b.sent_count_parts, np.int64)
    n_art, n_sent = len(b.articles), int(sent_counts.sum())
    # Drop terms no sentence uses any more (articles removed since the old vocabulary).
    vocab_list = list(b.vocab)
    used = np.zeros(len(vocab_list), dtype=bool)
    used[indices] = True
    if not used.all():
        remap = np.cumsum(used, dtype=np.int64) - 1
        indices = remap[indices].astype(np.int32)
        vocab_list = [t for t, u in zip(vocab_list, used.tolist(), strict=True) if u]
    tf_indptr = _offsets(_cat(b.rowlen_parts, np.int64))

    # Names: per-article CSR over one name table; the corpus-wide counts are their sums,
    # and a name no article holds any more is dropped.
    name_ids = _cat(b.name_id_parts, np.int32)
    name_counts = _cat(b.name_cnt_parts, np.int64)
    totals = np.bincount(name_ids, weights=name_counts, minlength=len(b.name_no)).astype(np.int64)
    held = np.bincount(name_ids, minlength=len(b.name_no)) > 0
    if not held.all():
        name_ids = (np.cumsum(held, dtype=np.int64) - 1)[name_ids].astype(np.int32)
    names = {n: c for n, c, h in zip(b.name_no, totals.tolist(), held.tolist(), strict=True) if h}

    bm25 = bm25_postings(tf_indptr, indices, counts, len(vocab_list), vocab_list)
    arrays = {
        "sent_article": np.repeat(np.arange(n_art, dtype=np.int32), sent_counts),
        "sent_span": _cat(b.span_parts, np.int32).reshape(-1, 3),
        "sent_speaker": _cat(b.spk_parts, np.int32),
        "sent_how": _cat(b.how_parts, np.uint8),
        "sent_rule": _cat(b.rule_parts, np.uint8),
        "sent_where": _cat(b.where_parts, np.int32).reshape(-1, 4),
        "article_first": _offsets(sent_counts),
        "body_offsets": _offsets(_cat(b.body_len_parts, np.int64)),
        "body_crc": _cat(b.crc_parts, np.uint32),
        "tf_indptr": tf_indptr,
        "tf_indices": indices,
        "tf_counts": counts,
        "name_ptr": _offsets(_cat(b.name_len_parts, np.int64)),
        "name_ids": name_ids,
        "name_counts": np.minimum(name_counts, np.iinfo(np.int32).max).astype(np.int32),
        **bm25,
    }
    manifest = IndexManifest(
        format_version=FORMAT_VERSION,
        tokenizer=tokenizer_settings(),
        bm25=BM25_PARAMS,
        corpus_dir=str(corpus_dir),
        built_at=datetime.now(UTC),
        articles=n_art,
        sentences=n_sent,
        tokens=int(counts.sum(dtype=np.int64)),
        files=files,
        skipped=skipped,
        attributor=attributor_stamp(),
    )
    return CorpusIndex(manifest, b.articles, vocab_list, names, b.speakers, arrays, b"".join(b.body_parts))


def okapi_idf(doc_freq: dict[str, int], corpus_size: int, epsilon: float) -> dict[str, float]:
    """rank-bm25's BM25Okapi idf (with its epsilon floor) from document frequencies alone."""
    from rank_bm25 import BM25Okapi

    okapi = BM25Okapi.__new__(BM25Okapi)  # skip its per-document dicts; only _calc_idf is used
    okapi.corpus_size = corpus_size
    okapi.epsilon = epsilon
    okapi.idf = {}
    okapi._calc_idf(doc_freq)
    idf: dict[str, float] = okapi.idf
    return idf


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


class _Builder:
    """The parts of a new index, added article by article or in blocks of carried articles."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.name_no: dict[str, int] = {}
        self.speaker_no: dict[str, int] = {}
        self.speakers: list[SpeakerRecord] = []
        self.articles: list[ArticleRecord] = []
        self.body_parts: list[bytes] = []
        self.body_len_parts: list[np.ndarray] = []
        self.crc_parts: list[np.ndarray] = []
        self.sent_count_parts: list[np.ndarray] = []
        self.idx_parts: list[np.ndarray] = []
        self.cnt_parts: list[np.ndarray] = []
        self.rowlen_parts: list[np.ndarray] = []
        self.span_parts: list[np.ndarray] = []
        self.spk_parts: list[np.ndarray] = []
        self.how_parts: list[np.ndarray] = []
        self.rule_parts: list[np.ndarray] = []
        self.where_parts: list[np.ndarray] = []
        self.name_id_parts: list[np.ndarray] = []
        self.name_cnt_parts: list[np.ndarray] = []
        self.name_len_parts: list[np.ndarray] = []
        self._term_maps: dict[int, tuple[object, np.ndarray]] = {}
        self._name_maps: dict[int, tuple[CorpusIndex, np.ndarray]] = {}

    def _term_map(self, terms: list[str]) -> np.ndarray:
        """Ids in the new vocabulary of a chunk's (possibly shared) term list, made once per list."""
        key = id(terms)
        hit = self._term_maps.get(key)
        if hit is None or hit[0] is not terms:
            setdefault = self.vocab.setdefault
            hit = self._term_maps[key] = (
                terms,
                np.array([setdefault(t, len(self.vocab)) for t in terms], dtype=np.int32),
            )
        return hit[1]

    def _speaker(self, spk: SpeakerRecord) -> int:
        g = self.speaker_no.get(spk["display"])
        if g is None:
            g = self.speaker_no[spk["display"]] = len(self.speakers)
            self.speakers.append({**spk, "roles": list(spk["roles"])})
            if "stated" in spk:
                self.speakers[g]["stated"] = dict(spk["stated"])
            return g
        known = self.speakers[g]
        if not set(spk["roles"]) <= set(known["roles"]):
            known["roles"] = sorted(set(known["roles"]) | set(spk["roles"]))
        if "stated" not in spk:
            return g
        stated = known.setdefault("stated", {})
        for article, roles in spk["stated"].items():
            # An article carried over and parsed again states the union (as `roles` is).
            stated[article] = sorted(set(stated.get(article, ())) | set(roles))
        return g

    def add_chunk(self, ch: ArticleChunk) -> None:
        n = len(ch.spans)
        self.sent_count_parts.append(np.array([n], dtype=np.int64))
        self.idx_parts.append(self._term_map(ch.terms)[ch.indices])
        self.cnt_parts.append(ch.counts)
        self.rowlen_parts.append(np.diff(ch.indptr))
        self.span_parts.append(ch.spans)
        body = ch.body.encode("utf-8")
        self.body_parts.append(body)
        self.body_len_parts.append(np.array([len(body)], dtype=np.int64))
        self.crc_parts.append(np.array([zlib.crc32(body)], dtype=np.uint32))
        self.articles.append(ch.meta.copy())
        setdefault = self.name_no.setdefault
        ids = [setdefault(k, len(self.name_no)) for k in ch.names]
        self.name_id_parts.append(np.array(ids, dtype=np.int32))
        self.name_cnt_parts.append(np.array(list(ch.names.values()), dtype=np.int64))
        self.name_len_parts.append(np.array([len(ch.names)], dtype=np.int64))
        local_to_global = np.full(len(ch.speakers) + 1, -1, dtype=np.int32)  # -1 maps to -1
        for k, spk in enumerate(ch.speakers):
            local_to_global[k] = self._speaker(spk)
        self.spk_parts.append(local_to_global[ch.speaker_ids])
        self.how_parts.append(ch.how)
        self.rule_parts.append(ch.rules if len(ch.rules) == n else np.zeros(n, np.uint8))
        self.where_parts.append(
            ch.where.reshape(-1, 4) if len(ch.where) == n else np.full((n, 4), -1, np.int32)
        )

    def add_run(self, old: CorpusIndex, a0: int, a1: int) -> None:
        """Articles a0 … a1-1 of `old`, copied as array slices."""
        s0, s1 = int(old.article_first[a0]), int(old.article_first[a1])
        t0, t1 = int(old.tf_indptr[s0]), int(old.tf_indptr[s1])
        self.sent_count_parts.append(np.diff(old.article_first[a0 : a1 + 1]).astype(np.int64))
        self.idx_parts.append(self._term_map(old.vocab)[old.tf_indices[t0:t1]])
        self.cnt_parts.append(np.array(old.tf_counts[t0:t1]))
        self.rowlen_parts.append(np.diff(old.tf_indptr[s0 : s1 + 1]))
        self.span_parts.append(np.array(old.sent_span[s0:s1]))
        self.how_parts.append(np.array(old.sent_how[s0:s1]))
        self.rule_parts.append(np.array(old.sent_rule[s0:s1]))
        self.where_parts.append(np.array(old.sent_where[s0:s1]))
        b0, b1 = int(old.body_offsets[a0]), int(old.body_offsets[a1])
        self.body_parts.append(bytes(old._bodies[b0:b1]))
        self.body_len_parts.append(np.diff(old.body_offsets[a0 : a1 + 1]).astype(np.int64))
        self.crc_parts.append(np.array(old.body_crc[a0:a1], dtype=np.uint32))
        self.articles.extend(old.articles[a0:a1])
        n0, n1 = int(old.name_ptr[a0]), int(old.name_ptr[a1])
        self.name_id_parts.append(self._name_map(old)[old.name_ids[n0:n1]])
        self.name_cnt_parts.append(np.array(old.name_counts[n0:n1], dtype=np.int64))
        self.name_len_parts.append(np.diff(old.name_ptr[a0 : a1 + 1]).astype(np.int64))
        old_spk = np.asarray(old.sent_speaker[s0:s1])
        used = np.unique(old_spk[old_spk >= 0])
        spk_map = np.full(len(old.speakers) + 1, -1, dtype=np.int32)  # -1 maps to -1
        for g in used.tolist():
            spk_map[g] = self._speaker(old.speakers[g])
        self.spk_parts.append(spk_map[old_spk])

    def _name_map(self, old: CorpusIndex) -> np.ndarray:
        hit = self._name_maps.get(id(old))
        if hit is None or hit[0] is not old:
            setdefault = self.name_no.setdefault
            ids = [setdefault(n, len(self.name_no)) for n in old.names]
            hit = self._name_maps[id(old)] = (old, np.array(ids, dtype=np.int32))
        return hit[1]


def _offsets(lengths: np.ndarray) -> np.ndarray:
    out = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=out[1:])
    return out


def _cat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype)
