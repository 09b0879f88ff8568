"""`Answer` → Block Kit blocks plus the plain-text fallback, within Slack's limits by design.

Every piece of corpus or user text is escaped (`&`, `<`, `>`) and sent with `verbatim: true`,
so an article holding `<!channel>` or `<https://evil|click>` shows as text: it never pings
anyone, never links, and Slack does not auto-link it either. Limits (50 blocks, 3,000 chars a
section, 10 elements a context block) are met by construction: at most `MAX_QUOTES` quotes,
each cut at a word boundary with "…", packed into as few sections as fit.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from bot.models import Answer, Citation
from bot.slack.escaping import escape, escaped_within

MAX_BLOCKS = 50
SECTION_CHARS = 3000
CONTEXT_ELEMENTS = 10
MAX_QUOTES = 20  # 20 quotes + head + 2 context blocks + extras stays far below MAX_BLOCKS
TITLE_CHARS = 200
#: Link targets longer than this are shortened (query, then path dropped): a 5,000-character URL
#: made Slack refuse the blocks, and the answer went out without its citations.
LINK_CHARS = 1000
FALLBACK_CHARS = 3000
BUTTON_VALUE_CHARS = 2000
POST_ACTION = "citebot_post"

_QUOTE = re.compile(r"^\[(\d+)\]\s?(.*)$")
_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")


@dataclass
class Message:
    """What one chat.postMessage / postEphemeral sends: fallback `text` and `blocks`."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    def kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def mrkdwn(text: str) -> dict[str, Any]:
    # verbatim: Slack must not auto-link URLs or parse "@here" inside quoted corpus text.
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": mrkdwn(text)}


def context(texts: list[str]) -> dict[str, Any]:
    return {"type": "context", "elements": [mrkdwn(t) for t in texts[:CONTEXT_ELEMENTS]]}


# --- answer text ---------------------------------------------------------------------------


def split_answer(text: str) -> tuple[list[str], list[tuple[int, str]]]:
    """The head lines, then the `[n] sentence` quotes (a wrapped sentence stays one quote)."""
    head: list[str] = []
    quotes: list[tuple[int, str]] = []
    for line in text.splitlines():
        m = _QUOTE.match(line)
        if m:
            quotes.append((int(m.group(1)), m.group(2)))
        elif quotes:
            n, sentence = quotes[-1]
            quotes[-1] = (n, f"{sentence} {line.strip()}")
        elif line.strip():
            head.append(line)
    return head, quotes


def _quote(n: int, sentence: str) -> str:
    prefix = f"> *[{n}]* "
    return prefix + escaped_within(" ".join(sentence.split()), SECTION_CHARS - len(prefix))


def _pack(lines: list[str]) -> list[dict[str, Any]]:
    """Lines (each ≤ SECTION_CHARS) joined into as few sections as the 3,000-char limit allows."""
    sections: list[str] = []
    for line in lines:
        if sections and len(sections[-1]) + 1 + len(line) <= SECTION_CHARS:
            sections[-1] += "\n" + line
        else:
            sections.append(line)
    return [section(s) for s in sections]


# --- citations -----------------------------------------------------------------------------


def safe_url(url: str | None) -> str | None:
    """An http(s) URL fit for `<url|label>` and at most LINK_CHARS long, or None when it must not
    become a link. A too-long URL links to its page without the query, else to its site: a
    shorter link to the right place, never a cut one to a wrong place."""
    if not url or any(ch.isspace() for ch in url):
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    for candidate in (
        url,
        parts._replace(query="", fragment="").geturl(),
        f"{parts.scheme}://{parts.netloc}/",
    ):
        target = escape(candidate).replace("|", "%7C")
        if len(target) <= LINK_CHARS:
            return target
    return None


def _date(d: date | None) -> str:
    return f"{d.day} {d:%b %Y}" if d else "undated"


def citation_line(n: int, c: Citation, said: bool = False) -> str:
    """`*[n]* <url|Title> · 3 Jan 2022`: the title links only when the article has a URL. Under a
    said-answer's head a quote the article gives no speaker says so (` · no speaker named`): it is
    from the speaker's article, and a reader must not take it for their words."""
    label = escaped_within(" ".join(c.title.split()).replace("|", "¦"), TITLE_CHARS) or "untitled"
    url = safe_url(c.url)
    title = f"<{url}|{label}>" if url else label
    unattributed = " · no speaker named" if said and not c.speaker else ""
    return f"*[{n}]* {title} · {_date(c.published)}{unattributed}"


