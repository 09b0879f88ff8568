"""The Dockerfile, .dockerignore and Slack manifest, checked without a Docker engine.

The slow test replays the Dockerfile's COPY/RUN steps in a fresh venv (pip install from PyPI,
the index build), then runs its CMD against the fake Slack and its HEALTHCHECK command.
"""

from __future__ import annotations

import fnmatch
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fake_slack import BOT_TOKEN, PROXY_VARS, SIGNING_SECRET, FakeSlack

REPO = Path(__file__).resolve().parent.parent
DOCKERFILE = REPO / "Dockerfile"


def instructions(path: Path = DOCKERFILE) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with comments dropped and `\\` continuations joined."""
    out: list[tuple[str, str]] = []
    pending = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        full = (pending + line).strip()
        pending = ""
        word, _, rest = full.partition(" ")
        out.append((word.upper(), rest.strip()))
    return out


def ignore_patterns(path: Path = REPO / ".dockerignore") -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [p.strip().rstrip("/") for p in lines if p.strip() and not p.startswith("#")]


def ignored(rel: str, patterns: list[str]) -> bool:
    """Roughly Docker's rule: a pattern matches the path or one of its parent folders."""
    parts = rel.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in patterns:
        p = pattern.removeprefix("**/")
        if any(fnmatch.fnmatch(x, pattern) for x in prefixes):
            return True
        if pattern.startswith("**/") and any(fnmatch.fnmatch(part, p) for part in parts):
            return True
    return False


# --- shape -----------------------------------------------------------------------------------


