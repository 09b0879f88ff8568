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
from bot.sources.urls import redact_text, redact_url

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
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private",
            help="An intranet source: it and the pages it links to may be on loopback or private addresses.",
        ),
    ] = False,
    corpus: CorpusOpt = None,
) -> None:
    """Add a source to the corpus's sources.toml (created if missing); a listed URL is updated."""
    folder = _corpus_dir(corpus)
    try:
        source = Source(url=url, name=name, kind=kind, allow_private=allow_private)
    except ValidationError as exc:
        raise _fail(redact_text(str(exc.errors()[0]["msg"]).removeprefix("Value error, "))) from None
    try:  # a name taken by another source is refused before the network is asked anything
        config = load_sources(folder)
    except SourcesError as e:
        raise _fail(redact_text(str(e))) from None
    listed = config.find(source.url) if config is not None else None
    if listed is not None and not listed.matches(source.url):
        listed = None
    named = config.find(source.name) if config is not None and source.name else None
    if named is not None and named is not listed:
        raise _fail(f"{source.name!r} is already a source")
    if listed is not None:  # adding it again updates it: keep what is not given anew
        source = source.model_copy(
            update={"url": listed.url, "name": source.name or listed.name, "kind": source.kind or listed.kind}
        )
    if source.kind is None:
        from bot.sources.addresses import PRIVATE_HINT
        from bot.sources.fetch import FetchError
        from bot.sources.run import probe_kind

        shown = redact_url(source.url)
        try:
            detected, problem = probe_kind(
                source.url, config.fetch if config else None, allow_private=source.allow_private
            )
        except FetchError as e:
            reason = str(e)
            hint = "use --kind feed|page to add it anyway"
            if PRIVATE_HINT in reason:  # the command's own option, not the file's key
                reason = reason.replace(PRIVATE_HINT, "")
                hint = f"use --allow-private for an intranet source, or {hint.removeprefix('use ')}"
            raise _fail(f"cannot fetch {shown}: {reason} ({hint})") from None
        if problem:
            raise _fail(f"{shown}: {problem} (use --kind feed|page to add it anyway)")
        source = source.model_copy(update={"kind": detected})
    try:
        add_source(folder, source)
    except SourcesError as e:
        raise _fail(redact_text(str(e))) from None
    verb = "updated" if listed is not None else "added"
    private = " (may reach private addresses)" if source.allow_private else ""
    label = escape(source.name or redact_url(source.url))
    out.print(f"{verb} {source.kind} {label}{private} → fetched/{source.slug}/ (run `citebot refresh`)")


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
    label = escape(source.name or redact_url(source.url))
    out.print(f"removed {label}; its articles stay in fetched/{source.slug}/")


# --------------------------------------------------------------------------- used by refresh and status


def print_fetch_report(report: FetchReport, out: Console, err: Console) -> None:
    """The fetch summary of `citebot refresh`: one line per source, its failed articles under it.

    Only a fetch that did not happen at all goes to stderr; a broken source is part of the summary.
    """
    if not report.configured and not report.error:
        return
    (err if report.error else out).print(escape(redact_text(report.summary())))
    if report.warning:
        err.print(f"[yellow]warning[/yellow] {escape(redact_text(report.warning))}")
    for s in report.sources:
        line = f"  {escape(redact_text(s.name))}: {escape(redact_text(s.summary()))}"
        out.print(f"[red]{line}[/red]" if s.outcome == "error" else line)
        if s.warning:
            out.print(f"    [yellow]warning[/yellow] {escape(redact_text(s.warning))}")
        for failure in s.failed:
            out.print(f"    [yellow]failed[/yellow] {escape(redact_text(failure))}")


def print_sources_status(corpus_dir: Path, out: Console, *, verbose: bool = False) -> bool:
    """Each source's last fetch (time, outcome, articles stored); False when there are none."""
    try:
        config = load_sources(corpus_dir)
    except SourcesError as e:
        out.print(f"sources:   [red]{escape(redact_text(str(e)))}[/red]")
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
                outcome += f": {redact_text(st.error)}"
        label = escape(s.name or redact_url(s.url))
        count = len(stored.get(s.url, ()))
        last = _ago(st.last_fetch if st else None)
        line = (
            f"  {label} ({s.kind or 'auto'}, {count} article{'' if count == 1 else 's'}): last fetch {last}"
        )
        out.print(
            f"{line}, {escape(outcome)}"
            + (f"\n    {escape(redact_url(s.url))}" if verbose and s.name else "")
        )
    return True
