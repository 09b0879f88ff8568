"""The HTTP server under hostile clients: idle and slow connections, smuggling, big bodies, log floods.

Every attack runs against a real server on 127.0.0.1 (in this process, or in a child with a
low file-descriptor limit), with bounded counts and deadlines.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fake_slack import BOT_TOKEN, BUNDLED_CORPUS, SIGNING_SECRET, FakeSlack, event_body, mention, sign

from bot.corpus import Corpus
from bot.slack.app import build_app
from bot.slack.connections import Limits
from bot.slack.server import SlackHTTPServer
from bot.slack.settings import SlackSettings

pytest_plugins = ["fake_slack"]
pytestmark = [pytest.mark.usefixtures("clean_env"), pytest.mark.timeout(60)]


class Served:
    def __init__(self, corpus: Corpus, fake: FakeSlack, limits: Limits) -> None:
        settings = SlackSettings(
            _env_file=None,
            bot_token=BOT_TOKEN,
            signing_secret=SIGNING_SECRET,
            api_url=fake.base_url,
            workers=1,
        )
        self.server = SlackHTTPServer(("127.0.0.1", 0), build_app(corpus, settings), corpus, limits=limits)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.server.port}", trust_env=False, timeout=5)
        _wait_up(self.http)

    def raw(self) -> socket.socket:
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=5)
        return s

    def close(self) -> None:
        self.http.close()
        self.server.shutdown()
        self.server.server_close()


def _wait_up(http: httpx.Client, proc: subprocess.Popen | None = None, deadline: float = 30) -> None:
    end = time.monotonic() + deadline
    while True:
        assert proc is None or proc.poll() is None, "server exited"
        try:
            if http.get("/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < end, "server did not come up"
        time.sleep(0.05)


@pytest.fixture
def served(bundled_corpus: Corpus, fake_slack: FakeSlack) -> Iterator[Served]:
    s = Served(bundled_corpus, fake_slack, Limits(request_timeout=0.5, max_requests=3))
    yield s
    s.close()


def _read_all(s: socket.socket, timeout: float = 3.0) -> bytes:
    """Everything the server sends until it closes the connection (or `timeout` passes)."""
    s.settimeout(timeout)
    data = b""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            chunk = s.recv(65536)
        except TimeoutError:
            break
        if not chunk:
            return data
        data += chunk
    raise AssertionError(f"connection still open after {timeout}s; got {data[:200]!r}")


# --- connections -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sent", [b"", b"GET /healthz HTTP/1.1\r\nHost: x\r\n", b"POST /slack/events HTTP/1.1\r\n"]
)
def test_a_connection_that_never_completes_a_request_is_closed(served: Served, sent: bytes) -> None:
    s = served.raw()
    s.sendall(sent)
    started = time.monotonic()
    assert _read_all(s) == b""  # closed without a response
    assert time.monotonic() - started < 2.5


def test_a_request_dribbled_a_byte_at_a_time_is_cut_off(served: Served) -> None:
    s = served.raw()
    started = time.monotonic()
    closed = False
    for byte in b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 40:  # slowloris
        try:
            s.send(bytes([byte]))
        except OSError:
            closed = True
            break
        time.sleep(0.05)
        if time.monotonic() - started > 3:
            break
    assert closed or _read_all(s) == b""
    assert time.monotonic() - started < 3


def test_a_connection_serves_a_bounded_number_of_requests(served: Served) -> None:
    s = served.raw()
    for _ in range(3):
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.2)
    assert _read_all(s).count(b"HTTP/1.1 200") == 3  # then closed: keep-alive is bounded


@pytest.mark.parametrize("variant", ["TE.CL", "CL.TE"])
def test_content_length_with_transfer_encoding_cannot_smuggle_a_request(served: Served, variant: str) -> None:
    inner = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
    if variant == "TE.CL":  # a proxy reading chunks forwards one request; a server reading 4 bytes sees two
        body, length = b"%x\r\n" % len(inner) + inner + b"\r\n0\r\n\r\n", 4
    else:  # a proxy reading Content-Length forwards one request; a server reading chunks sees two
        body = b"0\r\n\r\n" + inner
        length = len(body)
    s = served.raw()
    s.sendall(
        b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: %d\r\nTransfer-Encoding: chunked\r\n\r\n" % length + body
    )
    replies = _read_all(s)
    assert replies.startswith(b"HTTP/1.1 400") and replies.count(b"HTTP/1.1 ") == 1, replies


@pytest.mark.parametrize("how", ["length", "chunked", "connection_close"])
def test_a_10_mb_body_gets_413(served: Served, how: str) -> None:
    body = b"x" * (10 * 1024 * 1024)
    if how == "chunked":
        chunks = iter([body[i : i + 65536] for i in range(0, len(body), 65536)])
        resp = served.http.post("/slack/events", content=chunks)
    elif how == "length":
        resp = served.http.post("/slack/events", content=body)
    else:  # the server must read the body before closing, or the client is reset before the 413
        resp = served.http.post("/slack/events", content=body, headers={"Connection": "close"})
    assert resp.status_code == 413


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


_CHILD = """
import sys
from pathlib import Path
from bot.corpus import Corpus
from bot.slack.connections import Limits
from bot.slack.server import SlackHTTPServer
corpus = Corpus(Path(sys.argv[1]), Path(sys.argv[2]))
corpus.open()
server = SlackHTTPServer(("127.0.0.1", int(sys.argv[3])), None, corpus, limits=Limits(request_timeout=60))
server.serve_forever()
"""


def test_300_idle_connections_under_a_256_descriptor_limit_leave_healthz_up_and_the_cpu_idle(
    bundled_corpus: Corpus,
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    def low_fd_limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))

    cmd = [sys.executable, "-c", _CHILD, str(BUNDLED_CORPUS), str(bundled_corpus.store.root), str(port)]
    proc = subprocess.Popen(cmd, preexec_fn=low_fd_limit, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    idle: list[socket.socket] = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", trust_env=False, timeout=3) as http:
            _wait_up(http, proc)
            for _ in range(300):  # the request timeout (60 s) is far away: the limit must do it
                idle.append(socket.create_connection(("127.0.0.1", port), timeout=5))
            time.sleep(0.5)
            cpu = _cpu_seconds(proc.pid)
            started = time.monotonic()
            for _ in range(5):
                resp = httpx.get(f"http://127.0.0.1:{port}/healthz", trust_env=False, timeout=3)
                assert resp.status_code == 200 and resp.json()["articles"] > 0
            assert time.monotonic() - started < 5
            time.sleep(2)
            assert _cpu_seconds(proc.pid) - cpu < 0.5  # 5 health checks and 2 s of idle connections
            assert proc.poll() is None
    finally:
        for s in idle:
            s.close()
        proc.kill()
        _, err = proc.communicate(timeout=10)
    assert b"Too many open files" not in err and b"Traceback" not in err, err.decode()[-2000:]


# --- rejected requests in the log ----------------------------------------------------------------


def _rejections(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.INFO and r.name.startswith(("bot", "slack"))]


def test_unsigned_floods_log_one_short_line_each_without_the_body(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    body = ("x" * 900_000) + "\n2026-01-01 INFO forged line"
    for _ in range(20):
        assert served.http.post("/slack/events", content=body.encode()).status_code == 401
    records = _rejections(caplog)
    assert len(records) == 20
    for r in records:
        line = r.getMessage()
        assert "\n" not in line and len(line) < 300 and "forged" not in line and "xxxx" not in line


def test_a_genuine_request_failing_on_clock_skew_logs_no_token_or_text(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = json.dumps(event_body(mention("What did the secret witness say?")))
    headers = {"Content-Type": "application/json", **sign(body, timestamp=int(time.time()) - 3600)}
    assert served.http.post("/slack/events", content=body.encode(), headers=headers).status_code == 401
    assert "secret witness" not in caplog.text and "legacy" not in caplog.text
    assert len(_rejections(caplog)) == 1


@pytest.mark.parametrize(
    ("body", "ctype"),
    [
        ("[]", "application/json"),
        ("null", "application/json"),
        ("123", "application/json"),
        ("payload=%5B1%2C2%5D", "application/x-www-form-urlencoded"),
        ('{"type": "event_callback", "event": [1, 2]', "application/json"),
    ],
)
@pytest.mark.parametrize("signed", [False, True])
def test_malformed_bodies_get_4xx_and_no_traceback(
    served: Served, caplog: pytest.LogCaptureFixture, body: str, ctype: str, signed: bool
) -> None:
    headers = {"Content-Type": ctype, **(sign(body) if signed else {})}
    resp = served.http.post("/slack/events", content=body.encode(), headers=headers)
    assert resp.status_code == (400 if signed else 401)
    assert "Traceback" not in caplog.text and "dispatch failed" not in caplog.text
    assert served.http.get("/healthz").status_code == 200


@pytest.mark.parametrize("timestamp", ["abc", "", "1e99", "-1", "99999999999999999999999"])
def test_a_timestamp_that_is_not_a_number_gets_401(
    served: Served, caplog: pytest.LogCaptureFixture, timestamp: str
) -> None:
    body = json.dumps(event_body(mention("What did Blinken say?")))
    headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": timestamp}
    headers["X-Slack-Signature"] = sign(body)["X-Slack-Signature"]
    assert served.http.post("/slack/events", content=body.encode(), headers=headers).status_code == 401
    assert "Traceback" not in caplog.text


def test_a_newline_in_the_path_cannot_forge_a_log_line(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    s = served.raw()
    s.sendall(b"POST /slack/events?x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
    s.settimeout(3)
    assert s.recv(100).startswith(b"HTTP/1.1 401")
    s.close()
    resp = served.http.post("/slack/events%0a2026-01-01%20INFO%20forged", content=b"{}")
    assert resp.status_code == 404
    assert all("\n" not in r.getMessage() for r in caplog.records)


def test_a_start_up_error_prints_no_credentials(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]  # nothing listens there once the socket is closed
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_API_URL": f"http://127.0.0.1:{closed}/api/?token=zzz&x=1",
        "CITEBOT_SLACK_API_BACKOFF": "0",
    }
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--mode", "http"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 1 and "could not reach Slack" in proc.stderr, proc.stderr
    assert "zzz" not in proc.stderr and "token=REDACTED" in proc.stderr


def test_a_slow_bolt_never_blocks_the_health_check(bundled_corpus: Corpus, fake_slack: FakeSlack) -> None:
    s = Served(bundled_corpus, fake_slack, Limits())
    release = threading.Event()

    def slow(next_: object) -> object:  # a dedupe store or an auth call that hangs for a while
        release.wait(10)
        return next_()  # type: ignore[operator]

    s.server.app.middleware(slow)  # type: ignore[union-attr]

    def post() -> None:  # each a new event: repeats would be acked by dedupe before the slow part
        body = json.dumps(event_body(mention("What did Blinken say?")))
        headers = {"Content-Type": "application/json", **sign(body)}
        url = f"http://127.0.0.1:{s.server.port}/slack/events"
        httpx.post(url, content=body.encode(), headers=headers, timeout=15)

    try:
        posters = [threading.Thread(target=post) for _ in range(10)]  # more than the dispatch threads
        for t in posters:
            t.start()
        time.sleep(0.3)
        started = time.monotonic()
        assert s.http.get("/healthz").status_code == 200
        assert time.monotonic() - started < 1.0
        assert all(t.is_alive() for t in posters)  # every event is still held in Bolt
    finally:
        release.set()
        for t in posters:
            t.join(15)
        s.close()


@pytest.mark.parametrize(
    "raw",
    [
        b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}",
        b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 2, 40\r\n\r\n{}",
        b"POST /slack/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
        b"POST /slack/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost : x\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\n\r\n",
    ],
    ids=["two_lengths", "length_list", "bad_chunk", "te_gzip", "space_before_colon", "no_host"],
)
@pytest.mark.parametrize("with_app", [True, False])
def test_malformed_framing_gets_400_and_no_traceback(
    bundled_corpus: Corpus,
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    raw: bytes,
    with_app: bool,
) -> None:
    s = Served(bundled_corpus, fake_slack, Limits())
    if not with_app:  # Socket Mode: only /healthz is served
        s.server.routes.app = None
    try:
        conn = s.raw()
        conn.sendall(raw)
        replies = _read_all(conn)
        assert replies.startswith(b"HTTP/1.1 400") and replies.count(b"HTTP/1.1 ") == 1, replies
        time.sleep(0.2)
        assert "Traceback" not in caplog.text and "Exception in ASGI" not in caplog.text
    finally:
        s.close()
