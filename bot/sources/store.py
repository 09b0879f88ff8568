"""Where fetched articles go on disk, and what the fetcher remembers between runs.

A fetched article is a plain corpus file, `fetched/<source>/<date>-<title>.txt`, with a
`key: value` header: it is indexed like any other file and can be read or deleted by hand.
Its name is built from untrusted text (titles, feed names), so it is folded to ASCII,
reduced to `[a-z0-9-]`, capped in length, kept off Windows device names, and the resolved
path is checked to lie inside the corpus folder before anything is written.

The fetch state (`.citebot-sources.json`, hidden so it is never indexed) holds per-source
validators for conditional GET and the URLs and content hashes already seen; it is
replaced atomically, and rebuilt from the fetched files' headers if it is lost.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from datetime import UTC, date, datetime
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from bot.files import write_atomic
from bot.text import fold

__all__ = [
    "FETCHED_DIR",
    "LOCK_FILE",
    "STATE_FILE",
    "FetchState",
    "SeenUrl",
    "SourceState",
    "UnsafePath",
    "article_text",
    "cached_state",
    "clean_paragraph",
    "content_hash",
    "load_state",
    "new_article_path",
    "read_state",
    "safe_path",
    "save_state",
    "slugify",
]

log = logging.getLogger(__name__)

FETCHED_DIR = "fetched"
STATE_FILE = ".citebot-sources.json"
LOCK_FILE = ".citebot-fetch.lock"
MAX_SLUG = 80

_NON_SLUG_RE = re.compile(r"[^a-z0-9]+")
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Bidirectional overrides in a header value could make a title display as something else.
_BIDI_RE = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class UnsafePath(ValueError):
    """A path that would land outside the corpus folder."""


# --------------------------------------------------------------------------- file names


def slugify(text: str, *, max_len: int = MAX_SLUG, fallback: str = "untitled") -> str:
    """`[a-z0-9-]` form of `text` for a file name: folded, at most `max_len`, never empty or reserved.

    `"../../etc/passwd"` → `etc-passwd`; `"Çavuşoğlu 🎉"` → `cavusoglu`; a 500-character title
    is cut at a word boundary. No dots or slashes survive, so no slug can climb a folder.
    """
    slug = _NON_SLUG_RE.sub("-", fold(text or "")).strip("-")
    if len(slug) > max_len:
        cut = slug[:max_len]
        slug = (cut.rsplit("-", 1)[0] if "-" in cut[max_len // 2 :] else cut).strip("-")
    if not slug:
        slug = fallback
    if slug in _WINDOWS_RESERVED:
        slug = f"{slug}-x"
    return slug


def safe_path(corpus_dir: Path, *parts: str) -> Path:
    """`corpus_dir/parts…`, refused (UnsafePath) unless it resolves inside `corpus_dir`.

    Resolving follows symlinks, so a `fetched` folder linked elsewhere is refused too.
    """
    root = Path(corpus_dir).resolve()
    path = root.joinpath(*parts)
    resolved = path.resolve()
    if resolved == root or not resolved.is_relative_to(root):
        raise UnsafePath(f"refusing to write outside the corpus folder: {'/'.join(parts)!r}")
    return path


def new_article_path(
    corpus_dir: Path, source_slug: str, published: date | None, title: str, url: str
) -> Path:
    """A free file name for a new article, `<date>-<title>.txt` (`undated-…` without a date).

    A name taken by another article gets a hash of the URL added; a file already holding
    this URL (written by a run that crashed before saving its state) is reused.
    """
    folder = slugify(source_slug, fallback="source")
    stem = f"{published.isoformat() if published else 'undated'}-{slugify(title)}"
    tag = hashlib.sha256(url.encode("utf-8")).hexdigest()[:8]
    for name in (stem, f"{stem}-{tag}", *(f"{stem}-{tag}-{n}" for n in range(2, 100))):
        path = safe_path(corpus_dir, FETCHED_DIR, folder, f"{name}.txt")
        if not path.exists() or _header_url(path) == url:
            return path
    raise UnsafePath(f"no free file name for {stem!r}")


def _header_url(path: Path) -> str | None:
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            for line in f:
                if not line.strip():
                    return None
                if line.startswith("url:"):
                    return line[4:].strip()
    except OSError:
        return None
    return None


# --------------------------------------------------------------------------- file contents


MAX_FIELD = 300  # characters of a header value (title, author, source); the body is not cut


def _one_line(value: str) -> str:
    value = value[: 4 * MAX_FIELD]  # never split a megabyte title into words
    return " ".join(_BIDI_RE.sub("", _CONTROL_RE.sub(" ", value)).split())[:MAX_FIELD].rstrip()


def clean_paragraph(text: str) -> str:
    """A body paragraph with control characters (a NUL would make the file "binary") removed."""
    return _CONTROL_RE.sub("", text).replace("\r", "").strip()


def article_text(
    *, title: str, url: str, published: date | None, source: str, author: str | None, paragraphs: list[str]
) -> str:
    """The file text: a metadata header (the layout `bot.articles` reads), a blank line, the body."""
    header = {
        "title": _one_line(title),
        "url": url,
        "published": published.isoformat() if published else "",
        "source": _one_line(source),
        "author": _one_line(author or ""),
    }
    lines = [f"{k}: {v}" for k, v in header.items() if v]
    body = [p for p in (clean_paragraph(p) for p in paragraphs) if p]
    return "\n".join(lines) + "\n\n" + "\n\n".join(body) + "\n"


def content_hash(body: str) -> str:
    """Hash of an article body's folded words: the same story re-published elsewhere matches."""
    words = " ".join(fold(body).split())
    return hashlib.sha256(words.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- fetch state


class SourceState(BaseModel):
    """What the last fetch of one source did, and its validators for the next conditional GET."""

    etag: str | None = None
    last_modified: str | None = None
    last_fetch: datetime | None = None
    outcome: str | None = None  # ok | not_modified | error
    error: str | None = None
    new: int = 0


class SeenUrl(BaseModel):
    """A URL already dealt with: stored (`path`, `hash`) or failed for good (`failed`)."""

    source: str
    first_seen: datetime
    path: str | None = None
    hash: str | None = None
    failed: str | None = None


class FetchState(BaseModel):
    version: int = 1
    sources: dict[str, SourceState] = Field(default_factory=dict)
    seen: dict[str, SeenUrl] = Field(default_factory=dict)  # normalised URL → what became of it
    hashes: dict[str, str] = Field(default_factory=dict)  # content hash → corpus-relative path


def _now() -> datetime:
    return datetime.now(UTC)


def load_state(corpus_dir: Path) -> tuple[FetchState, str | None]:
    """The saved state and a warning if it had to be rebuilt (missing state is not a warning)."""
    path = Path(corpus_dir) / STATE_FILE
    try:
        return FetchState.model_validate_json(path.read_bytes()), None
    except FileNotFoundError:
        return _rebuild(corpus_dir), None
    except (OSError, ValueError, ValidationError) as e:
        log.warning("fetch state %s unreadable, rebuilding it from the fetched files: %s", path, e)
        return _rebuild(corpus_dir), f"{STATE_FILE} was unreadable and was rebuilt from the fetched files"


def save_state(corpus_dir: Path, state: FetchState) -> None:
    """Replace the state file atomically (a crash leaves the old one, never half a file)."""
    write_atomic(Path(corpus_dir) / STATE_FILE, state.model_dump_json(indent=1))


def _rebuild(corpus_dir: Path) -> FetchState:
    """Seen URLs and hashes from the `url:` headers of files already fetched (a lost state file
    must not make every article be downloaded and stored a second time)."""
    from bot.articles import ArticleError, parse_article
    from bot.sources.urls import normalize_url

    state = FetchState()
    root = Path(corpus_dir) / FETCHED_DIR
    if not root.is_dir():
        return state
    for path in sorted(root.rglob("*.txt")):
        try:
            article = parse_article(path, corpus_dir, use_manifest=False)
        except ArticleError:
            continue
        if not article.url:
            continue
        rel = path.relative_to(corpus_dir).as_posix()
        digest = content_hash(article.body)
        state.seen[normalize_url(article.url)] = SeenUrl(
            source=article.source or "", first_seen=_now(), path=rel, hash=digest
        )
        state.hashes[digest] = rel
    return state


def read_state(corpus_dir: Path) -> FetchState | None:
    """The saved state for display (`citebot status`), or None if there is none or it is broken."""
    try:
        return FetchState.model_validate_json((Path(corpus_dir) / STATE_FILE).read_bytes())
    except (OSError, ValueError, ValidationError):
        return None


_cache: dict[Path, tuple[tuple[int, int, int], FetchState | None]] = {}
_cache_lock = threading.Lock()


def cached_state(corpus_dir: Path) -> FetchState | None:
    """`read_state`, parsed again only when the file changed: the health check asks it on every poll."""
    path = Path(corpus_dir) / STATE_FILE
    try:
        st = path.stat()
    except OSError:
        return None
    key = (st.st_mtime_ns, st.st_size, st.st_ino)
    with _cache_lock:
        hit = _cache.get(path)
        if hit is not None and hit[0] == key:
            return hit[1]
    state = read_state(corpus_dir)
    with _cache_lock:
        _cache[path] = (key, state)
    return state
