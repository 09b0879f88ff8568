"""`citebot sources add/list/remove`, and the fetch lines of `citebot refresh` and `citebot status`.

`bot.cli` loads this module only when a `sources` command runs (and `refresh`/`status` import
it when they need it), so answering questions never imports the fetching code.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from bot.console import fail as _fail
from bot.console import out, writable_corpus
from bot.options import CorpusOpt
from bot.sources.config import Kind, Source, SourcesError, add_source, load_sources, remove_source
from bot.sources.store import read_state

if TYPE_CHECKING:
    from bot.sources.report import FetchReport

__all__ = ["print_fetch_report", "print_sources_status", "sources_app"]

sources_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Feeds and pages that `citebot refresh` pulls articles from (the corpus's sources.toml).",
)


def _corpus_dir(corpus: Path | None) -> Path:
    return writable_corpus(corpus)


def _ago(when: datetime | None) -> str:
    if when is None:
        return "never"
    minutes = (datetime.now(UTC) - when).total_seconds() / 60
    span = f"{minutes:.0f} min" if minutes < 120 else f"{minutes / 60:.0f} h"
    return f"{when:%Y-%m-%d %H:%M} UTC ({span} ago)"


@sources_app.command("add")
def add(
    url: Annotated[str, typer.Argument(help="An RSS/Atom feed or an article page (http or https).")],
    name: Annotated[str | None, typer.Option("--name", help="A short name (used for the folder).")] = None,
    kind: Annotated[
        Kind | None, typer.Option("--kind", help="feed or page [default: detected by fetching the URL].")
    ] = None,
    corpus: CorpusOpt = None,
) -> None:
    """Add a source to the corpus's sources.toml (created if missing)."""
    folder = _corpus_dir(corpus)
    try:
        source = Source(url=url, name=name, kind=kind)
    except ValidationError as exc:
        raise _fail(str(exc.errors()[0]["msg"]).removeprefix("Value error, ")) from None
    try:  # a duplicate is refused before the network is asked anything
        config = load_sources(folder)
    except SourcesError as e:
        raise _fail(str(e)) from None
    if config is not None and (config.find(source.url) or (source.name and config.find(source.name))):
        raise _fail(f"{source.url if config.find(source.url) else repr(source.name)} is already a source")
    if source.kind is None:
        from bot.sources.fetch import FetchError
        from bot.sources.run import probe_kind

        try:
            detected, problem = probe_kind(source.url, config.fetch if config else None)
        except FetchError as e:
            raise _fail(f"cannot fetch {source.url}: {e} (use --kind feed|page to add it anyway)") from None
        if problem:
            raise _fail(f"{source.url}: {problem} (use --kind feed|page to add it anyway)")
        source = source.model_copy(update={"kind": detected})
    try:
        add_source(folder, source)
    except SourcesError as e:
        raise _fail(str(e)) from None
    out.print(f"added {source.kind} {escape(source.label)} → fetched/{source.slug}/ (run `citebot refresh`)")


@sources_app.command("list")
def list_(corpus: CorpusOpt = None) -> None:
    """List the sources with the outcome of their last fetch."""
    folder = _corpus_dir(corpus)
    if not print_sources_status(folder, out, verbose=True):
        out.print("no sources (add one with `citebot sources add URL`)")


@sources_app.command("remove")
def remove(
    key: Annotated[str, typer.Argument(help="The source's URL or name.")],
    corpus: CorpusOpt = None,
) -> None:
    """Remove a source. Articles already fetched from it stay (delete fetched/<name>/ to drop them)."""
    folder = _corpus_dir(corpus)
    try:
        source = remove_source(folder, key)
    except SourcesError as e:
        raise _fail(str(e)) from None
    out.print(f"removed {escape(source.label)}; its articles stay in fetched/{source.slug}/")


# --------------------------------------------------------------------------- used by refresh and status


def print_fetch_report(report: FetchReport, out: Console, err: Console) -> None:
    """The fetch summary of `citebot refresh`: one line per source, its failed articles under it.

    Only a fetch that did not happen at all goes to stderr; a broken source is part of the summary.
    """
    if not report.configured and not report.error:
        return
    (err if report.error else out).print(escape(report.summary()))
    if report.warning:
        err.print(f"[yellow]warning[/yellow] {escape(report.warning)}")
    for s in report.sources:
        line = f"  {escape(s.name)}: {escape(s.summary())}"
        out.print(f"[red]{line}[/red]" if s.outcome == "error" else line)
        if s.warning:
            out.print(f"    [yellow]warning[/yellow] {escape(s.warning)}")
        for failure in s.failed:
            out.print(f"    [yellow]failed[/yellow] {escape(failure)}")


def print_sources_status(corpus_dir: Path, out: Console, *, verbose: bool = False) -> bool:
    """Each source's last fetch (time, outcome, articles stored); False when there are none."""
    try:
        config = load_sources(corpus_dir)
    except SourcesError as e:
        out.print(f"sources:   [red]{escape(str(e))}[/red]")
        return True
    if config is None or not config.sources:
        return False
    state = read_state(corpus_dir)
    stored: dict[str, set[str]] = {}
    for seen in state.seen.values() if state else ():
        if seen.path:
            stored.setdefault(seen.source, set()).add(seen.path)
    out.print(f"sources:   {len(config.sources)}")
    for s in config.sources:
        st = state.sources.get(s.url) if state else None
        outcome = "not fetched yet"
        if st is not None and st.outcome:
            outcome = {"ok": f"ok, {st.new} new", "not_modified": "unchanged (304)"}.get(st.outcome, "error")
            if st.error:
                outcome += f": {st.error}"
        label = escape(s.name or s.url)
        count = len(stored.get(s.url, ()))
        last = _ago(st.last_fetch if st else None)
        line = (
            f"  {label} ({s.kind or 'auto'}, {count} article{'' if count == 1 else 's'}): last fetch {last}"
        )
        out.print(f"{line}, {escape(outcome)}" + (f"\n    {escape(s.url)}" if verbose and s.name else ""))
    return True
