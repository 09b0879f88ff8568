"""An article page's HTML → the fields of a corpus file (title, text, author, date, canonical URL).

trafilatura finds the main text and metadata. The canonical URL is read here from
`<link rel="canonical">` / `og:url` and resolved against the page URL, because trafilatura
drops a relative canonical link; it is what answers cite and what dedupe compares. So it is
trusted only on the registrable domain of the URL the page came from: any page can claim to
be another publisher's story, and would then be cited under that publisher's name and block
the real story as a duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.articles import TRAFILATURA_OPTIONS, has_sentence, parse_date
from bot.sources.urls import http_url, same_site

__all__ = ["ExtractError", "Extracted", "extract_article", "is_html"]

# A run of letters ending in sentence punctuation: a page without one has nothing to cite
# (trafilatura otherwise returns whatever text it finds, such as a menu).
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_MAX_TITLE = 300


class ExtractError(Exception):
    """A page with no article in it; `str()` says why."""


@dataclass(frozen=True)
class Extracted:
    title: str | None
    paragraphs: list[str]
    url: str  # canonical URL (else the URL the page was fetched from)
    published: date | None
    author: str | None


def is_html(content: bytes, content_type: str) -> bool:
    """Whether a response is an HTML page (by content type, else by sniffing its start)."""
    if content_type:
        return content_type in _HTML_TYPES
    head = content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def _canonical(tree: object, page_url: str) -> str | None:
    for xpath in ("//head//link[@rel and @href]", '//head//meta[@property="og:url"][@content]'):
        for el in tree.xpath(xpath):  # type: ignore[attr-defined]
            if el.tag == "link" and "canonical" not in el.get("rel", "").lower().split():
                continue
            url = http_url(el.get("href") or el.get("content"), base=page_url)
            if url and same_site(url, page_url):
                return url
    return None


def _clean(value: object, limit: int = _MAX_TITLE) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text[:limit].rstrip() or None


def extract_article(html: bytes, page_url: str) -> Extracted:
    """The article in `html` fetched from `page_url`; ExtractError when there is no article text."""
    import trafilatura  # heavy; only fetching needs it
    from trafilatura.metadata import Document
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        raise ExtractError("not parseable as HTML")
    canonical = _canonical(tree, page_url)  # before extraction, which prunes the tree
    try:
        doc = trafilatura.bare_extraction(tree, url=page_url, **TRAFILATURA_OPTIONS)
    except Exception as e:  # a library failure on one page must not stop the others
        raise ExtractError(f"HTML extraction failed: {type(e).__name__}") from None
    text = doc.text if isinstance(doc, Document) else None
    if not isinstance(doc, Document) or not text or not has_sentence(text):
        raise ExtractError("no article text on the page")
    paragraphs = [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]
    return Extracted(
        title=_clean(doc.title),
        paragraphs=paragraphs,
        url=canonical or page_url,
        published=parse_date(doc.date),
        author=_clean(doc.author, 200),
    )
