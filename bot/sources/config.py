"""`sources.toml`: the feeds and pages a corpus is refreshed from, and how politely to fetch them.

    [[source]]
    url = "https://example.com/world/rss.xml"
    name = "Example World"
    kind = "feed"          # or "page" (one article); detected when left out
    allow_private = true   # an intranet feed: may reach loopback/private addresses (default false)

    [fetch]                # optional; every key has a default (see FetchSettings)
    read_timeout = 20

The file is written by hand or by `citebot sources add/remove`. Edits keep what the user wrote
(comments, order): `add` appends a block and `remove` cuts one out, and the result is parsed
back and checked before it atomically replaces the old file.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot import __version__
from bot.files import write_atomic
from bot.sources.store import slugify
from bot.sources.urls import check_url, normalize_url

__all__ = [
    "PROJECT_URL",
    "SOURCES_FILE",
    "FetchSettings",
    "Kind",
    "Source",
    "SourcesConfig",
    "SourcesError",
    "add_source",
    "load_sources",
    "remove_source",
    "sources_path",
]

SOURCES_FILE = "sources.toml"
PROJECT_URL = "https://github.com/citebot/citebot"
Kind = Literal["feed", "page"]


class SourcesError(Exception):
    """`sources.toml` cannot be read, or an edit of it cannot be made; `str()` says why."""


class Source(BaseModel):
    """One feed (RSS/Atom) or one article page to pull from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str
    name: str | None = None
    kind: Kind | None = None  # None: decided from the response (a feed parses as one)
    # The feed and the pages it links to may be on loopback, private or unique-local addresses
    # (never link-local or cloud metadata); off, so that a feed cannot point the bot inwards.
    allow_private: bool = False

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        return check_url(v)

    @field_validator("name")
    @classmethod
    def _name(cls, v: str | None) -> str | None:
        if v is None:
            return None
        v = " ".join(v.split())
        if not v:
            return None
        if len(v) > 100:
            raise ValueError("name is longer than 100 characters")
        return v

    @property
    def label(self) -> str:
        """How reports name the source: its name, else its URL."""
        return self.name or self.url

    @property
    def slug(self) -> str:
        """The folder name of its articles under `fetched/`: from the name, else from the host."""
        host = (urlsplit(self.url).hostname or "").removeprefix("www.")
        return slugify(self.name or host, fallback="source")

    def matches(self, key: str) -> bool:
        """Whether `key` (as typed to `sources remove`) is this source's URL or name."""
        key = key.strip()
        if self.name and key.casefold() == self.name.casefold():
            return True
        try:
            return normalize_url(check_url(key)) == normalize_url(self.url)
        except ValueError:
            return False


def _default_user_agent() -> str:
    return f"citebot/{__version__} (+{PROJECT_URL})"


class FetchSettings(BaseModel):
    """Limits that keep fetching polite to servers and safe for the corpus (the `[fetch]` table)."""

    model_config = ConfigDict(extra="forbid")

    connect_timeout: float = Field(10.0, gt=0, le=120)
    read_timeout: float = Field(20.0, gt=0, le=300, description="longest wait for the next bytes")
    total_timeout: float = Field(60.0, gt=0, le=900, description="longest time for one URL, retries included")
    max_bytes: int = Field(
        5 * 1024 * 1024, gt=0, le=50 * 1024 * 1024, description="a bigger response is refused"
    )
    concurrency: int = Field(4, ge=1, le=16)
    per_host: int = Field(2, ge=1, le=8, description="requests at once to one host")
    retries: int = Field(2, ge=0, le=5, description="extra attempts after a 5xx or 429 response")
    backoff: float = Field(1.0, ge=0, le=60, description="first wait between attempts; doubles each time")
    max_retry_after: float = Field(
        30.0, ge=0, le=600, description="a longer Retry-After gives up until next run"
    )
    max_redirects: int = Field(5, ge=0, le=20)
    max_new_per_source: int = Field(50, ge=1, le=1000, description="new articles per source per run")
    user_agent: str = Field(default_factory=_default_user_agent, min_length=1)


