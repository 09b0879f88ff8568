"""`citebot quotes`: the quote bank in the terminal, or as JSON lines for tools and scorers."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from bot.console import out
from bot.options import CorpusOpt, IndexOpt
from bot.terminal import line

if TYPE_CHECKING:
    from bot.periods import Period


def _period(since: str | None, start: str | None, end: str | None) -> Period | None:
    """The period the options name (`--since` or `--from`/`--to`, inclusive), or None."""
    from bot.periods import Period, parse_since

    if since and (start or end):
        raise typer.BadParameter("give --since or --from/--to, not both")
    try:
        if since:
            return Period(parse_since(since), None, f"since {since}")
        if start or end:
            first = date.fromisoformat(start) if start else None
            last = date.fromisoformat(end) if end else None
            if first and last and first > last:
                raise typer.BadParameter(f"--from {start} is after --to {end}")
            return Period(first, last, f"{start or '…'} to {end or '…'}")
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    return None


def quotes(
    speaker: Annotated[
        str | None, typer.Option("--speaker", help="Only this speaker (full name, surname, any case).")
    ] = None,
    about: Annotated[str | None, typer.Option("--about", help="Only sentences matching these words.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only articles of the last 7d, 24h, 2w … or since a DATE.")
    ] = None,
    start: Annotated[str | None, typer.Option("--from", help="Only articles from this ISO date on.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Only articles up to this ISO date.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per sentence per line.")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Name the attribution rule of each.")] = False,
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
) -> None:
    """Every attributed sentence of the corpus, newest article first: a quote bank to filter."""
    from bot.attribution.quotes import QuoteFilter, list_quotes
    from bot.console import open_corpus

    period = _period(since, start, end)
    c = open_corpus(corpus, index, quiet=as_json)
    snap = c.snapshot
    answerer = snap.answerer
    entities = answerer.entities
    names = [s["display"] for s in snap.index.speakers]
    for row, ent in enumerate(entities.speaker_entity):
        if ent >= 0:
            names[row] = entities.entities[ent].display
    found = list_quotes(
        snap.index,
        QuoteFilter(speaker, about, period),
        linker=answerer.linker,
        display=names,
        retriever=answerer.retriever,
    )
    if as_json:
        write = sys.stdout.write
        for q in found:
            write(json.dumps(q.contract(explain), ensure_ascii=False) + "\n")
        return
    if not found:
        out.print("[yellow]No attributed sentences match.[/yellow]")
        return
    current = None
    for q in found:  # corpus text as plain text: no markup, emoji codes or control characters
        if q.article_id != current:
            current = q.article_id
            when = f" — {q.published}" if q.published else ""
            out.print()
            out.print(line((q.title, "bold"), when, " ", (f"({q.article_id})", "dim")))
        out.print(line("  ", (q.speaker, "cyan"), " ", (f"({q.how})", "dim"), " ", q.sentence))
        if explain:
            why = f"rule {q.rule}; cue “{q.cue}”; speaker as written “{q.mention}”"
            out.print(line("      ", (why, "dim")))


def register(app: typer.Typer) -> None:
    app.command("quotes")(quotes)
