"""A local stand-in for Slack: the Web API over HTTP and the Socket Mode WebSocket, on 127.0.0.1.

Both are real servers (no mocks of Bolt or slack_sdk): the app's WebClient talks to
`FakeSlack.base_url` and Socket Mode connects to `FakeSocketMode.url`. Every Web API call is
recorded; tests poll the record with `wait_for` until a deadline instead of sleeping.
Loaded as a pytest plugin (`pytest_plugins = ["fake_slack"]`) for its fixtures; its own checks
raise AssertionError with a message, so it opts out of assert rewriting: PYTEST_DONT_REWRITE
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

REPO = Path(__file__).resolve().parent.parent
BUNDLED_CORPUS = REPO / "corpus"

BOT_USER = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM = "T0001"
SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-1-test"
APP_TOKEN = "xapp-1-test"
REVOKED_TOKENS = {"xoxb-revoked", "xapp-revoked"}  # the fake answers invalid_auth for these
PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")

_ts_counter = itertools.count(1)


def next_ts() -> str:
    """A fresh Slack-style message timestamp."""
    n = next(_ts_counter)
    return f"{1_700_000_000 + n}.{n:06d}"


# --------------------------------------------------------------------------------- Web API


@dataclass
class Call:
    """One Web API request as the fake saw it."""

    method: str
    args: dict
    token: str | None
    status: int
    at: float = field(default_factory=time.monotonic)


@dataclass
class _Failure:
    status: int
    retry_after: int
    methods: set[str] | None
    error: str | None = None


def block_problem(blocks: Any) -> str | None:
    """Why Slack would refuse these blocks (the limits the fake enforces), or None."""
    if blocks is None:
        return None
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if not isinstance(blocks, list) or len(blocks) > 50:
        return "more than 50 blocks"
    for b in blocks:
        if b.get("type") == "section" and len(b.get("text", {}).get("text", "")) > 3000:
            return "section text over 3000 characters"
        if b.get("type") == "context" and not 1 <= len(b.get("elements", [])) <= 10:
            return "context block with more than 10 elements"
    return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops connections under the bench's bursts


class FakeSlack:
    """Slack's Web API on a loopback port: records calls, can fail the next N of them."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.ws_url: str | None = None  # what apps.connections.open hands out
        self.delays: dict[str, float] = {}
        self.messages: dict[str, list[dict]] = {}  # channel → messages, for conversations.replies/history
        self._failures: deque[_Failure] = deque()
        self._cond = threading.Condition()
        self._server = _Server(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- lifecycle
    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/response/{name}"

    # -- scripting
    def fail_next(
        self,
        n: int,
        status: int = 429,
        retry_after: int = 0,
        methods: set[str] | None = None,
        error: str | None = None,
    ) -> None:
        """Answer the next `n` calls (to `methods`, if given) with HTTP `status` (429 carries Retry-After),
        or with HTTP 200 and `{"ok": false, "error": error}` when `error` is given."""
        with self._cond:
            self._failures.extend(_Failure(status, retry_after, methods, error) for _ in range(n))

    def add_message(
        self, channel: str, text: str, *, user: str = "U0001", thread_ts: str | None = None, **extra: Any
    ) -> dict:
        """A message someone posted (not through the bot), visible to conversations.replies/history."""
        ts = next_ts()
        message = {"type": "message", "ts": ts, "user": user, "text": text, **extra}
        if thread_ts:
            message["thread_ts"] = thread_ts
        with self._cond:
            self.messages.setdefault(channel, []).append(message)
        return message

    def _stored(self, channel: str, args: dict) -> None:
        """Keep a posted message as Slack would, metadata included."""
        metadata = args.get("metadata")
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        message = {
            "type": "message",
            "ts": args["ts"],
            "user": BOT_USER,
            "bot_id": BOT_ID,
            "text": args.get("text"),
        }
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        if metadata:
            message["metadata"] = metadata
        with self._cond:
            self.messages.setdefault(channel, []).append(message)

    def _history(self, method: str, args: dict) -> list[dict]:
        with self._cond:
            messages = list(self.messages.get(str(args.get("channel")), []))
        if method == "conversations.replies":
            root = str(args.get("ts"))
            messages = [m for m in messages if m["ts"] == root or m.get("thread_ts") == root]
        else:
            messages = [m for m in messages if not m.get("thread_ts") or m["ts"] == m.get("thread_ts")]
            messages.reverse()  # history is newest first
        if str(args.get("include_all_metadata")).lower() not in {"1", "true"}:
            messages = [{k: v for k, v in m.items() if k != "metadata"} for m in messages]
        return messages[: int(args.get("limit") or 100)]

    # -- inspecting
    def calls_to(
        self, method: str, where: Callable[[Call], bool] | None = None, ok: bool = True
    ) -> list[Call]:
        with self._cond:
            return [
                c
                for c in self.calls
                if c.method == method and (not ok or c.status == 200) and (where is None or where(c))
            ]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 10.0,
        where: Callable[[Call], bool] | None = None,
        ok: bool = True,
    ) -> list[Call]:
        """Block until `count` matching calls were recorded; AssertionError at the deadline."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [
                    c
                    for c in self.calls
                    if c.method == method and (not ok or c.status == 200) and (where is None or where(c))
                ]
                left = deadline - time.monotonic()
                if len(found) >= count or left <= 0:
                    break
                self._cond.wait(left)
        if len(found) < count:
            seen = [(c.method, c.status) for c in self.calls]
            raise AssertionError(
                f"wanted {count} × {method}, got {len(found)} within {timeout}s; calls: {seen}"
            )
        return found

    # -- serving
    def _record(self, call: Call) -> None:
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()

    def _take_failure(self, method: str) -> _Failure | None:
        with self._cond:
            for f in list(self._failures):
                if f.methods is None or method in f.methods:
                    self._failures.remove(f)
                    return f
        return None

    def _answer(self, method: str, args: dict, token: str | None) -> tuple[int, dict, dict]:
        """(status, headers, body) for one Web API call."""
        failure = self._take_failure(method)
        if failure is not None:
            if failure.error:
                return 200, {}, {"ok": False, "error": failure.error}
            headers = {"Retry-After": str(failure.retry_after)} if failure.status == 429 else {}
            error = "ratelimited" if failure.status == 429 else "internal_error"
            return failure.status, headers, {"ok": False, "error": error}
        wanted = "xapp-" if method == "apps.connections.open" else "xoxb-"
        if not token or not token.startswith(wanted) or token in REVOKED_TOKENS:
            return 200, {}, {"ok": False, "error": "invalid_auth"}
        if method in {"chat.postMessage", "chat.postEphemeral", "chat.update"}:
            problem = block_problem(args.get("blocks"))
            if problem:
                return 200, {}, {"ok": False, "error": "invalid_blocks", "detail": problem}
        ts = next_ts()
        if method == "chat.postMessage":
            self._stored(str(args.get("channel")), {**args, "ts": ts})
        bodies: dict[str, dict] = {
            "auth.test": {
                "ok": True,
                "url": "https://fake.slack.com/",
                "team": "Fake",
                "user": "citebot",
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            },
            "chat.postMessage": {
                "ok": True,
                "channel": args.get("channel"),
                "ts": ts,
                "message": {"text": args.get("text"), "ts": ts, "user": BOT_USER, "bot_id": BOT_ID},
            },
            "chat.postEphemeral": {"ok": True, "message_ts": ts},
            "chat.update": {"ok": True, "channel": args.get("channel"), "ts": args.get("ts")},
            "apps.connections.open": {"ok": True, "url": self.ws_url},
        }
        if method in {"conversations.replies", "conversations.history"}:
            bodies[method] = {"ok": True, "messages": self._history(method, args), "has_more": False}
        headers = {"x-oauth-scopes": "app_mentions:read,chat:write,im:history,reactions:write,commands"}
        return 200, headers, bodies.get(method, {"ok": True})

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                url = urlsplit(self.path)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                if (self.headers.get("Content-Type") or "").startswith("application/json"):
                    args = json.loads(raw or "{}")
                else:
                    args = dict(parse_qsl(raw))
                args.update(parse_qsl(url.query))
                if url.path.startswith("/response/"):
                    fake._record(Call("response_url", args, None, 200))
                    self._send(200, {}, b"ok", "text/plain")
                    return
                method = url.path.removeprefix("/api/")
                auth = self.headers.get("Authorization") or ""
                token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else args.get("token")
                if fake.delays.get(method):
                    time.sleep(fake.delays[method])
                status, headers, body = fake._answer(method, args, token)
                fake._record(Call(method, args, token, status))
                self._send(status, headers, json.dumps(body).encode(), "application/json")

            do_GET = do_POST

            def _send(self, status: int, headers: dict, body: bytes, ctype: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


# ------------------------------------------------------------------------------ Socket Mode


class FakeSocketMode:
    """Slack's Socket Mode endpoint: hello on connect, envelopes out, acks in, `disconnect`."""

    def __init__(self) -> None:
        from websockets.sync.server import serve

        self.acks: list[dict] = []
        self.connections: list[Any] = []
        self._cond = threading.Condition()
        self._server = serve(self._handle, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link"

    def start(self) -> FakeSocketMode:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()

    def _handle(self, ws: Any) -> None:
        with self._cond:
            self.connections.append(ws)
            self._cond.notify_all()
        ws.send(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": 1,
                    "debug_info": {"host": "fake", "approximate_connection_time": 3600},
                    "connection_info": {"app_id": "A0001"},
                }
            )
        )
        try:
            for message in ws:
                data = json.loads(message)
                if "envelope_id" in data:
                    with self._cond:
                        self.acks.append(data)
                        self._cond.notify_all()
        except Exception:
            pass  # the client went away

    def wait_connections(self, n: int, timeout: float = 10.0) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: len(self.connections) >= n, timeout):
                raise AssertionError(f"wanted {n} connections, got {len(self.connections)}")

    def send(
        self,
        payload: dict,
        *,
        kind: str = "events_api",
        retry_attempt: int = 0,
        envelope_id: str | None = None,
    ) -> str:
        """Push one envelope on the newest connection; returns its envelope_id."""
        envelope_id = envelope_id or str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": retry_attempt,
            "retry_reason": "timeout" if retry_attempt else "",
        }
        with self._cond:
            ws = self.connections[-1]
        ws.send(json.dumps(envelope))
        return envelope_id

    def disconnect(self, reason: str = "refresh_requested") -> None:
        with self._cond:
            ws = self.connections[-1]
        ws.send(json.dumps({"type": "disconnect", "reason": reason, "debug_info": {"host": "fake"}}))

    def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> dict:
        with self._cond:
            ok = self._cond.wait_for(lambda: any(a["envelope_id"] == envelope_id for a in self.acks), timeout)
            if not ok:
                raise AssertionError(f"no ack for envelope {envelope_id} within {timeout}s")
            return next(a for a in self.acks if a["envelope_id"] == envelope_id)


