"""Running the app: an HTTP server (`POST /slack/events`, `GET /healthz`) or Socket Mode.

Bolt's `app.start()` dev server has no health endpoint, so HTTP mode is a small
`ThreadingHTTPServer` that hands raw body + headers to `App.dispatch` (Bolt verifies the
signature on the raw bytes). Socket Mode serves `/healthz` on the same port too, so one
container health check fits both modes.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.request import BoltRequest

from bot.corpus import Corpus
from bot.refresh_outcome import read_outcome, record

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY = 1 << 20  # Slack's payloads are far smaller; refuse anything bigger unread
_PERIOD = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*$", re.IGNORECASE)
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600}


def parse_period(text: str) -> float:
    """'30m' → 1800.0; accepts s/m/h suffixes (bare numbers are seconds). ValueError otherwise."""
    m = _PERIOD.match(text)
    if not m or float(m.group(1)) <= 0:
        raise ValueError(f"not a period: {text!r} (use e.g. 90s, 30m or 2h)")
    return float(m.group(1)) * _UNITS[m.group(2).lower()]


def source_outcomes(corpus_dir: Path) -> list[dict[str, Any]]:
    """Each configured source's last fetch: when, and what came of it (from the fetch state file)."""
    from bot.sources.store import read_state

    state = read_state(corpus_dir)
    if state is None:
        return []
    return [
        {
            "url": url,
            "last_fetch": st.last_fetch.isoformat() if st.last_fetch else None,
            "outcome": st.outcome,
            "new": st.new,
            "error": st.error,
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


class _Handler(BaseHTTPRequestHandler):
    server: SlackHTTPServer
    protocol_version = "HTTP/1.1"  # keep-alive: Content-Length is always sent

    def do_GET(self) -> None:
        if urlsplit(self.path).path == HEALTH_PATH:
            try:
                status, body = health(self.server.corpus, self.server.socket_mode)
            except Exception as exc:
                log.exception("health check failed")
                status, body = 503, {"status": "error", "error": type(exc).__name__}
            self._send(status, json.dumps(body).encode(), "application/json")
        else:
            self._send(404, b'{"error": "not found"}', "application/json")

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path != EVENTS_PATH or self.server.app is None:
            self._send(404, b'{"error": "not found"}', "application/json")
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self.close_connection = True
            self._send(413, b'{"error": "bad length"}', "application/json")
            return
        raw = self.rfile.read(length).decode("utf-8", errors="replace")
        headers: dict[str, str | Sequence[str]] = {
            k.lower(): self.headers.get_all(k) or [] for k in self.headers
        }
        try:
            request = BoltRequest(body=raw, query=url.query, headers=headers)
        except ValueError:  # a body that is neither JSON nor a form: not from Slack
            log.warning("rejected a request whose body could not be parsed (%d bytes)", len(raw))
            self._send(400, b'{"error": "bad request"}', "application/json")
            return
        try:
            resp = self.server.app.dispatch(request)
        except Exception:
            log.exception("dispatch failed")
            self._send(500, b'{"error": "internal"}', "application/json")
            return
        extra = {k: v for k, v in resp.headers.items() if k.lower() not in {"content-length", "content-type"}}
        ctype = (resp.headers.get("content-type") or ["text/plain; charset=utf-8"])[0]
        self._send(resp.status, (resp.body or "").encode(), ctype, extra)

    def _send(self, status: int, body: bytes, ctype: str, extra: dict[str, Any] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, values in (extra or {}).items():
            for value in values:
                self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s " + format, self.address_string(), *args)


class SlackHTTPServer(ThreadingHTTPServer):
    """One thread per connection; Bolt acks in that thread and answers on its own pool."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # socketserver's default of 5 drops bursts (SYN retry: +1 s)

    def __init__(
        self,
        address: tuple[str, int],
        app: App | None,
        corpus: Corpus,
        socket_mode: SocketModeHandler | None = None,
    ) -> None:
        super().__init__(address, _Handler)
        self.app = app
        self.corpus = corpus
        self.socket_mode = socket_mode

    @property
    def port(self) -> int:
        return self.server_address[1]


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
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        log.info("stopping")
    finally:
        server.server_close()
        if on_stop:
            on_stop()
