"""`citebot quotes`: the quote bank on a small corpus written for the test (real CLI, real index)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

ARTICLES = {
    "port.txt": (
        "2024-03-01",
        "Port reopens",
        [
            "The port of Vik reopened on Monday after the storm.",
            "“The cranes are working again,” said harbour director Carl Dahl.",
            "Dahl warned that the bridge would stay closed until May.",
        ],
    ),
    "bridge.txt": (
        "2024-03-10",
        "Bridge inspected",
        [
            "Inspectors visited the bridge on Friday.",
            "Engineer Anna Dahl said the steel was sound.",
            "Mayor Ida Strand told reporters the repairs would cost more.",
        ],
    ),
    "old.txt": (None, "Undated note", ["“We will rebuild,” said Ida Strand."]),
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, (published, title, paras) in ARTICLES.items():
        header = f"title: {title}\npublished: {published}\n\n" if published else f"title: {title}\n\n"
        (folder / name).write_text(header + "\n\n".join(paras) + "\n", encoding="utf-8")
    return folder


def quotes(corpus: Path, *args: str) -> list[dict]:
    result = CliRunner().invoke(
        app, ["quotes", "--json", *args, "--corpus", str(corpus), "--index", str(corpus.parent / "idx")]
    )
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_json_records_have_exactly_the_contract_keys_and_body_offsets(corpus: Path) -> None:
    got = quotes(corpus)
    assert got and all(set(q) == {"article_id", "start", "end", "sentence", "speaker", "how"} for q in got)
    for q in got:
        text = (corpus / f"{q['article_id']}.txt").read_text(encoding="utf-8")
        body = text.split("\n\n", 1)[1]  # after the header and its blank line
        assert body[q["start"] : q["end"]] == q["sentence"]
    # newest article first, article order within one, undated last
    assert [q["article_id"] for q in got] == ["bridge", "bridge", "port", "port", "old"]
    assert got[2]["how"] == "quote" and got[3]["how"] == "reported"


def test_speaker_by_surname_lists_each_person_under_the_full_name(corpus: Path) -> None:
    got = quotes(corpus, "--speaker", "dahl")
    assert {q["speaker"] for q in got} == {"Carl Dahl", "Anna Dahl"}
    assert {q["speaker"] for q in quotes(corpus, "--speaker", "Carl Dahl")} == {"Carl Dahl"}


def test_about_keeps_sentences_matching_the_words(corpus: Path) -> None:
    got = quotes(corpus, "--about", "steel cranes")
    assert [q["sentence"] for q in got] == [
        "Engineer Anna Dahl said the steel was sound.",
        "“The cranes are working again,” said harbour director Carl Dahl.",
    ]


def test_periods_leave_undated_articles_out(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITEBOT_NOW", "2024-03-12")
    assert {q["article_id"] for q in quotes(corpus, "--since", "7d")} == {"bridge"}
    assert {q["article_id"] for q in quotes(corpus, "--from", "2024-03-01", "--to", "2024-03-01")} == {"port"}
    assert {q["article_id"] for q in quotes(corpus, "--since", "2024-01-01")} == {"bridge", "port"}


def test_explain_names_the_rule_and_a_bad_period_is_a_usage_error(corpus: Path) -> None:
    got = quotes(corpus, "--explain", "--speaker", "Ida Strand")
    assert {q["rule"] for q in got} == {"speaker-verb", "quote-verb-speaker"}
    assert all(q["cue"] and q["mention"] for q in got)
    result = CliRunner().invoke(app, ["quotes", "--since", "soon", "--corpus", str(corpus)])
    assert result.exit_code == 2


def test_terminal_view_groups_by_article_with_title_and_date(corpus: Path) -> None:
    result = CliRunner().invoke(
        app, ["quotes", "--corpus", str(corpus), "--index", str(corpus.parent / "i2")]
    )
    assert result.exit_code == 0
    assert "Bridge inspected — 2024-03-10" in result.stdout
    assert result.stdout.index("Bridge inspected") < result.stdout.index("Port reopens")


def test_a_changed_attributor_rebuilds_the_index(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The manifest records the attributor's name, version and rule ids; another one means rebuild."""
    from bot.attribution import RuleAttributor
    from bot.corpus import Corpus

    c = Corpus(corpus, corpus.parent / "idx3")
    c.open()
    assert c.index.manifest.attributor["name"] == "rules"
    built = c.index.manifest.built_at
    assert Corpus(corpus, corpus.parent / "idx3").open() is None  # same attributor: loaded as it is
    monkeypatch.setattr(RuleAttributor, "version", RuleAttributor.version + 1)
    again = Corpus(corpus, corpus.parent / "idx3")
    report = again.open()
    assert report is not None and report.published
    assert again.index.manifest.attributor["version"] == RuleAttributor.version
    assert again.index.manifest.built_at > built


def test_a_changed_lexicon_rebuilds_the_index(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Speakers and their roles are read through the lexicon's lists: another lexicon means rebuild."""
    from bot import lexicon
    from bot.corpus import Corpus

    c = Corpus(corpus, corpus.parent / "idx4")
    c.open()
    assert c.index.manifest.attributor["lexicon"] == lexicon.digest()
    built = c.index.manifest.built_at
    monkeypatch.setattr(lexicon, "digest", lambda: "0" * 16)  # as if a list had changed
    again = Corpus(corpus, corpus.parent / "idx4")
    report = again.open()
    assert report is not None and report.published
    assert again.index.manifest.built_at > built


def test_an_unknown_attributor_setting_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.attribution import default_attributor

    monkeypatch.setenv("CITEBOT_ATTRIBUTOR", "nonesuch")
    with pytest.raises(ValueError, match="known attributors are rules"):
        default_attributor()
