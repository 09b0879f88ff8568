"""Hostile feeds and pages: decompression bombs, SSRF, forged canonical URLs, huge titles, leaked secrets.

Everything is served from 127.0.0.1. Addresses that must be refused are refused before a
connection is made, and names are resolved by a stub (`RESOLVE`), so no packet goes to any
address but loopback.
"""

from __future__ import annotations

import gzip
import resource
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sources_server import (
    FAST_FETCH,
    NewsServer,
    Page,
    article,
    loopback_only,  # noqa: F401 (an autouse fixture)
    make_corpus,
    no_dns,
    rss,
    sources_toml,
)

from bot.articles import parse_article
from bot.sources import fetch_sources
from bot.sources.addresses import address_problem
from bot.sources.config import FetchSettings
from bot.sources.fetch import Fetcher, FetchError
from bot.sources.store import STATE_FILE, FetchState, SeenUrl, load_state, save_state
from bot.sources.urls import redact_text, redact_url, same_site

pytestmark = pytest.mark.timeout(60)

STORY = [
    "The harbour bridge in Northport reopened on Tuesday after eight months of repairs, the council said.",
    "Mayor Elena Varga said the bridge would carry twenty thousand cars a day once traffic is normal.",
]
NAMES = {
    "metadata.test": ["169.254.169.254"],
    "intranet.test": ["10.20.30.40"],
}


def stub_resolver(host: str, port: int) -> list[str]:
    """Names from NAMES, then what `no_dns` knows (address literals, localhost): never DNS."""
    return NAMES.get(host) or no_dns(host, port)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.fixture
def site() -> Iterator[NewsServer]:
    with NewsServer() as s:
        yield s


# --- decompression bombs ---------------------------------------------------------------------


def _gzip_zeros(megabytes: int) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1 << 20)
    return b"".join(c.compress(block) for _ in range(megabytes)) + c.flush()


def test_a_stacked_gzip_bomb_is_stopped_at_the_cap_with_bounded_memory(site: NewsServer) -> None:
    bomb = gzip.compress(_gzip_zeros(1024), 9)  # 1 GB of zeros in two gzip layers: about 1 KB... of KBs
    assert len(bomb) < 100_000
    site.routes["/bomb"] = Page(bomb, "text/html", headers={"Content-Encoding": "gzip, gzip"})
    before, started = _peak_rss_mb(), time.monotonic()
    with Fetcher(FetchSettings(**FAST_FETCH), resolver=stub_resolver) as f, pytest.raises(FetchError) as e:
        f.get(site.url("/bomb"), allow_private=True)
    assert "after decompression" in str(e.value) and "5 MB" in str(e.value)
    assert time.monotonic() - started < 5
    assert _peak_rss_mb() - before < 100


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "gzip, gzip", "identity"])
def test_encoded_pages_are_decoded(site: NewsServer, encoding: str, tmp_path: Path) -> None:
    html = article("Harbour bridge reopens", STORY).body
    body = html
    for name in [e.strip() for e in encoding.split(",")]:
        body = {"gzip": gzip.compress, "deflate": zlib.compress, "identity": bytes}[name](body)
    site.routes["/page"] = Page(body, headers={"Content-Encoding": encoding})
    with Fetcher(FetchSettings(**FAST_FETCH), resolver=stub_resolver) as f:
        assert f.get(site.url("/page"), allow_private=True).content == html


def test_an_unknown_or_deep_encoding_is_refused(site: NewsServer) -> None:
    site.routes["/br"] = Page(b"xx", headers={"Content-Encoding": "br"})
    site.routes["/deep"] = Page(b"xx", headers={"Content-Encoding": "gzip, gzip, gzip"})
    with Fetcher(FetchSettings(**FAST_FETCH), resolver=stub_resolver) as f:
        with pytest.raises(FetchError, match="unsupported Content-Encoding 'br'"):
            f.get(site.url("/br"), allow_private=True)
        with pytest.raises(FetchError, match="3 stacked content encodings"):
            f.get(site.url("/deep"), allow_private=True)


