"""Rendering for a terminal: an `Answer` (the text, then numbered citations) and any corpus text.

Corpus text and paths are data, never markup: they go to Rich as `Text` objects, so `[/yellow]`
in a file name or `:x:` in a quote prints as written, and ANSI escapes or other control
characters from an article are removed before they reach the terminal.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from bot.articles import printable
from bot.models import Answer


def plain(text: object, style: str = "") -> Text:
    """`text` as Rich `Text`: printed as is (no markup, no emoji codes), control characters removed."""
    return Text(printable(str(text)), style=style)


def line(*parts: str | Text | tuple[str, str]) -> Text:
    """A line from pieces: a `Text` as it is, a `(text, style)` pair or a str as plain corpus text."""
    out = Text()
    for part in parts:
        if isinstance(part, Text):
            out.append_text(part)
        elif isinstance(part, tuple):
            out.append_text(plain(part[0], part[1]))
        else:
            out.append_text(plain(part))
    return out


def render(answer: Answer, console: Console) -> None:
    style = "bold" if answer.found else "yellow"
    lines = answer.text.splitlines()
    if answer.head is not None:  # the structure, not the text: nothing to parse
        quotes = [f"[{i}] {c.sentence}" for i, c in enumerate(answer.citations, 1)]
        lines = [f"({answer.note})"] * bool(answer.note) + [answer.head, *quotes]
    console.print(plain(lines[0], style) if lines else "")
    for text in lines[1:]:
        console.print(plain("  " + text))
    if answer.citations:
        console.print()
        for i, c in enumerate(answer.citations, 1):
            where = f" — {c.published}" if c.published else ""
            who = f" (speaker: {c.speaker})" if c.speaker else ""
            if not c.speaker and answer.kind == "said":  # under "X said:", not X's words
                who = " (no speaker named)"
            url = f"\n      {c.url}" if c.url else ""
            console.print(line(f"  [{i}] {c.title}{where} ", (f"({c.article_id}){who}", "dim"), url))
