"""Reading one file into an `Article`: plain text in the seed's layout, headers, Markdown, JSON, HTML.

Every sentence citebot quotes comes out of `Article.body`, so the body keeps the file's own
characters: only line endings, trailing blanks and the spacing between paragraphs are
normalised, and markup (Markdown, HTML) is removed so that what is stored is what is cited.
Title, dateline and tag lines are taken off the body because they are not prose to quote.

A file that cannot be an article raises `ArticleError` with a short reason, so an indexer can
log it and keep going instead of failing a whole corpus on one bad file.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, NamedTuple

from bot.corpus_scan import article_id_for, is_bulk_file, kind_problem
from bot.models import Article

__all__ = [
    "MAX_ARTICLE_BYTES",
    "MAX_FIELD_CHARS",
    "TOO_DEEP",
    "ArticleError",
    "collect_notes",
    "from_mapping",
    "open_regular",
    "parse_article",
    "parse_date",
    "parse_text",
    "printable",
    "text_value",
]


class ArticleError(Exception):
    """A file (or bulk line) that cannot be read as an article.

    `str(e)` is a short human reason ("empty file", "not UTF-8 text", ...), prefixed by
    "line N: " for a line of a bulk file, so logs say what to fix without a traceback.
    """

    def __init__(self, reason: str, line: int | None = None) -> None:
        # Both go into args so that the error survives pickling (multiprocess indexing).
        super().__init__(reason, line)
        self.reason = reason
        self.line = line

    def __str__(self) -> str:
        return self.reason if self.line is None else f"line {self.line}: {self.reason}"


#: Bigger files are refused before they are read: no news article is 20 MB of text.
MAX_ARTICLE_BYTES: int = 20 * 1024 * 1024
_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
_HTML_SUFFIXES = frozenset({".html", ".htm"})


# --------------------------------------------------------------------------- dates

_ISO_DATE_RE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?![\d])")
_ID_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})-")
_WEEKDAY_RE = re.compile(r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)
_ORDINAL_RE = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b", re.IGNORECASE)
_DATE_FORMATS = ("%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%Y.%m.%d")


def parse_date(value: object) -> date | None:
    """A `date` from a metadata value (ISO, RFC 2822, "January 4, 2022", "4 Jan 2022"); else None.

    Never raises: a date we cannot read is simply unknown, not a reason to drop an article.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    iso = _ISO_DATE_RE.match(text)
    if iso:  # 2022-01-04, 2022-01-04T10:00:00Z, 2022-01-04 10:00 …: the date part is the date
        try:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(text).date()  # 20220104, 2022-W01-2 …
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date()  # Tue, 04 Jan 2022 10:00:00 GMT
    except (TypeError, ValueError, IndexError):
        pass
    words = _ORDINAL_RE.sub("", _WEEKDAY_RE.sub("", text, count=1)).replace(",", " ").replace(".", " ")
    head = " ".join(words.split()[:3]).replace("Sept ", "Sep ")
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(head, fmt).date()
        except ValueError:
            continue
    return None


def _date_from_id(article_id: str) -> date | None:
    """The date in a `YYYY-MM-DD-slug` file name (corpus-extra names its files so)."""
    m = _ID_DATE_RE.match(article_id.rsplit("/", 1)[-1])
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


# --------------------------------------------------------------------------- plain text layout

# Starts only at the beginning of a run of blanks and never backtracks: linear on any input.
_TRAILING_BLANKS_RE = re.compile(r"(?<![^\S\n])[^\S\n]++$", re.MULTILINE)
_PARAGRAPH_BREAK_RE = re.compile(r"\n{2,}")
# A dateline: a short ALL-CAPS place ("ANKARA", "THE KREMLIN, MOSCOW", "ST. PETERSBURG"). No
# digits or colons, which keeps out "1:03 P.M. EST" and "NOMINATIONS SENT TO THE SENATE:".
_DATELINE_RE = re.compile(r"[^\W\d_](?:[^\W\d_]|[ ,.'’()/-])*")
_TAG_FORBIDDEN = frozenset('"“”!?:;')
_MONTH_DAY_YEAR = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r" \d{1,2}, \d{4}"
)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, "
_DATE_LINE_RE = re.compile(f"(?:{_WEEKDAY})?{_MONTH_DAY_YEAR}")
_GLUED_DATE_RE = re.compile(f"[ \t]*({_WEEKDAY}{_MONTH_DAY_YEAR})[ \t]+(?=\\S)")


