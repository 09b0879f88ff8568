"""Running the app: an HTTP server (`POST /slack/events`, `GET /healthz`) or Socket Mode.

HTTP is served by uvicorn (h11: standard parsing, header size limit) on an asyncio loop, with
`bot.slack.connections` adding the timeouts and limits uvicorn lacks. The loop never waits
on Bolt: each verified request is dispatched on a small thread pool (Bolt acks there and
answers on its own listener pool). Before Bolt sees a request it is checked here: its size
(413), an ambiguous length (both Content-Length and Transfer-Encoding: 400), its Slack
signature (401) and its body's shape (400); each rejection is one bounded, escaped log
line, never the body. Socket Mode serves `/healthz` on the same port too, so one container
health check fits both modes.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import socket
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import h11
import uvicorn
from slack_bolt import App, BoltResponse
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.corpus import Corpus
from bot.refresh_outcome import read_outcome, record
from bot.slack.connections import ACCEPT_BURST, Limits, guarded_protocol

__all__ = ["EVENTS_PATH", "HEALTH_PATH", "Refresher", "SlackHTTPServer", "health", "parse_period"]

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
_PERIOD = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*$", re.IGNORECASE)
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600}
_LISTEN_BACKLOG = 1024
_DRAIN = 32 << 20  # a refused body up to this size is read and dropped before the 413
_LOG_FIELD = 120  # characters of any client-supplied text in a log line

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


def parse_period(text: str) -> float:
    """'30m' → 1800.0; accepts s/m/h suffixes (bare numbers are seconds). ValueError otherwise."""
    m = _PERIOD.match(text)
    if not m or float(m.group(1)) <= 0:
        raise ValueError(f"not a period: {text!r} (use e.g. 90s, 30m or 2h)")
    return float(m.group(1)) * _UNITS[m.group(2).lower()]


def source_outcomes(corpus_dir: Path) -> list[dict[str, Any]]:
    """Each configured source's last fetch: when, and what came of it (URLs redacted).

    From memory: the fetch state is re-read only when its file changed (one `stat` a call).
    """
    from bot.sources.store import cached_state
    from bot.sources.urls import redact_text, redact_url

    state = cached_state(corpus_dir)
    if state is None:
        return []
    return [
        {
            "url": redact_url(url),
            "last_fetch": st.last_fetch.isoformat() if st.last_fetch else None,
            "outcome": st.outcome,
            "new": st.new,
            "error": redact_text(st.error) if st.error else None,
        }
        for url, st in state.sources.items()
    ]


def _last_refresh(corpus: Corpus) -> dict[str, Any] | None:
    """The refresh job's outcome file in the (shared) index folder, as every replica sees it."""
    outcome = read_outcome(corpus.store.root)
    return outcome.model_dump(mode="json") if outcome else None


def health(corpus: Corpus, socket: SocketModeHandler | None = None) -> tuple[int, dict[str, Any]]:
    """Corpus size and index age; 503 while a Socket Mode bot is not connected to Slack."""
    snap = corpus.snapshot
    m = snap.index.manifest
    body: dict[str, Any] = {
        "status": "ok",
        "articles": m.articles,
        "sentences": m.sentences,
        "index_age_seconds": round(time.time() - m.built_at.timestamp(), 1),
        "index_version": snap.version,
        "index_built_at": m.built_at.isoformat(),
        "sources": source_outcomes(corpus.corpus_dir),
        "refresh": _last_refresh(corpus),
    }
    if socket is not None:
        body["socket_mode_connected"] = socket.client.is_connected()
        if not body["socket_mode_connected"]:
            body["status"] = "disconnected"
            return 503, body
    return 200, body


def _field(value: object) -> str:
    """Client-supplied text for a log line: cut short, newlines and control characters escaped."""
    text = str(value)
    cut = text[:_LOG_FIELD].encode("unicode_escape").decode("ascii")
    return cut + ("…" if len(text) > _LOG_FIELD else "")


def _body_problem(raw: str, content_type: str) -> str | None:
    """Why Bolt could not read this body as a Slack payload (an object), or None when it can."""
    try:
        if content_type == "application/json" or raw.lstrip().startswith(("{", "[")):
            data: object = json.loads(raw) if raw.strip() else {}
        elif "payload" in raw:
            payload = dict(parse_qsl(raw, keep_blank_values=True)).get("payload")
            data = json.loads(payload) if payload is not None else {}
        else:
            return None  # a plain form (slash commands)
    except (ValueError, RecursionError):
        return "body is not valid JSON"
    return None if isinstance(data, dict) else f"body is a JSON {type(data).__name__}, not an object"


