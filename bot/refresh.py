"""Bringing the index up to date with the corpus folder, redoing only what changed.

Files are compared by size and modification time with the stamps in the current index's
manifest. Unchanged files' articles are carried over from the old index as they are (no
parsing, no tokenizing); new and changed files go through `ingest`. A bad file is skipped
with its reason, and everything else is still indexed. The result is published atomically.

Every file found is counted once in the report: added, changed or unchanged when it gave
articles, skipped (with its reason) when it gave none, including files that are not read at
all (a `.pdf`, a named pipe, a link out of the corpus).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel, Field

from bot.corpus_scan import CorpusScan, scan_corpus_files
from bot.index import CarriedArticle, CorpusIndex, FileStamp, IndexUnusable
from bot.index_build import assemble
from bot.index_store import IndexStore
from bot.ingest import ArticleChunk, ingest_files
from bot.refresh_outcome import names_line


class CorpusError(Exception):
    """A corpus folder that cannot be indexed at all (missing, or holding no articles)."""


#: Notes (fields cut) kept in a report: they are examples of one warning, not a log.
MAX_NOTES = 20
#: Files named per kind (added, changed, removed, kept) in a report: the first ones and a count,
#: so a refresh of 100,000 new files is not 100,000 names in the outcome file.
MAX_NAMES = 10
#: Said of a file that was indexed and can no longer be read: its indexed version stays.
KEPT = "kept the indexed version"


def _named(rels: list[str]) -> list[str]:
    """The first `MAX_NAMES` of `rels` (sorted)."""
    return sorted(rels)[:MAX_NAMES]


class RefreshReport(BaseModel):
    """What a refresh did; the CLI prints it and `/healthz` can show it.

    `added`, `changed`, `unchanged` and `skipped_files` count each file found exactly once
    (`skipped_files`: files that gave no article this time); `skipped` holds the reasons, for
    those files and for bad lines of bulk files that gave articles too. `kept` counts the skipped
    files that were indexed before and keep that version (a bad file loses nothing indexed).
    `names` holds the first `MAX_NAMES` files of each of added, changed, removed and kept.
    `notes` says what was kept but cut.
    """

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped_files: int = 0
    kept: int = 0
    names: dict[str, list[str]] = Field(default_factory=dict)
    skipped: dict[str, list[str]] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)
    notes_total: int = 0
    articles: int = 0
    sentences: int = 0
    seconds: float = 0.0
    published: bool = False
    reason: str = ""

    @property
    def did_work(self) -> bool:
        return self.published

    def summary(self) -> str:
        """One line with every count, e.g. `3 added, 0 changed, 0 removed, 1 unchanged, 4 skipped; …`."""
        kept = f" ({self.kept} kept the indexed version)" if self.kept else ""
        return (
            f"{self.added} added, {self.changed} changed, {self.removed} removed, "
            f"{self.unchanged} unchanged, {self.skipped_files} skipped{kept}; "
            f"{self.articles} articles, {self.sentences} sentences in {self.seconds:.1f}s"
        )

    def names_lines(self) -> list[str]:
        """`removed: a.txt, b.txt and 3 more` for each kind of file that has any."""
        totals = {"added": self.added, "changed": self.changed, "removed": self.removed, "kept": self.kept}
        return [
            f"{kind}: {names_line(self.names[kind], totals[kind])}" for kind in totals if self.names.get(kind)
        ]

    def notes_summary(self) -> str | None:
        """The one warning for everything that was cut, or None when nothing was."""
        if not self.notes_total:
            return None
        return (
            f"{self.notes_total} title(s) or metadata field(s) were too long and were cut "
            f"(e.g. {self.notes[0]})"
        )


def check_corpus_dir(corpus_dir: Path) -> None:
    """`CorpusError` unless `corpus_dir` is an existing folder."""
    if not corpus_dir.exists():
        raise CorpusError(f"corpus folder {corpus_dir} does not exist")
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus {corpus_dir} must be a folder of article files, not a file")


def _stamps(corpus_dir: Path, scan: CorpusScan) -> dict[str, tuple[Path, FileStamp]]:
    found: dict[str, tuple[Path, FileStamp]] = {}
    for path in scan.files:
        try:
            st = path.stat()
        except OSError as exc:
            scan.skipped[path.relative_to(corpus_dir).as_posix()] = f"cannot read file: {exc.strerror or exc}"
            continue
        stamp = FileStamp(size=st.st_size, mtime_ns=st.st_mtime_ns)
        found[path.relative_to(corpus_dir).as_posix()] = (path, stamp)
    return found


def scan_corpus(corpus_dir: Path, *, allow_outside_links: bool = False) -> dict[str, tuple[Path, FileStamp]]:
    """Every article file of the corpus with its current stamp, keyed by relative path."""
    check_corpus_dir(corpus_dir)
    return _stamps(corpus_dir, scan_corpus_files(corpus_dir, allow_outside=allow_outside_links))


def _same(a: FileStamp, b: FileStamp) -> bool:
    return a.size == b.size and a.mtime_ns == b.mtime_ns


class RefreshPlan(BaseModel):
    """What a refresh would do now, from file stamps alone (nothing is read or built): the files
    it would add, re-read and remove, each sorted."""

    added: list[str] = Field(default_factory=list)
    changed: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)

    @property
    def pending(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def summary(self) -> str:
        """`nothing to do`, or `2 to add (a.txt, b.txt), 1 to remove (c.txt)`, names bounded."""
        parts = [
            f"{len(rels)} to {verb} ({names_line(_named(rels), len(rels))})"
            for verb, rels in (("add", self.added), ("re-read", self.changed), ("remove", self.removed))
            if rels
        ]
        return ", ".join(parts) or "nothing to do"


def plan_refresh(
    index: CorpusIndex | None, corpus_dir: Path, *, allow_outside_links: bool = False
) -> RefreshPlan:
    """What `refresh` would do to bring `index` (None: no usable index) up to date with the folder.

    `allow_outside_links` must be what the index was built with, or the two scans disagree.
    """
    current = scan_corpus(corpus_dir, allow_outside_links=allow_outside_links)
    old = index.manifest.files if index is not None else {}
    return RefreshPlan(
        added=sorted(rel for rel in current if rel not in old),
        changed=sorted(rel for rel, (_, st) in current.items() if rel in old and not _same(st, old[rel])),
        removed=sorted(rel for rel in old if rel not in current),
    )


def stale_files(index: CorpusIndex, corpus_dir: Path, *, allow_outside_links: bool = False) -> bool:
    """Whether the corpus folder differs from what `index` was built from (a stat per file)."""
    return plan_refresh(index, corpus_dir, allow_outside_links=allow_outside_links).pending


def refresh(
    corpus_dir: Path,
    store: IndexStore,
    *,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    on_wait: Callable[[], None] | None = None,
    lock_timeout: float = -1,
    allow_outside_links: bool = False,
) -> tuple[RefreshReport, CorpusIndex]:
    """Update the index of `corpus_dir` in `store`; return what was done and the live index.

    `progress(done, total)` is called as files are ingested; `on_wait()` once if another
    process's refresh holds the lock (this one then waits for it). Raises `CorpusError` when the
    folder is missing or no article in it could be read (the old index, if any, stays), and
    `filelock.Timeout` when another refresh holds the lock longer than `lock_timeout` seconds.
    Nothing is written into a corpus that is missing or holds no article files. Symbolic links
    to files outside the corpus are skipped unless `allow_outside_links`.
    """
    t0 = time.perf_counter()
    corpus_dir = corpus_dir.resolve()
    check_corpus_dir(corpus_dir)
    scan = scan_corpus_files(corpus_dir, allow_outside=allow_outside_links)
    if not scan.files:
        raise CorpusError(
            f"corpus folder {corpus_dir} holds no readable articles: no article files"
            + (f" ({len(scan.skipped)} file(s) of other kinds skipped)" if scan.skipped else "")
        )
    with _locked(store, on_wait, lock_timeout):
        store.remove_leftovers()  # under the lock, any temporary version is a dead refresh's
        current = _stamps(corpus_dir, scan)
        not_read = {rel: [f"{rel}: {reason}"] for rel, reason in scan.skipped.items()}
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
        gone = [rel for rel in old_files if rel not in current]
        report.removed = len(gone)
        if old is not None and not todo and not report.removed:
            kept = {rel: why for rel, why in old.manifest.skipped.items() if rel in current}
            report.skipped = {**kept, **not_read}
            report.skipped_files = len(not_read) + sum(not old_files[rel].articles for rel in current)
            report.unchanged = len(current) - report.skipped_files + len(not_read)
            report.articles, report.sentences = old.manifest.articles, old.manifest.sentences
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
        notes: list[str] = []
        named: dict[str, list[str]] = {"added": [], "changed": [], "removed": gone, "kept": []}
        for rel, (_, stamp) in current.items():
            file_chunks: Sequence[ArticleChunk | CarriedArticle]
            if rel in fresh:
                result = fresh[rel]
                status = "changed" if rel in old_files else "added"
                file_chunks = list(result.chunks)
                if result.skipped:
                    skipped[rel] = result.skipped
                report.notes_total += len(result.notes)
                notes.extend(result.notes[: MAX_NOTES - len(notes)])
                before = old_files[rel].articles if rel in old_files else []
                if not file_chunks and old is not None and before:
                    # Indexed before, unreadable now (bad bytes, a hostile rewrite): skipped with its
                    # reason, and its indexed version kept, under the new stamp so that it is not
                    # re-read until it changes again.
                    file_chunks = [old.carry(old_article_no[aid]) for aid in before]
                    skipped[rel] = [f"{why}; {KEPT}" for why in result.skipped] or [f"{rel}: {KEPT}"]
                    report.kept += 1
                    named["kept"].append(rel)
                    status = "skipped_files"
            else:
                assert old is not None
                status = "unchanged"
                stamp = old_files[rel]
                file_chunks = [old.carry(old_article_no[aid]) for aid in stamp.articles]
                if rel in old.manifest.skipped:
                    skipped[rel] = old.manifest.skipped[rel]
            if not file_chunks:
                status = "skipped_files"
            setattr(report, status, getattr(report, status) + 1)
            if status in ("added", "changed"):
                named[status].append(rel)
            chunks.extend(file_chunks)
            files[rel] = FileStamp(
                size=stamp.size, mtime_ns=stamp.mtime_ns, articles=[c.meta["article_id"] for c in file_chunks]
            )
        chunks = _drop_duplicate_ids(chunks, skipped)
        skipped.update(not_read)
        report.skipped_files += len(not_read)
        report.notes = notes
        report.names = {kind: _named(rels) for kind, rels in named.items() if rels}
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
def _locked(store: IndexStore, on_wait: Callable[[], None] | None, timeout: float = -1) -> Iterator[None]:
    """Hold the store's lock; call `on_wait` first if it is taken, so the caller can say so.

    Waits at most `timeout` seconds (-1: as long as it takes), then raises `filelock.Timeout`.
    """
    from filelock import Timeout

    lock = store.lock()
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if on_wait is not None:
            on_wait()
        lock.acquire(timeout=timeout)
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
