"""Rendering an `Answer` for a terminal: the answer text, then numbered citations."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from bot.models import Answer


def render(answer: Answer, console: Console) -> None:
    style = "bold" if answer.found else "yellow"
    lines = answer.text.splitlines()
    if answer.head is not None:  # the structure, not the text: nothing to parse
        quotes = [f"[{i}] {c.sentence}" for i, c in enumerate(answer.citations, 1)]
        lines = [f"({answer.note})"] * bool(answer.note) + [answer.head, *quotes]
    console.print(escape(lines[0]) if lines else "", style=style)
    for line in lines[1:]:
        console.print("  " + escape(line))
    if answer.citations:
        console.print()
        for i, c in enumerate(answer.citations, 1):
            where = f" — {c.published}" if c.published else ""
            url = f"\n      {c.url}" if c.url else ""
            who = f" (speaker: {c.speaker})" if c.speaker else ""
            console.print(
                f"  [{i}] {escape(c.title)}{where} [dim]({escape(c.article_id)}){who}[/dim]{escape(url)}"
            )
