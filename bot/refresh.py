"""Bringing the index up to date with the corpus folder, redoing only what changed.

Files are compared by size and modification time with the stamps in the current index's
manifest. Unchanged files' articles are carried over from the old index as they are (no
parsing, no tokenizing); new and changed files go through `ingest`. A bad file is skipped
with its reason, and everything else is still indexed. The result is published atomically.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel, Field

from bot.articles import corpus_files
from bot.index import CarriedArticle, CorpusIndex, FileStamp, IndexUnusable
from bot.index_build import assemble
from bot.index_store import IndexStore
from bot.ingest import ArticleChunk, ingest_files


class CorpusError(Exception):
    """A corpus folder that cannot be indexed at all (missing, or holding no articles)."""


class RefreshReport(BaseModel):
    """What a refresh did; the CLI prints it and `/healthz` can show it."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: dict[str, list[str]] = Field(default_factory=dict)
    articles: int = 0
    sentences: int = 0
    seconds: float = 0.0
    published: bool = False
    reason: str = ""

    @property
    def did_work(self) -> bool:
        return self.published


def scan_corpus(corpus_dir: Path) -> dict[str, tuple[Path, FileStamp]]:
    """Every article file of the corpus with its current stamp, keyed by relative path."""
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus folder {corpus_dir} does not exist")
    found: dict[str, tuple[Path, FileStamp]] = {}
    for path in corpus_files(corpus_dir):
        try:
            st = path.stat()
        except OSError:
            continue
        stamp = FileStamp(size=st.st_size, mtime_ns=st.st_mtime_ns)
        found[path.relative_to(corpus_dir).as_posix()] = (path, stamp)
    return found


def _same(a: FileStamp, b: FileStamp) -> bool:
    return a.size == b.size and a.mtime_ns == b.mtime_ns


def stale_files(index: CorpusIndex, corpus_dir: Path) -> bool:
    """Whether the corpus folder differs from what `index` was built from (a stat per file)."""
    current = scan_corpus(corpus_dir)
    old = index.manifest.files
    if current.keys() != old.keys():
        return True
    return any(not _same(stamp, old[rel]) for rel, (_, stamp) in current.items())


def refresh(
    corpus_dir: Path,
    store: IndexStore,
    *,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    on_wait: Callable[[], None] | None = None,
) -> tuple[RefreshReport, CorpusIndex]:
    """Update the index of `corpus_dir` in `store`; return what was done and the live index.

    `progress(done, total)` is called as files are ingested; `on_wait()` once if another
    process's refresh holds the lock (this one then waits for it). Raises `CorpusError` when the
    folder is missing or no article in it could be read (the old index, if any, stays).
    """
    t0 = time.perf_counter()
    corpus_dir = corpus_dir.resolve()
    with _locked(store, on_wait):
        current = scan_corpus(corpus_dir)
        old: CorpusIndex | None = None
        report = RefreshReport()
        if not force:
            try:
                old = store.load_current()
            except IndexUnusable as exc:
                report.reason = str(exc)
        old_files = old.manifest.files if old else {}

        todo = [
            rel for rel, (_, st) in current.items() if rel not in old_files or not _same(st, old_files[rel])
        ]
        report.removed = sum(1 for rel in old_files if rel not in current)
        report.unchanged = len(current) - len(todo)
        if old is not None and not todo and not report.removed:
            report.articles, report.sentences = old.manifest.articles, old.manifest.sentences
            report.skipped = dict(old.manifest.skipped)
            report.seconds = time.perf_counter() - t0
            return report, old

        done = 0

        def tick(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress(done, len(todo))

        todo_paths = [current[rel][0] for rel in todo]
        fresh = {r.rel_path: r for r in ingest_files(todo_paths, corpus_dir, workers=workers, progress=tick)}
        old_article_no = old.article_ids if old else {}
        chunks: list[ArticleChunk | CarriedArticle] = []
        files: dict[str, FileStamp] = {}
        skipped: dict[str, list[str]] = {}
        for rel, (_, stamp) in current.items():
            file_chunks: Sequence[ArticleChunk | CarriedArticle]
            if rel in fresh:
                result = fresh[rel]
                if rel in old_files:
                    report.changed += 1
                else:
                    report.added += 1
                file_chunks = result.chunks
                if result.skipped:
                    skipped[rel] = result.skipped
            else:
                assert old is not None
                stamp = old_files[rel]
                file_chunks = [old.carry(old_article_no[aid]) for aid in stamp.articles]
                if rel in old.manifest.skipped:
                    skipped[rel] = old.manifest.skipped[rel]
            chunks.extend(file_chunks)
            files[rel] = FileStamp(
                size=stamp.size, mtime_ns=stamp.mtime_ns, articles=[c.meta["article_id"] for c in file_chunks]
            )
        chunks = _drop_duplicate_ids(chunks, skipped)
        if not chunks:
            raise CorpusError(
                f"corpus folder {corpus_dir} holds no readable articles"
                + (f" ({sum(len(v) for v in skipped.values())} file(s) skipped)" if skipped else "")
            )
        index = assemble(chunks, files, skipped, corpus_dir)
        store.publish(index)
        report.published = True
        report.skipped = skipped
        report.articles, report.sentences = index.manifest.articles, index.manifest.sentences
        report.seconds = time.perf_counter() - t0
        return report, index


@contextmanager
def _locked(store: IndexStore, on_wait: Callable[[], None] | None) -> Iterator[None]:
    """Hold the store's lock; call `on_wait` first if it is taken, so the caller can say so."""
    from filelock import Timeout

    lock = store.lock()
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if on_wait is not None:
            on_wait()
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


def _drop_duplicate_ids(
    chunks: list[ArticleChunk | CarriedArticle], skipped: dict[str, list[str]]
) -> list[ArticleChunk | CarriedArticle]:
    """Two files with the same article id (`a.txt` and `a.md`): keep the first, report the other."""
    seen: set[str] = set()
    kept = []
    for ch in chunks:
        aid = ch.meta["article_id"]
        if aid in seen:
            skipped.setdefault(ch.meta["file"], []).append(f"{ch.meta['file']}: duplicate article id {aid}")
            continue
        seen.add(aid)
        kept.append(ch)
    return kept
