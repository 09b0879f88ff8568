"""File names from untrusted titles stay inside the corpus; URLs normalise; sources.toml edits."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sources_server import (
    NewsServer,
    article,
    loopback_only,  # noqa: F401 (an autouse fixture)
    make_corpus,
    rss,
)

from bot.articles import parse_article, parse_text
from bot.sources import fetch_sources
from bot.sources.config import Source, SourcesError, add_source, load_sources, remove_source
from bot.sources.store import UnsafePath, article_text, new_article_path, safe_path, slugify
from bot.sources.urls import check_url, normalize_url, without_tracking

pytestmark = pytest.mark.timeout(60)

TEXT = ["The committee published its report on river pollution on Monday, a spokesman said."]
EVIL_TITLES = {
    "dotdot": "../../etc/passwd",
    "absolute": "/etc/passwd",
    "windows": "C:\\Windows\\System32\\drivers\\etc\\hosts",
    "emoji": "🎉🔥 Ünïcödé ​‮ straße ﬁnal",  # zero-width space, right-to-left override, ligature
    "long": "Breaking " * 60,
    "reserved": "CON",
    "dots": "....",
    "nul": "nul\x00byte\nnewline",
}


# --------------------------------------------------------------------------- slugs and paths


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("../../etc/passwd", "etc-passwd"),
        ("/etc/passwd", "etc-passwd"),
        (
            "Çavuşoğlu, Blinken discuss Russia-Ukraine tension",
            "cavusoglu-blinken-discuss-russia-ukraine-tension",
        ),
        ("🎉🎉🎉", "untitled"),
        ("", "untitled"),
        ("CON", "con-x"),
        ("lpt1", "lpt1-x"),
        ("....", "untitled"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_slugify_caps_length_at_a_word_boundary() -> None:
    slug = slugify("Breaking news " * 50)
    assert len(slug) <= 80 and not slug.endswith("-") and slug.endswith(("news", "breaking"))


def test_safe_path_refuses_to_leave_the_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    assert safe_path(corpus, "fetched", "a", "b.txt") == corpus.resolve() / "fetched" / "a" / "b.txt"
    for parts in (("..", "x.txt"), ("/etc/passwd",), ("fetched", "..", "..", "x.txt"), (".",)):
        with pytest.raises(UnsafePath):
            safe_path(corpus, *parts)
    (corpus / "fetched").symlink_to(tmp_path)  # a link out of the corpus is not followed
    with pytest.raises(UnsafePath):
        safe_path(corpus, "fetched", "x.txt")


def test_new_article_path_never_reuses_another_articles_file(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    first = new_article_path(corpus, "src", date(2024, 1, 2), "Same title", "http://a.example/1")
    first.parent.mkdir(parents=True)
    first.write_text("title: Same title\nurl: http://a.example/1\n\nText.\n")
    second = new_article_path(corpus, "src", date(2024, 1, 2), "Same title", "http://a.example/2")
    assert first.name == "2024-01-02-same-title.txt" and second != first
    assert second.name.startswith("2024-01-02-same-title-") and second.parent == first.parent
    # the same URL again (a run that crashed before saving its state) gets its own file back
    assert new_article_path(corpus, "src", date(2024, 1, 2), "Same title", "http://a.example/1") == first
    assert new_article_path(corpus, "src", None, "x", "u").name == "undated-x.txt"


@pytest.fixture
def evil_site() -> Iterator[NewsServer]:
    with NewsServer() as s:
        items = []
        for i, (key, title) in enumerate(EVIL_TITLES.items()):
            path = f"/news/{key}"
            # each page its own text, or the content hash would (rightly) store just one
            s.routes[path] = article(title, [f"{TEXT[0]} Item {i} of the list."], canonical=f"/news/{key}")
            items.append((title, s.url(path)))
        s.routes["/evil.xml"] = rss(items)
        yield s


def test_fetched_titles_cannot_write_outside_the_corpus(tmp_path: Path, evil_site: NewsServer) -> None:
    root = tmp_path / "root"
    corpus = make_corpus(
        root, [{"url": evil_site.url("/evil.xml"), "name": "../../evil/../..", "kind": "feed"}]
    )
    before = sorted(p for p in tmp_path.rglob("*") if corpus not in p.parents and p != corpus)

    report = fetch_sources(corpus)

    assert report.new == len(EVIL_TITLES), report.sources[0].failed
    after = sorted(p for p in tmp_path.rglob("*") if corpus not in p.parents and p != corpus)
    assert after == before, "nothing was written outside the corpus folder"
    files = sorted((corpus / "fetched").rglob("*.txt"))
    assert len(files) == len(EVIL_TITLES)
    assert {f.parent.name for f in files} == {"evil"}
    for f in files:
        assert f.resolve().is_relative_to(corpus.resolve())
        assert len(f.name) <= 100 and f.name.isascii() and f.name.startswith("2024-03-05-")
        assert f.stem.split("-", 3)[3] not in {"con", "nul", "prn", "aux"}
        article_ = parse_article(f, corpus)  # and each one is a readable article
        assert "\n" not in article_.title and "\x00" not in article_.title
    names = {f.name for f in files}
    assert "2024-03-05-etc-passwd.txt" in names and "2024-03-05-con-x.txt" in names


# --------------------------------------------------------------------------- file contents


def test_article_text_round_trips_through_the_parser() -> None:
    text = article_text(
        title="Line one\nline: \u202etwo",
        url="https://example.com/a",
        published=date(2024, 1, 2),
        source="Ex\x00ample",
        author=None,
        paragraphs=["First paragraph, with a NUL\x00 removed.", "  ", "Second\r paragraph."],
    )
    assert "\x00" not in text and "author:" not in text
    art = parse_text(text, "x")
    assert (
        art.title == "Line one line: two" and art.source == "Ex ample" and art.url == "https://example.com/a"
    )
    assert art.published == date(2024, 1, 2)
    assert art.body == "First paragraph, with a NUL removed.\n\nSecond paragraph."


# --------------------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("https://Example.COM:443/a?utm_source=rss&id=2&utm_medium=x#top", "https://example.com/a?id=2"),
        ("http://example.com/a?fbclid=1&gclid=2", "http://example.com/a"),
        ("http://example.com:8080/a?b=2&a=1", "http://example.com:8080/a?a=1&b=2"),
        ("http://example.com", "http://example.com/"),
    ],
)
def test_normalize_url(url: str, normal: str) -> None:
    assert normalize_url(url) == normal


def test_the_cited_url_keeps_the_page_s_own_form_less_its_tracking() -> None:
    assert without_tracking("https://Example.com/a?id=2&utm_source=rss&fbclid=1#top") == (
        "https://Example.com/a?id=2#top"
    )
    assert without_tracking("http://example.com/a?b=2&a=1") == "http://example.com/a?b=2&a=1"
    assert without_tracking("http://example.com/story?utm_medium=feed") == "http://example.com/story"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/feed", "only http:// and https:// URLs"),
        ("javascript:alert(1)", "only http:// and https:// URLs"),
        ("file:///etc/passwd", "only http:// and https:// URLs"),
        ("example.com/feed", "not an absolute URL"),
        ("http:///feed", "no host"),
        ("http://exa mple.com/", "spaces"),
        ("http://example.com:99999/", "not a valid URL"),
        ("", "empty"),
    ],
)
def test_check_url_refuses(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_url(url)


# --------------------------------------------------------------------------- sources.toml


def test_add_and_remove_keep_what_the_user_wrote(tmp_path: Path) -> None:
    (tmp_path / "sources.toml").write_text(
        '# my feeds\n[[source]]\nurl = "https://a.example/feed"  # the first\nname = "A"\n\n'
        '# B is noisy\n[[source]]\nurl = "https://b.example/feed"\n\n[fetch]\nread_timeout = 5\n',
        encoding="utf-8",
    )
    add_source(tmp_path, Source(url="https://c.example/x", name='Odd "name" \\ with\ttab', kind="page"))
    config = load_sources(tmp_path)
    assert config is not None and [s.url for s in config.sources][-1] == "https://c.example/x"
    assert config.sources[-1].name == 'Odd "name" \\ with tab' and config.fetch.read_timeout == 5

    removed = remove_source(tmp_path, "a")  # by name, any case
    assert removed.url == "https://a.example/feed"
    text = (tmp_path / "sources.toml").read_text(encoding="utf-8")
    assert "# my feeds" in text and "# B is noisy" in text and "read_timeout = 5" in text
    assert "a.example" not in text
    remove_source(tmp_path, "https://B.example/feed#x")  # by URL, normalised
    config = load_sources(tmp_path)
    assert config is not None and [s.url for s in config.sources] == ["https://c.example/x"]


def test_edits_update_a_listed_url_and_refuse_a_taken_name_or_unknown_sources(tmp_path: Path) -> None:
    add_source(tmp_path, Source(url="https://a.example/feed", name="A"))
    assert (tmp_path / "sources.toml").read_text(encoding="utf-8").startswith("# Feeds and article pages")
    add_source(tmp_path, Source(url="https://A.example/feed?utm_source=x", name="A", allow_private=True))
    config = load_sources(tmp_path)  # a listed URL added again is updated in place, under its first spelling
    assert config is not None
    assert [(s.url, s.name, s.allow_private) for s in config.sources] == [
        ("https://a.example/feed", "A", True)
    ]
    assert "allow_private = true" in (tmp_path / "sources.toml").read_text(encoding="utf-8")
    with pytest.raises(SourcesError, match="already named"):
        add_source(tmp_path, Source(url="https://other.example/", name="a"))
    with pytest.raises(SourcesError, match="no source has the URL or name 'zzz'"):
        remove_source(tmp_path, "zzz")
    with pytest.raises(SourcesError, match="does not exist"):
        add_source(tmp_path / "nope", Source(url="https://a.example/"))


def test_sources_file_is_replaced_atomically(tmp_path: Path) -> None:
    add_source(tmp_path, Source(url="https://a.example/feed"))
    inode = os.stat(tmp_path / "sources.toml").st_ino
    add_source(tmp_path, Source(url="https://b.example/feed"))
    assert os.stat(tmp_path / "sources.toml").st_ino != inode  # a new file renamed over the old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sources.toml"]
