"""What the last refresh job did, written beside the index for every replica to report.

`citebot refresh` usually runs as its own scheduled job, apart from the `serve` replicas;
they learn how it went (when, added/changed/skipped, errors, each source's status) from
`refresh-outcome.json` in the shared index folder, replaced atomically so a reader never
sees half a file.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field, ValidationError

if TYPE_CHECKING:
    from bot.refresh import RefreshReport
    from bot.sources import FetchReport

FILE_NAME = "refresh-outcome.json"


class SourceOutcome(BaseModel):
    name: str
    url: str
    outcome: str
    new: int = 0
    error: str | None = None


class RefreshOutcome(BaseModel):
    """One refresh run, success or not (`interrupted`: stopped by Ctrl-C or a signal; the index
    it was building was never published, so the previous one is still in use).

    `names` holds the first files of each kind (added, changed, removed, kept: skipped but still
    indexed in its earlier version), `RefreshReport.names`, beside the counts."""

    at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    ok: bool = True
    error: str | None = None
    interrupted: bool = False
    published: bool = False
    added: int = 0
    changed: int = 0
    removed: int = 0
    skipped: int = 0
    kept: int = 0
    names: dict[str, list[str]] = Field(default_factory=dict)
    articles: int = 0
    sentences: int = 0
    seconds: float = 0.0
    fetch_error: str | None = None
    sources: list[SourceOutcome] = Field(default_factory=list)


def outcome_of(
    report: RefreshReport | None,
    fetch: FetchReport | None = None,
    error: str | None = None,
    *,
    interrupted: bool = False,
) -> RefreshOutcome:
    out = RefreshOutcome(ok=error is None and report is not None, error=error, interrupted=interrupted)
    if report is not None:
        out.published, out.added, out.changed = report.published, report.added, report.changed
        out.removed, out.articles, out.sentences = report.removed, report.articles, report.sentences
        out.skipped = report.skipped_files  # files, each counted once, as the summary counts them
        out.kept, out.names = report.kept, report.names
        out.seconds = report.seconds
    if fetch is not None:
        out.fetch_error = fetch.error
        out.sources = [
            SourceOutcome(name=s.name, url=s.url, outcome=s.outcome, new=s.new + s.updated, error=s.error)
            for s in fetch.sources
        ]
    return out


def write_outcome(index_root: Path, outcome: RefreshOutcome) -> Path:
    """Replace `refresh-outcome.json` atomically (write a temp file, then rename over)."""
    index_root.mkdir(parents=True, exist_ok=True)
    path = index_root / FILE_NAME
    tmp = index_root / f".{FILE_NAME}.{os.getpid()}.tmp"
    tmp.write_text(outcome.model_dump_json(indent=1), encoding="utf-8")
    os.replace(tmp, path)
    return path


def read_outcome(index_root: Path) -> RefreshOutcome | None:
    """The last outcome, or None when no refresh job has written one (or it cannot be read)."""
    try:
        return RefreshOutcome.model_validate_json((index_root / FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValidationError):
        return None


def record(
    index_root: Path,
    report: RefreshReport | None,
    fetch: FetchReport | None = None,
    error: str | None = None,
    *,
    interrupted: bool = False,
) -> None:
    """Write the outcome; a failure to write is logged, never raised (the refresh itself is done)."""
    try:
        write_outcome(index_root, outcome_of(report, fetch, error, interrupted=interrupted))
    except OSError as exc:
        logging.getLogger(__name__).warning("could not write %s in %s: %s", FILE_NAME, index_root, exc)


def names_line(names: list[str], total: int) -> str:
    """`a.txt, b.txt` or, when `total` is more than the names shown, `a.txt, b.txt and 8 more`."""
    more = total - len(names)
    return ", ".join(names) + (f" and {more:,} more" if more > 0 else "")


def describe(outcome: RefreshOutcome) -> str:
    """What `citebot status` says of the last run: one line, then one per kind of file it names
    (`  removed: a.txt, b.txt and 3 more`)."""
    when = f"{outcome.at:%Y-%m-%d %H:%M:%S} UTC"
    if outcome.interrupted:
        return f"{when}: interrupted: {outcome.error}"
    if not outcome.ok:
        return f"{when}: failed: {outcome.error}"
    failed = [s.name for s in outcome.sources if s.outcome == "error"]
    kept = f" ({outcome.kept} kept the indexed version)" if outcome.kept else ""
    text = (
        f"{when}: {outcome.added} added, {outcome.changed} changed, {outcome.removed} removed, "
        f"{outcome.skipped} skipped{kept}{' (published)' if outcome.published else ''}"
    )
    if outcome.fetch_error:
        text += f"; sources not fetched: {outcome.fetch_error}"
    elif failed:
        text += f"; sources failing: {', '.join(failed)}"
    totals = {"added": outcome.added, "changed": outcome.changed, "removed": outcome.removed}
    totals["kept"] = outcome.kept
    for kind, total in totals.items():
        if outcome.names.get(kind):
            text += f"\n  {kind}: {names_line(outcome.names[kind], total)}"
    return text
