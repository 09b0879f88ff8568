"""HTTP for fetching sources: bounded in time and size, polite, and failing with a reason.

Every limit is there because the other end is untrusted: a server may never answer, send
20 MB, redirect in circles or ask us to slow down. Each request has connect/read timeouts and
an overall deadline; bodies are streamed and abandoned past `max_bytes`, counted both as
sent and after each layer of Content-Encoding is undone (a 43 KB `gzip, gzip` body can
inflate to gigabytes in one step, so decoding is ours, in bounded pieces); connections go
only to addresses `bot.sources.addresses` allows (checked after DNS, so on every redirect
too); redirects are followed by hand (only to http/https, loops named); 5xx and 429 are
retried with backoff that honours a reasonable Retry-After; few requests go to one host at
once. Anything that goes wrong raises `FetchError` with a one-line reason for the summary.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urlsplit

import httpx

from bot.sources.addresses import BLOCKED, GuardedBackend, Resolver
from bot.sources.config import FetchSettings
from bot.sources.urls import http_url, redact_url

__all__ = ["FEED_ACCEPT", "PAGE_ACCEPT", "FetchError", "Fetcher", "Response"]

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_MB = 1024 * 1024
_PIECE = 64 * 1024  # most bytes one decompression step may produce
_MAX_ENCODINGS = 2
ACCEPT_ENCODING = "gzip, deflate"  # the codings `_Decoder` undoes; we ask for no others


class FetchError(Exception):
    """A URL that could not be fetched. `permanent`: retrying on the next run will not help."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent

    def __str__(self) -> str:
        return self.reason


@dataclass(frozen=True)
class Response:
    """A complete (or 304) response: final URL after redirects, status, headers, body."""

    url: str
    status: int
    headers: httpx.Headers
    content: bytes

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return str(self.headers.get("content-type", "")).split(";")[0].strip().lower()


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, IndexError):
        return None


def _mb(n: float) -> str:
    return f"{n / _MB:.0f} MB" if n >= _MB else f"{n / 1024:.0f} KB"


class Fetcher:
    """A shared HTTP client with the limits of `FetchSettings`; safe to use from many threads."""

    def __init__(
        self,
        settings: FetchSettings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        resolver: Resolver | None = None,
    ) -> None:
        self.settings = settings
        self._sleep = sleep
        self._resolver = resolver
        self._clients: dict[bool, httpx.Client] = {}
        self._clients_lock = threading.Lock()
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._hosts_lock = threading.Lock()

    def _client(self, allow_private: bool) -> httpx.Client:
        """One client per address policy (its connection pool checks addresses when it connects)."""
        with self._clients_lock:
            client = self._clients.get(allow_private)
            if client is None:
                client = self._clients[allow_private] = self._new_client(allow_private)
            return client

    def _new_client(self, allow_private: bool) -> httpx.Client:
        s = self.settings
        timeout = httpx.Timeout(
            connect=s.connect_timeout, read=s.read_timeout, write=s.read_timeout, pool=s.total_timeout
        )
        limits = httpx.Limits(max_connections=s.concurrency * 2, max_keepalive_connections=s.concurrency)
        # trust_env=False: a proxy from the environment would connect for us, unchecked.
        transport = httpx.HTTPTransport(limits=limits, trust_env=False)
        pool = transport._pool
        if not hasattr(pool, "_network_backend"):  # httpx/httpcore changed: refuse to fetch unguarded
            raise RuntimeError("cannot install the address check into httpx's connection pool")
        pool._network_backend = GuardedBackend(allow_private=allow_private, resolver=self._resolver)
        return httpx.Client(
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": s.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        with self._clients_lock:
            for client in self._clients.values():
                client.close()
            self._clients.clear()

    # --- public ---------------------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        accept: str = PAGE_ACCEPT,
        etag: str | None = None,
        last_modified: str | None = None,
        allow_private: bool = False,
    ) -> Response:
        """GET `url`, conditionally if validators are given (a 304 is returned, not raised).

        `allow_private`: the source opted in to loopback/private/unique-local addresses.
        Raises FetchError for network failures, refused addresses, HTTP errors after retries,
        oversize bodies, redirect loops and deadline overruns.
        """
        s = self.settings
        deadline = time.monotonic() + s.total_timeout
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for attempt in range(s.retries + 1):
            resp = self._follow(url, headers, deadline, allow_private)
            if resp.status != 429 and resp.status < 500:
                break
            what = f"HTTP {resp.status} {httpx.codes.get_reason_phrase(resp.status)}".rstrip()
            if attempt == s.retries:
                tries = f" after {s.retries + 1} attempts" if s.retries else ""
                raise FetchError(f"{what}{tries}")
            asked = _retry_after(resp.headers.get("retry-after"))
            if asked is not None and asked > s.max_retry_after:
                raise FetchError(f"{what}: server asks to retry after {asked:.0f}s; will try on the next run")
            wait = asked if asked is not None else s.backoff * 2**attempt
            if time.monotonic() + wait > deadline:
                raise FetchError(f"{what}: no time left to retry (limit {s.total_timeout:g}s)")
            self._sleep(wait)
        if resp.status >= 400:
            reason = f"HTTP {resp.status} {httpx.codes.get_reason_phrase(resp.status)}".rstrip()
            raise FetchError(reason, permanent=resp.status not in (408, 425))
        return resp

    # --- internals ------------------------------------------------------------------------

    def _follow(self, url: str, headers: dict[str, str], deadline: float, allow_private: bool) -> Response:
        chain = [url]
        for _ in range(self.settings.max_redirects + 1):
            resp = self._request(chain[-1], headers, deadline, allow_private)
            if resp.status not in _REDIRECTS:
                return resp
            location = resp.headers.get("location")
            target = http_url(location, base=chain[-1])
            if target is None:
                raise FetchError(
                    f"HTTP {resp.status} redirect to an unusable location: {location!r:.120}", permanent=True
                )
            if target in chain:
                loop = " → ".join(urlsplit(u).path or "/" for u in [*chain[chain.index(target) :], target])
                raise FetchError(f"redirect loop: {loop}", permanent=True)
            chain.append(target)
        raise FetchError(f"too many redirects (more than {self.settings.max_redirects})", permanent=True)

    def _slot(self, url: str) -> threading.BoundedSemaphore:
        host = urlsplit(url).netloc.lower()
        with self._hosts_lock:
            if host not in self._hosts:
                self._hosts[host] = threading.BoundedSemaphore(self.settings.per_host)
            return self._hosts[host]

    def _request(self, url: str, headers: dict[str, str], deadline: float, allow_private: bool) -> Response:
        """One request (no redirects, no retries); the body is read only for a 2xx response."""
        s = self.settings
        host = urlsplit(url).hostname or redact_url(url)
        client = self._client(allow_private)
        try:
            with self._slot(url), client.stream("GET", url, headers=headers) as r:
                if not 200 <= r.status_code < 300:
                    return Response(str(r.url), r.status_code, r.headers, b"")
                length = r.headers.get("content-length", "")
                if length.isdigit() and int(length) > s.max_bytes:
                    raise FetchError(
                        f"too large: {_mb(int(length))} (limit {_mb(s.max_bytes)})", permanent=True
                    )
                decoder = _Decoder(r.headers.get("content-encoding", ""), s.max_bytes)
                body = bytearray()
                raw = 0
                for chunk in r.iter_raw():
                    raw += len(chunk)
                    if raw > s.max_bytes:
                        raise FetchError(
                            f"too large: more than {_mb(s.max_bytes)}, download stopped", permanent=True
                        )
                    for piece in decoder.feed(chunk):
                        body += piece
                        if time.monotonic() > deadline:
                            raise FetchError(f"timed out: still decoding after {s.total_timeout:g}s")
                    if time.monotonic() > deadline:
                        raise FetchError(f"timed out: still downloading after {s.total_timeout:g}s")
                return Response(str(r.url), r.status_code, r.headers, bytes(body))
        except httpx.ConnectTimeout:
            raise FetchError(f"timed out connecting to {host} (after {s.connect_timeout:g}s)") from None
        except httpx.ReadTimeout:
            raise FetchError(f"timed out waiting for {host} (no data for {s.read_timeout:g}s)") from None
        except httpx.ConnectError as e:
            if str(e).startswith(BLOCKED):
                raise FetchError(_short(e)) from None
            raise FetchError(f"cannot connect to {host}: {_short(e)}") from None
        except httpx.HTTPError as e:  # protocol errors, pool timeouts, …
            raise FetchError(f"{type(e).__name__}: {_short(e)}") from None
        except (httpx.InvalidURL, ValueError) as e:  # a host name IDNA cannot encode, …
            raise FetchError(f"invalid URL: {_short(e)}", permanent=True) from None