# --- SSRF --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "private_ok"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("192.168.1.1", True),
        ("100.64.0.1", True),
        ("fd12:3456::1", True),
        ("::ffff:127.0.0.1", True),
        ("169.254.169.254", False),
        ("::ffff:169.254.169.254", False),
        ("fe80::1", False),
        ("fd00:ec2::254", False),
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 of 169.254.169.254
        ("2002:a9fe:a9fe::1", False),  # 6to4 of 169.254.169.254
        ("224.0.0.1", False),
        ("ff02::1", False),
        ("0.0.0.0", False),
        ("::", False),
        ("240.0.0.1", False),
        ("192.0.2.1", False),
    ],
)
def test_address_policy(address: str, private_ok: bool) -> None:
    assert address_problem(address) is not None
    assert (address_problem(address, allow_private=True) is None) is private_ok


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert address_problem(address) is None


def test_feeds_on_internal_addresses_are_refused_with_a_reason_and_never_contacted(
    tmp_path: Path, site: NewsServer
) -> None:
    port = site.url("/").split(":")[2].split("/")[0]
    urls = [
        site.url("/feed.xml"),
        f"http://localhost:{port}/feed.xml",
        f"http://2130706433:{port}/feed.xml",
        f"http://0x7f.1:{port}/feed.xml",
        f"http://[::ffff:127.0.0.1]:{port}/feed.xml",
        "http://[::ffff:169.254.169.254]/latest/meta-data/",
        "http://metadata.test/latest/meta-data/",
        "http://intranet.test/feed.xml",
        "http://10.0.0.1/feed.xml",
        "http://192.168.0.1/feed.xml",
    ]
    site.routes["/feed.xml"] = rss([("Bridge", site.url("/news/bridge"))])
    corpus = make_corpus(tmp_path, [{"url": u, "kind": "feed"} for u in urls])
    (corpus / "sources.toml").write_text(
        sources_toml([{"url": u, "kind": "feed"} for u in urls], FAST_FETCH, allow_private=False)
    )
    report = fetch_sources(corpus, resolver=stub_resolver)
    assert site.log == []  # nothing reached the loopback server
    for s in report.sources:
        assert s.outcome == "error" and s.error is not None and s.error.startswith("blocked address"), s
    errors = {s.url: s.error for s in report.sources}
    assert "localhost resolves to 127.0.0.1, a loopback address" in errors[urls[1]]
    assert "allow_private = true" in errors[urls[1]]
    assert "169.254.169.254, a link-local or cloud-metadata address" in errors[urls[6]]
    assert "10.20.30.40, a private address" in errors[urls[7]]


def test_allow_private_opens_loopback_but_never_metadata_even_via_redirect_or_a_link(
    tmp_path: Path, site: NewsServer
) -> None:
    site.routes["/feed.xml"] = rss(
        [
            ("Bridge", site.url("/news/bridge")),
            ("Metadata", "http://metadata.test/latest/meta-data/iam"),
            ("Redirected", site.url("/go")),
            ("Mapped", "http://[::ffff:169.254.169.254]/latest/"),
        ]
    )
    site.routes["/news/bridge"] = article("Harbour bridge reopens after repairs", STORY)
    site.routes["/go"] = site.redirect("http://metadata.test/latest/meta-data/")
    corpus = make_corpus(tmp_path, [{"url": site.url("/feed.xml"), "name": "Intranet", "kind": "feed"}])
    report = fetch_sources(corpus, resolver=stub_resolver)
    (rep,) = report.sources
    assert rep.new == 1 and len(rep.failed) == 3, rep
    assert all("blocked address" in f and "link-local or cloud-metadata" in f for f in rep.failed)
    assert sorted(r.path for r in site.log) == ["/feed.xml", "/go", "/news/bridge"]  # never followed


def test_a_name_with_private_and_loopback_answers_connects_only_where_allowed(site: NewsServer) -> None:
    port = int(site.url("/").split(":")[2].split("/")[0])
    site.routes["/x"] = article("Harbour bridge reopens", STORY)

    def resolver(host: str, p: int) -> list[str]:
        return ["169.254.169.254", "127.0.0.1"]  # a DNS answer mixing metadata and loopback

    with Fetcher(FetchSettings(**FAST_FETCH), resolver=resolver) as f:
        assert f.get(f"http://mixed.test:{port}/x", allow_private=True).status == 200
        with pytest.raises(FetchError, match="blocked address"):
            f.get(f"http://mixed.test:{port}/x")
    assert len(site.log) == 1


# --- canonical URLs ----------------------------------------------------------------------------


def test_same_site() -> None:
    assert same_site("https://www.bbc.co.uk/news/1", "https://news.bbc.co.uk/x")
    assert not same_site("https://bbc.co.uk/news/1", "https://evil.co.uk/news/1")
    assert not same_site("https://alice.github.io/a", "https://bob.github.io/a")  # a private suffix
    assert not same_site("http://127.0.0.1:8/a", "http://localhost:8/a")
    assert same_site("http://127.0.0.1:8/a", "http://127.0.0.1:9/b")