def _citation_blocks(citations: list[Citation], said: bool = False) -> list[dict[str, Any]]:
    lines = [citation_line(n, c, said) for n, c in enumerate(citations, 1)]
    return [context(lines[i : i + CONTEXT_ELEMENTS]) for i in range(0, len(lines), CONTEXT_ELEMENTS)]


# --- messages ------------------------------------------------------------------------------


def fallback_text(answer: Answer) -> str:
    """The plain `text` shown in notifications and by screen readers, escaped like the blocks."""
    return escaped_within(answer.text, FALLBACK_CHARS) or "…"


def answer_message(answer: Answer, *, asked_by: str | None = None, question: str | None = None) -> Message:
    """An answer as blocks: head and quotes in sections, citations in context blocks.

    A decline (not found) is its own short text with no citations. `asked_by`/`question`
    add a line saying who asked what, for answers posted to a channel from /citebot.
    """
    blocks: list[dict[str, Any]] = []
    if asked_by and _USER_ID.match(asked_by):
        q = escaped_within(question or answer.question, 500)
        blocks.append(context([f"<@{asked_by}> asked: _{q}_" if q else f"<@{asked_by}> asked"]))
    if not answer.found or not answer.citations:
        blocks.append(section(escaped_within(answer.text, SECTION_CHARS) or "I couldn't find that."))
        return Message(fallback_text(answer), blocks)
    if answer.head is not None:  # the structure, not the text: nothing to parse
        head = [f"({answer.note})"] * bool(answer.note) + [answer.head]
        quotes = [(n, c.sentence) for n, c in enumerate(answer.citations, 1)]
    else:
        head, quotes = split_answer(answer.text)
    lines = [escaped_within(h, SECTION_CHARS) for h in head]
    lines += [_quote(n, s) for n, s in quotes[:MAX_QUOTES]]
    if len(quotes) > MAX_QUOTES:
        lines.append(f"_…and {len(quotes) - MAX_QUOTES} more_")
    blocks += _pack(lines)
    blocks += _citation_blocks(answer.citations[:MAX_QUOTES], said=answer.kind == "said")
    return Message(fallback_text(answer), blocks[: MAX_BLOCKS - 1])


def with_post_button(message: Message, question: str, context_subject: str | None) -> Message:
    """The ephemeral /citebot answer plus a button that posts it to the channel."""
    value = json.dumps({"q": question, "c": context_subject}, ensure_ascii=False)
    if len(value) > BUTTON_VALUE_CHARS:
        value = json.dumps({"q": question[:400], "c": None}, ensure_ascii=False)
    button = {
        "type": "button",
        "action_id": POST_ACTION,
        "text": {"type": "plain_text", "text": "Post to channel"},
        "style": "primary",
        "value": value,
    }
    blocks = [*message.blocks[: MAX_BLOCKS - 1], {"type": "actions", "elements": [button]}]
    return Message(message.text, blocks)


def button_question(value: str | None) -> tuple[str, str | None]:
    """The question (and follow-up context) a post button carries."""
    try:
        data = json.loads(value or "")
    except ValueError:
        return "", None
    if not isinstance(data, dict):
        return "", None
    q, c = data.get("q"), data.get("c")
    return (q if isinstance(q, str) else ""), (c if isinstance(c, str) else None)


def help_message(examples: list[str], bot_user_id: str | None, articles: int) -> Message:
    """How to ask, with example questions drawn from the corpus (never hard-coded names)."""
    me = f"<@{bot_user_id}>" if bot_user_id else "@citebot"
    lines = [
        f"I answer questions about {articles:,} news article{'s' if articles != 1 else ''}, "
        "quoting their sentences word for word, each one cited.",
        f"• Mention me in a channel: {me} _your question_ (I reply in the thread)",
        "• Send me a direct message, or use `/citebot your question` (only you see the answer)",
        "• In a thread, follow up with _he_, _she_, _they_ or _it_",
        "• `/citebot follow NAME [about WORDS]`: their new quotes are posted here after each refresh",
    ]
    if examples:
        lines.append("Try:")
        lines += [f"> {escaped_within(e, 300)}" for e in examples]
    text = "Ask me a question about the news" + (
        ", e.g. " + " or ".join(f"“{e}”" for e in examples) if examples else "."
    )
    return Message(escaped_within(text, FALLBACK_CHARS), [section("\n".join(lines))])


def error_message() -> Message:
    text = "Sorry, something went wrong while answering. Please try again in a moment."
    return Message(text, [section(text)])
