"""Hostile corpus files and a damaged index folder (issue 11): refresh finishes, answering goes on.

Each test reproduces one attack with real parts (real files, named pipes, a tmpfs or a file-size
limit set in a child process, real child processes holding the lock or killed with SIGKILL),
bounded in count and time, and asserts the safe behaviour.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import write_corpus

import bot.corpus
from bot.corpus import Corpus
from bot.index_store import IndexStore
from bot.ingest import MAX_REASONS
from bot.refresh import CorpusError, refresh

ARTICLES = {
    "alpha.txt": (
        "Bridge closed in Rivertown",
        [
            "Engineers found cracks in the old bridge on Monday.",
            "“We closed it to keep people safe,” Mayor Ida Strand said.",
        ],
    ),
    "beta.txt": (
        "Farmers expect a record harvest",
        [
            "Wheat farmers expect a record harvest this summer.",
            "Agriculture Minister Jan Holt said prices could fall.",
        ],
    ),
}
QUESTION = "What did Ida Strand say?"


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus", ARTICLES)


def _hold_lock(store: IndexStore) -> subprocess.Popen[str]:
    """A real other process holding the index lock (as a live or hung refresh does) until killed."""
    store.root.mkdir(parents=True, exist_ok=True)
    code = (
        "import sys, time\nfrom filelock import FileLock\n"
        "lock = FileLock(sys.argv[1]); lock.acquire()\nprint('held', flush=True)\ntime.sleep(60)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(store.root / ".lock")], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


# --------------------------------------------------------------------------- 1: one article's size


@pytest.mark.timeout(120)
def test_a_07_mb_title_over_1000_sentences_is_cut_and_refresh_succeeds(
    corpus_dir: Path, tmp_path: Path
) -> None:
    """Before: 5.6-7.3 GB peak RSS (title words counted into each of 1,000 sentences). The RSS figure
    itself is measured by bench/bench_hostile.py; here: the cut, one warning, and a refresh that works."""
    title = " ".join(f"w{i}" for i in range(100_000))
    body = " ".join(f"Sentence number {i} is short." for i in range(1000))
    (corpus_dir / "big.json").write_text(json.dumps({"title": title, "body": body}), encoding="utf-8")
    t0 = time.perf_counter()
    report, index = refresh(corpus_dir, IndexStore(tmp_path / "idx"), workers=1)
    assert time.perf_counter() - t0 < 30
    assert report.published and report.added == 3 and report.skipped_files == 0
    big = next(a for a in index.articles if a["article_id"] == "big")
    assert len(big["title"]) <= 300
    assert report.notes_total == 1 and report.notes == ["big.json: title cut to 300 characters (was 688,889)"]
    assert "1 title(s) or metadata field(s) were too long" in (report.notes_summary() or "")
    assert index.n_sentences == 1000 + 4
    # no sentence carries more than the cut title's words
    assert max(int(index.tf_indptr[i + 1] - index.tf_indptr[i]) for i in range(index.n_sentences)) < 100


@pytest.mark.timeout(120)
def test_a_jsonl_gz_of_many_tiny_bad_lines_keeps_few_reasons(corpus_dir: Path, tmp_path: Path) -> None:
    """Before: 3 M `{}` lines took > 200 s (3 M reasons kept, stored and printed), 715 MB."""
    with gzip.open(corpus_dir / "tiny.jsonl.gz", "wb") as f:
        f.write(b"{}\n" * 300_000)
    t0 = time.perf_counter()
    report, index = refresh(corpus_dir, IndexStore(tmp_path / "idx"), workers=1)
    assert time.perf_counter() - t0 < 60
    reasons = report.skipped["tiny.jsonl.gz"]
    assert len(reasons) == MAX_REASONS + 1
    assert reasons[0] == "tiny.jsonl.gz: line 1: no article text"
    assert reasons[-1] == f"tiny.jsonl.gz: … and {300_000 - MAX_REASONS:,} more line(s) skipped"
    assert report.skipped_files == 1 and report.added == 2 and index.manifest.skipped == report.skipped


# --------------------------------------------------------------------------- 7: bad files never block


@pytest.mark.timeout(60)
def test_hostile_files_are_skipped_with_reasons_and_the_rest_indexed(
    corpus_dir: Path, tmp_path: Path
) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    (corpus_dir / "deep.json").write_text(deep, encoding="utf-8")
    (corpus_dir / "lines.jsonl").write_text(
        json.dumps({"title": "Storm", "body": "A storm hit the coast on Friday."}) + "\n" + deep + "\n",
        encoding="utf-8",
    )
    os.mkfifo(corpus_dir / "x.txt")
    (corpus_dir / "report.pdf").write_bytes(b"%PDF-1.4 not text")
    (corpus_dir / "notes.docx").write_bytes(b"PK\x03\x04 not text")
    folder = corpus_dir.joinpath(*["d"] * 40)
    folder.mkdir(parents=True)
    (folder / "deep.txt").write_text("Deep\n\nIt is deep down here.\n", encoding="utf-8")
    report, index = refresh(corpus_dir, IndexStore(tmp_path / "idx"), workers=1)
    assert report.published and index.manifest.articles == 3
    reasons = {rel: " ".join(r) for rel, r in report.skipped.items()}
    assert "nested too deep" in reasons["deep.json"]
    assert "line 2: invalid JSON: nested too deep" in reasons["lines.jsonl"]
    assert "named pipe" in reasons["x.txt"]
    assert "unsupported file type: .pdf" in reasons["report.pdf"]
    assert "unsupported file type: .docx" in reasons["notes.docx"]
    assert any("folder nested deeper than" in r for r in reasons.values())
    # every file counted once: alpha, beta and lines.jsonl gave articles;
    # deep.json, x.txt, the pdf, the docx and the deep folder are skipped
    assert (report.added, report.changed, report.unchanged, report.skipped_files) == (3, 0, 0, 5)
    assert report.summary().startswith("3 added, 0 changed, 0 removed, 0 unchanged, 5 skipped; 3 articles")
    again, _ = refresh(corpus_dir, IndexStore(tmp_path / "idx"), workers=1)
    assert (again.added, again.unchanged, again.skipped_files) == (0, 3, 5) and not again.published


@pytest.mark.timeout(60)
def test_a_named_pipe_never_hangs_refresh_or_ask(corpus_dir: Path, tmp_path: Path) -> None:
    """Before: `refresh` hung forever holding the index lock, and `ask` hung behind it."""
    Corpus(corpus_dir, tmp_path / "idx").open()
    os.mkfifo(corpus_dir / "x.txt")
    os.mkfifo(corpus_dir / "y.jsonl.gz")
    report = Corpus(corpus_dir, tmp_path / "idx").refresh()  # `citebot refresh`
    assert set(report.skipped) == {"x.txt", "y.jsonl.gz"} and report.skipped_files == 2
    (corpus_dir / "gamma.txt").write_text("Orchestra\n\nThe orchestra began its tour.\n", encoding="utf-8")
    c = Corpus(corpus_dir, tmp_path / "idx")
    report = c.open()  # `citebot ask` on a changed corpus
    assert report is not None and report.published and c.stale is None
    assert c.answer(QUESTION).found


@pytest.mark.timeout(60)
def test_a_refresh_blocked_by_another_lock_holder_answers_from_the_last_good_index(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    Corpus(corpus_dir, tmp_path / "idx").open()
    (corpus_dir / "new.txt").write_text("Storm\n\nA storm hit the coast on Friday.\n", encoding="utf-8")
    monkeypatch.setattr(bot.corpus, "LOCK_WAIT_SECONDS", 0.5)
    holder = _hold_lock(IndexStore(tmp_path / "idx"))
    try:
        c = Corpus(corpus_dir, tmp_path / "idx")
        with caplog.at_level(logging.WARNING, logger="bot.corpus"):
            assert c.open() is None
            assert c.answer(QUESTION).found
            c.open()  # the same reason again: logged once
        assert c.stale == "another refresh has held the index lock for over 0.5s"
        stale_lines = [r for r in caplog.records if "answering from the last good index" in r.getMessage()]
        assert len(stale_lines) == 1
    finally:
        holder.kill()
        holder.wait(10)
    c = Corpus(corpus_dir, tmp_path / "idx")
    assert c.open() is not None and c.stale is None
    assert c.index.manifest.articles == 3


@pytest.mark.timeout(60)
def test_a_failing_scheduled_refresh_keeps_answering_and_says_why(corpus_dir: Path, tmp_path: Path) -> None:
    c = Corpus(corpus_dir, tmp_path / "idx")
    c.open()
    for p in corpus_dir.glob("*.txt"):
        p.unlink()
    report = c.update()  # what `serve --refresh-every` calls
    assert not report.published and report.articles == 2 and "holds no readable articles" in report.reason
    assert c.stale is not None and "holds no readable articles" in c.stale
    assert c.answer(QUESTION).found


# --------------------------------------------------------------------------- 8: a full disk


def _mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir()
    if not sys.platform.startswith("linux"):
        return False
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True
    )
    return proc.returncode == 0


def _leftovers(store: IndexStore) -> list[str]:
    names = [p.name for p in (store.root / "versions").iterdir()] + [p.name for p in store.root.iterdir()]
    return [n for n in names if n.endswith(".tmp")]


@pytest.mark.timeout(120)
def test_a_full_disk_fails_cleanly_answers_stale_and_recovers_by_itself(
    corpus_dir: Path, tmp_path: Path
) -> None:
    """On a 1 MB tmpfs. Before: each failed refresh left another temporary version (its space)."""
    mount = tmp_path / "disk"
    if not _mount_tmpfs(mount, "1m"):
        pytest.skip("cannot mount a tmpfs here (test_a_write_failure_at_the_os_boundary_… covers it)")
    try:
        store = IndexStore(mount / "idx")
        c = Corpus(corpus_dir, store.root)
        c.open()
        good = store.current_version()
        # a dead refresh's temporary version, holding most of the space
        (store.root / "versions" / ".v1.tmp").mkdir()
        (store.root / "versions" / ".v1.tmp" / "bodies.txt").write_bytes(b"x" * 700_000)
        paras = [  # about 1.2 MB in 6,000 sentences (an article may have at most MAX_SENTENCES)
            f"Paragraph {i} says the council met again on Monday to vote on the harbour, the bridge, "
            "the school budget, the library hours and the road repairs residents asked for."
            for i in range(6_000)
        ]
        (corpus_dir / "big.txt").write_text("Big\n\n" + "\n\n".join(paras), encoding="utf-8")
        for _ in range(3):
            with pytest.raises(OSError):  # ENOSPC, or numpy's short write on a full disk
                Corpus(corpus_dir, store.root).refresh()
            assert _leftovers(store) == [] and store.current_version() == good
        c = Corpus(corpus_dir, store.root)
        assert c.open() is None and c.answer(QUESTION).found
        assert c.stale is not None and c.stale.startswith("the refresh failed: ")
        (corpus_dir / "big.txt").unlink()
        (corpus_dir / "gamma.txt").write_text(
            "Orchestra\n\nThe orchestra began its tour.\n", encoding="utf-8"
        )
        c = Corpus(corpus_dir, store.root)
        report = c.open()  # the space came back: the next refresh just works
        assert report is not None and report.published and c.stale is None
        assert c.index.manifest.articles == 3 and _leftovers(store) == []
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)  # lazy: indexes are still mapped


_FSIZE_SCRIPT = """
import json, resource, signal, sys
from pathlib import Path
from bot.corpus import Corpus
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))
c = Corpus(Path(sys.argv[1]), Path(sys.argv[2]))
try:
    c.refresh()
    print(json.dumps({"failed": None}))
