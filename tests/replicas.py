"""`citebot serve --mode http` as real processes against the fake Slack, and a Slack-like sender.

Used by the replica tests and `bench/replica_bench.py`. Each replica logs to its own file; the
sender signs every request and can mark it as a retry (`X-Slack-Retry-Num`).
PYTEST_DONT_REWRITE
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from fake_slack import BOT_TOKEN, SIGNING_SECRET, event_body, sign
from redis_server import free_port


class Replica:
    """One `citebot serve --mode http` process on its own loopback port."""

    def __init__(
        self, name: str, folder: Path, corpus: Path, index: Path, env: dict[str, str], workers: int = 16
    ) -> None:
        self.name = name
        self.folder = folder
        self.corpus = corpus
        self.index = index
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.log = folder / f"{name}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.http: httpx.Client | None = None

    def start(self, timeout: float = 60.0) -> Replica:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(self.folder),
            "LANG": "C.UTF-8",
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "CITEBOT_SLACK_WORKERS": str(self.workers),
            "CITEBOT_SLACK_API_BACKOFF": "0.05",
            **self.env,
        }
        cmd = [sys.executable, "-m", "bot", "serve", "--mode", "http", "--host", "127.0.0.1"]
        cmd += ["--port", str(self.port), "--corpus", str(self.corpus), "--index", str(self.index)]
        out = self.log.open("ab")
        self.proc = subprocess.Popen(cmd, env=env, cwd=self.folder, stdout=out, stderr=out)
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", trust_env=False, timeout=10)
        deadline = time.monotonic() + timeout
        while True:  # poll /healthz until the server is up (bounded)
            if self.proc.poll() is not None:
                raise RuntimeError(f"replica {self.name} exited: {self.log.read_text()[-2000:]}")
            try:
                if self.http.get("/healthz").status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"replica {self.name} did not come up: {self.log.read_text()[-2000:]}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.http is not None:
            self.http.close()
            self.http = None
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    def send(
        self, event: dict, event_id: str, *, retry_num: int | None = None, client: httpx.Client | None = None
    ) -> httpx.Response:
        """POST one signed `event_callback` for `event`, as Slack (a retry when `retry_num` is set)."""
        body = json.dumps(event_body(event, event_id))
        headers = {"Content-Type": "application/json", **sign(body)}
        if retry_num is not None:
            headers |= {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        http = client or self.http
        assert http is not None, "replica not started"
        url = f"http://127.0.0.1:{self.port}/slack/events"
        return http.post(url, content=body.encode(), headers=headers)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")
