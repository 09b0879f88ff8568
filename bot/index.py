"""The saved index: a folder of named arrays plus a JSON manifest, loaded at start-up.

Layout of one index version (all written before the version becomes current):

    manifest.json   format version, tokenizer settings, BM25 parameters, file stamps, counts
    articles.json   per-article metadata (no bodies)
    bodies.txt      every article body, concatenated (UTF-8); sliced by byte offsets
    vocab.json      index terms
    names.json      folded capitalised words and their counts (names for spelling help)
    speakers.json   the speaker table that `sent_speaker` points into
    *.npy           sentence spans, a sentence x term count matrix (CSR), each article's names
                    (CSR over names.json), and the BM25 postings (term-major, see bot.index_build)

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
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, Field, ValidationError

from bot.attribution import attributor_stamp
from bot.ingest import ArticleChunk
from bot.records import ArticleRecord, SpeakerRecord
from bot.text import tokenizer_settings

if TYPE_CHECKING:
    from bot.entities import EntityTable

FORMAT_VERSION = 6  # 6: speakers.json states each speaker's roles per article
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
    attributor: dict[str, Any] = Field(default_factory=dict)  # name, version, rule ids (bot.attribution)

    def check(self) -> None:
        if self.format_version != FORMAT_VERSION:
            raise IndexMismatch(f"index format {self.format_version}, this citebot reads {FORMAT_VERSION}")
        if self.tokenizer != tokenizer_settings():
            raise IndexMismatch("index was built with a different tokenizer")
        if self.bm25 != BM25_PARAMS:
            raise IndexMismatch("index was built with different BM25 parameters")
        if self.attributor != attributor_stamp():
            raise IndexMismatch("index was built by another attributor")


_ARRAYS = (
    "sent_article",
    "sent_span",
    "sent_speaker",
    "sent_how",
    "sent_rule",
    "sent_where",
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


#: Article texts `CorpusIndex.body` keeps decoded (about 40 MB at corpus-scale's mean length).
BODY_CACHE = 4096


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
        #: The entity layer saved with this index (None until saved or loaded: built on demand).
        self.entity_table: EntityTable | None = None
        self.sent_speaker = arrays["sent_speaker"]  # index into speakers, -1 for nobody
        self.sent_how = arrays["sent_how"]  # bot.ingest.HOW_CODES
        self.sent_rule = arrays["sent_rule"]  # into manifest.attributor["rules"]: the rule that fired
        self.sent_where = arrays["sent_where"]  # (n, 4): cue start, end, speaker mention start, end; -1 none
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
        self.bm25_ptr = arrays["bm25_ptr"]  # term-major postings, see bot.index_build.bm25_postings
        self.bm25_rows = arrays["bm25_rows"]
        self.bm25_vals = arrays["bm25_vals"]
        self.bm25_idf = arrays["bm25_idf"]
        self.bm25_max = arrays["bm25_max"]
        self._bodies = bodies
        self.path = path
        self._body_cache: dict[int, str] = {}
        # Per article whose text was decoded (and its CRC checked) once, its length in characters; and,
        # once a sentence of it is read after it left the cache, its sentences' byte spans (None where
        # they are its character spans: an ASCII text), so such a sentence is decoded by itself.
        self._checked: dict[int, int] = {}
        self._byte_spans: dict[int, np.ndarray | None] = {}

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
        """The article's text, checked against its CRC, from a cache of the BODY_CACHE most recently
        read: every question reads a few hundred candidates' articles, and the prolific speakers' and
        the roles' (press briefings, tens of thousands of characters each) come back question after
        question; emptying the whole cache when full made them all be decoded again."""
        cache = self._body_cache
        cached = cache.pop(article_no, None)
        if cached is not None:
            cache[article_no] = cached  # most recently read last
        else:
            lo, hi = int(self.body_offsets[article_no]), int(self.body_offsets[article_no + 1])
            raw = bytes(self._bodies[lo:hi])
            if zlib.crc32(raw) != int(self.body_crc[article_no]):
                # Never quote text the article does not hold: a damaged index is rebuilt instead.
                raise IndexUnusable(f"corrupt index in {self.path}: article {article_no}'s text changed")
            cached = raw.decode("utf-8")
            self._checked[article_no] = len(cached)
            while len(cache) >= BODY_CACHE:
                try:  # the least recently read goes (another thread may be evicting too)
                    cache.pop(next(iter(cache)), None)
                except (RuntimeError, StopIteration):
                    break
            cache[article_no] = cached
        return cached

    def check_texts(self) -> None:
        """Check every article's CRC and learn its length in characters now (about a second at
        corpus-scale), so a candidate sentence of an article not in the body cache is decoded by
        itself (`_sentence_text`) instead of its whole article: a role's or a prolific speaker's
        question reads candidates in dozens of press briefings it has not read before, tens of
        thousands of characters each. A damaged article is left unchecked: `body` raises on it when
        it is read, as before."""
        offsets = np.asarray(self.body_offsets).tolist()
        crcs = np.asarray(self.body_crc).tolist()
        for a in range(len(offsets) - 1):
            if a in self._checked:
                continue
            raw = bytes(self._bodies[offsets[a] : offsets[a + 1]])
            if zlib.crc32(raw) != crcs[a]:
                continue
            if raw.isascii():
                self._checked[a] = len(raw)
                self._byte_spans[a] = None  # ASCII: its byte spans are its character spans
                continue
            try:
                n_chars = len(raw.decode("utf-8"))
            except UnicodeDecodeError:
                continue
            self._checked[a] = n_chars
            self._byte_spans[a] = self._sentence_bytes(a, raw, n_chars)

    def rule_of(self, sent_no: int) -> str:
        """The id of the attribution rule that fired for a sentence ("" for none)."""
        rules = self.manifest.attributor.get("rules", [])
        code = int(self.sent_rule[sent_no])
        return rules[code] if code < len(rules) else ""

    def _sentence_bytes(self, article_no: int, raw: bytes, n_chars: int) -> np.ndarray | None:
        """The byte spans of the article's sentences in its UTF-8 text `raw` (None: its text is ASCII,
        so they are the character spans): each character starts at a byte that is no continuation
        byte (10xxxxxx), so the k-th such byte is where character k starts."""
        if len(raw) == n_chars:
            return None
        starts = np.flatnonzero((np.frombuffer(raw, dtype=np.uint8) & 0xC0) != 0x80)
        if len(starts) != n_chars:  # cannot be for a strict UTF-8 decode; never guess
            raise IndexUnusable(f"corrupt index in {self.path}: article {article_no}'s text changed")
        at = np.append(starts, len(raw))
        rows = self.article_sentences(article_no)
        chars = np.asarray(self.sent_span)[rows.start : rows.stop, :2].astype(np.int64)
        spans: np.ndarray = at[chars].astype(np.int32)
        return spans

    def _sentence_text(self, sent_no: int, article_no: int, start: int, end: int) -> str:
        """`body(article_no)[start:end]`. An article decoded (and checked) before but no longer in
        the cache has only the sentence's bytes decoded: a question on a prolific speaker or a role
        reads candidates in hundreds of press briefings, tens of thousands of characters each, and
        decoding each whole again was most of its time."""
        body = self._body_cache.get(article_no)
        if body is not None:
            return body[start:end]
        n_chars = self._checked.get(article_no)
        if n_chars is None:
            return self.body(article_no)[start:end]
        lo = int(self.body_offsets[article_no])
        if article_no not in self._byte_spans:  # worked out once, the first time it is needed
            raw = bytes(self._bodies[lo : int(self.body_offsets[article_no + 1])])
            self._byte_spans[article_no] = self._sentence_bytes(article_no, raw, n_chars)
        spans = self._byte_spans[article_no]
        if spans is not None:
            k = sent_no - int(self.article_first[article_no])
            start, end = int(spans[k, 0]), int(spans[k, 1])
        return bytes(self._bodies[lo + start : lo + end]).decode("utf-8")

    def sentence(self, sent_no: int) -> str:
        a = int(self.sent_article[sent_no])
        s, e, _ = self.sent_span[sent_no]
        return self._sentence_text(sent_no, a, int(s), int(e))

    def sentences(self, sent_nos: np.ndarray) -> list[str]:
        """`sentence` of each of `sent_nos`: their articles and spans read in one step each, not
        three array look-ups per sentence (a question reads a few hundred candidates' texts)."""
        rows = np.asarray(sent_nos, dtype=np.intp)
        arts = np.asarray(self.sent_article)[rows].tolist()
        spans = np.asarray(self.sent_span)[rows, :2].tolist()
        text = self._sentence_text
        return [text(r, a, s, e) for r, a, (s, e) in zip(rows.tolist(), arts, spans, strict=True)]

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
            rules=np.asarray(self.sent_rule[rows.start : rows.stop]),
            where=np.asarray(self.sent_where[rows.start : rows.stop]),
        )

    def carry(self, article_no: int) -> CarriedArticle:
        """An article to carry over into a new index as it is: `assemble` copies its arrays in bulk."""
        return CarriedArticle(self, article_no)

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
        from bot.entities import build_entities  # the entity layer clusters the speakers written above

        self.entity_table = build_entities(self)
        self.entity_table.save(folder)
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
        from bot.entities import EntityTable  # saved with the index: a damaged one is a damaged index

        table = EntityTable.load(folder)
        if table is None or len(table.speaker_entity) != len(speakers):
            raise IndexUnusable(f"corrupt index in {folder}: its entity table is missing or damaged")
        index.entity_table = table
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
            and len(self.sent_rule) == n_sent == len(self.sent_where)
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


def _load_array(path: Path) -> np.ndarray:
    """Memory-map a saved array (a zero-length one is read: it cannot be mapped).

    Returned as a plain ndarray view of the mapping: still paged in on demand, but slicing and
    indexing it skip `np.memmap`'s Python-level `__getitem__`/`__array_finalize__`, which cost
    tens of microseconds per slice and a question takes hundreds of posting slices."""
    arr = np.load(path, mmap_mode="r", allow_pickle=False)
    return np.asarray(arr)


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