# ------------------------------------------------------------------------------ payloads


def sign(body: str, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Slack's request signature headers: v0=HMAC-SHA256(secret, 'v0:{ts}:{raw body}')."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def event_body(event: dict, event_id: str | None = None) -> dict:
    """An Events API `event_callback` envelope around `event`, as Slack sends it."""
    return {
        "token": "legacy",
        "team_id": TEAM,
        "api_app_id": "A0001",
        "type": "event_callback",
        "event": event,
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": TEAM,
                "user_id": BOT_USER,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def mention(
    text: str,
    *,
    channel: str = "C0001",
    user: str = "U0001",
    thread_ts: str | None = None,
    ts: str | None = None,
) -> dict:
    ts = ts or next_ts()
    ev = {
        "type": "app_mention",
        "user": user,
        "text": f"<@{BOT_USER}> {text}",
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        "team": TEAM,
    }
    if thread_ts:
        ev["thread_ts"] = thread_ts
    return ev


def dm(
    text: str,
    *,
    channel: str = "D0001",
    user: str = "U0001",
    thread_ts: str | None = None,
    ts: str | None = None,
    **extra: Any,
) -> dict:
    ts = ts or next_ts()
    ev = {
        "type": "message",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel_type": "im",
        "team": TEAM,
        **extra,
    }
    if thread_ts:
        ev["thread_ts"] = thread_ts
    return ev


def slash_command(text: str, fake: FakeSlack, *, channel: str = "C0001", user: str = "U0001") -> dict:
    return {
        "token": "legacy",
        "team_id": TEAM,
        "team_domain": "fake",
        "channel_id": channel,
        "channel_name": "general",
        "user_id": user,
        "user_name": "alice",
        "command": "/citebot",
        "text": text,
        "api_app_id": "A0001",
        "response_url": fake.response_url("cmd"),
        "trigger_id": f"trig-{uuid.uuid4().hex[:8]}",
    }


def button_click(value: str, fake: FakeSlack, *, channel: str = "C0001", user: str = "U0001") -> dict:
    """block_actions for the post button of an ephemeral message (which carries no `message`)."""
    return {
        "type": "block_actions",
        "user": {"id": user, "username": "alice", "team_id": TEAM},
        "api_app_id": "A0001",
        "token": "legacy",
        "trigger_id": f"trig-{uuid.uuid4().hex[:8]}",
        "team": {"id": TEAM, "domain": "fake"},
        "container": {
            "type": "message",
            "message_ts": next_ts(),
            "channel_id": channel,
            "is_ephemeral": True,
        },
        "channel": {"id": channel, "name": "general"},
        "response_url": fake.response_url("btn"),
        "actions": [
            {
                "type": "button",
                "action_id": "citebot_post",
                "block_id": "b1",
                "value": value,
                "text": {"type": "plain_text", "text": "Post to channel"},
                "action_ts": next_ts(),
            }
        ],
    }


def blocks_text(call: Call) -> str:
    """All text inside a recorded message's blocks, concatenated (for assertions)."""
    blocks = call.args.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                out.append(node["text"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(blocks)
    return "\n".join(out)


# ------------------------------------------------------------------------------ fixtures


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No SLACK_*/CITEBOT_* or proxy variables leak in, and no `.env` is read from the repo."""
    import os

    for name in list(os.environ):
        if name.startswith(("SLACK_", "CITEBOT_")) or name in PROXY_VARS:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def bundled_corpus(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The repo's corpus with its index built once per session in a temp dir (never in the repo)."""
    from bot.corpus import Corpus

    corpus = Corpus(BUNDLED_CORPUS, tmp_path_factory.mktemp("bundled-index"))
    corpus.open()
    return corpus


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()
