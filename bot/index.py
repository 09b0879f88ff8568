"""The saved index: a folder of named arrays plus a JSON manifest, loaded at start-up.

Layout of one index version (all written before the version becomes current):

    manifest.json   format version, tokenizer settings, BM25 parameters, file stamps, counts
    articles.json   per-article metadata (no bodies)
    bodies.txt      every article body, concatenated (UTF-8); sliced by byte offsets
    vocab.json      index terms
    names.json      folded capitalised words and their counts (names for spelling help)
    speakers.json   the speaker table that `sent_speaker` points into
    *.npy           sentence spans, a sentence x term count matrix (CSR), each article's names
                    (CSR over names.json), and the BM25 postings (term-major, see bot.retriever)

Arrays are memory-mapped at load, not read: a million-sentence index opens in well under a
second and only the pages a question touches become resident. The BM25 postings are worked
out once when the index is built, so a process that serves questions does no set-up work.

A manifest whose format version or tokenizer differs from this code's is refused
(`IndexMismatch`), so the caller rebuilds rather than scoring with the wrong tokenizer.
"""

from __future__ import annotations

import json
import mmap
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, Field, ValidationError

from bot.ingest import ArticleChunk
from bot.records import ArticleRecord, SpeakerRecord
from bot.text import tokenizer_settings

FORMAT_VERSION = 4
BM25_PARAMS = {"k1": 1.5, "b": 0.75, "epsilon": 0.25}  # rank_bm25.BM25Okapi's defaults


class IndexUnusable(Exception):
    """A saved index that cannot be used (missing, corrupt, or built by other settings)."""


class IndexMismatch(IndexUnusable):
    """A saved index built with another format or tokenizer."""


class FileStamp(BaseModel):
    """How a corpus file looked when indexed: a changed stamp means re-ingest it."""

    size: int
    mtime_ns: int
    articles: list[str] = Field(default_factory=list)


class IndexManifest(BaseModel):
    format_version: int
    tokenizer: dict[str, Any]
    bm25: dict[str, float]
    corpus_dir: str
    built_at: datetime
    articles: int
    sentences: int
    tokens: int
    files: dict[str, FileStamp]
    skipped: dict[str, list[str]] = Field(default_factory=dict)

    def check(self) -> None:
        if self.format_version != FORMAT_VERSION:
            raise IndexMismatch(f"index format {self.format_version}, this citebot reads {FORMAT_VERSION}")
        if self.tokenizer != tokenizer_settings():
            raise IndexMismatch("index was built with a different tokenizer")
        if self.bm25 != BM25_PARAMS:
            raise IndexMismatch("index was built with different BM25 parameters")


_ARRAYS = (
    "sent_article",
    "sent_span",
    "sent_speaker",
    "sent_how",
    "article_first",
    "body_offsets",
    "tf_indptr",
    "tf_indices",
    "tf_counts",
    "name_ptr",
    "name_ids",
    "name_counts",
    "bm25_ptr",
    "bm25_rows",
    "bm25_vals",
    "bm25_idf",
    "bm25_max",
    "sent_len",
    "body_crc",
)


