"""The refresh job's outcome file: written atomically, read by /healthz and `status`, errors included."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import build_corpus

from bot.refresh_outcome import FILE_NAME, RefreshOutcome, read_outcome, write_outcome
from bot.slack.server import health

ARTICLES = {
    "a.txt": ("Roe speaks", ["“The bridge opens in May,” Mayor Jane Roe said on Tuesday in Springfield."])
}


def _citebot(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CITEBOT_", "SLACK_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_write_replaces_the_file_whole_and_a_torn_file_reads_as_none(tmp_path: Path) -> None:
    write_outcome(tmp_path, RefreshOutcome(added=3))
    write_outcome(tmp_path, RefreshOutcome(added=5))
    last = read_outcome(tmp_path)
    assert last is not None and last.added == 5
    assert [p.name for p in tmp_path.iterdir()] == [FILE_NAME]  # no temp file left behind
    (tmp_path / FILE_NAME).write_text('{"at": "2026-', encoding="utf-8")
    assert read_outcome(tmp_path) is None


def test_refresh_writes_its_outcome_and_healthz_reports_it(tmp_path: Path) -> None:
    corpus = build_corpus(tmp_path, ARTICLES)
    args = ["--corpus", str(tmp_path / "corpus"), "--index", str(corpus.store.root)]
    (tmp_path / "corpus" / "b.txt").write_text("Second\n\n“It is done,” Jane Roe said.\n", encoding="utf-8")
    run = _citebot("refresh", "--no-fetch", *args, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    outcome = read_outcome(corpus.store.root)
    assert outcome is not None and outcome.ok and outcome.added == 1 and outcome.published
    status, body = health(corpus)
    assert status == 200 and body["refresh"]["added"] == 1 and body["refresh"]["ok"] is True
    assert "refreshed: " in _citebot("status", *args, cwd=tmp_path).stdout


def test_a_failed_refresh_is_recorded_with_its_error(tmp_path: Path) -> None:
    index = tmp_path / "index"
    run = _citebot(
        "refresh", "--no-fetch", "--corpus", str(tmp_path / "missing"), "--index", str(index), cwd=tmp_path
    )
    assert run.returncode == 1
    outcome = read_outcome(index)
    assert outcome is not None and not outcome.ok and "does not exist" in (outcome.error or "")


def test_the_outcome_names_files_and_status_shows_them_bounded(tmp_path: Path) -> None:
    corpus = build_corpus(tmp_path, ARTICLES)
    folder = tmp_path / "corpus"
    args = ["--corpus", str(folder), "--index", str(corpus.store.root)]
    for k in range(12):
        (folder / f"n{k:02}.txt").write_text(f"Note {k}\n\nHarbour note {k} was filed.\n", encoding="utf-8")
    (folder / "a.txt").unlink()
    run = _citebot("refresh", "--no-fetch", *args, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "  removed: a.txt\n" in run.stdout and "  added: n00.txt, n01.txt," in run.stdout
    outcome = read_outcome(corpus.store.root)
    assert outcome is not None and outcome.names["removed"] == ["a.txt"] and len(outcome.names["added"]) == 10
    status = _citebot("status", *args, cwd=tmp_path).stdout
    assert "  removed: a.txt\n" in status and "n09.txt and 2 more\n" in status, status
