"""What a fetch of a corpus's sources did, per source: for the CLI, logs and `Corpus.last_fetch`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field

__all__ = ["FetchReport", "Outcome", "SourceReport"]

Outcome = Literal["ok", "not_modified", "error"]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class SourceReport(BaseModel):
    """One source's result. `error` is set when the source itself failed (nothing was read from
    it); `failed` lists the articles of a working feed that could not be stored, with reasons."""

    name: str
    url: str
    kind: str | None = None
    outcome: Outcome = "ok"
    error: str | None = None
    warning: str | None = None
    entries: int = 0  # links the feed lists
    fetched: int = 0  # article pages downloaded and extracted
    new: int = 0  # article files written
    updated: int = 0  # a page source whose text changed: its file rewritten
    duplicates: int = 0  # articles already stored from another link, feed or source
    failed: list[str] = Field(default_factory=list)

    def summary(self) -> str:
        if self.outcome == "error":
            return f"error: {self.error}"
        if self.outcome == "not_modified":
            return "unchanged (304 Not Modified)"
        parts = [f"{self.new} new"]
        if self.updated:
            parts.append(f"{self.updated} updated")
        if self.duplicates:
            parts.append(_plural(self.duplicates, "duplicate"))
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        what = self.kind or "?"
        if self.kind == "feed":
            what = f"feed, {self.entries} {'entry' if self.entries == 1 else 'entries'}"
        return f"{', '.join(parts)} ({_plural(self.fetched, 'page')} fetched; {what})"


class FetchReport(BaseModel):
    """The whole fetch. `error` is set when nothing was fetched at all (an invalid sources.toml,
    another fetch already running, an unwritable corpus folder)."""

    configured: bool = False  # the corpus has a sources.toml
    error: str | None = None
    warning: str | None = None
    sources: list[SourceReport] = Field(default_factory=list)
    new_files: list[str] = Field(default_factory=list)  # corpus-relative paths written
    started_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    seconds: float = 0.0

    @property
    def new(self) -> int:
        return sum(s.new + s.updated for s in self.sources)

    @property
    def failed_sources(self) -> list[SourceReport]:
        return [s for s in self.sources if s.outcome == "error"]

    def summary(self) -> str:
        """One line: what the CLI prints before the per-source lines."""
        if self.error:
            return f"sources not fetched: {self.error}"
        if not self.configured:
            return "no sources.toml: nothing to fetch"
        bad = len(self.failed_sources)
        head = f"fetched {_plural(len(self.sources), 'source')} in {self.seconds:.1f}s"
        return f"{head}: {self.new} new article(s)" + (f", {bad} source(s) failed" if bad else "")
