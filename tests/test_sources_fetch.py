"""Fetching feeds into the corpus: new articles are indexed and cited with their canonical URLs,
a second fetch is conditional (304s), and the same story is stored once however it is linked."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sources_server import (
    NewsServer,
    Page,
    article,
    atom,
    loopback_only,  # noqa: F401 (an autouse fixture)
    make_corpus,
    rss,
)

from bot.articles import parse_article
from bot.corpus import Corpus
from bot.sources import fetch_sources
from bot.sources.store import STATE_FILE

pytestmark = pytest.mark.timeout(60)

BRIDGE = [
    "The harbour bridge in Northport reopened on Tuesday after eight months of repairs, the council said.",
    "Mayor Elena Varga said the bridge would carry twenty thousand cars a day once traffic is normal.",
    "Engineers replaced the steel cables and resurfaced the deck, according to a council statement.",
]
WIND = [
    "The offshore wind farm near Eastbay delivered its first power to the grid on Wednesday.",
    "Energy minister Tomas Lind said the turbines would supply four hundred thousand homes by next winter.",
    "Fishermen in the bay have asked for compensation while the cables are laid.",
]
LIBRARY = [
    "A new public library opened in the old railway station of Westfield on Thursday.",
    "Librarian Amira Haddad said the reading room would stay open until midnight on weekdays.",
]


@pytest.fixture
def site() -> Iterator[NewsServer]:
    """Two feeds sharing one story (linked with tracking parameters), three article pages."""
    with NewsServer() as s:
        s.routes.update(
            {
                "/rss.xml": rss(
                    [
                        (
                            "Harbour bridge reopens after repairs",
                            s.url("/news/harbour-bridge?utm_source=rss&utm_medium=feed"),
                        ),
                        ("Wind farm powers up", s.url("/news/wind-farm?utm_source=rss")),
                    ]
                ),
                "/atom.xml": atom(
                    [
                        ("Wind farm powers up", s.url("/news/wind-farm?fbclid=XYZ#comments")),
                        ("Library opens in old station", s.url("/news/library?utm_source=atom")),
                    ]
                ),
                # relative canonical link: resolved against the page URL, tracking parameters gone
                "/news/harbour-bridge": article(
                    "Harbour bridge reopens after repairs", BRIDGE, canonical="/news/harbour-bridge"
                ),
                "/news/wind-farm": article("Wind farm powers up", WIND, canonical=s.url("/news/wind-farm")),
                "/news/library": article("Library opens in old station", LIBRARY, author=None),
            }
        )
        yield s


@pytest.fixture
def corpus(tmp_path: Path, site: NewsServer) -> Path:
    return make_corpus(
        tmp_path,
        [
            {"url": site.url("/rss.xml"), "name": "Example World", "kind": "feed"},
            {"url": site.url("/atom.xml"), "name": "Example Atom"},  # kind detected from the response
        ],
    )


def fetched_files(corpus: Path) -> list[Path]:
    return sorted((corpus / "fetched").rglob("*.txt"))


def test_refresh_adds_articles_and_answers_cite_their_canonical_urls(
    tmp_path: Path, corpus: Path, site: NewsServer
) -> None:
    c = Corpus(corpus, tmp_path / "index")
    c.open()
    assert c.index.manifest.articles == 1  # the seed only

    report = c.update()

    assert c.last_fetch.error is None
    assert c.last_fetch.new == 3
    assert [s.outcome for s in c.last_fetch.sources] == ["ok", "ok"]
    assert c.last_fetch.sources[1].kind == "feed"
    assert report.added == 3 and c.index.manifest.articles == 4

    bridge = c.answer("What did Mayor Elena Varga say about the bridge?")
    assert bridge.found
    cite = bridge.citations[0]
    assert cite.url == site.url("/news/harbour-bridge")  # canonical, not the feed's ?utm_ link
    urls = [line for f in fetched_files(corpus) for line in f.read_text("utf-8").splitlines()[:4]]
    assert [u for u in urls if u.startswith("url:") and "utm_" in u] == []  # no page cites the feed's tag
    assert cite.article_id.startswith("fetched/example-world/2024-03-05-harbour-bridge")
    assert cite.sentence == BRIDGE[1]

    wind = c.answer("What did energy minister Tomas Lind say about the turbines?")
    assert wind.citations[0].url == site.url("/news/wind-farm")
    library = c.answer("What did librarian Amira Haddad say about the reading room?")
    assert library.citations[0].url == site.url("/news/library")  # no canonical: the URL, less its utm tag
    assert c.answer("What did Blinken say?").found  # the seed is still there


def test_fetched_file_is_a_plain_article_with_a_metadata_header(corpus: Path, site: NewsServer) -> None:
    fetch_sources(corpus)
    path = corpus / "fetched" / "example-world" / "2024-03-05-harbour-bridge-reopens-after-repairs.txt"
    text = path.read_text(encoding="utf-8")
    assert text == (
        "title: Harbour bridge reopens after repairs\n"
        f"url: {site.url('/news/harbour-bridge')}\n"
        "published: 2024-03-05\n"
        "source: Example World\n"
        "author: Jane Roe\n\n" + "\n\n".join(BRIDGE) + "\n"
    )
    parsed = parse_article(path, corpus)
    assert parsed.title == "Harbour bridge reopens after repairs" and parsed.body == "\n\n".join(BRIDGE)
    assert not list(corpus.glob("fetched/**/.*")), "no temporary files left behind"


def test_second_fetch_is_conditional_and_brings_nothing_new(corpus: Path, site: NewsServer) -> None:
    first = fetch_sources(corpus)
    assert first.new == 3
    second = fetch_sources(corpus)

    assert second.new == 0 and second.error is None
    assert [s.outcome for s in second.sources] == ["not_modified", "not_modified"]
    rss_req, atom_req = site.requests("/rss.xml"), site.requests("/atom.xml")
    assert rss_req[-1].headers.get("if-none-match") == '"rss-v1"' and rss_req[-1].status == 304
    assert atom_req[-1].headers.get("if-modified-since") == "Wed, 06 Mar 2024 09:00:00 GMT"
    assert atom_req[-1].status == 304
    for page in ("/news/harbour-bridge", "/news/wind-farm", "/news/library"):
        assert len(site.requests(page)) == 1, page
    assert rss_req[0].headers["user-agent"].startswith("citebot/")
    assert len(fetched_files(corpus)) == 3


def test_a_feed_that_changed_brings_only_its_new_article(corpus: Path, site: NewsServer) -> None:
    fetch_sources(corpus)
    site.routes["/rss.xml"] = Page(
        rss(
            [
                ("Harbour bridge reopens after repairs", site.url("/news/harbour-bridge?utm_campaign=x")),
                ("Ferry strike ends", site.url("/news/ferry")),
            ]
        ).body,
        "application/rss+xml",
        etag='"rss-v2"',
    )
    site.routes["/news/ferry"] = article(
        "Ferry strike ends",
        [
            "The ferry workers' strike ended on Friday after the union accepted a new pay offer.",
        ],
    )
    report = fetch_sources(corpus)
    assert report.new == 1 and report.sources[0].outcome == "ok"
    assert len(site.requests("/news/harbour-bridge")) == 1  # seen: not downloaded again
    assert len(site.requests("/news/ferry")) == 1


def test_same_article_from_two_feeds_and_tracking_links_is_stored_once(
    corpus: Path, site: NewsServer
) -> None:
    report = fetch_sources(corpus)
    assert len(site.requests("/news/wind-farm")) == 1
    wind = [p for p in fetched_files(corpus) if "wind-farm" in p.name]
    assert len(wind) == 1
    assert sum(s.duplicates for s in report.sources) == 1


def test_same_text_under_another_url_is_stored_once(corpus: Path, site: NewsServer) -> None:
    """A mirror without a canonical link: caught by the content hash after download."""
    fetch_sources(corpus)
    site.routes["/mirror.xml"] = rss([("Bridge reopens (mirror)", site.url("/mirror/bridge"))])
    site.routes["/mirror/bridge"] = article("Harbour bridge reopens after repairs", BRIDGE)
    text = (corpus / "sources.toml").read_text(encoding="utf-8")
    (corpus / "sources.toml").write_text(
        text.replace(
            "[fetch]",
            f'[[source]]\nurl = "{site.url("/mirror.xml")}"\nname = "Mirror"\n'
            "allow_private = true\n\n[fetch]",
        ),
        encoding="utf-8",
    )
    report = fetch_sources(corpus)
    mirror = report.sources[-1]
    assert (mirror.name, mirror.fetched, mirror.new, mirror.duplicates) == ("Mirror", 1, 0, 1)
    assert len(fetched_files(corpus)) == 3


def test_a_deleted_article_is_not_fetched_again(corpus: Path, site: NewsServer) -> None:
    fetch_sources(corpus)
    library = next(p for p in fetched_files(corpus) if "library" in p.name)
    library.unlink()
    site.routes["/atom.xml"].last_modified = None  # force a full fetch of the feed
    report = fetch_sources(corpus)
    assert report.new == 0 and not library.exists()
    assert len(site.requests("/news/library")) == 1


def test_a_lost_state_file_is_rebuilt_without_duplicates(corpus: Path, site: NewsServer) -> None:
    fetch_sources(corpus)
    (corpus / STATE_FILE).write_text("{ not json", encoding="utf-8")
    report = fetch_sources(corpus)
    assert report.warning and "rebuilt" in report.warning
    assert report.new == 0 and len(fetched_files(corpus)) == 3
    assert len(site.requests("/news/harbour-bridge")) == 1  # its canonical URL was in the file header
    state = json.loads((corpus / STATE_FILE).read_text(encoding="utf-8"))
    assert len({v["path"] for v in state["seen"].values() if v["path"]}) == 3


def test_a_page_source_is_stored_once_and_rewritten_when_its_text_changes(
    tmp_path: Path, site: NewsServer
) -> None:
    corpus = make_corpus(
        tmp_path, [{"url": site.url("/news/library"), "name": "Library page", "kind": "page"}]
    )
    assert fetch_sources(corpus).new == 1
    again = fetch_sources(corpus)
    assert again.new == 0 and again.sources[0].outcome == "ok"
    (path,) = fetched_files(corpus)
    site.routes["/news/library"] = article(
        "Library opens in old station", [*LIBRARY, "The mayor cut the ribbon at noon."]
    )
    changed = fetch_sources(corpus)
    assert changed.sources[0].updated == 1 and fetched_files(corpus) == [path]
    assert "The mayor cut the ribbon at noon." in path.read_text(encoding="utf-8")


def test_no_sources_file_means_no_fetch(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    report = fetch_sources(corpus)
    assert not report.configured and report.error is None and report.sources == []
    assert not (corpus / STATE_FILE).exists()