def test_a_forged_canonical_url_is_ignored_and_the_real_story_still_arrives(
    tmp_path: Path, site: NewsServer
) -> None:
    port = site.url("/").split(":")[2].split("/")[0]
    real = f"http://localhost:{port}/real/bridge"
    site.routes["/evil.xml"] = rss([("Bridge", site.url("/fake/bridge"))])
    site.routes["/fake/bridge"] = article(
        "Harbour bridge reopens after repairs",
        [*STORY, "The toll will be waived, the fake said."],
        canonical=real,
    )
    site.routes["/real.xml"] = rss([("Bridge", real)])
    site.routes["/real/bridge"] = article("Harbour bridge reopens after repairs", STORY, canonical=real)
    corpus = make_corpus(tmp_path, [{"url": site.url("/evil.xml"), "name": "Evil", "kind": "feed"}])
    first = fetch_sources(corpus, resolver=stub_resolver)
    assert first.sources[0].new == 1
    (fake,) = [parse_article(corpus / p, corpus) for p in first.new_files]
    assert fake.url == site.url("/fake/bridge")  # its own URL, not the one it claimed
    (corpus / "sources.toml").write_text(
        sources_toml(
            [
                {"url": site.url("/evil.xml"), "name": "Evil", "kind": "feed"},
                {"url": f"http://localhost:{port}/real.xml", "name": "Real", "kind": "feed"},
            ],
            FAST_FETCH,
        )
    )
    second = fetch_sources(corpus, resolver=stub_resolver)
    assert second.sources[1].new == 1 and second.sources[1].duplicates == 0, second.sources[1]
    (story,) = [parse_article(corpus / p, corpus) for p in second.new_files]
    assert story.url == real


# --- huge titles (the feed/page entry point of row 1) --------------------------------------------


def test_a_huge_feed_title_is_cut_with_one_warning_and_the_article_kept(
    tmp_path: Path, site: NewsServer
) -> None:
    huge = " ".join(f"word{i}" for i in range(100_000))  # about 0.7 MB
    site.routes["/feed.xml"] = rss([(huge, site.url("/news/a")), (huge, site.url("/news/b"))])
    site.routes["/news/a"] = article("Harbour bridge reopens", STORY)
    site.routes["/news/b"] = article(
        "Harbour bridge reopens again", [*STORY, "It was closed again, she said."]
    )
    corpus = make_corpus(tmp_path, [{"url": site.url("/feed.xml"), "kind": "feed"}])
    report = fetch_sources(corpus, resolver=stub_resolver)
    (rep,) = report.sources
    assert rep.new == 2 and rep.warning == "2 title/author field(s) longer than 300 characters were cut"
    for rel in report.new_files:
        a = parse_article(corpus / rel, corpus)
        assert a.title.startswith("word0 word1") and len(a.title) <= 300


# --- secrets in URLs ---------------------------------------------------------------------------


def test_redact_url() -> None:
    url = "https://bob:hunter2@feeds.example/rss?api_key=abc&page=2&X-Amz-Signature=zz&PassWord=p&auth=1"
    assert redact_url(url) == (
        "https://REDACTED@feeds.example/rss?api_key=REDACTED&page=2&X-Amz-Signature=REDACTED"
        "&PassWord=REDACTED&auth=REDACTED"
    )
    assert redact_url("https://feeds.example/rss?page=2") == "https://feeds.example/rss?page=2"
    assert redact_text("cannot fetch https://u:p@h.example/x?token=t1, try later") == (
        "cannot fetch https://REDACTED@h.example/x?token=REDACTED, try later"
    )


def test_credentials_never_reach_the_health_check_status_or_summary(tmp_path: Path, site: NewsServer) -> None:
    from rich.console import Console
    from typer.testing import CliRunner

    from bot.cli import app
    from bot.corpus import Corpus
    from bot.slack.server import health
    from bot.sources.commands import print_fetch_report

    secret_url = site.url("/feed.xml?api_key=s3cr3t&page=1").replace("http://", "http://bob:hunter2@")
    site.routes["/feed.xml"] = Page(b"nope", status=404)
    corpus = make_corpus(tmp_path, [{"url": secret_url, "kind": "feed"}])
    report = fetch_sources(corpus, resolver=stub_resolver)
    out = Console(record=True, width=300)
    print_fetch_report(report, out, out)
    c = Corpus(corpus, tmp_path / "index")
    c.open()
    _, body = health(c)
    listed = CliRunner().invoke(app, ["sources", "list", "--corpus", str(corpus)])
    status = CliRunner().invoke(app, ["status", "--corpus", str(corpus), "--index", str(tmp_path / "index")])
    for text in (out.export_text(), str(body), listed.output, status.output):
        assert "s3cr3t" not in text and "hunter2" not in text, text
    assert "api_key=REDACTED" in str(body) and "api_key=REDACTED" in listed.output


