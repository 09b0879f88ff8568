"""Turning article files into index-ready pieces: sentences, their terms, and the names they hold.

This is the expensive part of a refresh (sentence splitting dominates), so it runs in a
process pool over the files that changed and nowhere else: unchanged articles are carried
over from the previous index without being parsed or tokenized again.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.articles import ArticleError, iter_bulk_articles, parse_article
from bot.attribution import attribute
from bot.models import Article
from bot.sentences import sentence_spans
from bot.text import fold, tokenize

_CAPITALISED = re.compile(r"[^\W\d_][\w’'-]*")


@dataclass
class ArticleChunk:
    """One article as the index holds it: metadata, body, sentence spans and term counts.

    Term counts are a small CSR matrix (one row per sentence) over `terms`, a vocabulary that
    may be shared between chunks (chunks carried over from an old index share its vocabulary).
    """

    meta: dict
    body: str
    spans: np.ndarray  # (n, 3) int32: start, end, paragraph
    terms: list[str]
    indptr: np.ndarray  # (n + 1,) int64
    indices: np.ndarray  # int32 into `terms`
    counts: np.ndarray  # uint16
    names: dict[str, int] = field(default_factory=dict)
    speakers: list[dict] = field(default_factory=list)  # local table: display, names, roles, org
    speaker_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))  # -1: nobody
    how: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint8))  # code in HOW_CODES


#: How a sentence is attributed (index in this tuple is what the index stores).
HOW_CODES = ("", "quote", "reported", "tweet", "label", "according", "continued", "statement")


@dataclass
class FileResult:
    """What ingesting one file gave: its articles, and a reason per article or line skipped."""

    rel_path: str
    chunks: list[ArticleChunk]
    skipped: list[str]


def article_meta(article: Article, rel_path: str) -> dict:
    meta = article.model_dump(mode="json", exclude={"body"})
    meta["file"] = rel_path
    return meta


def chunk_article(article: Article, rel_path: str) -> ArticleChunk:
    """Split an article into sentences and count each sentence's index terms (title included)."""
    body = article.body
    spans = sentence_spans(body)
    title_terms = tokenize(article.title)
    local: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    counts: list[int] = []
    for start, end, _ in spans:
        c = Counter(tokenize(body[start:end]))
        c.update(title_terms)
        for term, n in c.items():
            indices.append(local.setdefault(term, len(local)))
            counts.append(min(n, 65535))
        indptr.append(len(indices))
    names = Counter(fold(w) for w in _CAPITALISED.findall(body) if w[0].isupper())
    attributions = attribute([body[s:e] for s, e, _ in spans], [p for _, _, p in spans], article.title)
    table: dict[str, int] = {}
    speakers: list[dict] = []
    speaker_ids = np.full(len(spans), -1, dtype=np.int32)
    how = np.zeros(len(spans), dtype=np.uint8)
    for i, att in enumerate(attributions):
        if att.entity is None:
            continue
        ent = att.entity
        if ent.display not in table:
            table[ent.display] = len(speakers)
            speakers.append({"display": ent.display, "names": list(ent.names), "roles": sorted(ent.roles),
                             "org": ent.org})
        else:
            known = speakers[table[ent.display]]
            known["roles"] = sorted(set(known["roles"]) | ent.roles)
        speaker_ids[i] = table[ent.display]
        how[i] = HOW_CODES.index(att.how)
    return ArticleChunk(
        meta=article_meta(article, rel_path),
        body=body,
        spans=np.array(spans, dtype=np.int32).reshape(-1, 3),
        terms=list(local),
        indptr=np.array(indptr, dtype=np.int64),
        indices=np.array(indices, dtype=np.int32),
        counts=np.array(counts, dtype=np.uint16),
        names=dict(names),
        speakers=speakers,
        speaker_ids=speaker_ids,
        how=how,
    )


def ingest_file(path: Path, corpus_dir: Path) -> FileResult:
    """Parse one corpus file (an article, or a JSON Lines file of many) into chunks."""
    rel = path.relative_to(corpus_dir).as_posix()
    chunks: list[ArticleChunk] = []
    skipped: list[str] = []
    try:
        if path.name.endswith((".jsonl", ".jsonl.gz")):
            for item in iter_bulk_articles(path):
                if isinstance(item, ArticleError):
                    skipped.append(f"{rel}: {item}")
                elif item.body.strip():
                    chunks.append(chunk_article(item, rel))
        else:
            chunks.append(chunk_article(parse_article(path, corpus_dir), rel))
    except ArticleError as exc:
        skipped.append(f"{rel}: {exc}")
    except (OSError, ValueError) as exc:  # unreadable file, odd content: skip it, keep the rest
        skipped.append(f"{rel}: {type(exc).__name__}: {exc}")
    return FileResult(rel, chunks, skipped)


def _ingest_batch(paths: list[Path], corpus_dir: Path) -> list[FileResult]:
    return [ingest_file(p, corpus_dir) for p in paths]


def ingest_files(
    paths: Iterable[Path],
    corpus_dir: Path,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[FileResult]:
    """Ingest files, in a process pool when there are enough to pay for one; results in order."""
    paths = list(paths)
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(paths) < 16:
        for p in paths:
            yield ingest_file(p, corpus_dir)
            if progress:
                progress(1)
        return
    batch = max(1, min(64, len(paths) // (workers * 8)))
    batches = [paths[i : i + batch] for i in range(0, len(paths), batch)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_ingest_batch, b, corpus_dir) for b in batches]
        for fut, b in zip(futures, batches, strict=True):
            yield from fut.result()
            if progress:
                progress(len(b))
