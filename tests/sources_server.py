"""A local news site for the source-fetching tests: feeds, article pages and broken endpoints.

`NewsServer` listens on 127.0.0.1 at a random port (nothing leaves the machine), serves the
routes a test sets, answers conditional requests with 304, and logs every request so tests
can check what the fetcher asked for. Builders make RSS, Atom and article HTML.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

import pytest

SEED = Path(__file__).resolve().parent / "fixtures" / "articles" / "000_f14a7e196510d787.txt"

#: Short limits so that the timeout and retry cases take well under a second each.
FAST_FETCH = {
    "connect_timeout": 2,
    "read_timeout": 0.5,
    "total_timeout": 5,
    "backoff": 0.05,
    "max_retry_after": 2,
    "retries": 2,
}


def no_dns(host: str, port: int) -> list[str]:
    """Fetching's resolver in tests: `localhost` and address literals (in every spelling
    getaddrinfo takes, such as `2130706433`) without asking DNS; any other name is unknown."""
    if host.lower() == "localhost":
        return ["127.0.0.1"]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    except socket.gaierror:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None
    return [str(info[4][0]) for info in infos]


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy from the environment and no DNS: nothing a test fetches leaves the machine.

    Autouse in every test module that imports it."""
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr("bot.sources.addresses.system_resolver", no_dns)


@dataclass
class Page:
    """A fixed response; with `etag`/`last_modified`, a matching conditional GET gets a 304."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Request:
    path: str  # with the query string
    headers: dict[str, str]
    status: int


Route = Page | Callable[["Handler"], int]


class Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        site = self.server.site
        route = site.routes.get(urlsplit(self.path).path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        with site.lock:  # logged before answering: the client may act on the answer at once
            at = len(site._log)
            site._log.append(Request(self.path, headers, 0))
        status = -1  # the handler failed or the client went away mid-answer
        try:
            if route is None:
                status = self.send_page(Page(b"not found", "text/plain", status=404))
            elif isinstance(route, Page):
                status = self.send_page(route)
            else:
                status = route(self)
        finally:
            with site.lock:
                site._log[at] = Request(self.path, headers, status)

    def send_page(self, page: Page) -> int:
        if (page.etag and self.headers.get("If-None-Match") == page.etag) or (
            page.last_modified and self.headers.get("If-Modified-Since") == page.last_modified
        ):
            self.send_response(304)
            self.end_headers()
            return 304
        self.send_response(page.status)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        if page.etag:
            self.send_header("ETag", page.etag)
        if page.last_modified:
            self.send_header("Last-Modified", page.last_modified)
        for k, v in page.headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(page.body)
        return page.status


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: NewsServer


class NewsServer:
    """Use as a context manager; `url(path)` is the address of a route."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self._log: list[Request] = []
        self.lock = threading.Lock()
        self.closing = threading.Event()  # wakes slow handlers at shutdown
        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.httpd.site = self
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> NewsServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closing.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    @property
    def log(self) -> list[Request]:
        """Every request so far, once each has been answered (a handler may still be writing its
        answer when the client has read it: wait for that, a few seconds at most)."""
        deadline = time.monotonic() + 5
        while True:
            with self.lock:
                if all(r.status for r in self._log) or time.monotonic() > deadline:
                    return list(self._log)
            time.sleep(0.005)

    def requests(self, path: str) -> list[Request]:
        """Logged requests for `path` (compared without the query string)."""
        return [r for r in self.log if urlsplit(r.path).path == path]

    # --- special endpoints ------------------------------------------------------------

    def slow(self, seconds: float, then: Page) -> Route:
        """Answers after `seconds` (longer than the read timeout: the client gives up)."""

        def handle(h: Handler) -> int:
            if self.closing.wait(seconds):
                return 0
            try:
                return h.send_page(then)
            except OSError:
                return 0

        return handle

    def huge(self, size: int, *, with_length: bool) -> Route:
        """An HTML page of `size` bytes, generated as it is sent (never held in memory)."""

        def handle(h: Handler) -> int:
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            if with_length:
                h.send_header("Content-Length", str(size))
            h.end_headers()
            chunk = b"<p>" + b"All work and no play makes a very long page. " * 1400 + b"</p>\n"
            sent = 0
            try:
                while sent < size and not self.closing.is_set():
                    h.wfile.write(chunk)
                    sent += len(chunk)
            except OSError:  # the client hung up, as it should
                pass
            return 200

        return handle

    def redirect(self, target: str, status: int = 302) -> Route:
        def handle(h: Handler) -> int:
            h.send_response(status)
            h.send_header("Location", target)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return status

        return handle

    def flaky(self, failures: int, then: Page, *, status: int = 503, retry_after: str = "0") -> Route:
        """`status` (with Retry-After) for the first `failures` requests, then `then`."""
        count = 0

        def handle(h: Handler) -> int:
            nonlocal count
            with self.lock:
                count += 1
                fail = count <= failures
            if fail:
                return h.send_page(
                    Page(b"busy", "text/plain", status=status, headers={"Retry-After": retry_after})
                )
            return h.send_page(then)

        return handle


