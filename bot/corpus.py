"""A corpus folder and its live index: what the CLI and the Slack app ask questions of.

It loads the saved index at start, rebuilds it when it is missing, corrupt or stale, and
picks up a newer index published by another process (`citebot refresh`) before the next
question, without a restart: the old index keeps answering until the new one is loaded.
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


@dataclass(frozen=True)
class Snapshot:
    """One index with the retriever and answerer built on it; swapped whole on reload."""

    version: str | None
    index: CorpusIndex
    answerer: Answerer


class Corpus:
    def __init__(self, corpus_dir: Path, index_dir: Path | None = None) -> None:
        self.corpus_dir = corpus_dir.resolve()
        self.store = IndexStore(index_dir or default_index_dir(self.corpus_dir))
        self._snapshot: Snapshot | None = None
        self._reload_lock = threading.Lock()
        self.last_report: RefreshReport | None = None
        self.last_fetch: FetchReport | None = None
        #: Called with each index this process publishes, right after publishing (follow digests).
        self.on_publish: list[Callable[[CorpusIndex], None]] = []

    # --- opening and refreshing ---------------------------------------------------------

    def open(
        self,
        *,
        check_stale: bool = True,
        progress: Callable[[int, int], None] | None = None,
        on_wait: Callable[[], None] | None = None,
    ) -> RefreshReport | None:
        """Load the index, building or updating it first when needed. Returns a report if it did."""
        try:
            index = self.store.load_current()
        except IndexUnusable as exc:
            log.info("building index: %s", exc)
            return self.refresh(progress=progress, on_wait=on_wait)
        if check_stale and stale_files(index, self.corpus_dir):
            return self.refresh(progress=progress, on_wait=on_wait)
        self._install(index)
        return None

    def refresh(
        self,
        *,
        force: bool = False,
        progress: Callable[[int, int], None] | None = None,
        on_wait: Callable[[], None] | None = None,
    ) -> RefreshReport:
        report, index = refresh(self.corpus_dir, self.store, force=force, progress=progress, on_wait=on_wait)
        self.last_report = report
        self._install(index)
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
        return self.refresh()

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
                self.refresh(force=True)
            return self.snapshot.answerer.answer(question, context=context)