def _paragraphs(text: str) -> list[str]:
    """Paragraphs of `text`: line endings → \\n, trailing blanks off, split on blank lines.

    Lines inside a paragraph are kept as they are; two regex passes keep this linear.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _TRAILING_BLANKS_RE.sub("", text).strip("\n")
    return [p for p in _PARAGRAPH_BREAK_RE.split(text) if p] if text else []


def _is_dateline(para: str) -> bool:
    line = para.strip()
    return (
        "\n" not in line
        and len(line) <= 48
        and len(line.split()) <= 5
        and not any(c.islower() for c in line)
        and _DATELINE_RE.fullmatch(line) is not None
    )


def _tag_line(para: str) -> list[str] | None:
    """The tags of a trailing "Diplomacy, US," line, or None if `para` is not one."""
    line = para.strip()
    if "\n" in line or len(line) > 200 or not line.endswith(","):
        return None
    tags = [t.strip() for t in line[:-1].split(",")]
    for tag in tags:
        if not tag or len(tag) > 60 or len(tag.split()) > 6 or not any(c.isalpha() for c in tag):
            return None
        if not _TAG_FORBIDDEN.isdisjoint(tag):
            return None
    return tags


def _drop_title_repeats(paras: list[str], title: str) -> list[str]:
    """Drop lines equal to the title at the top (the seed repeats its title line)."""
    i, head = 0, None  # head: what is left of paras[i] after dropped lines
    while i < len(paras):
        first, _, rest = (paras[i] if head is None else head).partition("\n")
        if first.strip() != title:
            break
        if rest.strip():
            head = rest
        else:
            i, head = i + 1, None
    if head is None:
        return paras[i:]
    return [head, *paras[i + 1 :]]


class _Layout(NamedTuple):
    title: str
    dateline: str | None
    dated: date | None
    tags: list[str]
    paras: list[str]


def _take_date_line(paras: list[str]) -> tuple[date | None, list[str]]:
    """Take a leading "Friday, January 4, 2019" off the body (wikinews starts so) and read it.

    A stand-alone date paragraph goes; a weekday-led date glued to the first paragraph is cut
    off its start, so the first sentence is prose and the rest stays verbatim.
    """
    first = paras[0]
    if len(paras) > 1 and _DATE_LINE_RE.fullmatch(first.strip()):
        return parse_date(first), paras[1:]
    glued = _GLUED_DATE_RE.match(first)
    if glued:
        return parse_date(glued[1]), [first[glued.end() :], *paras[1:]]
    return None, paras


def _layout(paras: list[str], title: str | None) -> _Layout:
    """Split seed-layout paragraphs into title, dateline, date line, tags and body paragraphs."""
    if title is None:
        if not paras:
            return _Layout("", None, None, [], [])
        first, _, rest = paras[0].partition("\n")
        title = first.strip()
        paras = [rest, *paras[1:]] if rest.strip() else paras[1:]
    paras = _drop_title_repeats(paras, title)
    dateline = None
    if len(paras) > 1 and _is_dateline(paras[0].partition("\n")[0]):
        # "ANKARA" alone, or glued to one more copy of the title ("ANKARA\n<title>", as the seed has it)
        line, _, rest = paras[0].partition("\n")
        if not rest.strip() or _drop_title_repeats([rest], title) == []:
            dateline = line.strip()
            paras = paras[1:]
    dated = None
    if paras:
        dated, paras = _take_date_line(paras)
    tags: list[str] = []
    if len(paras) > 1:
        found = _tag_line(paras[-1])
        if found is not None:
            tags = found
            paras = paras[:-1]
    return _Layout(title, dateline, dated, tags, paras)


# --------------------------------------------------------------------------- bounds and cleaning

#: Titles and metadata fields longer than this are cut (the article is kept): a title is counted
#: into every sentence's terms, so a 100,000-word "title" would cost 100,000 terms a sentence.
MAX_FIELD_CHARS: int = 300
#: A longer URL is dropped rather than cut (a cut URL is a wrong link); browsers and CDNs refuse
#: URLs past about this length anyway.
MAX_URL_CHARS: int = 2048
MAX_TAGS: int = 50

_NOTES: ContextVar[list[str] | None] = ContextVar("article_notes", default=None)

# ANSI escape sequences (CSI, OSC, and two-byte ESC forms) first, then any other control
# character but tab and newline: corpus text reaches terminals and Slack, where these act.
_CONTROL_RE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?|\x9b[0-?]*[ -/]*[@-~]?"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


_ANY_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # one class: a fast first look


def printable(text: str) -> str:
    """`text` without ANSI escape sequences or control characters (tab and newline stay)."""
    return _CONTROL_RE.sub("", text) if _ANY_CONTROL_RE.search(text) else text


@contextmanager
def collect_notes() -> Iterator[list[str]]:
    """Collect the warnings parsing gives while in this block (fields cut, URLs dropped).

    A context variable rather than a return value, so every parser on the way to `_build`
    stays as it is, and a refresh in one thread never sees another thread's notes.
    """
    notes: list[str] = []
    token = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token)


def _note(message: str) -> None:
    notes = _NOTES.get()
    if notes is not None and message not in notes:
        notes.append(message)


def _cut(value: str | None, name: str) -> str | None:
    if value is None or len(value) <= MAX_FIELD_CHARS:
        return value
    _note(f"{name} cut to {MAX_FIELD_CHARS} characters (was {len(value):,})")
    cut = value[: MAX_FIELD_CHARS - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > MAX_FIELD_CHARS // 2 else cut).rstrip() + "…"


def _bounded_url(url: str | None) -> str | None:
    if url is None or len(url) <= MAX_URL_CHARS:
        return url
    _note(f"url dropped: {len(url):,} characters is over {MAX_URL_CHARS}")
    return None


def _bounded_tags(tags: list[str]) -> list[str]:
    if len(tags) > MAX_TAGS:
        _note(f"tags cut to the first {MAX_TAGS} (was {len(tags):,})")
    return [t for t in (_cut(t, "tag") for t in tags[:MAX_TAGS]) if t]


# --------------------------------------------------------------------------- metadata headers

_HEADER_KEYS = ("title", "url", "published", "date", "source", "author")
_HEADER_LINE_RE = re.compile(r"(title|url|published|date|source|author)[ \t]*:[ \t]*(.*)", re.IGNORECASE)
_FRONT_MATTER_RE = re.compile(r"---[ \t]*\r?\n")


def _header(para: str) -> dict[str, str] | None:
    """`key: value` metadata lines forming the first paragraph, or None if it is not a header.

    A single line counts only when it cannot be a headline: `title:`, or a date/url that
    parses (a headline like "Source: ..." is left alone).
    """
    meta: dict[str, str] = {}
    for line in para.split("\n"):
        m = _HEADER_LINE_RE.fullmatch(line.strip())
        if m is None:
            return None
        meta[m[1].lower()] = m[2].strip()
    if len(meta) == 1 and "\n" not in para:
        key, value = next(iter(meta.items()))
        if key in ("source", "author"):
            return None
        if key in ("date", "published") and parse_date(value) is None:
            return None
        if key == "url" and not value.lower().startswith(("http://", "https://")):
            return None
    return meta


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    """YAML front matter (between `---` lines) and the text after it."""
    import frontmatter  # only files that start with `---` pay for YAML
    import yaml

    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as e:
        reason = str(getattr(e, "problem", None) or e).splitlines()[0]
        raise ArticleError(f"invalid YAML front matter: {reason}") from None
    except RecursionError:
        raise ArticleError("invalid YAML front matter: nested too deep") from None
    meta = post.metadata if isinstance(post.metadata, Mapping) else {}
    return {str(k).lower(): v for k, v in meta.items()}, post.content


def text_value(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _tags_value(value: object) -> list[str]:
    if isinstance(value, str):
        return [t.strip() for t in value.split(",") if t.strip()]
    if isinstance(value, list | tuple):
        return [t for t in (text_value(v) for v in value) if t]
    return []


def _build(article_id: str, paras: list[str], meta: Mapping[str, Any]) -> Article:
    """The Article from body paragraphs and metadata (header, front matter, JSON, HTML).

    Every entry point ends here, so this is where control characters leave the text and
    titles and metadata are bounded (each cut is noted, see `collect_notes`).
    """
    paras = [printable(p) for p in paras]
    title = text_value(meta.get("title"))
    if title is not None:
        title = printable(title)
        paras = _drop_title_repeats(paras, title)  # before the cut: the repeat is the whole title
        title = _cut(title, "title")
    layout = _layout(paras, title)
    body = "\n\n".join(layout.paras)
    if not body.strip():
        raise ArticleError("no article text")
    published = parse_date(meta.get("published")) or parse_date(meta.get("date"))

    def field(*names: str) -> str | None:
        value = next((v for v in map(text_value, map(meta.get, names)) if v), None)
        return _cut(printable(value), names[0]) if value is not None else None

    return Article(
        article_id=article_id,
        title=_cut(layout.title, "title") or "",
        body=body,
        url=_bounded_url(next((v for v in map(text_value, (meta.get("url"), meta.get("link"))) if v), None)),
        published=published or layout.dated or _date_from_id(article_id),
        source=field("source"),
        dateline=field("dateline") or _cut(layout.dateline, "dateline"),
        tags=_bounded_tags([printable(t) for t in _tags_value(meta.get("tags"))] or layout.tags),
        author=field("author"),
    )


# --------------------------------------------------------------------------- Markdown

_MD_FENCE_RE = re.compile(r"(```|~~~)")
_MD_HEADING_RE = re.compile(r"(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*")
_MD_SETEXT_RE = re.compile(r"(?:=+|-+)[ \t]*")
_MD_RULE_RE = re.compile(r"(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})")
_MD_BULLET_RE = re.compile(r"(?:[-*+]|\d{1,9}[.)])[ \t]+")
_MD_QUOTE_RE = re.compile(r"(?:>[ \t]?)+")
_MD_REFDEF_RE = re.compile(r"\[[^\]]+\]:[ \t]*\S+.*")
_MD_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>~|])")
_MD_IMAGE_RE = re.compile(r"!\[[^\[\]]*\](?:\((?:[^()\s]|\([^()]*\))*(?:[ \t]+\"[^\"]*\")?\)|\[[^\[\]]*\])")
_MD_LINK_RE = re.compile(r"\[([^\[\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:[ \t]+\"[^\"]*\")?\)")
_MD_REFLINK_RE = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")
_MD_AUTOLINK_RE = re.compile(r"<((?:https?://|mailto:)[^>\s]+)>")
_MD_HTML_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_MD_CODE_RE = re.compile(r"(`+)([^`]+)\1")
# Emphasis contents stop at the next marker, so an unclosed `*` costs one scan, not one per `*`.
_MD_STRONG_RE = re.compile(r"\*\*(?=\S)((?:[^*]|\*(?!\*))+?)(?<=\S)\*\*|__(?=\S)((?:[^_]|_(?!_))+?)(?<=\S)__")
_MD_EM_STAR_RE = re.compile(r"(?<![*\w])\*(?=[^\s*])([^*]+)(?<=[^\s*])\*(?![*\w])")
_MD_EM_UNDER_RE = re.compile(r"(?<![_\w])_(?=[^\s_])([^_]+)(?<=[^\s_])_(?![_\w])")
_ESCAPE_BASE = 0xF0000  # Supplementary Private Use Area: never in news text
_HIDDEN_RE = re.compile(f"[{chr(_ESCAPE_BASE)}-{chr(_ESCAPE_BASE + 127)}]")


def _md_inline(line: str) -> str:
    """Inline Markdown → plain text: links keep their text, images go, emphasis marks go."""
    escaped = "\\" in line
    if escaped:  # hide escaped characters from the patterns below
        line = _MD_ESCAPE_RE.sub(lambda m: chr(_ESCAPE_BASE + ord(m[1])), line)
    if "[" in line:
        line = _MD_IMAGE_RE.sub("", line)
        line = _MD_LINK_RE.sub(r"\1", line)
        line = _MD_REFLINK_RE.sub(r"\1", line)
    if "<" in line:
        line = _MD_AUTOLINK_RE.sub(r"\1", line)
        line = _MD_HTML_TAG_RE.sub("", line)
    if "`" in line:
        line = _MD_CODE_RE.sub(r"\2", line)
    if "*" in line or "_" in line:
        line = _MD_STRONG_RE.sub(lambda m: m[1] or m[2], line)
        line = _MD_EM_STAR_RE.sub(r"\1", line)
        line = _MD_EM_UNDER_RE.sub(r"\1", line)
    if escaped:
        line = _HIDDEN_RE.sub(lambda m: chr(ord(m[0]) - _ESCAPE_BASE), line)
    return line.strip()


def _markdown_paragraphs(paras: list[str]) -> list[str]:
    """Markdown paragraphs → plain-text paragraphs; headings and list items become their own."""
    out: list[str] = []
    in_code = False
    for para in paras:
        block: list[str] = []
        for raw in para.split("\n"):
            line = raw.strip()
            if _MD_FENCE_RE.match(line):
                in_code = not in_code
                continue
            if in_code:
                block.append(raw)
                continue
            if block and _MD_SETEXT_RE.fullmatch(line):  # "Title\n=====": the block is a heading
                out.append("\n".join(block))
                block = []
                continue
            if _MD_RULE_RE.fullmatch(line) or _MD_REFDEF_RE.fullmatch(line):
                continue
            quote = _MD_QUOTE_RE.match(line)
            if quote:
                line = line[quote.end() :]
            heading = _MD_HEADING_RE.fullmatch(line)
            bullet = None if heading else _MD_BULLET_RE.match(line)
            if heading or bullet:  # a block of its own: end the current one
                if block:
                    out.append("\n".join(block))
                    block = []
                if heading:
                    line = heading[2] or ""
                elif bullet:
                    line = line[bullet.end() :]
            text = _md_inline(line)
            if text:
                block.append(text)
            if heading and block:
                out.append("\n".join(block))
                block = []
        if block:
            out.append("\n".join(block))
    return out


# --------------------------------------------------------------------------- JSON and HTML


def from_mapping(obj: Mapping[str, Any], article_id: str) -> Article:
    """An Article from a JSON object: `title`, `body` or `text`, `url`, `published`/`date`, …"""
    body = obj.get("body")
    if body is None:
        body = obj.get("text")
    if body is None:
        raise ArticleError("no article text")
    if not isinstance(body, str):
        raise ArticleError("article text is not a string")
    meta = {k: obj[k] for k in (*_HEADER_KEYS, "link", "dateline", "tags") if k in obj}
    return _build(article_id, _paragraphs(body), meta)


def _parse_json(text: str, article_id: str) -> Article:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise ArticleError(f"invalid JSON: {e.msg} (line {e.lineno}, column {e.colno})") from None
    except RecursionError:
        raise ArticleError(TOO_DEEP) from None
    if not isinstance(obj, dict):
        raise ArticleError(f"invalid JSON: not an object but {type(obj).__name__}")
    return from_mapping(obj, article_id)


TOO_DEEP = "invalid JSON: nested too deep"
_WORD_RE = re.compile(r"[^\W\d_]{2}")
_SENTENCE_END_RE = re.compile(r"[.!?…]")


#: How trafilatura is asked for an article's main text, for corpus files and fetched pages alike:
#: no comments, tables or images, and no date guessed from "Copyright 2022" or other stray years.
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "with_metadata": True,
    "include_comments": False,
    "include_tables": False,
    "include_images": False,
    "date_extraction_params": {"extensive_search": False, "original_date": True},
}


def has_sentence(text: str) -> bool:
    """True if some line has a word and sentence-ending punctuation (a menu has neither)."""
    return any(_WORD_RE.search(line) and _SENTENCE_END_RE.search(line) for line in text.split("\n"))


def _parse_html(text: str, article_id: str) -> Article:
    """Main text and metadata of an HTML page, without navigation, footer or comments."""
    import trafilatura  # heavy; only HTML corpora need it
    from trafilatura.metadata import Document

    try:
        doc = trafilatura.bare_extraction(text, **TRAFILATURA_OPTIONS)
    except Exception as e:  # a library failure on one page must not stop an indexing run
        raise ArticleError(f"HTML extraction failed: {type(e).__name__}") from None
    # trafilatura falls back to any text it finds (a menu's "Home World"): without one
    # sentence there is nothing to cite. (A dict comes back only with `as_dict=True`.)
    body = doc.text if isinstance(doc, Document) else None
    if not isinstance(doc, Document) or not body or not has_sentence(body):
        raise ArticleError("no article text")
    # trafilatura gives one paragraph (or list item, or heading) per line.
    paras = [line.rstrip() for line in body.replace("\r", "\n").split("\n") if line.strip()]
    meta = {"title": doc.title, "url": doc.url, "published": doc.date, "author": doc.author}
    return _build(article_id, paras, meta)


# --------------------------------------------------------------------------- entry points


def parse_text(text: str, article_id: str, suffix: str = ".txt") -> Article:
    """Parse an article's text; `suffix` (".txt", ".md", ".json", ".html", …) picks the format.

    Pure function behind `parse_article`, so callers with text from elsewhere parse it alike.
    Raises ArticleError when there is no article text (or the JSON/YAML is invalid).
    """
    suffix = suffix.lower()
    if text.startswith("\ufeff"):
        text = text[1:]
    if suffix == ".json":
        return _parse_json(text, article_id)
    if suffix in _HTML_SUFFIXES:
        return _parse_html(text, article_id)
    meta: dict[str, Any] = {}
    if _FRONT_MATTER_RE.match(text):
        meta, text = _front_matter(text)
    paras = _paragraphs(text)
    if not meta and paras and _HEADER_LINE_RE.match(paras[0]):
        header = _header(paras[0])
        if header is not None:
            meta, paras = header, paras[1:]
    if suffix in _MARKDOWN_SUFFIXES:
        paras = _markdown_paragraphs(paras)
    return _build(article_id, paras, meta)


def open_regular(path: Path) -> IO[bytes]:
    """`path` opened for reading in binary, refusing anything but a regular file.

    Opened non-blocking and checked on the open descriptor, so a named pipe put in place of a
    file after the corpus was scanned cannot hang a refresh (which holds the index lock).
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        problem = kind_problem(os.fstat(fd))
        if problem:
            raise ArticleError(problem)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing a too-large file from its size before reading it."""
    try:
        with open_regular(path) as f:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_ARTICLE_BYTES:
                raise ArticleError(_too_large(size))
            data = f.read(MAX_ARTICLE_BYTES + 1)  # the file may have grown since stat()
    except OSError as e:
        raise ArticleError(f"cannot read file: {e.strerror or e}") from None
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleError(_too_large(len(data)))
    return data


def _too_large(size: int) -> str:
    return f"file too large ({size / 1024 / 1024:.1f} MB > {MAX_ARTICLE_BYTES // 1024 // 1024} MB)"


def _decode(data: bytes) -> str:
    """UTF-8 text of `data` (a BOM is dropped); binary and other encodings are refused."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if not data.strip():
        raise ArticleError("empty file")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ArticleError("not UTF-8 text (UTF-16)")
    if b"\x00" in data:
        raise ArticleError("binary file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ArticleError("not UTF-8 text") from None


@lru_cache(maxsize=64)
def _manifest_urls(manifest: str, mtime_ns: int) -> dict[str, str]:
    """file name → url from a corpus-extra style `manifest.jsonl` (cached per folder and mtime)."""
    urls: dict[str, str] = {}
    try:
        with open(manifest, encoding="utf-8") as f:
            for line in f:
                try:
                    row = json.loads(line)
                except ValueError:
                    continue
                if (
                    isinstance(row, dict)
                    and isinstance(row.get("file"), str)
                    and isinstance(row.get("url"), str)
                ):
                    urls[row["file"]] = row["url"]
    except (OSError, UnicodeDecodeError):
        return {}
    return urls


def _manifest_url(path: Path) -> str | None:
    manifest = path.parent / "manifest.jsonl"
    try:
        mtime_ns = manifest.stat().st_mtime_ns
    except OSError:
        return None
    return _manifest_urls(str(manifest), mtime_ns).get(path.name)


def parse_article(path: Path, corpus_dir: Path, *, use_manifest: bool = True) -> Article:
    """Read and parse one article file; raises ArticleError with a short reason.

    When the file names no url and its folder has a `manifest.jsonl` listing it (as
    corpus-extra's folders do), the manifest's url is used: the CC BY sources require it
    for attribution.
    """
    path = Path(path)
    if is_bulk_file(path):
        raise ArticleError("JSON Lines bulk file: read it with iter_bulk_articles")
    text = _decode(_read_bytes(path))
    article = parse_text(text, article_id_for(path, corpus_dir), path.suffix or ".txt")
    if use_manifest and article.url is None:
        url = _manifest_url(path)
        if url:
            article = article.model_copy(update={"url": url})
    return article
