"""`citebot serve --dry-run`: a real server with no Slack and no tokens; replies are logged."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from fake_slack import BUNDLED_CORPUS, event_body, sign

from bot.slack.dryrun import DRY_RUN_IDENTITY


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(tmp_path: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], Path, int]:
    port = _free_port()
    base = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    # SLACK_API_URL points at a closed port: any call that left the process would be logged as failed.
    cmd = [sys.executable, "-m", "bot", "serve", "--dry-run", "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--corpus", str(BUNDLED_CORPUS), "--index", str(tmp_path / "index")]
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            cmd,
            env=base | {"SLACK_API_URL": "http://127.0.0.1:9/api/"} | env,
            cwd=tmp_path,
            stdout=out,
            stderr=out,
        )
    return proc, log, port


def _wait_up(http: httpx.Client, proc: subprocess.Popen[str], log: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        assert proc.poll() is None, log.read_text()
        try:
            if http.get("/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "citebot serve --dry-run did not come up: " + log.read_text()
        time.sleep(0.1)


def _wait_log(log: Path, pattern: str, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text()
        if re.search(pattern, text):
            return text
        time.sleep(0.1)
    raise AssertionError(f"{pattern!r} not logged: {log.read_text()}")


def _mention(text: str) -> dict[str, object]:
    ev = {
        "type": "app_mention",
        "user": "U0001",
        "text": f"<@{DRY_RUN_IDENTITY['user_id']}> {text}",
        "channel": "C0777",
        "ts": "1700000000.000100",
    }
    body = event_body(ev)
    body["authorizations"] = [{"user_id": DRY_RUN_IDENTITY["user_id"], "is_bot": True}]
    return body


def test_dry_run_serves_signed_events_without_tokens_and_logs_the_reply(tmp_path: Path) -> None:
    proc, log, port = _start(tmp_path, {"SLACK_SIGNING_SECRET": "local-secret"})
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", trust_env=False, timeout=5) as http:
            _wait_up(http, proc, log)
            assert http.get("/healthz").json()["articles"] == 1
            body = json.dumps(_mention("What did Blinken say?"))
            headers = {"Content-Type": "application/json"}
            bad = http.post("/slack/events", content=body, headers=headers | sign(body, "wrong-secret"))
            assert bad.status_code == 401
            good = http.post("/slack/events", content=body, headers=headers | sign(body, "local-secret"))
            assert good.status_code == 200
            text = _wait_log(log, r"dry run: chat\.postMessage .*Antony Blinken said")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0, log.read_text()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert '"channel": "C0777"' in text and '"thread_ts": "1700000000.000100"' in text
    assert "dry run: auth.test" in text
    assert "Failed to send a request" not in text and "failed" not in text  # nothing tried to leave
    assert "signing secret for test requests" not in text  # the environment's secret is used


def test_dry_run_without_a_secret_prints_one_to_sign_with(tmp_path: Path) -> None:
    proc, log, port = _start(tmp_path, {})
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", trust_env=False, timeout=5) as http:
            _wait_up(http, proc, log)
            m = re.search(r"signing secret for test requests: (\w+)", log.read_text())
            assert m, log.read_text()
            body = json.dumps(_mention("Who is Ned Price?"))
            headers = {"Content-Type": "application/json"} | sign(body, m.group(1))
            assert http.post("/slack/events", content=body, headers=headers).status_code == 200
            _wait_log(log, r"dry run: chat\.postMessage .*Ned Price")
    finally:
        proc.kill()
        proc.wait(timeout=10)


def test_dry_run_refuses_socket_mode(tmp_path: Path) -> None:
    base = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--dry-run", "--mode", "socket"],
        env=base,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip() == "error: --dry-run serves HTTP mode only (Socket Mode needs Slack)"