class SourcesConfig(BaseModel):
    """The whole `sources.toml`: `[[source]]` entries and the optional `[fetch]` table."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    sources: list[Source] = Field(default_factory=list, alias="source")
    fetch: FetchSettings = Field(default_factory=FetchSettings)

    @model_validator(mode="after")
    def _unique(self) -> SourcesConfig:
        urls: set[str] = set()
        names: set[str] = set()
        for s in self.sources:
            key = normalize_url(s.url)
            if key in urls:
                raise ValueError(f"source {s.url} is listed twice")
            urls.add(key)
            if s.name:
                if s.name.casefold() in names:
                    raise ValueError(f"two sources are named {s.name!r}")
                names.add(s.name.casefold())
        return self

    def find(self, key: str) -> Source | None:
        return next((s for s in self.sources if s.matches(key)), None)


# --------------------------------------------------------------------------- reading


def sources_path(corpus_dir: Path) -> Path:
    return Path(corpus_dir) / SOURCES_FILE


def _parse(text: str) -> SourcesConfig:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise SourcesError(f"{SOURCES_FILE}: invalid TOML: {e}") from None
    try:
        return SourcesConfig.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            msg = err["msg"].removeprefix("Value error, ")
            problems.append(f"{loc}: {msg}" if loc else msg)
        raise SourcesError(f"{SOURCES_FILE}: " + "; ".join(problems)) from None


def load_sources(corpus_dir: Path) -> SourcesConfig | None:
    """The corpus's sources, or None when it has no `sources.toml`; SourcesError if it is invalid."""
    path = sources_path(corpus_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as e:
        raise SourcesError(f"cannot read {path}: {e}") from None
    return _parse(text)


# --------------------------------------------------------------------------- writing

_HEADER = (
    "# Feeds and article pages that `citebot refresh` pulls into this corpus.\n"
    "# Edit by hand or with `citebot sources add URL [--name N]` / `citebot sources remove URL-or-NAME`.\n"
)
_TABLE_RE = re.compile(r"^[ \t]*\[", re.MULTILINE)


def _toml_str(value: str) -> str:
    """A TOML basic string (control characters escaped, so a value can never break the file)."""
    out = []
    for c in value:
        if c in '"\\':
            out.append("\\" + c)
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _source_block(source: Source) -> str:
    lines = ["[[source]]", f"url = {_toml_str(source.url)}"]
    if source.name:
        lines.append(f"name = {_toml_str(source.name)}")
    if source.kind:
        lines.append(f"kind = {_toml_str(source.kind)}")
    if source.allow_private:
        lines.append("allow_private = true")
    return "\n".join(lines) + "\n"


def _render(config: SourcesConfig) -> str:
    """The whole file from the model (used when the text cannot be edited in place)."""
    parts = [_HEADER, *("\n" + _source_block(s) for s in config.sources)]
    fetch = config.fetch.model_dump(exclude_unset=True)
    if fetch:
        parts.append("\n[fetch]\n")
        for key, value in fetch.items():
            parts.append(f"{key} = {_toml_str(value) if isinstance(value, str) else value!r}\n")
    return "".join(parts)


def _read_text(corpus_dir: Path) -> str:
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise SourcesError(f"corpus folder {corpus_dir} does not exist")
    try:
        return sources_path(corpus_dir).read_text(encoding="utf-8")
    except FileNotFoundError:
        return _HEADER
    except (OSError, UnicodeDecodeError) as e:
        raise SourcesError(f"cannot read {sources_path(corpus_dir)}: {e}") from None


def _save(corpus_dir: Path, text: str) -> None:
    try:
        write_atomic(sources_path(corpus_dir), text)
    except OSError as e:
        raise SourcesError(f"cannot write {sources_path(corpus_dir)}: {e.strerror or e}") from None


def add_source(corpus_dir: Path, source: Source) -> SourcesConfig:
    """Append `source` to the corpus's `sources.toml` (created if missing).

    A URL already listed is updated in place (its name, kind and `allow_private` become the
    new ones); a name another source has is refused.
    """
    text = _read_text(corpus_dir)
    config = _parse(text)
    listed = config.find(source.url)
    if listed is not None and not listed.matches(source.url):  # found by name, not by URL
        listed = None
    named = config.find(source.name) if source.name else None
    if named is not None and named is not listed:
        raise SourcesError(f"a source is already named {source.name!r}")
    if listed is not None:
        source = source.model_copy(update={"url": listed.url})
        expected = [source if s is listed else s for s in config.sources]
        new_text = _cut_block(text, listed, replacement=_source_block(source))
    else:
        expected = [*config.sources, source]
        new_text = text + ("" if text.endswith("\n") else "\n") + "\n" + _source_block(source)
    try:
        new_config = _parse(new_text) if new_text is not None else None
    except SourcesError:
        new_config = None
    if new_config is None or new_config.sources != expected:  # never write a surprise
        if listed is None:
            raise SourcesError(f"{SOURCES_FILE} could not be edited safely; add the source by hand")
        new_text = _render(config.model_copy(update={"sources": expected}))
        new_config = _parse(new_text)
    assert new_text is not None
    _save(corpus_dir, new_text)
    return new_config


def remove_source(corpus_dir: Path, key: str) -> Source:
    """Remove the source whose URL or name is `key`; SourcesError when there is none."""
    text = _read_text(corpus_dir)
    config = _parse(text)
    source = config.find(key)
    if source is None:
        names = ", ".join(s.label for s in config.sources) or "none"
        raise SourcesError(f"no source has the URL or name {key!r} (sources: {names})")
    expected = [s for s in config.sources if s is not source]
    new_text = _cut_block(text, source)
    try:
        ok = new_text is not None and _parse(new_text).sources == expected
    except SourcesError:
        ok = False
    if not ok:
        new_text = _render(config.model_copy(update={"sources": expected}))
    assert new_text is not None
    _save(corpus_dir, new_text)
    return source


def _cut_block(text: str, source: Source, replacement: str = "") -> str | None:
    """`text` without the `[[source]]` block of `source` (comments elsewhere kept), or None.

    With `replacement`, that block is put where the old one was."""
    starts = [m.start() for m in _TABLE_RE.finditer(text)]
    bounds = list(zip(starts, [*starts[1:], len(text)], strict=True))
    for start, end in bounds:
        block = text[start:end]
        if not block.lstrip().startswith("[[source]]"):
            continue
        try:
            entries = tomllib.loads(block).get("source", [])
        except tomllib.TOMLDecodeError:
            return None
        if len(entries) == 1 and source.matches(str(entries[0].get("url", ""))):
            # Keep comments after the block's last key: they introduce whatever comes next.
            lines = block.splitlines(keepends=True)
            last = max(
                i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")
            )
            while last + 1 < len(lines) and not lines[last + 1].strip():
                last += 1
            rest = text[start + sum(map(len, lines[: last + 1])) :]
            return text[:start] + (replacement + "\n" if replacement and rest else replacement) + rest
    return None
