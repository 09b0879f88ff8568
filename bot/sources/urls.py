"""URL checks and the normal form used to recognise the same article under different links.

Feeds add tracking parameters (`utm_source=rss`) and fragments to their links, and two feeds
may link the same story differently; comparing normalised URLs stores it once.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote_plus, urlencode, urljoin, urlsplit, urlunsplit

__all__ = [
    "check_url",
    "http_url",
    "normalize_url",
    "redact_text",
    "redact_url",
    "registrable_domain",
    "same_site",
]

_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref_src",
        "cmpid",
        "ocid",
    }
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def registrable_domain(url: str) -> str:
    """The domain a publisher registered (`news.bbc.co.uk` → `bbc.co.uk`, `a.github.io` stays).

    From `tld`'s bundled Public Suffix List (no network). An IP address, `localhost` or a name
    under no known suffix is its own registrable domain.
    """
    from tld import get_fld

    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    try:
        fld = get_fld(host, fail_silently=True, fix_protocol=True)
    except Exception:  # tld raises its own errors on odd names; such a host stands alone
        fld = None
    return str(fld).lower() if fld else host


def same_site(url: str, other: str) -> bool:
    """Whether two URLs are on the same registrable domain."""
    a, b = registrable_domain(url), registrable_domain(other)
    return bool(a) and a == b


def check_url(url: str) -> str:
    """`url` stripped, if it is an absolute http(s) URL with a host; else ValueError saying why."""
    url = url.strip()
    if not url:
        raise ValueError("empty URL")
    if any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        raise ValueError(f"URL contains spaces or control characters: {url!r}")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a non-numeric or out-of-range port
    except ValueError as e:
        raise ValueError(f"not a valid URL: {url!r} ({e})") from None
    if parts.scheme.lower() not in _DEFAULT_PORTS:
        what = f"a {parts.scheme}: URL" if parts.scheme else "not an absolute URL"
        raise ValueError(f"only http:// and https:// URLs can be fetched, {url!r} is {what}")
    if not parts.hostname:
        raise ValueError(f"URL has no host: {url!r}")
    return url


def http_url(url: str | None, base: str | None = None) -> str | None:
    """`url` made absolute against `base`, if the result is a fetchable http(s) URL; else None.

    Links in feeds and pages are untrusted: `javascript:`, `file:` or `data:` links are dropped.
    """
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    try:
        url = urljoin(base, url) if base else url
        return check_url(url)
    except ValueError:
        return None


def normalize_url(url: str) -> str:
    """The dedupe key of a URL: lower-case scheme and host, no default port, fragment or tracking.

    `https://Example.com:443/a?utm_source=rss&id=2#top` → `https://example.com/a?id=2`. The
    remaining query parameters are sorted, since their order does not name another page.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if ":" in host:  # IPv6 literal
        netloc = f"[{host}]" if port in (None, _DEFAULT_PORTS.get(scheme)) else f"[{host}]:{port}"
    query = sorted(_untracked(parts.query))
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def without_tracking(url: str) -> str:
    """The URL an answer cites: as the page gave it, less the feed's tracking parameters
    (`…/story?id=2&utm_source=rss` → `…/story?id=2`), which say nothing of the page."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    kept = _untracked(parts.query)
    if len(kept) == len(query):
        return url
    return urlunsplit(parts._replace(query=urlencode(kept)))


def _untracked(query: str) -> list[tuple[str, str]]:
    return [
        (k, v)
        for k, v in parse_qsl(query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in _TRACKING_PARAMS
    ]


# A query parameter whose name holds one of these words carries a credential (`api_key`,
# `access_token`, `X-Amz-Signature`, `password`, `auth`, ...); its value is never printed.
_SECRET_WORDS = ("key", "token", "secret", "pass", "sig", "auth", "credential")
_URL_IN_TEXT_RE = re.compile(r"\bhttps?://[^\s\"'<>]+", re.IGNORECASE)
REDACTED = "REDACTED"


def _secret_name(name: str) -> bool:
    name = unquote_plus(name).lower()
    return any(word in name for word in _SECRET_WORDS)


def redact_url(url: str) -> str:
    """`url` safe to print: no `user:password@`, secret-looking query values replaced.

    `https://bob:pw@feeds.example/rss?api_key=abc&page=2` → `https://REDACTED@feeds.example/rss?api_key=REDACTED&page=2`.
    Used wherever a URL is shown (health check, status, sources list, logs, errors): sources.toml may
    hold an intranet feed's credentials, and whoever reads those outputs must not learn them.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.split("?", 1)[0].rsplit("@", 1)[-1]
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{REDACTED}@{netloc.rsplit('@', 1)[1]}"
    query = parts.query
    if query:
        pairs = []
        for item in query.split("&"):
            name, eq, _ = item.partition("=")
            pairs.append(f"{name}={REDACTED}" if eq and _secret_name(name) else item)
        query = "&".join(pairs)
    if netloc == parts.netloc and query == parts.query:
        return url
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def redact_text(text: str) -> str:
    """`text` (an error message, a log line) with every http(s) URL in it redacted."""

    def one(m: re.Match[str]) -> str:
        url = m.group(0)
        core = url.rstrip(".,;:!?)]}")
        return redact_url(core) + url[len(core) :]

    return _URL_IN_TEXT_RE.sub(one, text)
