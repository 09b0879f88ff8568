"""Reading many articles at once: JSON Lines bulk files (gzip or not), and a whole corpus folder.

A bulk file is streamed line by line with every line and the inflated size bounded, and a bad line
is an `ArticleError` with its line number while reading goes on: one broken record of 14,000 must not
lose the others, and a compression bomb must not become millions of articles.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from bot.articles import (
    MAX_ARTICLE_BYTES,
    TOO_DEEP,
    ArticleError,
    from_mapping,
    open_regular,
    parse_article,
    text_value,
)
from bot.corpus_scan import article_id_for, bulk_stem, corpus_files, is_bulk_file
from bot.models import Article


def bulk_lines(f: LineReader) -> Iterator[bytes | None]:
    """Lines of a bulk file; None for a line over MAX_ARTICLE_BYTES (skipped, not held in memory)."""
    while True:
        line = f.readline(MAX_ARTICLE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_ARTICLE_BYTES and not line.endswith(b"\n"):
            while True:
                chunk = f.readline(1 << 20)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield None
        else:
            yield line


def bulk_article(raw: bytes | None, lineno: int, prefix: str) -> Article | ArticleError | None:
    if raw is None:
        return ArticleError(f"line too large (> {MAX_ARTICLE_BYTES // 1024 // 1024} MB)", lineno)
    if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    if not raw.strip():
        return None
    try:
        obj = json.loads(raw.decode("utf-8").strip())
    except UnicodeDecodeError:
        return ArticleError("not UTF-8 text", lineno)
    except json.JSONDecodeError as e:
        return ArticleError(f"invalid JSON: {e.msg} (column {e.colno})", lineno)
    except RecursionError:
        return ArticleError(TOO_DEEP, lineno)
    if not isinstance(obj, dict):
        return ArticleError(f"invalid JSON: not an object but {type(obj).__name__}", lineno)
    ident = text_value(obj.get("id"))
    try:
        return from_mapping(obj, f"{prefix}/{ident or f'line-{lineno}'}")
    except ArticleError as e:
        return ArticleError(e.reason, lineno)


#: A `.jsonl.gz` inflating to more than this many times its size is a compression bomb, not news
#: (news JSON Lines compress about 3 times: corpus-scale's 42 MB hold 134 MB): reading stops there
#: with a reason, so 0.76 MB of 3 million identical lines cannot become 3 million articles (each
#: article costs about 6 KB of memory while indexing, however short it is).
MAX_GZIP_RATIO: int = 10
#: Up to this much inflated text no ratio is checked: a small file's gzip header alone skews it.
GZIP_FREE_BYTES: int = 8 << 20


class _InflateGuard:
    """`readline` of a gzip stream that stops with `ArticleError` past MAX_GZIP_RATIO × its size."""

    def __init__(self, stream: gzip.GzipFile, compressed: int) -> None:
        self._stream = stream
        self._limit = max(GZIP_FREE_BYTES, MAX_GZIP_RATIO * compressed)
        self._read = 0

    def readline(self, size: int = -1) -> bytes:
        line = self._stream.readline(size)
        self._read += len(line)
        if self._read > self._limit:
            raise ArticleError(
                f"stopped reading: inflates to over {MAX_GZIP_RATIO} times its size (a compression bomb?)"
            )
        return line


class LineReader(Protocol):
    """What reading a bulk file needs: `readline(limit)`."""

    def readline(self, size: int = -1, /) -> bytes: ...


@contextmanager
def open_bulk(path: Path) -> Iterator[LineReader]:
    """A bulk file opened for streaming its (gunzipped) bytes, line by line with `readline`.

    Only regular files are opened, and a gzip's inflated bytes are bounded (`MAX_GZIP_RATIO`).
    """
    with open_regular(path) as raw:
        if not path.name.lower().endswith(".gz"):
            yield raw
            return
        compressed = os.fstat(raw.fileno()).st_size
        with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
            yield _InflateGuard(unzipped, compressed)


def iter_bulk_articles(path: Path, corpus_dir: Path | None = None) -> Iterator[Article | ArticleError]:
    """Articles of a JSON Lines file (gzip if `.jsonl.gz`), one object a line.

    A bad line yields an ArticleError carrying its line number and reading goes on, so one
    broken record does not lose the rest. Article ids are `<file stem>/<id>` (`<stem>/line-N`
    for an object without `id`); with `corpus_dir`, the stem is prefixed by the sub-folder
    like `article_id_for`, so bulk files of the same name in two folders do not collide.
    """
    path = Path(path)
    prefix = article_id_for(path, corpus_dir) if corpus_dir is not None else bulk_stem(path.name)
    lineno = 0
    try:
        with open_bulk(path) as f:
            for lineno, raw in enumerate(bulk_lines(f), 1):
                item = bulk_article(raw, lineno, prefix)
                if item is not None:
                    yield item
    except ArticleError as e:
        yield ArticleError(e.reason, lineno + 1 if lineno else None)
    except (OSError, EOFError) as e:  # gzip.BadGzipFile is an OSError
        yield ArticleError(f"cannot read {path.name}: {e}", lineno + 1 if lineno else None)


def iter_corpus(corpus_dir: Path) -> Iterator[tuple[Path, Article | ArticleError]]:
    """Every article of a corpus, bulk files included, with the file it came from."""
    corpus_dir = Path(corpus_dir)
    for path in corpus_files(corpus_dir):
        if is_bulk_file(path):
            for item in iter_bulk_articles(path, corpus_dir):
                yield path, item
            continue
        try:
            yield path, parse_article(path, corpus_dir)
        except ArticleError as e:
            yield path, e
