"""Slack message text → the plain question the engine expects, and back-escaping for mrkdwn.

Slack sends `&`, `<`, `>` escaped and wraps mentions and links in `<…>`; the engine needs what
the user actually typed. Anything of ours that goes back into mrkdwn is escaped again.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"<([^<>]*)>")
_SPACES = re.compile(r"\s+")
_HELP_WORDS = {"", "help", "usage", "?", "hi", "hello"}


def escape(text: str) -> str:
    """Slack's escaping for text and mrkdwn: only `&`, `<`, `>` (never HTML-escape everything)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Undo `escape`; `&amp;` last so that `&amp;lt;` becomes `&lt;`, not `<`."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


_BROADCASTS = frozenset({"here", "channel", "everyone"})


def _plain(token: str, bot_user_id: str | None) -> str:
    """One `<…>` token as plain text: a link's label, `@name`, `#channel`, or nothing for the bot."""
    target, _, label = token.partition("|")
    if target.startswith("@"):
        if bot_user_id and target[1:] == bot_user_id:
            return " "
        return "@" + (label or target[1:])
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("!"):
        # <!here>, <!channel>, <!subteam^S1|@team>, <!date^…|fallback>
        if target[1:] in _BROADCASTS:
            return " "  # "@channel" notifies people: it is no word of the question
        return label or "@" + target[1:].split("^", 1)[0]
    if target.startswith("mailto:"):
        return label or target[len("mailto:") :]
    return label or target


def question_from(text: str | None, bot_user_id: str | None = None) -> str:
    """The question in a Slack message: bot mention removed, tokens and escapes made plain."""
    if not text:
        return ""
    plain = _TOKEN.sub(lambda m: _plain(m.group(1), bot_user_id), text)
    return _SPACES.sub(" ", unescape(plain)).strip()


def is_help(question: str) -> bool:
    """An empty mention or a request for help gets the usage message, not a decline."""
    return question.strip().strip("?!.").strip().lower() in _HELP_WORDS


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    """`text` cut to at most `limit` characters at a word boundary, marked with `…`."""
    if len(text) <= limit:
        return text
    room = max(limit - len(ellipsis), 0)
    cut = text[:room]
    space = cut.rfind(" ")
    if space > room // 2:
        cut = cut[:space]
    return cut.rstrip() + ellipsis


def escaped_within(text: str, limit: int) -> str:
    """`escape(text)`, truncated at a word boundary so the *escaped* form fits in `limit`.

    Truncating after escaping could cut `&amp;` in half; so the raw text is cut until its
    escaped form fits.
    """
    out = escape(text)
    if len(out) <= limit:
        return out
    budget = limit
    while budget > 0:
        out = escape(truncate(text, budget))
        if len(out) <= limit:
            return out
        budget -= max(len(out) - limit, 1)
    return "…"[:limit]