except OSError as exc:  # EFBIG, or numpy's short write
    print(json.dumps({"failed": str(exc)}))
print(json.dumps({"open": c.open() is None, "stale": c.stale, "found": c.answer(sys.argv[3]).found}))
"""


@pytest.mark.timeout(120)
def test_a_write_failure_at_the_os_boundary_leaves_nothing_and_answers_stale(
    corpus_dir: Path, tmp_path: Path
) -> None:
    """The full-disk case anywhere: a child process whose files may not grow past 200 KB (RLIMIT_FSIZE)."""
    store = IndexStore(tmp_path / "idx")
    Corpus(corpus_dir, store.root).open()
    good = store.current_version()
    paras = [f"Paragraph {i} says the council met again on Monday to vote." for i in range(10_000)]
    (corpus_dir / "big.txt").write_text("Big\n\n" + "\n\n".join(paras), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-c", _FSIZE_SCRIPT, str(corpus_dir), str(store.root), QUESTION],
        capture_output=True,
        text=True,
        timeout=100,
    )
    assert proc.returncode == 0, proc.stderr
    first, second = (json.loads(line) for line in proc.stdout.splitlines())
    assert first["failed"]
    assert second["open"] and second["found"] and second["stale"].startswith("the refresh failed: ")
    assert proc.stderr.count("stale index: answering from the last good index") == 1
    assert _leftovers(store) == [] and store.current_version() == good


@pytest.mark.timeout(60)
def test_leftovers_are_removed_at_start_up_but_not_under_a_live_refresh(
    corpus_dir: Path, tmp_path: Path
) -> None:
    store = IndexStore(tmp_path / "idx")
    Corpus(corpus_dir, store.root).open()
    leftover = store.root / "versions" / ".v5.tmp"
    leftover.mkdir()
    (store.root / ".CURRENT.99999.tmp").write_text("v5\n", encoding="utf-8")
    holder = _hold_lock(store)
    try:
        Corpus(corpus_dir, store.root).open()  # a live refresh may be writing it: left alone
        assert leftover.is_dir()
    finally:
        holder.kill()
        holder.wait(10)
    Corpus(corpus_dir, store.root).open()  # nobody holds the lock: it is a dead refresh's
    assert _leftovers(store) == []


# --------------------------------------------------------------------------- 9: no orphans


def _children(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.append(int(entry.name))
    return kids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


_REFRESH_SCRIPT = """
import sys
from pathlib import Path
from bot.refresh import refresh
from bot.index_store import IndexStore
refresh(Path(sys.argv[1]), IndexStore(Path(sys.argv[2])), workers=2)
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.timeout(120)
def test_pool_workers_exit_when_a_refresh_is_killed(tmp_path: Path) -> None:
    """Before: after kill -9 of a refresh its pool workers (~65 MB each) never exited."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    words = "council mayor bridge harvest storm orchestra minister river".split()
    for n in range(400):
        paras = [f"The {words[(n + i) % 8]} report {i} said the {words[i % 8]} was fine." for i in range(300)]
        (corpus / f"a{n:03}.txt").write_text(f"Report {n}\n\n" + "\n\n".join(paras), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", _REFRESH_SCRIPT, str(corpus), str(tmp_path / "idx")])
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
            workers = [k for k in _children(proc.pid) if _alive(k)]
        assert len(workers) >= 2, "the refresh finished before its pool could be seen"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        deadline = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [w for w in workers if _alive(w)]
    finally:
        if proc.poll() is None:
            proc.kill()
        for w in workers:  # a failing run must not leave its orphans behind either
            if _alive(w):
                os.kill(w, signal.SIGKILL)


# --------------------------------------------------------------------------- 10: links


def test_a_link_to_a_secret_outside_the_corpus_is_never_indexed(corpus_dir: Path, tmp_path: Path) -> None:
    secret = tmp_path / "dotenv"
    secret.write_text("SLACK_SIGNING_SECRET=abc123secretvalue\n\nThe SLACK_SIGNING_SECRET is abc123.\n")
    (corpus_dir / "env.txt").symlink_to(secret)
    (corpus_dir / "passwd.txt").symlink_to("/etc/passwd")
    (corpus_dir / "alias.txt").symlink_to(corpus_dir / "alpha.txt")
    c = Corpus(corpus_dir, tmp_path / "idx")
    report = c.open()
    assert report is not None
    assert report.skipped["env.txt"] == ["env.txt: symbolic link to a file outside the corpus folder"]
    assert "passwd.txt" in report.skipped
    answer = c.answer("What is SLACK_SIGNING_SECRET?")
    assert all("abc123" not in cite.sentence for cite in answer.citations)
    allowed = Corpus(corpus_dir, tmp_path / "allowed", allow_outside_links=True)
    report = allowed.open()
    assert report is not None and "env.txt" not in report.skipped and "env" in allowed.index.article_ids
    assert Corpus(corpus_dir, tmp_path / "allowed", allow_outside_links=True).open() is None  # up to date


# --------------------------------------------------------------------------- 12: a damaged index


@pytest.mark.timeout(60)
def test_every_index_file_garbled_including_current_and_the_lock_is_rebuilt(
    corpus_dir: Path, tmp_path: Path
) -> None:
    store = IndexStore(tmp_path / "idx")
    Corpus(corpus_dir, store.root).open()
    (corpus_dir / "beta.txt").write_text("Harvest\n\nFarmers expect rain.\n", encoding="utf-8")
    Corpus(corpus_dir, store.root).open()  # two versions now
    garbage = bytes(range(256)) * 4
    files = [p for p in store.root.rglob("*") if p.is_file()]
    assert {"CURRENT", ".lock", "manifest.json", "bodies.txt"} <= {p.name for p in files}
    for p in files:
        p.write_bytes(garbage)
    c = Corpus(corpus_dir, store.root)
    report = c.open()
    assert report is not None and report.published and c.stale is None
    assert c.answer(QUESTION).found


@pytest.mark.timeout(60)
def test_a_garbled_current_with_a_refresh_that_cannot_run_uses_the_previous_good_version(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = IndexStore(tmp_path / "idx")
    Corpus(corpus_dir, store.root).open()
    store.current_file.write_bytes(b"\xff\xfe\x00garbage")
    monkeypatch.setattr(bot.corpus, "LOCK_WAIT_SECONDS", 0.5)
    holder = _hold_lock(store)
    try:
        c = Corpus(corpus_dir, store.root)
        assert c.open() is None and c.stale is not None
        assert c.answer(QUESTION).found
    finally:
        holder.kill()
        holder.wait(10)


# --------------------------------------------------------------------------- 14: what is not read


def test_a_corpus_that_is_a_file_or_empty_or_missing_gets_nothing_written(tmp_path: Path) -> None:
    a_file = tmp_path / "a.txt"
    a_file.write_text("Title\n\nBody.\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="must be a folder"):
        Corpus(a_file).open()
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CorpusError, match="no readable articles"):
        Corpus(empty).open()
    assert list(empty.iterdir()) == []
    with pytest.raises(CorpusError, match="does not exist"):
        Corpus(tmp_path / "missing").open()
    assert not (tmp_path / "missing").exists()


def test_an_article_of_too_many_sentences_is_skipped_with_its_reason(
    corpus_dir: Path, tmp_path: Path
) -> None:
    """Before: a 7 MB one-line file of 200,000 sentences held the refresh and its lock for 13+ minutes
    (bench/bench_long_article.py times it); now it is refused after splitting, before attribution,
    in a bulk file too (its other lines still indexed), and an indexed article keeps its version."""
    from bot.ingest import MAX_SENTENCES, too_many_sentences

    body = " ".join(f"Ship {k} left the port." for k in range(MAX_SENTENCES + 1))
    (corpus_dir / "long.txt").write_text(f"Long\n\n{body}\n", encoding="utf-8")
    lines = [
        {"id": "ok", "title": "Fine", "body": "The ferry sailed on time."},
        {"id": "big", "title": "B", "body": body},
    ]
    (corpus_dir / "bulk.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    store = IndexStore(tmp_path / "index")
    t0 = time.perf_counter()
    report, index = refresh(corpus_dir, store, workers=1)
    assert time.perf_counter() - t0 < 60  # a generous bound; bench/ has the timings
    reason = too_many_sentences(MAX_SENTENCES + 1)
    assert report.skipped["long.txt"] == [f"long.txt: {reason}"]
    assert report.skipped["bulk.jsonl"] == [f"bulk.jsonl: bulk/big: {reason}"]
    assert "bulk/ok" in index.article_ids and "long" not in index.article_ids
    short = " ".join(f"Ship {k} left the port." for k in range(3))
    (corpus_dir / "long.txt").write_text(f"Long\n\n{short}\n", encoding="utf-8")
    refresh(corpus_dir, store, workers=1)
    (corpus_dir / "long.txt").write_text(f"Long\n\n{body}\n", encoding="utf-8")
    os.utime(corpus_dir / "long.txt", ns=(time.time_ns(), time.time_ns() + 5_000_000_000))
    report, index = refresh(corpus_dir, store, workers=1)
    assert report.kept == 1 and report.skipped["long.txt"] == [
        f"long.txt: {reason}; kept the indexed version"
    ]
    assert "long" in index.article_ids