def closed_port_url() -> str:
    """A loopback URL where nothing listens (connection refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed.xml"


# --------------------------------------------------------------------------- content builders

_DAY = datetime(2024, 3, 5, 10, 0, tzinfo=UTC)


def rss(items: list[tuple[str, str]], title: str = "Example News") -> Page:
    """An RSS 2.0 feed of (title, link) items, with an ETag and Last-Modified."""
    body = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
        f"<pubDate>{format_datetime(_DAY, usegmt=True)}</pubDate></item>"
        for t, link in items
    )
    xml = (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
        f"<link>http://example.invalid/</link><description>news</description>{body}</channel></rss>"
    )
    return Page(
        xml.encode(),
        "application/rss+xml; charset=utf-8",
        etag='"rss-v1"',
        last_modified=format_datetime(_DAY, usegmt=True),
    )


def atom(entries: list[tuple[str, str]], title: str = "Example Atom") -> Page:
    """An Atom feed of (title, link) entries, with a Last-Modified only (no ETag)."""
    body = "".join(
        f'<entry><title>{escape(t)}</title><link rel="alternate" href="{escape(link)}"/>'
        f"<id>urn:uuid:{i}</id><updated>2024-03-06T09:00:00Z</updated></entry>"
        for i, (t, link) in enumerate(entries)
    )
    xml = (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:example</id><updated>2024-03-06T09:00:00Z</updated>{body}</feed>"
    )
    return Page(xml.encode(), "application/atom+xml", last_modified="Wed, 06 Mar 2024 09:00:00 GMT")


def article(
    title: str,
    paragraphs: list[str],
    *,
    canonical: str | None = None,
    author: str | None = "Jane Roe",
    published: str | None = "2024-03-05T10:00:00Z",
) -> Page:
    """An article page with navigation and a footer around the text, like a news site's."""
    head = [f"<title>{escape(title)} | Example News</title>"]
    if canonical:
        head.append(f'<link rel="canonical" href="{escape(canonical)}">')
    if author:
        head.append(f'<meta name="author" content="{escape(author)}">')
    if published:
        head.append(f'<meta property="article:published_time" content="{published}">')
    paras = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    html = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{"".join(head)}</head><body>'
        f'<nav><a href="/">Home</a> <a href="/world">World</a></nav>'
        f"<article><h1>{escape(title)}</h1>{paras}</article>"
        f"<footer>Copyright 2024 Example News</footer></body></html>"
    )
    return Page(html.encode())


def sources_toml(
    sources: list[dict[str, str]], fetch: dict[str, object] | None = None, *, allow_private: bool = True
) -> str:
    """The text of a sources.toml (values are plain; tests do not need escaping).

    `allow_private`: every source opts in to private addresses, as the test site is on loopback
    (fetching refuses loopback otherwise)."""
    blocks = []
    for s in sources:
        lines = "".join(f'{k} = "{v}"\n' for k, v in s.items())
        blocks.append("[[source]]\n" + lines + ("allow_private = true\n" if allow_private else ""))
    text = "\n".join(blocks)
    if fetch:
        text += "\n[fetch]\n" + "".join(f"{k} = {v!r}\n" for k, v in fetch.items())
    return text


def make_corpus(
    root: Path, sources: list[dict[str, str]], fetch: dict[str, object] | None = FAST_FETCH
) -> Path:
    """A corpus folder with the seed article and a sources.toml."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    (corpus / SEED.name).write_bytes(SEED.read_bytes())
    (corpus / "sources.toml").write_text(sources_toml(sources, fetch), encoding="utf-8")
    return corpus