class CorpusIndex:
    """Sentences of every article with their term counts; the retriever and answerer read it."""

    def __init__(
        self,
        manifest: IndexManifest,
        articles: list[ArticleRecord],
        vocab: list[str],
        names: dict[str, int],
        speakers: list[SpeakerRecord],
        arrays: dict[str, np.ndarray],
        bodies: bytes | mmap.mmap,
        path: Path | None = None,
    ) -> None:
        self.manifest = manifest
        self.articles = articles
        self.vocab = vocab
        self.names = names  # folded name → count over the corpus; names.json's order is name_ids'
        self.speakers = speakers  # display, names, roles (learnt over the corpus), org
        self.sent_speaker = arrays["sent_speaker"]  # index into speakers, -1 for nobody
        self.sent_how = arrays["sent_how"]  # bot.ingest.HOW_CODES
        self.sent_article = arrays["sent_article"]
        self.sent_span = arrays["sent_span"]
        self.sent_len = arrays["sent_len"]  # terms per passage (sentence + title): BM25's doc_len
        self.article_first = arrays["article_first"]  # (n_articles + 1,): sentence ranges
        self.body_offsets = arrays["body_offsets"]  # (n_articles + 1,): byte ranges in bodies
        self.body_crc = arrays["body_crc"]  # CRC-32 of each body: a cited sentence is checked verbatim
        self.tf_indptr = arrays["tf_indptr"]
        self.tf_indices = arrays["tf_indices"]
        self.tf_counts = arrays["tf_counts"]
        self.name_ptr = arrays["name_ptr"]  # (n_articles + 1,): each article's names (CSR)
        self.name_ids = arrays["name_ids"]  # into list(names)
        self.name_counts = arrays["name_counts"]
        self.bm25_ptr = arrays["bm25_ptr"]  # term-major postings, see bot.retriever.bm25_postings
        self.bm25_rows = arrays["bm25_rows"]
        self.bm25_vals = arrays["bm25_vals"]
        self.bm25_idf = arrays["bm25_idf"]
        self.bm25_max = arrays["bm25_max"]
        self._bodies = bodies
        self.path = path
        self._body_cache: dict[int, str] = {}

    # --- reading -------------------------------------------------------------------------

    @property
    def n_sentences(self) -> int:
        return len(self.sent_article)

    @cached_property
    def term_ids(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.vocab)}

    @cached_property
    def article_ids(self) -> dict[str, int]:
        return {a["article_id"]: i for i, a in enumerate(self.articles)}

    @cached_property
    def name_list(self) -> list[str]:
        return list(self.names)

    def body(self, article_no: int) -> str:
        cached = self._body_cache.get(article_no)
        if cached is None:
            lo, hi = int(self.body_offsets[article_no]), int(self.body_offsets[article_no + 1])
            raw = bytes(self._bodies[lo:hi])
            if zlib.crc32(raw) != int(self.body_crc[article_no]):
                # Never quote text the article does not hold: a damaged index is rebuilt instead.
                raise IndexUnusable(f"corrupt index in {self.path}: article {article_no}'s text changed")
            cached = raw.decode("utf-8")
            if len(self._body_cache) > 4096:
                self._body_cache.clear()
            self._body_cache[article_no] = cached
        return cached

    def sentence(self, sent_no: int) -> str:
        a = int(self.sent_article[sent_no])
        s, e, _ = self.sent_span[sent_no]
        return self.body(a)[int(s) : int(e)]

    def article_sentences(self, article_no: int) -> range:
        return range(int(self.article_first[article_no]), int(self.article_first[article_no + 1]))

    def sentence_terms(self, sent_no: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = self.tf_indptr[sent_no], self.tf_indptr[sent_no + 1]
        return self.tf_indices[lo:hi], self.tf_counts[lo:hi]

    def article_names(self, article_no: int) -> dict[str, int]:
        lo, hi = int(self.name_ptr[article_no]), int(self.name_ptr[article_no + 1])
        names = self.name_list
        ids, counts = self.name_ids[lo:hi].tolist(), self.name_counts[lo:hi].tolist()
        return {names[i]: c for i, c in zip(ids, counts, strict=True)}

    def chunk(self, article_no: int) -> ArticleChunk:
        """An article as an `ArticleChunk` again, so a refresh can carry it over unparsed."""
        rows = self.article_sentences(article_no)
        lo, hi = int(self.tf_indptr[rows.start]), int(self.tf_indptr[rows.stop])
        meta = self.articles[article_no]
        ids = np.asarray(self.sent_speaker[rows.start : rows.stop])
        used, local_ids = np.unique(ids, return_inverse=True)
        if len(used) and used[0] < 0:  # -1 (nobody) sorts first: keep it -1
            used, local_ids = used[1:], local_ids - 1
        return ArticleChunk(
            meta=meta.copy(),
            body=self.body(article_no),
            spans=np.asarray(self.sent_span[rows.start : rows.stop]),
            terms=self.vocab,
            indptr=np.asarray(self.tf_indptr[rows.start : rows.stop + 1]) - lo,
            indices=np.asarray(self.tf_indices[lo:hi]),
            counts=np.asarray(self.tf_counts[lo:hi]),
            names=self.article_names(article_no),
            speakers=[self.speakers[g].copy() for g in used.tolist()],
            speaker_ids=local_ids.astype(np.int32).reshape(-1),
            how=np.asarray(self.sent_how[rows.start : rows.stop]),
        )

    def carry(self, article_no: int) -> CarriedArticle:
        """An article to carry over into a new index as it is: `assemble` copies its arrays in bulk."""
        return CarriedArticle(self, article_no)

    # --- building ------------------------------------------------------------------------

    @classmethod
    def assemble(
        cls,
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
        from bot.retriever import bm25_postings

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
        )
        return cls(manifest, b.articles, vocab_list, names, b.speakers, arrays, b"".join(b.body_parts))

    # --- disk ----------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        """Write every file of this index into `folder` (which must be new); manifest last."""
        folder.mkdir(parents=True)
        for name in _ARRAYS:
            np.save(folder / f"{name}.npy", getattr(self, name), allow_pickle=False)
        with open(folder / "bodies.txt", "wb") as fh:
            fh.write(self._bodies)
        _write_json(folder / "articles.json", self.articles)
        _write_json(folder / "vocab.json", self.vocab)
        _write_json(folder / "names.json", self.names)
        _write_json(folder / "speakers.json", self.speakers)
        (folder / "manifest.json").write_text(self.manifest.model_dump_json(indent=1), encoding="utf-8")
        self.path = folder

    @classmethod
    def load(cls, folder: Path) -> CorpusIndex:
        """Load a saved index; `IndexUnusable` if it is missing, corrupt, or built differently."""
        try:
            manifest = IndexManifest.model_validate_json((folder / "manifest.json").read_bytes())
        except FileNotFoundError as exc:
            raise IndexUnusable(f"no index at {folder}") from exc
        except (ValidationError, ValueError, OSError) as exc:
            raise IndexUnusable(f"corrupt index manifest in {folder}: {exc}") from exc
        manifest.check()
        try:
            arrays = {n: _load_array(folder / f"{n}.npy") for n in _ARRAYS}
            articles = json.loads((folder / "articles.json").read_bytes())
            vocab = json.loads((folder / "vocab.json").read_bytes())
            names = json.loads((folder / "names.json").read_bytes())
            speakers = json.loads((folder / "speakers.json").read_bytes())
            with open(folder / "bodies.txt", "rb") as fh:
                size = fh.seek(0, 2)
                bodies: bytes | mmap.mmap = (
                    mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
                )
        except (OSError, ValueError, EOFError) as exc:
            raise IndexUnusable(f"corrupt index in {folder}: {exc}") from exc
        if not (
            isinstance(articles, list)
            and isinstance(vocab, list)
            and isinstance(names, dict)
            and isinstance(speakers, list)
        ):
            raise IndexUnusable(f"corrupt index in {folder}: a JSON file has the wrong shape")
        index = cls(manifest, articles, vocab, names, speakers, arrays, bodies, folder)
        index._validate()
        return index

    def _validate(self) -> None:
        """Cheap consistency checks (no full scan), so a truncated or mixed-up index is caught at load."""
        n_art, n_sent, n_terms = len(self.articles), len(self.sent_article), len(self.vocab)
        ok = (
            len(self.article_first) == n_art + 1
            and len(self.body_offsets) == n_art + 1
            and len(self.body_crc) == n_art
            and len(self.name_ptr) == n_art + 1
            and int(self.article_first[-1]) == n_sent
            and len(self.tf_indptr) == n_sent + 1
            and len(self.sent_speaker) == n_sent == len(self.sent_how) == len(self.sent_span)
            and len(self.sent_len) == n_sent
            and int(self.tf_indptr[-1]) == len(self.tf_indices) == len(self.tf_counts)
            and int(self.name_ptr[-1]) == len(self.name_ids) == len(self.name_counts)
            and int(self.body_offsets[-1]) == len(self._bodies)
            and len(self.bm25_ptr) == n_terms + 1 == len(self.bm25_idf) + 1 == len(self.bm25_max) + 1
            and int(self.bm25_ptr[-1]) == len(self.bm25_rows) == len(self.bm25_vals) == len(self.tf_indices)
            and n_art == self.manifest.articles
            and n_sent == self.manifest.sentences
            and (n_sent == 0 or int(self.sent_speaker.max()) < len(self.speakers))
        )
        if not ok:
            raise IndexUnusable(f"corrupt index in {self.path}: its files do not agree")


@dataclass(frozen=True)
class CarriedArticle:
    """An article of an existing index that a new index takes over unchanged (see `assemble`)."""

    index: CorpusIndex
    article_no: int

    @property
    def meta(self) -> ArticleRecord:
        return self.index.articles[self.article_no]


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
        elif not set(spk["roles"]) <= set(self.speakers[g]["roles"]):
            self.speakers[g]["roles"] = sorted(set(self.speakers[g]["roles"]) | set(spk["roles"]))
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


def _load_array(path: Path) -> np.ndarray:
    """Memory-map a saved array (a zero-length one is read: it cannot be mapped)."""
    arr = np.load(path, mmap_mode="r", allow_pickle=False)
    return np.asarray(arr) if arr.size == 0 else arr


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
