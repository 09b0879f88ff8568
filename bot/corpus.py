"""A corpus folder and its live index: what the CLI and the Slack app ask questions of.

It loads the saved index at start, rebuilds it when it is missing, corrupt or stale, and
picks up a newer index published by another process (`citebot refresh`) before the next
question, without a restart: the old index keeps answering until the new one is loaded.

A refresh that fails for any reason (a full disk, a hung file, a bug) never stops answering
when a good index exists: the last good one is used, and `stale` says why, logged once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.answering import Answerer
from bot.index import CorpusIndex, IndexUnusable
from bot.index_store import IndexStore, default_index_dir
from bot.models import Answer, Conversation
from bot.refresh import RefreshReport, refresh, stale_files
from bot.retriever import Retriever

if TYPE_CHECKING:
    from bot.sources import FetchReport

log = logging.getLogger(__name__)


#: How long opening waits for another process's refresh before answering from the last good index.
LOCK_WAIT_SECONDS = 5.0


@dataclass(frozen=True)
class Snapshot:
    """One index with the retriever and answerer built on it; swapped whole on reload."""

    version: str | None
    index: CorpusIndex
    answerer: Answerer


class Corpus:
    def __init__(
        self, corpus_dir: Path, index_dir: Path | None = None, *, allow_outside_links: bool = False
    ) -> None:
        """`allow_outside_links`: index files that symbolic links in the corpus point to outside
        it (off by default: a link to a `.env` would make its secrets quotable)."""
        self.corpus_dir = corpus_dir.resolve()
        self.allow_outside_links = allow_outside_links
        self.store = IndexStore(index_dir or default_index_dir(self.corpus_dir))
        self._snapshot: Snapshot | None = None
        self._reload_lock = threading.Lock()
        self.last_report: RefreshReport | None = None
        self.last_fetch: FetchReport | None = None
        #: Called with each index this process publishes, right after publishing (follow digests).
        self.on_publish: list[Callable[[CorpusIndex], None]] = []
        #: Why the index answering is older than the corpus (None when it is not known to be).
        self.stale: str | None = None

    # --- opening and refreshing ---------------------------------------------------------

    def open(
        self,
        *,
        check_stale: bool = True,
        progress: Callable[[int, int], None] | None = None,
        on_wait: Callable[[], None] | None = None,
    ) -> RefreshReport | None:
        """Load the index, building or updating it first when needed. Returns a report if it did.

        When the build or update fails and some good index exists, that one is installed and
        `stale` is set; without any good index the failure is raised.
        """
        self.store.remove_leftovers_if_idle()
        try:
            index = self.store.load_current()
        except IndexUnusable as exc:
            log.info("building index: %s", exc)
            return self._refresh_or_fall_back(progress, None, on_wait)
        problem = None
        try:
            changed = check_stale and stale_files(
                index, self.corpus_dir, allow_outside_links=self.allow_outside_links
            )
        except Exception as exc:  # the corpus folder vanished or cannot be listed
            problem, changed = f"the corpus folder cannot be read: {_why(exc)}", False
        if changed:
            return self._refresh_or_fall_back(progress, index, on_wait)
        self._install(index)
        if problem:
            self._mark_stale(problem)
        return None

    def _refresh_or_fall_back(
        self,
        progress: Callable[[int, int], None] | None,
        good: CorpusIndex | None,
        on_wait: Callable[[], None] | None = None,
    ) -> RefreshReport | None:
        """Refresh; on failure answer from `good` or, failing that, the newest version that loads."""
        from filelock import Timeout

        try:
            if good is None:
                good = self.store.load_previous()
        except IndexUnusable:
            good = None
        if good is None:
            return self.refresh(
                progress=progress, on_wait=on_wait
            )  # nothing to fall back to: the error is the answer
        try:
            return self.refresh(progress=progress, on_wait=on_wait, lock_timeout=LOCK_WAIT_SECONDS)
        except Timeout:
            reason = f"another refresh has held the index lock for over {LOCK_WAIT_SECONDS:g}s"
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # any failure: the good index still answers
            reason = f"the refresh failed: {_why(exc)}"
        self._install(good)
        self._mark_stale(reason)
        return None

    def _mark_stale(self, reason: str) -> None:
        """Note that the index answering is out of date, and log it once per reason."""
        if reason != self.stale:
            built = self._snapshot.index.manifest.built_at if self._snapshot else None
            when = f" (built {built:%Y-%m-%d %H:%M} UTC)" if built else ""
            # a warning: `serve` logs it, and `ask` (no logging set up) prints it on stderr
            log.warning("stale index: answering from the last good index%s: %s", when, reason)
        self.stale = reason

    def refresh(
        self,
        *,
        force: bool = False,
        progress: Callable[[int, int], None] | None = None,
        on_wait: Callable[[], None] | None = None,
        lock_timeout: float = -1,
    ) -> RefreshReport:
        report, index = refresh(
            self.corpus_dir,
            self.store,
            force=force,
            progress=progress,
            on_wait=on_wait,
            lock_timeout=lock_timeout,
            allow_outside_links=self.allow_outside_links,
        )
        self.last_report = report
        self._install(index)
        self.stale = None
        if report.published:
            for hook in self.on_publish:
                try:
                    hook(index)
                except Exception:  # a failed digest must not fail the refresh that published
                    log.exception("after publishing index %s", index.path)
        return report

    def update(self) -> RefreshReport:
        """What a scheduled refresh does: pull configured sources (if any), then re-index.

        The fetch report is kept in `self.last_fetch`; fetching never raises, so a broken
        source cannot stop the index refresh.
        """
        from bot.sources import fetch_sources  # httpx and friends: not needed to answer questions

        self.last_fetch = fetch_sources(self.corpus_dir)
        try:
            return self.refresh()
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:
            if self._snapshot is None:
                raise
            self._mark_stale(f"the refresh failed: {_why(exc)}")
            m = self._snapshot.index.manifest  # what is still answering
            return RefreshReport(articles=m.articles, sentences=m.sentences, reason=self.stale or "")

    def _install(self, index: CorpusIndex) -> None:
        version = index.path.name if index.path else None
        answerer = Answerer(index, Retriever(index))
        answerer.warm()  # before the swap: the first question after a reload is not slower
        self._snapshot = Snapshot(version, index, answerer)

    def reload_if_newer(self) -> bool:
        """Switch to the index another process published since; keep the old one on failure."""
        current = self.store.current_version()
        snap = self._snapshot
        if current is None or (snap is not None and snap.version == current):
            return False
        with self._reload_lock:
            if self._snapshot is not None and self._snapshot.version == current:
                return False
            try:
                index = self.store.load_current()
            except IndexUnusable as exc:
                log.warning("keeping the old index: the new one did not load: %s", exc)
                return False
            self._install(index)
            log.info("loaded index %s (%d articles)", current, index.manifest.articles)
            return True

    # --- answering ----------------------------------------------------------------------

    @property
    def snapshot(self) -> Snapshot:
        if self._snapshot is None:
            self.open()
        assert self._snapshot is not None
        return self._snapshot

    @property
    def index(self) -> CorpusIndex:
        return self.snapshot.index

    def answer(self, question: str, context: str | Conversation | None = None) -> Answer:
        self.reload_if_newer()
        try:
            return self.snapshot.answerer.answer(question, context=context)
        except IndexUnusable as exc:  # a damaged index file, found while reading an article
            log.warning("rebuilding the index from the corpus files: %s", exc)
            with self._reload_lock:
                damaged = self.snapshot.version
                try:
                    self.refresh(force=True)
                except (KeyboardInterrupt, SystemExit):
                    raise
                except BaseException as failure:
                    try:  # an older version, if one is sound, rather than no answer
                        self._install(self.store.load_previous(exclude=damaged))
                    except IndexUnusable:
                        raise failure from None
                    self._mark_stale(f"the damaged index could not be rebuilt: {_why(failure)}")
            return self.snapshot.answerer.answer(question, context=context)


def _why(exc: BaseException) -> str:
    """A one-line reason for a failure (`OSError: [Errno 28] No space left on device`)."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}" + (f": {exc.filename}" if exc.filename else "")
    text = " ".join(str(exc).split())[:300]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
