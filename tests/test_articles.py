"""Tests for reading articles (bot.articles, bot.corpus_scan, bot.bulk): every format, every refusal,
and the real corpus-extra layout."""

from __future__ import annotations

import gzip
import json
import os
import pickle
import time
from datetime import date
from pathlib import Path

import pytest

import bot.bulk
from bot.articles import (
    MAX_ARTICLE_BYTES,
    MAX_FIELD_CHARS,
    ArticleError,
    collect_notes,
    parse_article,
    parse_date,
    parse_text,
    printable,
)
from bot.bulk import iter_bulk_articles, iter_corpus
from bot.corpus_scan import ARTICLE_SUFFIXES, MAX_DEPTH, article_id_for, corpus_files, scan_corpus_files
from bot.models import Article

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "articles"
SEED = FIXTURES / "000_f14a7e196510d787.txt"
CORPUS_EXTRA = Path(__file__).resolve().parents[2] / "shared" / "corpus-extra"


def write(path: Path, content: str | bytes) -> Path:
    """Write a fixture file (text as UTF-8), creating its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


# --------------------------------------------------------------------------- the seed layout


def test_seed_article_title_dateline_tags_and_body() -> None:
    article = parse_article(SEED, FIXTURES)
    assert article.article_id == "000_f14a7e196510d787"
    assert article.title == "Çavuşoğlu, Blinken discuss Russia-Ukraine tension over phone"
    assert article.dateline == "ANKARA"
    assert article.tags == ["Diplomacy", "US"]
    assert article.body.startswith("Turkish Foreign Minister Mevlüt Çavuşoğlu and his U.S. counterpart")
    assert article.body.endswith("because our objective is clear,” the minister said.")
    assert article.title not in article.body  # the repeated title line is gone too
    assert "ANKARA" not in article.body
    assert "Diplomacy, US," not in article.body
    assert article.published is None and article.url is None


def test_seed_body_is_verbatim_file_text() -> None:
    article = parse_article(SEED, FIXTURES)
    source = SEED.read_text(encoding="utf-8")
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) == 11
    assert all(p in source for p in paragraphs)
    assert "“Good call with Turkish Foreign Minister @MevlutCavusoglu," in article.body


def test_line_endings_trailing_blanks_and_paragraph_spacing_are_normalised() -> None:
    text = (
        "Title here  \r\n\r\n\r\nFirst line of a paragraph \t\r\nsecond line\r\n \r\n\r\n\r\nSecond ‘para’.  "
    )
    article = parse_text(text, "x")
    assert article.title == "Title here"
    assert article.body == "First line of a paragraph\nsecond line\n\nSecond ‘para’."


def test_leading_date_line_is_taken_off_and_read() -> None:
    alone = parse_text("T\n\nFriday, January 4, 2019\n\nNancy Pelosi yesterday resumed office.", "x")
    assert alone.body == "Nancy Pelosi yesterday resumed office."
    assert alone.published == date(2019, 1, 4)
    glued = parse_text("T\n\nFriday, March 29, 2019 Toronto Comicon returned.\n\nMore.", "x")
    assert glued.body == "Toronto Comicon returned.\n\nMore."
    assert glued.published == date(2019, 3, 29)
    prose = parse_text("T\n\nYesterday, the mayor spoke.", "x")
    assert prose.body == "Yesterday, the mayor spoke." and prose.published is None


@pytest.mark.parametrize(
    ("first", "is_dateline"),
    [
        ("KYIV", True),
        ("THE KREMLIN, MOSCOW", True),
        ("NOVO-OGARYOVO, MOSCOW REGION", True),
        ("NOMINATIONS SENT TO THE SENATE:", False),
        ("1:03 P.M. EST", False),
        ("MEMORANDUM FOR THE SECRETARY OF STATE", False),
        ("Kyiv", False),
    ],
)
def test_dateline_is_a_short_all_caps_place(first: str, is_dateline: bool) -> None:
    article = parse_text(f"Title\n\n{first}\n\nThe body.", "x")
    assert article.dateline == (first if is_dateline else None)
    assert article.body == ("The body." if is_dateline else f"{first}\n\nThe body.")


def test_tag_line_only_when_it_is_a_trailing_comma_list() -> None:
    tagged = parse_text("Title\n\nBody text.\n\nStatements and Releases,", "x")
    assert tagged.tags == ["Statements and Releases"]
    assert tagged.body == "Body text."
    sentence = parse_text("Title\n\nBody text.\n\nHe said: “we will see,", "x")
    assert sentence.tags == []
    assert sentence.body.endswith("we will see,")


def test_title_only_file_has_no_article_text() -> None:
    with pytest.raises(ArticleError, match=r"^no article text$"):
        parse_text("Just a title\n\nJust a title\n", "x")


# --------------------------------------------------------------------------- metadata headers


def test_key_value_header_fills_the_article() -> None:
    text = (
        "Title: Minister visits Kyiv\n"
        "URL: https://example.com/kyiv\n"
        "Published: January 4, 2022\n"
        "source: Example Wire\n"
        "Author: Jane Roe\n"
        "\n"
        "Minister visits Kyiv\n"
        "\n"
        "The minister arrived on Tuesday.\n"
    )
    article = parse_text(text, "x")
    assert article.title == "Minister visits Kyiv"
    assert article.url == "https://example.com/kyiv"
    assert article.published == date(2022, 1, 4)
    assert article.source == "Example Wire"
    assert article.author == "Jane Roe"
    assert article.body == "The minister arrived on Tuesday."  # header and repeated title gone


def test_header_title_does_not_swallow_a_different_first_line() -> None:
    article = parse_text("title: The real title\ndate: 2022-01-04\n\nFirst line is prose.\n\nMore.", "x")
    assert article.title == "The real title"
    assert article.body == "First line is prose.\n\nMore."


def test_headline_that_looks_like_a_header_line_stays_the_title() -> None:
    article = parse_text("Source: minister to resign next week\n\nThe body.", "x")
    assert article.title == "Source: minister to resign next week"
    assert article.source is None


def test_yaml_front_matter() -> None:
    text = (
        "---\ntitle: Talks in Geneva\npublished: 2022-01-10T10:00:00Z\nurl: https://example.com/g\n"
        "tags: [Diplomacy, Russia]\n---\n\nTalks in Geneva\n\nGENEVA\n\nThe talks began.\n"
    )
    article = parse_text(text, "x")
    assert article.title == "Talks in Geneva"
    assert article.published == date(2022, 1, 10)
    assert article.url == "https://example.com/g"
    assert article.tags == ["Diplomacy", "Russia"]
    assert article.dateline == "GENEVA"
    assert article.body == "The talks began."


def test_invalid_yaml_front_matter_is_an_article_error() -> None:
    with pytest.raises(ArticleError, match=r"^invalid YAML front matter"):
        parse_text("---\ntitle: [unclosed\n---\n\nBody.", "x")


# --------------------------------------------------------------------------- Markdown


def test_markdown_file_with_front_matter_is_cleaned_text() -> None:
    article = parse_article(FIXTURES / "story.md", FIXTURES)
    assert article.title == "Grain deal signed in Istanbul"
    assert article.published == date(2022, 7, 22)
    assert article.author == "John Doe"
    assert article.tags == ["Diplomacy", "Ukraine"]
    assert article.body.split("\n\n") == [
        "Russia and Ukraine signed a deal to reopen Black Sea ports, the United Nations said on Friday.",
        "The agreement was brokered by Turkey and the UN; it costs 5*3 snake_case_words nothing.",
        "What the deal says",
        "Ships will be inspected in Istanbul.",
        "A joint centre will monitor the corridor.",
        "“This is a beacon of hope,” the Secretary-General said.",
    ]


def test_markdown_heading_is_the_title_without_header() -> None:
    text = "# A **bold** headline\n\nSome _text_ with a [link](http://x.org/a_(b)) and `code`.\n"
    article = parse_text(text, "x", ".md")
    assert article.title == "A bold headline"
    assert article.body == "Some text with a link and code."


def test_markdown_suffix_matters() -> None:
    text = "Title\n\n- item **one**\n"
    assert parse_text(text, "x", ".md").body == "item one"
    assert parse_text(text, "x", ".txt").body == "- item **one**"


# --------------------------------------------------------------------------- JSON


def test_json_article() -> None:
    obj = {
        "title": "Ceasefire talks",
        "text": "Ceasefire talks\n\nThe sides met.\n\nThey will meet again.",
        "url": "https://example.com/c",
        "date": "4 Jan 2022",
        "source": "Wire",
        "author": "A. Writer",
    }
    article = parse_text(json.dumps(obj), "j", ".json")
    assert article.title == "Ceasefire talks"
    assert article.body == "The sides met.\n\nThey will meet again."
    assert article.published == date(2022, 1, 4)
    assert (article.url, article.source, article.author) == ("https://example.com/c", "Wire", "A. Writer")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"title": "x", "body": ', "invalid JSON: Expecting value"),
        ('["not", "an", "object"]', "invalid JSON: not an object but list"),
        ('{"title": "no body"}', "no article text"),
        ('{"title": "t", "body": 3}', "article text is not a string"),
    ],
)
def test_bad_json_is_an_article_error(text: str, reason: str) -> None:
    with pytest.raises(ArticleError) as info:
        parse_text(text, "j", ".json")
    assert str(info.value).startswith(reason)


# --------------------------------------------------------------------------- HTML


def test_html_main_text_without_boilerplate() -> None:
    article = parse_article(FIXTURES / "page.html", FIXTURES)
    assert article.title == "Ministers discuss grain corridor"
    assert article.url == "https://news.example.com/world/ministers-discuss-grain-corridor"
    assert article.published == date(2022, 7, 14)
    assert article.author == "Jane Roe"
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("The foreign ministers of Turkey and Ukraine discussed")
    assert paragraphs[1].startswith("“We are close to an agreement")
    for boilerplate in ("Subscribe", "Copyright", "Privacy", "Related stories", "Markets rally"):
        assert boilerplate not in article.body


def test_html_date_is_not_guessed_from_a_copyright_year() -> None:
    html = (
        "<html><head><title>Bridge reopens</title></head><body><article><h1>Bridge reopens</h1>"
        "<p>The old bridge over the river reopened to traffic after two years of repairs, the city said.</p>"
        "</article><footer>Copyright 2021 City News</footer></body></html>"
    )
    article = parse_text(html, "2019-05-06-bridge", ".htm")
    assert (
        article.body
        == "The old bridge over the river reopened to traffic after two years of repairs, the city said."
    )
    assert article.published == date(2019, 5, 6)  # from the file name, not from "Copyright 2021"


def test_html_without_article_text() -> None:
    with pytest.raises(ArticleError, match=r"^no article text$"):
        parse_text("<html><head><title>Empty</title></head><body><nav>Home</nav></body></html>", "h", ".html")


# --------------------------------------------------------------------------- refused files


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b" \n\n\t\n", "empty file"),
        (b"Title\n\nBody\x00\x01\x02 text", "binary file"),
        ("Café société\n\nLe café est fermé.".encode("latin-1"), "not UTF-8 text"),
        ("Title\n\nBody".encode("utf-16"), "not UTF-8 text (UTF-16)"),
    ],
)
def test_unreadable_files_raise_with_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = write(tmp_path / "bad.txt", content)
    with pytest.raises(ArticleError) as info:
        parse_article(path, tmp_path)
    assert str(info.value) == reason


def test_too_large_file_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(MAX_ARTICLE_BYTES + 1024 * 1024)  # sparse: instant, no disk use

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    with pytest.raises(ArticleError) as info:
        parse_article(path, tmp_path)
    assert str(info.value) == "file too large (21.0 MB > 20 MB)"


def test_invalid_json_file(tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", '{"title": "t", "body": "b",}')
    with pytest.raises(ArticleError, match=r"^invalid JSON: "):
        parse_article(path, tmp_path)


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.txt", b"\xef\xbb\xbfThe title\n\nThe body.")
    article = parse_article(path, tmp_path)
    assert article.title == "The title"
    assert parse_text('\ufeff{"title": "J", "body": "B"}', "j", ".json").title == "J"


def test_article_error_pickles_with_its_line() -> None:
    error = pickle.loads(pickle.dumps(ArticleError("invalid JSON: x", 3)))
    assert str(error) == "line 3: invalid JSON: x"
    assert error.line == 3


# --------------------------------------------------------------------------- corpus layout


def test_corpus_files_lists_articles_and_skips_the_rest(tmp_path: Path) -> None:
    for name in (
        "b.txt",
        "a.md",
        "sub/2019-01-04-x.txt",
        "sub/page.HTML",
        "sub/deeper/c.json",
        "bulk.jsonl",
        "sub/more.jsonl.gz",
        "sub/manifest.jsonl",
        "README.md",
        "sub/README.txt",
        "sources.toml",
        "LICENSE.txt",
        "notes.pdf",
        "image.png",
        ".hidden.txt",
        ".citebot-index/x.txt",
        "sub/.git/y.md",
    ):
        write(tmp_path / name, "T\n\nB")
    found = [p.relative_to(tmp_path).as_posix() for p in corpus_files(tmp_path)]
    assert found == [
        "a.md",
        "b.txt",
        "bulk.jsonl",
        "sub/2019-01-04-x.txt",
        "sub/deeper/c.json",
        "sub/more.jsonl.gz",
        "sub/page.HTML",
    ]
    assert {".txt", ".md", ".markdown", ".json", ".html", ".htm"} == ARTICLE_SUFFIXES


def test_article_ids_are_relative_stems(tmp_path: Path) -> None:
    assert article_id_for(tmp_path / "000_f14a.txt", tmp_path) == "000_f14a"
    nested = tmp_path / "wikinews" / "2019-01-04-nancy-pelosi.txt"
    assert article_id_for(nested, tmp_path) == "wikinews/2019-01-04-nancy-pelosi"
    assert article_id_for(tmp_path / "a" / "b" / "c.md", tmp_path) == "a/b/c"


def test_date_from_file_name_when_the_file_has_none(tmp_path: Path) -> None:
    path = write(tmp_path / "wikinews" / "2019-01-04-pelosi.txt", "Title\n\nBody.")
    article = parse_article(path, tmp_path)
    assert article.article_id == "wikinews/2019-01-04-pelosi"
    assert article.published == date(2019, 1, 4)
    headed = write(tmp_path / "2019-01-04-b.txt", "date: 2020-02-02\n\nTitle\n\nBody.")
    assert parse_article(headed, tmp_path).published == date(2020, 2, 2)


def test_manifest_supplies_the_url(tmp_path: Path) -> None:
    path = write(tmp_path / "src" / "2021-12-01-a.txt", "Title\n\nBody.")
    row = {"file": "2021-12-01-a.txt", "url": "https://example.gov/a", "date": "2021-12-01"}
    write(tmp_path / "src" / "manifest.jsonl", json.dumps(row) + "\nnot json\n")
    assert parse_article(path, tmp_path).url == "https://example.gov/a"
    assert parse_article(path, tmp_path, use_manifest=False).url is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-01-04", date(2022, 1, 4)),
        ("2022-01-04T10:00:00Z", date(2022, 1, 4)),
        ("2022-01-04 23:59:00+05:00", date(2022, 1, 4)),
        ("January 4, 2022", date(2022, 1, 4)),
        ("Tuesday, January 4, 2022", date(2022, 1, 4)),
        ("4 Jan 2022", date(2022, 1, 4)),
        ("Jan. 4th, 2022", date(2022, 1, 4)),
        ("Tue, 04 Jan 2022 10:00:00 GMT", date(2022, 1, 4)),
        (date(2022, 1, 4), date(2022, 1, 4)),
        ("2022-13-45", None),
        ("next Tuesday", None),
        ("", None),
        (None, None),
        (20220104.5, None),
    ],
)
def test_parse_date(value: object, expected: date | None) -> None:
    assert parse_date(value) == expected


# --------------------------------------------------------------------------- bulk files


BULK_LINES = [
    json.dumps({"id": "a1", "title": "First", "body": "First body.", "published": "2022-01-04"}),
    '{"id": "broken", "title": ',
    "",
    json.dumps({"id": 7, "title": "Second", "text": "Second body.", "date": "5 Jan 2022", "url": "u"}),
    json.dumps({"title": "No id", "body": "Third body."}),
]


@pytest.mark.parametrize("name", ["news.jsonl", "news.jsonl.gz"])
def test_bulk_articles_with_a_bad_line(tmp_path: Path, name: str) -> None:
    data = ("\n".join(BULK_LINES) + "\n").encode("utf-8")
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    items = list(iter_bulk_articles(path))
    assert [type(i) for i in items] == [Article, ArticleError, Article, Article]
    first, error, second, third = items
    assert isinstance(first, Article) and isinstance(second, Article) and isinstance(third, Article)
    assert (first.article_id, first.title, first.body) == ("news/a1", "First", "First body.")
    assert first.published == date(2022, 1, 4)
    assert isinstance(error, ArticleError) and error.line == 2
    assert str(error).startswith("line 2: invalid JSON")
    assert (second.article_id, second.published, second.url) == ("news/7", date(2022, 1, 5), "u")
    assert third.article_id == "news/line-5"


def test_bulk_file_not_gzip_yields_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "fake.jsonl.gz", b"not gzip at all")
    items = list(iter_bulk_articles(path))
    assert len(items) == 1 and isinstance(items[0], ArticleError)
    assert "cannot read fake.jsonl.gz" in str(items[0])


def test_parse_article_refuses_a_bulk_file_and_iter_corpus_reads_it(tmp_path: Path) -> None:
    bulk = write(tmp_path / "feed" / "wire.jsonl", "\n".join(BULK_LINES))
    write(tmp_path / "one.txt", "One\n\nOne body.")
    write(tmp_path / "empty.txt", "")
    with pytest.raises(ArticleError, match="iter_bulk_articles"):
        parse_article(bulk, tmp_path)
    results = {
        (p.name, item.article_id if isinstance(item, Article) else str(item))
        for p, item in iter_corpus(tmp_path)
    }
    assert results == {
        ("empty.txt", "empty file"),
        ("one.txt", "one"),
        ("wire.jsonl", "feed/wire/a1"),
        ("wire.jsonl", "line 2: invalid JSON: Expecting value (column 26)"),
        ("wire.jsonl", "feed/wire/7"),
        ("wire.jsonl", "feed/wire/line-5"),
    }


# --------------------------------------------------------------------------- the real corpus


@pytest.mark.skipif(not CORPUS_EXTRA.is_dir(), reason="../shared/corpus-extra is not present")
def test_corpus_extra_articles() -> None:
    kremlin = CORPUS_EXTRA / "kremlin" / "2021-11-19-meeting-with-permanent-members-of-security-council.txt"
    article = parse_article(kremlin, CORPUS_EXTRA)
    assert article.article_id == kremlin.relative_to(CORPUS_EXTRA).with_suffix("").as_posix()
    assert article.title == "Meeting with permanent members of Security Council"
    assert article.dateline == "THE KREMLIN, MOSCOW"
    assert "THE KREMLIN" not in article.body
    assert article.body.startswith("The President held a videoconference meeting")
    assert article.published == date(2021, 11, 19)
    assert article.url and article.url.startswith("http")

    whitehouse = sorted((CORPUS_EXTRA / "whitehouse").glob("*.txt"))[0]
    article = parse_article(whitehouse, CORPUS_EXTRA)
    assert article.tags == ["Statements and Releases"]
    assert "Statements and Releases," not in article.body
    assert article.dateline is None  # "TO THE CONGRESS OF THE UNITED STATES:" is a salutation

    wikinews = (
        CORPUS_EXTRA
        / "wikinews"
        / "2019-01-04-nancy-pelosi-again-elected-speaker-as-116th-u-s-congress-sworn-in.txt"
    )
    article = parse_article(wikinews, CORPUS_EXTRA)
    assert article.title == "Nancy Pelosi again elected Speaker as 116th U.S. Congress sworn in"
    assert article.body.startswith("Nancy Pelosi yesterday resumed the office of Speaker")
    assert article.published == date(2019, 1, 4)
    assert article.dateline is None and article.tags == []
    source = wikinews.read_text(encoding="utf-8")
    assert all(p in source for p in article.body.split("\n\n"))

    files = corpus_files(CORPUS_EXTRA)
    assert not any(p.name in ("manifest.jsonl", "README.md") for p in files)
    assert len(files) >= 2400


# --------------------------------------------------------------------------- hostile files (issue 11)


def test_a_huge_title_and_metadata_are_cut_and_the_article_kept() -> None:
    title = " ".join(f"word{i}" for i in range(100_000))
    obj = {
        "title": title,
        "body": "The council met.\n\nIt voted on Monday.",
        "author": "A" * 5000,
        "tags": [f"tag{i}" for i in range(1000)],
        "url": "https://e.org/" + "x" * 5000,
    }
    with collect_notes() as notes:
        article = parse_text(json.dumps(obj), "big", ".json")
    assert len(article.title) <= MAX_FIELD_CHARS and article.title.startswith("word0 word1 ")
    assert article.author is not None and len(article.author) <= MAX_FIELD_CHARS
    assert len(article.tags) == 50
    assert article.url is None  # a cut URL would be a wrong link: dropped
    assert article.body == "The council met.\n\nIt voted on Monday."
    assert any(n.startswith("title cut to 300 characters") for n in notes)
    assert any(n.startswith("url dropped") for n in notes)
    # outside `collect_notes` nothing is collected and nothing fails
    assert parse_text(json.dumps(obj), "big", ".json").title == article.title


def test_a_huge_title_line_in_a_text_file_is_cut_and_not_kept_in_the_body() -> None:
    title = "Headline " * 20_000
    article = parse_text(f"{title}\n\n{title}\n\nThe mayor said it was fine.\n", "t")
    assert len(article.title) <= MAX_FIELD_CHARS
    assert article.body == "The mayor said it was fine."


def test_control_characters_and_ansi_escapes_leave_corpus_text() -> None:
    text = (
        "Red \x1b[31malert\x1b[0m :x: [/yellow]\n\n"
        "The mayor\x07 said \x1b]0;pwned\x07it was \x9b2Jfine.\tOk.\n"
    )
    article = parse_text(text, "ansi")
    assert article.title == "Red alert :x: [/yellow]"
    assert article.body == "The mayor said it was fine.\tOk."
    assert printable("a\x00b\x1b[2Kc\rd\x7f") == "abcd"


@pytest.mark.parametrize("suffix", [".json", ".md"])
def test_json_or_yaml_nested_100000_deep_is_skipped_with_a_reason(suffix: str) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    text = deep if suffix == ".json" else f"---\ntitle: {deep}\n---\nThe mayor spoke.\n"
    with pytest.raises(ArticleError, match=r"nested too deep|nesting depth"):
        parse_text(text, "deep", suffix)


def test_a_bulk_line_nested_100000_deep_is_one_bad_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "b.jsonl",
        json.dumps({"body": "The mayor spoke.\n\nShe left."}) + "\n" + "[" * 100_000 + "]" * 100_000 + "\n",
    )
    items = list(iter_bulk_articles(path))
    assert isinstance(items[0], Article)
    assert isinstance(items[1], ArticleError) and str(items[1]) == "line 2: invalid JSON: nested too deep"


def test_scan_reports_other_file_types_with_a_reason(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "T\n\nB.")
    write(tmp_path / "report.pdf", b"%PDF-1.4")
    write(tmp_path / "sub/notes.docx", b"PK\x03\x04")
    write(tmp_path / "README.md", "# readme")
    write(tmp_path / ".hidden.pdf", b"x")
    scan = scan_corpus_files(tmp_path)
    assert [p.name for p in scan.files] == ["a.txt"]
    assert set(scan.skipped) == {"report.pdf", "sub/notes.docx"}
    assert scan.skipped["report.pdf"].startswith("unsupported file type: .pdf files are not read")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.timeout(20)
def test_a_named_pipe_is_skipped_and_never_opened(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "T\n\nB.")
    os.mkfifo(tmp_path / "x.txt")
    os.mkfifo(tmp_path / "y.jsonl")
    t0 = time.monotonic()
    scan = scan_corpus_files(tmp_path)
    assert [p.name for p in scan.files] == ["a.txt"]
    assert scan.skipped == {
        "x.txt": "not a regular file (a named pipe)",
        "y.jsonl": "not a regular file (a named pipe)",
    }
    # a pipe that appears after the scan is refused on the open descriptor, without blocking
    with pytest.raises(ArticleError, match="named pipe"):
        parse_article(tmp_path / "x.txt", tmp_path)
    assert [str(e) for e in iter_bulk_articles(tmp_path / "y.jsonl")] == ["not a regular file (a named pipe)"]
    assert time.monotonic() - t0 < 5


def test_symlinks_out_of_the_corpus_are_skipped_unless_allowed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus / "a.txt", "T\n\nB.")
    secret = write(tmp_path / "outside" / "dotenv.txt", "SLACK_SIGNING_SECRET=abc\n\nThe secret is abc.\n")
    (corpus / "env.txt").symlink_to(secret)
    (corpus / "inside.txt").symlink_to(corpus / "a.txt")
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    (corpus / "linked-folder").symlink_to(tmp_path / "outside", target_is_directory=True)
    scan = scan_corpus_files(corpus)
    assert [p.name for p in scan.files] == ["a.txt", "inside.txt"]
    assert scan.skipped["env.txt"] == "symbolic link to a file outside the corpus folder"
    assert scan.skipped["loop.txt"].startswith("cannot read file")
    assert "dotenv.txt" not in {p.name for p in scan.files}  # folder links are not walked
    allowed = scan_corpus_files(corpus, allow_outside=True)
    assert [p.name for p in allowed.files] == ["a.txt", "env.txt", "inside.txt"]


def test_folders_nested_too_deep_are_skipped_with_a_reason(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "T\n\nB.")
    folder = tmp_path
    for _ in range(MAX_DEPTH + 5):
        folder = folder / "d"
    write(folder / "deep.txt", "T\n\nB.")
    write(tmp_path.joinpath(*["d"] * (MAX_DEPTH - 1)) / "ok.txt", "T\n\nB.")
    scan = scan_corpus_files(tmp_path)
    assert [p.name for p in scan.files] == ["a.txt", "ok.txt"]
    assert list(scan.skipped.values()) == [f"folder nested deeper than {MAX_DEPTH} levels"]


@pytest.mark.timeout(60)
def test_folders_1100_deep_do_not_break_the_scan(tmp_path: Path) -> None:
    """The attack's depth (each level one short name, so the path stays within PATH_MAX)."""
    write(tmp_path / "a.txt", "T\n\nB.")
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        for _ in range(1100):
            os.mkdir("d")
            os.chdir("d")
        Path("deep.txt").write_text("T\n\nB.", encoding="utf-8")
        os.chdir(cwd)
        scan = scan_corpus_files(tmp_path)
        assert [p.name for p in scan.files] == ["a.txt"] and len(scan.skipped) == 1
    finally:
        os.chdir(cwd)
        _remove_chain(tmp_path / "d")


