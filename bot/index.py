"""The saved index: a folder of named arrays plus a JSON manifest, loaded at start-up.

Layout of one index version (all written before the version becomes current):

    manifest.json   format version, tokenizer settings, BM25 parameters, file stamps, counts
    articles.json   per-article metadata (no bodies) with its first sentence and body offset
    bodies.txt      every article body, concatenated (UTF-8); sliced by byte offsets
    vocab.json      index terms
    names.json      folded capitalised words and their counts (names for spelling help)
    *.npy           sentence spans and a sentence x term count matrix (CSR)

A manifest whose format version or tokenizer differs from this code's is refused
(`IndexMismatch`), so the caller rebuilds rather than scoring with the wrong tokenizer.
"""

from __future__ import annotations

import json
import mmap
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field, ValidationError

from bot.ingest import ArticleChunk
from bot.text import tokenizer_settings

FORMAT_VERSION = 1
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
    tokenizer: dict
    bm25: dict
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


_ARRAYS = ("sent_article", "sent_span", "sent_speaker", "sent_how", "article_first", "body_offsets", "tf_indptr", "tf_indices", "tf_counts")


class CorpusIndex:
    """Sentences of every article with their term counts; the retriever and answerer read it."""

    def __init__(
        self,
        manifest: IndexManifest,
        articles: list[dict],
        vocab: list[str],
        names: dict[str, int],
        speakers: list[dict],
        arrays: dict[str, np.ndarray],
        bodies: bytes | mmap.mmap,
        path: Path | None = None,
    ) -> None:
        self.manifest = manifest
        self.articles = articles
        self.vocab = vocab
        self.names = names
        self.speakers = speakers  # display, names, roles (learnt over the corpus), org
        self.sent_speaker = arrays["sent_speaker"]  # index into speakers, -1 for nobody
        self.sent_how = arrays["sent_how"]  # bot.ingest.HOW_CODES
        self.sent_article = arrays["sent_article"]
        self.sent_span = arrays["sent_span"]
        self.article_first = arrays["article_first"]  # (n_articles + 1,): sentence ranges
        self.body_offsets = arrays["body_offsets"]  # (n_articles + 1,): byte ranges in bodies
        self.tf_indptr = arrays["tf_indptr"]
        self.tf_indices = arrays["tf_indices"]
        self.tf_counts = arrays["tf_counts"]
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

    def body(self, article_no: int) -> str:
        cached = self._body_cache.get(article_no)
        if cached is None:
            lo, hi = int(self.body_offsets[article_no]), int(self.body_offsets[article_no + 1])
            cached = bytes(self._bodies[lo:hi]).decode("utf-8")
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

    def chunk(self, article_no: int) -> ArticleChunk:
        """An article as an `ArticleChunk` again, so a refresh can carry it over unparsed."""
        rows = self.article_sentences(article_no)
        lo, hi = int(self.tf_indptr[rows.start]), int(self.tf_indptr[rows.stop])
        meta = self.articles[article_no]
        ids = np.asarray(self.sent_speaker[rows.start : rows.stop])
        used = sorted({int(i) for i in ids if i >= 0})
        local = {g: k for k, g in enumerate(used)}
        return ArticleChunk(
            meta={k: v for k, v in meta.items() if not k.startswith("_")},
            body=self.body(article_no),
            spans=np.asarray(self.sent_span[rows.start : rows.stop]),
            terms=self.vocab,
            indptr=np.asarray(self.tf_indptr[rows.start : rows.stop + 1]) - lo,
            indices=np.asarray(self.tf_indices[lo:hi]),
            counts=np.asarray(self.tf_counts[lo:hi]),
            names=meta.get("_names", {}),
            speakers=[dict(self.speakers[g]) for g in used],
            speaker_ids=np.array([local[int(i)] if i >= 0 else -1 for i in ids], dtype=np.int32),
            how=np.asarray(self.sent_how[rows.start : rows.stop]),
        )

    # --- building ------------------------------------------------------------------------

    @classmethod
    def assemble(
        cls,
        chunks: Sequence[ArticleChunk],
        files: dict[str, FileStamp],
        skipped: dict[str, list[str]],
        corpus_dir: Path,
    ) -> CorpusIndex:
        """One index from article chunks (new or carried over), with a fresh vocabulary."""
        vocab: dict[str, int] = {}
        maps: dict[int, np.ndarray] = {}
        indptr_parts = [np.zeros(1, dtype=np.int64)]
        idx_parts, cnt_parts, span_parts, art_parts = [], [], [], []
        article_first = [0]
        body_offsets = [0]
        bodies = bytearray()
        articles: list[dict] = []
        names: Counter[str] = Counter()
        speaker_no: dict[str, int] = {}
        speakers: list[dict] = []
        spk_parts, how_parts = [], []
        offset = 0
        for a_no, ch in enumerate(chunks):
            key = id(ch.terms)
            if key not in maps:
                maps[key] = np.array([vocab.setdefault(t, len(vocab)) for t in ch.terms], dtype=np.int32)
            n = len(ch.spans)
            idx_parts.append(maps[key][ch.indices] if len(ch.indices) else ch.indices.astype(np.int32))
            cnt_parts.append(ch.counts)
            indptr_parts.append(ch.indptr[1:] + offset)
            offset += int(ch.indptr[-1])
            span_parts.append(ch.spans)
            art_parts.append(np.full(n, a_no, dtype=np.int32))
            article_first.append(article_first[-1] + n)
            bodies += ch.body.encode("utf-8")
            body_offsets.append(len(bodies))
            meta = dict(ch.meta)
            meta["_names"] = ch.names
            articles.append(meta)
            names.update(ch.names)
            local_to_global = np.zeros(len(ch.speakers) + 1, dtype=np.int32)
            local_to_global[-1] = -1  # so that -1 maps to -1
            for k, spk in enumerate(ch.speakers):
                g = speaker_no.get(spk["display"])
                if g is None:
                    g = speaker_no[spk["display"]] = len(speakers)
                    speakers.append({**spk, "roles": list(spk["roles"])})
                else:
                    speakers[g]["roles"] = sorted(set(speakers[g]["roles"]) | set(spk["roles"]))
                local_to_global[k] = g
            spk_parts.append(local_to_global[ch.speaker_ids])
            how_parts.append(ch.how)
        indices = np.concatenate(idx_parts) if idx_parts else np.zeros(0, np.int32)
        # Drop terms no sentence uses any more (articles removed since the old vocabulary).
        vocab_list = list(vocab)
        used = np.zeros(len(vocab_list), dtype=bool)
        used[indices] = True
        if not used.all():
            remap = np.cumsum(used, dtype=np.int64) - 1
            indices = remap[indices].astype(np.int32)
            vocab_list = [t for t, u in zip(vocab_list, used, strict=True) if u]
        counts = np.concatenate(cnt_parts) if cnt_parts else np.zeros(0, np.uint16)
        arrays = {
            "sent_article": np.concatenate(art_parts) if art_parts else np.zeros(0, np.int32),
            "sent_span": np.concatenate(span_parts) if span_parts else np.zeros((0, 3), np.int32),
            "sent_speaker": np.concatenate(spk_parts) if spk_parts else np.zeros(0, np.int32),
            "sent_how": np.concatenate(how_parts) if how_parts else np.zeros(0, np.uint8),
            "article_first": np.array(article_first, dtype=np.int64),
            "body_offsets": np.array(body_offsets, dtype=np.int64),
            "tf_indptr": np.concatenate(indptr_parts),
            "tf_indices": indices,
            "tf_counts": counts,
        }
        manifest = IndexManifest(
            format_version=FORMAT_VERSION,
            tokenizer=tokenizer_settings(),
            bm25=BM25_PARAMS,
            corpus_dir=str(corpus_dir),
            built_at=datetime.now(UTC),
            articles=len(articles),
            sentences=len(arrays["sent_article"]),
            tokens=int(counts.sum(dtype=np.int64)),
            files=files,
            skipped=skipped,
        )
        return cls(manifest, articles, vocab_list, dict(names), speakers, arrays, bytes(bodies))

    # --- disk ----------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        """Write every file of this index into `folder` (which must be new); manifest last."""
        folder.mkdir(parents=True)
        for name in _ARRAYS:
            np.save(folder / f"{name}.npy", getattr(self, name), allow_pickle=False)
        (folder / "bodies.txt").write_bytes(bytes(self._bodies))
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
            arrays = {n: np.load(folder / f"{n}.npy", allow_pickle=False) for n in _ARRAYS}
            articles = json.loads((folder / "articles.json").read_bytes())
            vocab = json.loads((folder / "vocab.json").read_bytes())
            names = json.loads((folder / "names.json").read_bytes())
            speakers = json.loads((folder / "speakers.json").read_bytes())
            with open(folder / "bodies.txt", "rb") as fh:
                size = fh.seek(0, 2)
                bodies: bytes | mmap.mmap = (
                    mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
                )
        except (OSError, ValueError) as exc:
            raise IndexUnusable(f"corrupt index in {folder}: {exc}") from exc
        index = cls(manifest, articles, vocab, names, speakers, arrays, bodies, folder)
        index._validate()
        return index

    def _validate(self) -> None:
        """Cheap consistency checks, so a truncated or mixed-up index is caught at load."""
        n_art, n_sent = len(self.articles), len(self.sent_article)
        ok = (
            len(self.article_first) == n_art + 1
            and len(self.body_offsets) == n_art + 1
            and int(self.article_first[-1]) == n_sent
            and len(self.tf_indptr) == n_sent + 1
            and len(self.sent_speaker) == n_sent == len(self.sent_how) == len(self.sent_span)
            and int(self.tf_indptr[-1]) == len(self.tf_indices) == len(self.tf_counts)
            and int(self.body_offsets[-1]) == len(self._bodies)
            and (len(self.tf_indices) == 0 or int(self.tf_indices.max()) < len(self.vocab))
            and n_art == self.manifest.articles
            and n_sent == self.manifest.sentences
        )
        if not ok:
            raise IndexUnusable(f"corrupt index in {self.path}: its files do not agree")


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