class _Routes:
    """The ASGI app: `/healthz` from memory, `/slack/events` checked, then Bolt; both off the loop."""

    def __init__(
        self, app: App | None, corpus: Corpus, socket_mode: SocketModeHandler | None, limits: Limits
    ) -> None:
        self.app = app
        self.corpus = corpus
        self.socket_mode = socket_mode
        self.limits = limits
        secret = getattr(app, "_signing_secret", None) if app is not None else None
        self.verifier = SignatureVerifier(secret) if secret else None
        self.pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="citebot-http")
        # Its own threads: health checks are answered even while Bolt holds every dispatch thread.
        self.health_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="citebot-health")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        try:
            await self._route(scope, receive, send)
        except h11.LocalProtocolError:  # uvicorn already sent 400 for a malformed rest of the request
            log.debug("response dropped: the connection was already answered and closed")

    async def _route(self, scope: Scope, receive: Receive, send: Send) -> None:
        path, method = scope["path"], scope["method"]
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            loop = asyncio.get_running_loop()
            try:  # on the pool: a changed fetch-state file is parsed there, never on the loop
                status, body = await loop.run_in_executor(
                    self.health_pool, health, self.corpus, self.socket_mode
                )
            except Exception as exc:
                log.exception("health check failed")
                status, body = 503, {"status": "error", "error": type(exc).__name__}
            await _respond(send, status, json.dumps(body).encode(), "application/json")
        elif path == EVENTS_PATH and method == "POST" and self.app is not None:
            await self._events(scope, receive, send)
        else:
            await _respond(send, 404, b'{"error": "not found"}', "application/json")

    def _reject(self, scope: Scope, status: int, why: str, size: int | None = None) -> None:
        client = scope.get("client") or ("?", 0)
        bytes_ = f", {size} bytes" if size is not None else ""
        log.warning(
            "rejected %s %s from %s: %d, %s%s",
            scope["method"],
            _field(scope["path"]),
            _field(client[0]),
            status,
            why,
            bytes_,
        )

    async def _events(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers: dict[str, list[str]] = {}
        for name, value in scope["headers"]:
            headers.setdefault(name.decode("latin-1").lower(), []).append(value.decode("latin-1"))
        if "transfer-encoding" in headers and "content-length" in headers:  # RFC 9112 6.3: smuggling
            self._reject(scope, 400, "both Content-Length and Transfer-Encoding")
            await _respond(send, 400, b'{"error": "bad request"}', "application/json", close=True)
            return
        length = (headers.get("content-length") or [""])[0]
        if length.isdigit() and int(length) > self.limits.max_body:
            self._reject(scope, 413, "body too large", int(length))
            await _too_large(receive, send, int(length))
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.limits.max_body:
                self._reject(scope, 413, "body too large", len(body))
                await _too_large(receive, send, 1 if more else 0)  # chunked: how much is left is unknown
                return
        raw = body.decode("utf-8", errors="replace")
        timestamp = next(iter(headers.get("x-slack-request-timestamp", ())), None)
        signature = next(iter(headers.get("x-slack-signature", ())), None)
        if not self._signed(raw, timestamp, signature):
            self._reject(scope, 401, "bad or stale signature", len(body))
            await _respond(send, 401, b'{"error": "invalid request"}', "application/json")
            return
        ctype = (headers.get("content-type") or [""])[0].split(";")[0].strip().lower()
        problem = _body_problem(raw, ctype)
        if problem:
            self._reject(scope, 400, problem, len(body))
            await _respond(send, 400, b'{"error": "bad request"}', "application/json")
            return
        query = scope.get("query_string", b"").decode("latin-1")
        loop = asyncio.get_running_loop()
        try:
            resp = await asyncio.wait_for(
                loop.run_in_executor(self.pool, self._dispatch, raw, query, headers),
                self.limits.answer_timeout,
            )
        except TimeoutError:
            log.error("Bolt took more than %gs to acknowledge a request", self.limits.answer_timeout)
            await _respond(send, 503, b'{"error": "busy"}', "application/json")
            return
        if resp is None:
            await _respond(send, 500, b'{"error": "internal"}', "application/json")
            return
        extra = [
            (k, v)
            for k, vs in resp.headers.items()
            if k.lower() not in {"content-length", "content-type"}
            for v in vs
        ]
        ctype_out = (resp.headers.get("content-type") or ["text/plain; charset=utf-8"])[0]
        await _respond(send, resp.status, (resp.body or "").encode(), ctype_out, extra=extra)

    def _signed(self, raw: str, timestamp: str | None, signature: str | None) -> bool:
        if self.verifier is None or not timestamp or not signature:
            return False
        try:
            return self.verifier.is_valid(raw, timestamp, signature)
        except (ValueError, TypeError, OverflowError):  # a timestamp such as "abc"
            return False

    def _dispatch(self, raw: str, query: str, headers: dict[str, list[str]]) -> BoltResponse | None:
        assert self.app is not None
        try:
            bolt_headers: dict[str, str | Sequence[str]] = dict(headers)
            return self.app.dispatch(BoltRequest(body=raw, query=query, headers=bolt_headers))
        except Exception:
            log.exception("dispatch failed")
            return None


async def _too_large(receive: Receive, send: Send, unread: int) -> None:
    """413, after reading and dropping the rest of the body (`unread` bytes, if at most `_DRAIN`):
    a client sending `Connection: close` would otherwise be reset mid-upload and miss the 413."""
    if unread <= _DRAIN:
        dropped, more = 0, unread > 0
        while more and dropped <= _DRAIN:  # the request timeout bounds how slowly it may come
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            dropped += len(message.get("body", b""))
            more = message.get("more_body", False)
    await _respond(send, 413, b'{"error": "too large"}', "application/json", close=True)


async def _respond(
    send: Send,
    status: int,
    body: bytes,
    ctype: str,
    *,
    extra: list[tuple[str, str]] | None = None,
    close: bool = False,
) -> None:
    headers = [(b"content-type", ctype.encode("latin-1")), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in extra or ()]
    if close:  # nothing more is read from this connection
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class _Server(uvicorn.Server):
    """asyncio uses one number for the kernel's listen queue and for how many sockets it accepts
    in a row: a small burst keeps the connection limit ahead of the descriptors, then the
    queue is made long again so that bursts of Slack requests are not dropped."""

    def __init__(self, config: uvicorn.Config, sock: socket.socket) -> None:
        super().__init__(config)
        self._sock = sock

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self._sock.listen(_LISTEN_BACKLOG)


class SlackHTTPServer:
    """uvicorn on a socket bound at construction (so `port` is known at once, even for port 0)."""

    def __init__(
        self,
        address: tuple[str, int],
        app: App | None,
        corpus: Corpus,
        socket_mode: SocketModeHandler | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.limits = limits or Limits()
        host, port = address
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.socket = socket.create_server((host, port), family=family, backlog=_LISTEN_BACKLOG)
        self.app = app
        self.corpus = corpus
        self.socket_mode = socket_mode
        self.routes = _Routes(app, corpus, socket_mode, self.limits)
        config = uvicorn.Config(
            self.routes,
            http=guarded_protocol(self.limits),
            lifespan="off",
            log_config=None,
            access_log=False,
            proxy_headers=False,
            server_header=False,
            timeout_keep_alive=self.limits.keep_alive,
            timeout_graceful_shutdown=10,
            backlog=ACCEPT_BURST,
            h11_max_incomplete_event_size=self.limits.max_header_bytes,
        )
        self._server = _Server(config, self.socket)
        self._stopped = threading.Event()

    @property
    def port(self) -> int:
        return int(self.socket.getsockname()[1])

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Serve until `shutdown()` or SIGINT/SIGTERM (in the main thread: a graceful stop)."""
        del poll_interval  # uvicorn checks for a stop ten times a second
        try:
            self._server.run(sockets=[self.socket])
        finally:
            self._stopped.set()

    def shutdown(self, timeout: float = 15.0) -> None:
        """Stop serving (from another thread) and wait until the server has stopped."""
        self._server.should_exit = True
        self._stopped.wait(timeout)

    def server_close(self) -> None:
        self.socket.close()
        self.routes.pool.shutdown(wait=False, cancel_futures=True)
        self.routes.health_pool.shutdown(wait=False, cancel_futures=True)


class Refresher(threading.Thread):
    """Calls `corpus.update()` every `period` seconds; a failure is logged and serving goes on."""

    def __init__(
        self, corpus: Corpus, period: float, on_error: Callable[[Exception], None] | None = None
    ) -> None:
        super().__init__(name="citebot-refresh", daemon=True)
        self.corpus = corpus
        self.period = period
        self.on_error = on_error
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.period):
            try:
                report = self.corpus.update()
                record(self.corpus.store.root, report, self.corpus.last_fetch)
                log.info(
                    "refresh: %s articles, %s sentences, published=%s in %.1fs",
                    report.articles,
                    report.sentences,
                    report.published,
                    report.seconds,
                )
            except Exception as exc:
                log.exception("refresh failed; still answering from the current index")
                record(self.corpus.store.root, None, self.corpus.last_fetch, f"{type(exc).__name__}: {exc}")
                if self.on_error:
                    self.on_error(exc)

    def stop(self) -> None:
        self._stop_event.set()


def start_socket_mode(app: App, app_token: str, concurrency: int) -> SocketModeHandler:
    """Open the Socket Mode connection (apps.connections.open through the app's WebClient)."""
    handler = SocketModeHandler(app, app_token, concurrency=concurrency)
    handler.connect()  # type: ignore[no-untyped-call]  # slack_sdk leaves it unannotated
    return handler


def serve_forever(server: SlackHTTPServer, on_stop: Callable[[], None] | None = None) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM turned into KeyboardInterrupt), then clean up."""
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        server.server_close()
        if on_stop:
            on_stop()