def test_dockerfile_shape() -> None:
    ins = instructions()
    assert ins[0] == ("FROM", "python:3.11-slim")
    users = [args for word, args in ins if word == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    assert ("EXPOSE", "3000") in ins
    assert ("WORKDIR", "/app") in ins
    (health,) = [args for word, args in ins if word == "HEALTHCHECK"]
    assert "/healthz" in health and "urllib" in health and "curl" not in health
    (cmd,) = [args for word, args in ins if word == "CMD"]
    assert json.loads(cmd) == ["citebot", "serve"]
    runs = [args for word, args in ins if word == "RUN"]
    assert any("pip install --no-cache-dir ." in r for r in runs)
    # the index is baked in as the app user, after the corpus is copied in
    order = [word if word != "RUN" else args for word, args in ins]
    refresh = order.index("citebot refresh --no-fetch --corpus /app/corpus")
    assert order.index("USER") < refresh
    assert any(w == "COPY" and "corpus" in a for w, a in ins[:refresh])


def test_dockerignore_keeps_secrets_and_clutter_out() -> None:
    patterns = ignore_patterns()
    for path in (
        ".env",
        ".git/HEAD",
        "tests/test_x.py",
        "corpus/.citebot-index/CURRENT",
        "bot/__pycache__/a.pyc",
    ):
        assert ignored(path, patterns), path
    for path in ("pyproject.toml", "bot/cli.py", "bot/slack/app.py", "corpus/000_f14a7e196510d787.txt"):
        assert not ignored(path, patterns), path


def test_manifest_creates_the_app_in_one_step() -> None:
    m = json.loads((REPO / "manifest.json").read_text(encoding="utf-8"))
    assert m["features"]["bot_user"]["display_name"]
    assert set(m["oauth_config"]["scopes"]["bot"]) == {
        "app_mentions:read", "chat:write", "im:history", "im:read", "im:write", "reactions:write", "commands",
        "channels:history", "groups:history", "mpim:history",  # threads read back (conversations.replies)
    }  # fmt: skip
    assert m["settings"]["event_subscriptions"]["bot_events"] == ["app_mention", "message.im"]
    assert [c["command"] for c in m["features"]["slash_commands"]] == ["/citebot"]
    assert m["settings"]["interactivity"]["is_enabled"] is True
    assert m["settings"]["socket_mode_enabled"] is True
    home = m["features"]["app_home"]
    assert home["messages_tab_enabled"] is True and home["messages_tab_read_only_enabled"] is False


# --- replaying the build --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _copy(src: str, dest: Path, patterns: list[str]) -> None:
    """COPY `src` (relative to the repo, globs allowed) into `dest`, minus .dockerignore'd paths."""
    for path in sorted(REPO.glob(src)):
        rel = path.relative_to(REPO).as_posix()
        if ignored(rel, patterns):
            continue
        if path.is_dir():
            target = dest if dest.name == path.name else dest / path.name

            def skip(folder: str, names: list[str]) -> set[str]:
                base = Path(folder).relative_to(REPO).as_posix()
                return {n for n in names if ignored(f"{base}/{n}", patterns)}

            shutil.copytree(path, target, ignore=skip, dirs_exist_ok=True)
        else:
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest / path.name if dest.is_dir() or src.endswith("*") else dest)


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_build_steps_install_and_bake_the_index_then_serve_healthy(tmp_path: Path) -> None:
    root = tmp_path / "app"  # stands for /app
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CITEBOT_", "VIRTUAL_ENV"))}
    env |= {"PATH": f"{venv / 'bin'}:{os.environ.get('PATH', '')}", "HOME": str(tmp_path)}
    patterns = ignore_patterns()
    workdir = root
    healthcheck = ""
    for word, args in instructions():
        if word == "ENV":
            env |= dict(item.split("=", 1) for item in shlex.split(args))
        elif word == "WORKDIR":
            workdir = root / Path(args).relative_to("/app")
            workdir.mkdir(parents=True, exist_ok=True)
        elif word == "COPY":
            parts = [p for p in shlex.split(args) if not p.startswith("--")]
            *sources, dest = parts
            target = workdir / dest if not dest.startswith("/") else root / Path(dest).relative_to("/app")
            for src in sources:
                _copy(src, target, patterns)
        elif word == "RUN" and "useradd" not in args:
            cmd = args.replace("/app", str(root))
            proc = subprocess.run(["bash", "-ec", cmd], cwd=workdir, env=env, capture_output=True, text=True)
            assert proc.returncode == 0, f"RUN {args} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
        elif word == "HEALTHCHECK":
            healthcheck = args.split(" CMD ", 1)[1]
    assert (root / "corpus" / ".citebot-index" / "CURRENT").is_file(), "the index was not baked in"
    assert not (root / "tests").exists() and not (root / ".git").exists()

    # The baked index answers at once (no rebuild), from WORKDIR's ./corpus by default.
    ask = subprocess.run(
        ["citebot", "ask", "--json", "What did Blinken say?"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
    )
    assert ask.returncode == 0, ask.stderr
    assert json.loads(ask.stdout)["found"] is True and "index updated" not in ask.stderr

    # CMD against the fake Slack, then the HEALTHCHECK command as Docker would run it.
    fake = FakeSlack().start()
    port = str(_free_port())
    run_env = {k: v for k, v in env.items() if k not in PROXY_VARS} | {
        "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake.base_url, "PORT": port,
    }  # fmt: skip
    (cmd,) = [json.loads(a) for w, a in instructions() if w == "CMD"]
    log = tmp_path / "serve.log"
    try:
        with (
            log.open("w") as out,
            subprocess.Popen(cmd, cwd=workdir, env=run_env, stdout=out, stderr=out) as proc,
        ):
            try:
                deadline = time.monotonic() + 60
                while True:  # bounded: the health check passes once the server is up
                    assert proc.poll() is None, log.read_text()
                    check = subprocess.run(
                        ["sh", "-c", healthcheck], env=run_env, capture_output=True, timeout=10
                    )
                    if check.returncode == 0:
                        break
                    assert time.monotonic() < deadline, f"never healthy:\n{log.read_text()}"
                    time.sleep(0.2)
            finally:
                proc.terminate()
                proc.wait(timeout=15)
    finally:
        fake.stop()
