"""`citebot sources add/list/remove`, and fetching in `citebot refresh` and `citebot status`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sources_server import (
    FAST_FETCH,
    NewsServer,
    Page,
    article,
    closed_port_url,
    loopback_only,  # noqa: F401 (an autouse fixture)
    make_corpus,
    rss,
)
from typer.testing import CliRunner

from bot.cli import app
from bot.sources import load_sources

pytestmark = pytest.mark.timeout(60)

STORY = ["Harbour master Ines Costa said the new pier would open to ferries in May."]


@pytest.fixture
def site() -> Iterator[NewsServer]:
    with NewsServer() as s:
        s.routes["/feed.xml"] = rss([("New pier", s.url("/news/pier"))])
        s.routes["/news/pier"] = article("New pier", STORY)
        s.routes["/data.csv"] = Page(b"a,b\n1,2\n", "text/csv")
        yield s


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    return folder


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, " ".join(result.output.split())  # no matter how rich wrapped it


def test_add_list_remove(corpus: Path) -> None:
    code, out = run(
        "sources",
        "add",
        "https://news.example/rss",
        "--name",
        "Example",
        "--kind",
        "feed",
        "--corpus",
        str(corpus),
    )
    assert code == 0 and "added feed Example → fetched/example/" in out
    code, out = run(
        "sources", "add", "https://other.example/story.html", "--kind", "page", "--corpus", str(corpus)
    )
    assert code == 0 and "fetched/other-example/" in out

    code, out = run("sources", "list", "--corpus", str(corpus))
    assert code == 0 and "sources: 2" in out
    assert "Example (feed, 0 articles): last fetch never, not fetched yet" in out
    assert "https://other.example/story.html (page" in out

    code, out = run("sources", "remove", "example", "--corpus", str(corpus))
    assert code == 0 and "removed Example; its articles stay in fetched/example/" in out
    code, out = run("sources", "remove", "https://other.example/story.html", "--corpus", str(corpus))
    assert code == 0
    config = load_sources(corpus)
    assert config is not None and config.sources == []
    code, out = run("sources", "list", "--corpus", str(corpus))
    assert code == 0 and "no sources" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ftp://news.example/rss"], "only http:// and https:// URLs can be fetched"),
        (["news.example/rss"], "not an absolute URL"),
        (["javascript:alert(1)"], "only http:// and https:// URLs"),
        (["https://news.example/rss", "--kind", "blog"], "Invalid value for '--kind'"),
    ],
)
def test_add_refuses_bad_urls(corpus: Path, args: list[str], message: str) -> None:
    code, out = run("sources", "add", *args, "--corpus", str(corpus))
    assert code != 0 and message in out
    assert not (corpus / "sources.toml").exists()


def test_add_and_remove_errors_exit_1_with_a_reason(corpus: Path, tmp_path: Path) -> None:
    assert run("sources", "add", "https://a.example/rss", "--kind", "feed", "--corpus", str(corpus))[0] == 0
    add = ("--kind", "feed", "--corpus", str(corpus))
    code, out = run("sources", "add", "https://a.example/rss?utm_source=x", "--name", "A", *add)
    assert code == 0 and "updated feed A" in out  # a listed URL added again is updated
    code, out = run("sources", "add", "https://c.example/rss", "--name", "a", *add)
    assert code == 1 and "'a' is already a source" in out
    code, out = run("sources", "remove", "nothing-like-it", "--corpus", str(corpus))
    assert code == 1 and "no source has the URL or name 'nothing-like-it'" in out
    code, out = run("sources", "list", "--corpus", str(tmp_path / "missing"))
    assert code == 1 and "does not exist" in out
    (corpus / "sources.toml").write_text("[[source]]\nurl = 3\n", encoding="utf-8")
    code, out = run("sources", "add", "https://b.example/rss", "--kind", "feed", "--corpus", str(corpus))
    assert code == 1 and "sources.toml: source.0.url" in out


def test_add_detects_the_kind(corpus: Path, site: NewsServer) -> None:
    private = ("--allow-private", "--corpus", str(corpus))
    code, out = run("sources", "add", site.url("/feed.xml"), *private)
    assert code == 0 and "added feed" in out, out
    code, out = run("sources", "add", site.url("/news/pier"), "--name", "Pier", *private)
    assert code == 0 and "added page Pier" in out, out
    code, out = run("sources", "add", site.url("/data.csv"), *private)
    assert code == 1 and "neither a feed nor an HTML page (text/csv)" in out and "--kind" in out
    code, out = run("sources", "add", closed_port_url(), *private)
    assert code == 1 and "cannot fetch" in out and "Connection refused" in out
    config = load_sources(corpus)
    assert config is not None and [s.kind for s in config.sources] == ["feed", "page"]
    assert all(s.allow_private for s in config.sources)


def test_a_loopback_source_needs_allow_private_and_adding_it_again_sets_it(
    corpus: Path, site: NewsServer
) -> None:
    code, out = run("sources", "add", site.url("/feed.xml"), "--name", "Local", "--corpus", str(corpus))
    assert code == 1 and "blocked address: 127.0.0.1 is a loopback address" in out, out
    assert "use --allow-private for an intranet source" in out and "allow_private = true" not in out
    code, out = run("sources", "add", site.url("/feed.xml"), "--kind", "feed", "--corpus", str(corpus))
    assert code == 0 and "added feed" in out
    assert site.requests("/feed.xml") == []  # the refused probe sent nothing
    code, out = run(
        "sources", "add", site.url("/feed.xml"), "--name", "Local", "--allow-private", "--corpus", str(corpus)
    )
    assert code == 0 and "updated feed Local (may reach private addresses)" in out, out
    config = load_sources(corpus)
    assert config is not None and [(s.name, s.kind, s.allow_private) for s in config.sources] == [
        ("Local", "feed", True)
    ]


def test_refresh_fetches_then_indexes_and_status_shows_each_source(tmp_path: Path, site: NewsServer) -> None:
    corpus = make_corpus(
        tmp_path,
        [
            {"url": site.url("/feed.xml"), "name": "Harbour", "kind": "feed"},
            {"url": site.url("/gone.xml"), "name": "Gone", "kind": "feed"},
        ],
        fetch=FAST_FETCH,
    )
    index = str(tmp_path / "index")
    code, out = run("refresh", "--corpus", str(corpus), "--index", index)
    assert code == 0, out
    assert "fetched 2 sources" in out and "1 new article(s), 1 source(s) failed" in out
    assert "Harbour: 1 new (1 page fetched; feed, 1 entry)" in out
    assert "Gone: error: HTTP 404 Not Found" in out
    assert "index updated: 2 added" in out and "2 articles" in out, out

    code, out = run("refresh", "--corpus", str(corpus), "--index", index)
    assert code == 0 and "Harbour: unchanged (304 Not Modified)" in out and "index up to date" in out

    code, out = run("status", "--corpus", str(corpus), "--index", index)
    assert code == 0 and "articles: 2" in out and "sources: 2" in out
    assert "Harbour (feed, 1 article): last fetch 20" in out and "unchanged (304)" in out
    assert "Gone (feed, 0 articles): last fetch" in out and "error: HTTP 404 Not Found" in out

    code, out = run("refresh", "--no-fetch", "--corpus", str(corpus), "--index", index)
    assert code == 0 and "fetched" not in out and len(site.requests("/feed.xml")) == 2