# --- fetch state: pruned, and read from memory by the health check ------------------------------


def test_fetch_state_is_pruned_to_the_listed_sources_and_files_on_disk(
    tmp_path: Path, site: NewsServer
) -> None:
    from datetime import UTC, datetime

    site.routes["/feed.xml"] = rss([])
    corpus = make_corpus(tmp_path, [{"url": site.url("/feed.xml"), "kind": "feed"}])
    now = datetime.now(UTC)
    (corpus / "kept.txt").write_text("title: Kept\n\nKept text, she said.\n")
    state = FetchState(
        seen={
            **{
                f"http://gone.example/{i}": SeenUrl(source="http://gone.example/rss", first_seen=now)
                for i in range(5000)
            },
            "http://gone.example/kept": SeenUrl(
                source="http://gone.example/rss", first_seen=now, path="kept.txt", hash="h1"
            ),
            "http://listed/1": SeenUrl(source=site.url("/feed.xml"), first_seen=now, failed="HTTP 404"),
        },
        hashes={"h1": "kept.txt", "h2": "deleted.txt"},
    )
    save_state(corpus, state)
    fetch_sources(corpus, resolver=stub_resolver)
    after, _ = load_state(corpus)
    assert sorted(after.seen) == ["http://gone.example/kept", "http://listed/1"]
    assert after.hashes == {"h1": "kept.txt"}
    assert (corpus / STATE_FILE).stat().st_size < 2000


def test_health_reads_the_fetch_state_only_when_it_changed(tmp_path: Path) -> None:
    from bot.sources.store import SourceState, cached_state

    corpus = tmp_path / "c"
    corpus.mkdir()
    save_state(corpus, FetchState(sources={"https://a.example/rss": SourceState(outcome="ok", new=1)}))
    first = cached_state(corpus)
    assert first is not None and cached_state(corpus) is first  # not parsed again
    save_state(corpus, FetchState(sources={"https://a.example/rss": SourceState(outcome="ok", new=2)}))
    second = cached_state(corpus)
    assert second is not first and second is not None and second.sources["https://a.example/rss"].new == 2


# --- what held before, kept tested ---------------------------------------------------------------


@pytest.mark.parametrize("target", ["file:///etc/passwd", "gopher://127.0.0.1:70/_x", "javascript:alert(1)"])
def test_a_redirect_to_another_scheme_is_refused(site: NewsServer, target: str) -> None:
    site.routes["/go"] = site.redirect(target)
    unusable = "redirect to an unusable location|invalid URL"  # httpx itself refuses to parse some
    with (
        Fetcher(FetchSettings(**FAST_FETCH), resolver=stub_resolver) as f,
        pytest.raises(FetchError, match=unusable) as e,
    ):
        f.get(site.url("/go"), allow_private=True)
    assert e.value.permanent and [r.path for r in site.log] == ["/go"]


def test_a_billion_laughs_feed_is_read_in_bounded_time_and_memory(tmp_path: Path, site: NewsServer) -> None:
    lol = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">{lol}]>'
        '<rss version="2.0"><channel><title>&lol9;</title><link>http://x.invalid/</link>'
        f"<item><title>&lol9;</title><link>{site.url('/news/a')}</link></item></channel></rss>"
    )
    site.routes["/feed.xml"] = Page(xml.encode(), "application/rss+xml")
    site.routes["/news/a"] = article("Harbour bridge reopens", STORY)
    corpus = make_corpus(tmp_path, [{"url": site.url("/feed.xml"), "kind": "feed"}])
    before, started = _peak_rss_mb(), time.monotonic()
    report = fetch_sources(corpus, resolver=stub_resolver)
    assert time.monotonic() - started < 10 and _peak_rss_mb() - before < 200
    for rel in report.new_files:
        assert len(parse_article(corpus / rel, corpus).title) <= 300