class _Decoder:
    """Undoes a Content-Encoding chain (`gzip`, `deflate`, stacked) in pieces of at most 64 KB,
    refusing as soon as any layer has produced more than `cap` bytes."""

    def __init__(self, header: str, cap: int) -> None:
        names = [n.strip().lower() for n in header.split(",") if n.strip()]
        names = [n for n in names if n != "identity"]
        if len(names) > _MAX_ENCODINGS:
            raise FetchError(
                f"refused: {len(names)} stacked content encodings ({header:.80})", permanent=True
            )
        for name in names:
            if name not in ("gzip", "x-gzip", "deflate"):
                raise FetchError(f"unsupported Content-Encoding {name!r:.40}", permanent=True)
        self.cap = cap
        self.layers = [_Layer(n) for n in reversed(names)]  # the last coding applied is undone first
        self.produced = [0] * len(self.layers)

    def feed(self, data: bytes) -> Iterator[bytes]:
        yield from self._through(0, data)

    def _through(self, i: int, data: bytes) -> Iterator[bytes]:
        if i == len(self.layers):
            yield data
            return
        for piece in self.layers[i].decode(data):
            self.produced[i] += len(piece)
            if self.produced[i] > self.cap:
                raise FetchError(
                    f"too large: more than {_mb(self.cap)} after decompression, download stopped",
                    permanent=True,
                )
            yield from self._through(i + 1, piece)


class _Layer:
    """One content coding being undone; gzip may hold several members, deflate may lack its header."""

    def __init__(self, name: str) -> None:
        self.gzip = name != "deflate"
        self.started = False
        self.d = zlib.decompressobj(16 + zlib.MAX_WBITS if self.gzip else zlib.MAX_WBITS)

    def decode(self, data: bytes) -> Iterator[bytes]:
        buf = data
        while True:
            try:
                out = self.d.decompress(buf, _PIECE)
            except zlib.error as e:
                if self.gzip or self.started:
                    raise FetchError(f"invalid response body: {e}", permanent=True) from None
                self.d = zlib.decompressobj(-zlib.MAX_WBITS)  # "deflate" sent without its zlib header
                self.started = True
                continue
            self.started = True
            buf = self.d.unconsumed_tail
            if out:
                yield out
            if self.d.eof:
                rest = self.d.unused_data + buf
                if not (self.gzip and rest.strip(b"\0")):
                    return  # trailing bytes after the stream are ignored, as browsers do
                self.d = zlib.decompressobj(16 + zlib.MAX_WBITS)  # the next gzip member
                buf = rest
                continue
            if not out and not buf:
                return


def _short(e: BaseException) -> str:
    text = str(e).strip() or type(e).__name__
    return text.splitlines()[0][:200]
