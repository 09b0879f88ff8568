"""Broken sources are reported one by one and never stop the others or damage the corpus."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sources_server import (
    NewsServer,
    Page,
    article,
    closed_port_url,
    loopback_only,  # noqa: F401 (an autouse fixture)
    make_corpus,
    rss,
)

from bot.corpus import Corpus
from bot.sources import fetch_sources

pytestmark = pytest.mark.timeout(60)

GOOD = [
    "The city council of Northport approved a new budget for public transport on Monday.",
    "Council leader Maria Olsen said bus fares would stay frozen for another two years.",
]
FLAKY = ["The regional museum reopened its sculpture hall after a long restoration, the director said."]
NO_TEXT = Page(b"<html><head><title>Menu</title></head><body><nav>Home World Sport</nav></body></html>")
MB = 1024 * 1024


@pytest.fixture
def site() -> Iterator[NewsServer]:
    with NewsServer() as s:
        s.routes.update(
            {
                "/good.xml": rss([("Budget approved", s.url("/news/budget"))]),
                "/news/budget": article("Budget approved", GOOD),
                # /missing.xml is not a route: 404
                "/slow.xml": s.slow(3.0, rss([])),
                "/malformed.xml": Page(
                    b'<?xml version="1.0"?><rss><channel><<<>>> broken', "application/rss+xml"
                ),
                "/huge.html": s.huge(20 * MB, with_length=False),
                "/huge-declared.html": s.huge(20 * MB, with_length=True),
                "/no-text.html": NO_TEXT,
                "/loop/a": s.redirect("/loop/b"),
                "/loop/b": s.redirect("/loop/a"),
                "/flaky.html": s.flaky(1, article("Museum reopens", FLAKY)),
                "/rate-limited.xml": s.flaky(5, rss([]), status=429, retry_after="3600"),
            }
        )
        yield s


BROKEN = {  # name → (path or URL, kind, words expected in the error)
    "missing": ("/missing.xml", "feed", "HTTP 404 Not Found"),
    "slow": ("/slow.xml", "feed", "timed out waiting for 127.0.0.1"),
    "malformed": ("/malformed.xml", "feed", "malformed feed"),
    "huge": ("/huge.html", "page", "too large: more than 5 MB, download stopped"),
    "huge-declared": ("/huge-declared.html", "page", "too large: 20 MB"),
    "no-text": ("/no-text.html", "page", "no article text"),
    "loop": ("/loop/a", "page", "redirect loop: /loop/a → /loop/b → /loop/a"),
    "rate-limited": (
        "/rate-limited.xml",
        "feed",
        "HTTP 429 Too Many Requests: server asks to retry after 3600s",
    ),
    "unresolvable": ("http://nonexistent.invalid/feed.xml", "feed", "cannot connect to nonexistent.invalid"),
    "refused": (closed_port_url(), "feed", "cannot connect to 127.0.0.1"),
}


def test_every_broken_source_is_reported_and_the_rest_is_ingested(tmp_path: Path, site: NewsServer) -> None:
    sources = [{"url": site.url("/good.xml"), "name": "good"}]
    for name, (where, kind, _) in BROKEN.items():
        sources.append(
            {"url": where if where.startswith("http") else site.url(where), "name": name, "kind": kind}
        )
    sources.append({"url": site.url("/flaky.html"), "name": "flaky", "kind": "page"})
    corpus = make_corpus(tmp_path, sources)
    c = Corpus(corpus, tmp_path / "index")

    t0 = time.monotonic()
    c.update()
    assert time.monotonic() - t0 < 20

    by_name = {s.name: s for s in c.last_fetch.sources}
    for name, (_, _, reason) in BROKEN.items():
        s = by_name[name]
        where = f"{name}: {s.outcome} {s.error} {s.failed}"
        assert s.outcome == "error" and s.error is not None and reason in s.error and s.new == 0, where
    assert (by_name["good"].outcome, by_name["good"].new) == ("ok", 1)
    assert (by_name["flaky"].outcome, by_name["flaky"].new) == ("ok", 1)
    assert [r.status for r in site.requests("/flaky.html")] == [503, 200]  # retried after Retry-After: 0
    assert len(site.requests("/rate-limited.xml")) == 1  # a long Retry-After is not waited for
    assert len(c.last_fetch.failed_sources) == len(BROKEN)

    files = sorted(p.relative_to(corpus).as_posix() for p in (corpus / "fetched").rglob("*") if p.is_file())
    assert files == [
        "fetched/flaky/2024-03-05-museum-reopens.txt",
        "fetched/good/2024-03-05-budget-approved.txt",
    ]
    assert c.index.manifest.articles == 3 and not c.index.manifest.skipped
    assert c.answer("What did council leader Maria Olsen say about bus fares?").citations[0].url == site.url(
        "/news/budget"
    )


def test_article_failures_inside_a_feed_are_listed_and_retried_only_when_it_can_help(
    tmp_path: Path, site: NewsServer
) -> None:
    site.routes["/mixed.xml"] = rss(
        [
            ("Budget approved", site.url("/news/budget")),
            ("Gone", site.url("/news/gone")),  # 404: not asked again
            ("Menu", site.url("/no-text.html")),  # no text: not asked again
            ("PDF", site.url("/report.pdf")),  # not HTML: not asked again
            ("Down", site.url("/news/down")),  # 503 every time: asked again next run
        ]
    )
    site.routes["/report.pdf"] = Page(b"%PDF-1.4 ...", "application/pdf")
    site.routes["/news/down"] = site.flaky(100, article("Down", GOOD))
    corpus = make_corpus(tmp_path, [{"url": site.url("/mixed.xml"), "name": "mixed"}])

    first = fetch_sources(corpus).sources[0]
    assert first.outcome == "ok" and first.new == 1 and len(first.failed) == 4
    reasons = "\n".join(first.failed)
    for expected in (
        "/news/gone: HTTP 404 Not Found",
        "/no-text.html: no article text",
        "/report.pdf: not an HTML page (application/pdf)",
        "/news/down: HTTP 503 Service Unavailable after 3 attempts",
    ):
        assert expected in reasons

    second = fetch_sources(corpus).sources[0]
    # the feed's ETag was not kept (an article failed for now), so the feed was read in full again
    assert site.requests("/mixed.xml")[-1].status == 200
    assert len(second.failed) == 1 and "/news/down" in second.failed[0]
    assert len(site.requests("/news/gone")) == 1 and len(site.requests("/report.pdf")) == 1
    assert len(site.requests("/news/down")) == 6


def test_an_invalid_sources_file_is_reported_and_the_index_still_refreshes(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path, [{"url": "ftp://example.com/feed.xml"}])
    c = Corpus(corpus, tmp_path / "index")
    report = c.update()
    assert c.last_fetch.error is not None
    assert "sources.toml: source.0.url: only http:// and https:// URLs" in c.last_fetch.error
    assert report.articles == 1

    (corpus / "sources.toml").write_text('[[source]]\nurl = "http://127.0.0.1:9/x"\nkind = "feeed"\n')
    assert "source.0.kind" in fetch_sources(corpus).error
    (corpus / "sources.toml").write_text("[[source]\nurl = 'x'\n")
    assert "invalid TOML" in fetch_sources(corpus).error


def test_a_feed_that_is_not_a_feed_is_reported(tmp_path: Path, site: NewsServer) -> None:
    corpus = make_corpus(tmp_path, [{"url": site.url("/news/budget"), "name": "html", "kind": "feed"}])
    s = fetch_sources(corpus).sources[0]
    assert s.outcome == "error" and s.error.startswith("not an RSS or Atom feed")
