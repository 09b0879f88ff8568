"""RSS and Atom feeds → the article links they list (with what the feed says about each).

feedparser is lenient: a feed with an XML error is still read when entries come out of it
(the error is passed on as a warning), and refused only when nothing usable does. It is
always given the bytes we downloaded (a `BytesIO`), never a string, which it would take as
a URL or a file name to open.
"""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from bot.sources.urls import http_url, normalize_url

__all__ = ["FeedEntry", "FeedError", "looks_like_feed", "parse_feed"]

_FEED_TYPES = ("rss", "atom", "xml", "rdf")
MAX_FIELD = 300  # characters of a title or author kept: one huge title made every sentence carry it
_FEED_START_RE = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.DOTALL)


class FeedError(Exception):
    """A response that is not a usable feed; `str()` says why."""


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str | None = None
    published: date | None = None
    author: str | None = None


def looks_like_feed(content: bytes, content_type: str) -> bool:
    """Whether a response is a feed (by content type, else by its first element)."""
    if any(t in content_type for t in _FEED_TYPES) and "html" not in content_type:
        return True
    head = content[:4096].lstrip(b"\xef\xbb\xbf")
    return _FEED_START_RE.match(head) is not None


def _date(entry: Any) -> date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            try:
                return datetime(*value[:6], tzinfo=UTC).date()
            except (TypeError, ValueError):
                continue
    return None


def _link(entry: Any, base: str) -> str | None:
    url = http_url(entry.get("link"), base)
    if url:
        return url
    for link in entry.get("links") or []:
        if link.get("rel", "alternate") == "alternate":
            url = http_url(link.get("href"), base)
            if url:
                return url
    return http_url(entry.get("id"), base) if entry.get("guidislink", True) else None


def _text(value: object, cut: list[int]) -> str | None:
    """A one-line field of at most MAX_FIELD characters (`cut` counts the fields shortened)."""
    if not isinstance(value, str):
        return None
    if len(value) > 4 * MAX_FIELD:  # never split a megabyte title into words
        value = value[: 4 * MAX_FIELD]
    text = " ".join(value.split())
    if len(text) > MAX_FIELD:
        cut[0] += 1
        text = (
            text[:MAX_FIELD].rsplit(" ", 1)[0]
            if " " in text[MAX_FIELD // 2 : MAX_FIELD]
            else text[:MAX_FIELD]
        )
    return text or None


def parse_feed(content: bytes, url: str, content_type: str = "") -> tuple[list[FeedEntry], str | None]:
    """The feed's entries with http(s) links (each link once), and a warning if its XML was broken.

    Raises FeedError when the response is not a feed or no entry could be read from it.
    """
    import feedparser  # only fetching needs it

    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(io.BytesIO(content), response_headers=headers)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    reason = f"{type(problem).__name__}: {problem}" if problem else ""
    if not parsed.entries:
        if problem is not None and not isinstance(problem, feedparser.CharacterEncodingOverride):
            raise FeedError(
                f"malformed feed ({reason})"
                if parsed.get("version")
                else f"not an RSS or Atom feed ({reason})"
            )
        if not parsed.get("version"):
            raise FeedError("not an RSS or Atom feed")
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    cut = [0]
    for entry in parsed.entries:
        link = _link(entry, url)
        if link is None or normalize_url(link) in seen:
            continue
        seen.add(normalize_url(link))
        entries.append(
            FeedEntry(
                url=link,
                title=_text(entry.get("title"), cut),
                published=_date(entry),
                author=_text(entry.get("author"), cut),
            )
        )
    warnings = []
    if problem is not None and not isinstance(problem, feedparser.CharacterEncodingOverride):
        warnings.append(f"feed has XML errors ({reason}); {len(entries)} entries read anyway")
    if cut[0]:
        warnings.append(f"{cut[0]} title/author field(s) longer than {MAX_FIELD} characters were cut")
    return entries, "; ".join(warnings) or None
