"""Fetching beside answering: questions never fail during a refresh, and fetches do not overlap."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock
from sources_server import (
    NewsServer,
    article,
    loopback_only,  # noqa: F401 (an autouse fixture)
    make_corpus,
    rss,
)

from bot.articles import parse_article
from bot.corpus import Corpus
from bot.sources import fetch_sources
from bot.sources.store import LOCK_FILE, STATE_FILE

pytestmark = pytest.mark.timeout(60)

STORIES = {
    f"/news/{i}": (
        f"Story number {i}",
        [f"Reporter Lena Park wrote story {i} about the port of Kestrel on day {i}."],
    )
    for i in range(6)
}


@pytest.fixture
def site() -> Iterator[NewsServer]:
    """A feed of six articles, each answered after a short delay so that fetches take a while."""
    with NewsServer() as s:
        for path, (title, paras) in STORIES.items():
            s.routes[path] = s.slow(0.15, article(title, paras))
        s.routes["/feed.xml"] = rss([(title, s.url(path)) for path, (title, _) in STORIES.items()])
        yield s


@pytest.fixture
def corpus(tmp_path: Path, site: NewsServer) -> Path:
    return make_corpus(tmp_path, [{"url": site.url("/feed.xml"), "name": "Kestrel"}])


def test_questions_are_answered_throughout_a_refresh(tmp_path: Path, corpus: Path, site: NewsServer) -> None:
    serving = Corpus(corpus, tmp_path / "index")  # what `serve` holds
    serving.open()
    stop = threading.Event()
    problems: list[str] = []
    asked = 0

    def ask_in_a_loop() -> None:
        nonlocal asked
        while not stop.is_set():
            try:
                answer = serving.answer("What did Blinken say?")
                if not answer.found or not answer.citations:
                    problems.append(f"not found: {answer.text}")
            except Exception as e:
                problems.append(repr(e))
            asked += 1

    asker = threading.Thread(target=ask_in_a_loop, daemon=True)
    asker.start()
    try:
        serving.update()  # the scheduled refresh of `serve`, in this process
        Corpus(corpus, tmp_path / "index").update()  # `citebot refresh` from cron: nothing new, no harm
    finally:
        stop.set()
        asker.join(timeout=10)
    assert not asker.is_alive()
    assert not problems, problems[:3]
    assert asked > 10
    assert serving.last_fetch.new == len(STORIES)
    new = serving.answer("What did reporter Lena Park write about the port of Kestrel on day 3?")
    assert new.citations[0].url == site.url("/news/3")


def test_a_fetch_is_refused_while_another_holds_the_lock(corpus: Path, site: NewsServer) -> None:
    with FileLock(str(corpus / LOCK_FILE), timeout=1):
        report = fetch_sources(corpus)
    assert report.error is not None and "another fetch of this corpus is running" in report.error
    assert report.sources == [] and not site.log and not (corpus / STATE_FILE).exists()


def test_a_fetch_can_wait_for_the_lock(corpus: Path, site: NewsServer) -> None:
    lock = FileLock(str(corpus / LOCK_FILE), timeout=1, thread_local=False)  # released by a timer thread
    lock.acquire()
    release = threading.Timer(0.3, lock.release)
    release.start()
    try:
        report = fetch_sources(corpus, lock_timeout=10)
    finally:
        release.join(timeout=5)
    assert report.error is None and report.new == len(STORIES)


def test_two_concurrent_fetches_do_not_store_anything_twice(corpus: Path, site: NewsServer) -> None:
    start = threading.Barrier(2, timeout=10)
    reports = []

    def fetch() -> None:
        start.wait()
        reports.append(fetch_sources(corpus))

    threads = [threading.Thread(target=fetch, daemon=True) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(reports) == 2
    done = [r for r in reports if r.error is None]
    refused = [r for r in reports if r.error is not None]
    assert len(done) == 1 and len(refused) == 1, [r.error for r in reports]
    assert "another fetch" in refused[0].error and done[0].new == len(STORIES)
    files = sorted((corpus / "fetched").rglob("*"))
    assert [f.name for f in files if f.name.startswith(".")] == []  # no temporary files left
    texts = [f for f in files if f.is_file()]
    assert len(texts) == len(STORIES)
    for f in texts:
        assert parse_article(f, corpus).url is not None
    for path in STORIES:
        assert len(site.requests(path)) == 1