def _remove_chain(top: Path) -> None:
    """Remove a d/d/d/… chain without recursion (shutil.rmtree recurses once per level)."""
    cwd = os.getcwd()
    try:
        os.chdir(top)
        depth = 1
        while os.path.isdir("d"):
            os.chdir("d")
            depth += 1
        for _ in range(depth):
            for name in os.listdir("."):
                os.unlink(name) if not os.path.isdir(name) else os.rmdir(name)
            os.chdir("..")
        os.rmdir(top)
    finally:
        os.chdir(cwd)


def test_a_gzip_bomb_of_identical_lines_stops_with_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A gzip inflating 100s of times (one line repeated 300,000 times) is not 300,000 articles."""
    monkeypatch.setattr(bot.bulk, "GZIP_FREE_BYTES", 64 * 1024)  # the ratio, not the floor, stops it
    line = json.dumps({"body": "Council meets.\n\nThe council met on Monday and voted."}).encode() + b"\n"
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=1) as f:
        for _ in range(300):
            f.write(line * 1000)
    items = list(iter_bulk_articles(path))
    *articles, last = items
    assert isinstance(last, ArticleError) and "inflates to over 10 times its size" in str(last)
    assert str(last).startswith(f"line {len(articles) + 1}: ")
    assert 0 < len(articles) < 100_000 and all(isinstance(a, Article) for a in articles)


def test_ordinary_gzip_text_is_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Varied news-like lines compress a few times at most: far below the bomb ratio."""
    import random

    monkeypatch.setattr(bot.bulk, "GZIP_FREE_BYTES", 64 * 1024)
    rng = random.Random(7)
    words = "council mayor harbour storm voted said Monday bridge repair budget minister".split()
    path = tmp_path / "news.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for i in range(3000):
            body = " ".join(rng.choice(words) for _ in range(40))
            f.write(json.dumps({"id": str(i), "title": f"Story {i}", "body": f"{body}."}) + "\n")
    items = list(iter_bulk_articles(path))
    assert len(items) == 3000 and all(isinstance(a, Article) for a in items)
