"""What lets citebot index a million sentences: the fast splitter, cached term counting, a bulk
JSON Lines file spread over the pool, and refreshes that carry unchanged articles over in bulk."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import numpy as np
import pytest

import bot.ingest
from bot.index import CorpusIndex
from bot.index_store import IndexStore
from bot.ingest import FileResult, ingest_file, ingest_files, sentence_terms
from bot.refresh import refresh
from bot.sentences import MAX_SENTENCE_CHARS, sentence_spans, split_paragraph
from bot.text import tokenize

# --- sentences ---------------------------------------------------------------------------------

SPLITS = {
    "Mr. Smith met Gen. Lee on Jan. 3 in the U.S. capital. They talked.": [
        "Mr. Smith met Gen. Lee on Jan. 3 in the U.S. capital.",
        "They talked.",
    ],
    "Dr. Eric S. Lander spoke at 3 p.m. Then he left.": [
        "Dr. Eric S. Lander spoke at 3 p.m.",
        "Then he left.",
    ],
    "Calls open at 9 a.m. Eastern on Monday. We met at 10 A.M. Tuesday. It ended at 5 p.m. Then we went.": [
        "Calls open at 9 a.m. Eastern on Monday.",
        "We met at 10 A.M. Tuesday.",
        "It ended at 5 p.m.",
        "Then we went.",
    ],
    "“Russia made some proposals. Our objective is clear,” Çavuşoğlu said. He left.": [
        "“Russia made some proposals. Our objective is clear,” Çavuşoğlu said.",
        "He left.",
    ],
    "He said “we are ready.” Then he left.": ["He said “we are ready.”", "Then he left."],
    "It grew 3.5 percent in the U.S. The rest fell.": ["It grew 3.5 percent in the U.S.", "The rest fell."],
    "Visit whitehouse.gov. Thank you. (Applause.) So we begin!": [
        "Visit whitehouse.gov.",
        "Thank you.",
        "(Applause.)",
        "So we begin!",
    ],
    "We will win. We are strong.” He paused.": ["We will win.", "We are strong.”", "He paused."],
    "Is it? Yes! No...": ["Is it?", "Yes!", "No..."],
    # A straight quote mark opens or closes by what stands either side of it: a paragraph going on
    # with a quotation opened earlier does not pair its closing mark with the next opening one.
    'It is huge. We resist in every house," Zaluzhnyi stressed. He thanked them. "So we win," he said.': [
        "It is huge.",
        'We resist in every house," Zaluzhnyi stressed.',
        "He thanked them.",
        '"So we win," he said.',
    ],
    # …a quotation whose closing mark the source dropped protects nothing…
    '"All must understand: it is so. Help them, he said. Yermak spoke. "We must win," he said.': [
        '"All must understand: it is so.',
        "Help them, he said.",
        "Yermak spoke.",
        '"We must win," he said.',
    ],
    # …and a quotation inside one stays inside it.
    '"We met our "Naftogaz" team. They want to enter. I think they will," he said. Then he left.': [
        '"We met our "Naftogaz" team. They want to enter. I think they will," he said.',
        "Then he left.",
    ],
}


@pytest.mark.parametrize("text", SPLITS)
def test_splitter_keeps_abbreviations_initials_and_quotations_whole(text: str) -> None:
    assert split_paragraph(text) == SPLITS[text]


def test_every_sentence_is_its_exact_span_of_the_body() -> None:
    body = "Title line\n\n  First one.  Second “quoted. still” one.\nA new line\n\n\n\nLast para, no stop"
    spans = sentence_spans(body)
    assert [body[s:e] for s, e, _ in spans] == [
        "Title line",
        "First one.",
        "Second “quoted. still” one.",
        "A new line",
        "Last para, no stop",
    ]
    assert [p for *_, p in spans] == [0, 1, 1, 1, 3]  # paragraph numbers as body.split("\n\n") counts them


def test_seed_article_splits_as_pysbd_did() -> None:
    from bot.articles import parse_article

    corpus = Path(__file__).resolve().parents[1] / "corpus"
    article = parse_article(corpus / "000_f14a7e196510d787.txt", corpus)
    got = [article.body[s:e] for s, e, _ in sentence_spans(article.body)]
    assert len(got) == 11
    assert got[0] == (
        "Turkish Foreign Minister Mevlüt Çavuşoğlu and his U.S. counterpart, Antony Blinken, "
        "discussed regional-bilateral issues, including the tension between Russia and Ukraine "
        "over the phone on Jan. 3."
    )
    assert all(s.strip() == s and s for s in got)


@pytest.mark.parametrize(
    "text",
    [
        "Çavuşoğlu met  Blinken",
        "İstanbul and ıi",
        "100,000 troops, 3.5% and 1,000.50",
        "don’t stop—now",
        "tab\there\u00a0nbsp",
        "中国 x",
        " lead and trail ",
        "",
        "U.S.-Turkey ties",
    ],
)
def test_sentence_terms_equal_tokenize(text: str) -> None:
    assert sentence_terms(text) == tokenize(text)


# --- bulk files ----------------------------------------------------------------------------------


def _bulk(path: Path, n: int, bad_line: bool = True) -> Path:
    lines = []
    for i in range(n):
        lines.append(
            json.dumps(
                {
                    "id": f"doc-{i}",
                    "title": f"Statement number {i} on the harbour",
                    "url": f"https://example.org/{i}",
                    "published": "2022-01-0" + str(1 + i % 9),
                    "body": f"The harbour reopened on Monday, official {i} said.\n\n"
                    f"“It is safe now. Ships may dock,” Mayor Ida Strand said in statement {i}.",
                }
            )
        )
        if bad_line and i == 3:
            lines.append("{not json")
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path


def _summary(result: FileResult) -> list[tuple]:
    """Each chunk's id, body, spans, how-codes and per-sentence (term, count) sets."""
    out = []
    for c in result.chunks:
        rows = [
            sorted((c.terms[int(t)], int(n)) for t, n in zip(c.indices[a:b], c.counts[a:b], strict=True))
            for a, b in zip(c.indptr[:-1], c.indptr[1:], strict=True)
        ]
        out.append((c.meta["article_id"], c.body, c.spans.tolist(), c.how.tolist(), rows))
    return out


def test_one_bulk_file_is_split_over_the_pool_and_joined_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    path = _bulk(corpus / "sub" / "news.jsonl.gz", 60)
    monkeypatch.setattr(bot.ingest, "BULK_BATCH_BYTES", 1500)  # many batches for 2 workers
    pooled = list(ingest_files([path], corpus, workers=2))
    alone = ingest_file(path, corpus)
    assert len(pooled) == 1 and pooled[0].rel_path == "sub/news.jsonl.gz"
    assert len(pooled[0].chunks) == 60
    assert _summary(pooled[0]) == _summary(alone)
    assert pooled[0].skipped == alone.skipped and "line 5" in pooled[0].skipped[0]
    assert pooled[0].chunks[0].meta["article_id"] == "sub/news/doc-0"


def test_bulk_and_single_files_keep_their_order_in_the_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    paths = []
    for k in range(20):
        p = corpus / f"a{k:02d}.txt"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f"Title {k}\n\nSentence {k} about ships.\n", encoding="utf-8")
        paths.append(p)
    paths.insert(7, _bulk(corpus / "b.jsonl.gz", 30, bad_line=False))
    monkeypatch.setattr(bot.ingest, "BULK_BATCH_BYTES", 2000)
    results = list(ingest_files(paths, corpus, workers=2))
    assert [r.rel_path for r in results] == [p.relative_to(corpus).as_posix() for p in paths]
    assert len(results[7].chunks) == 30


def test_refresh_after_adding_a_file_beside_a_bulk_file_does_not_reingest_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    _bulk(corpus / "news.jsonl.gz", 40)
    store = IndexStore(tmp_path / "index")
    refresh(corpus, store)
    chunked: list[str] = []
    real = bot.ingest.chunk_articles
    monkeypatch.setattr(
        bot.ingest, "chunk_articles", lambda arts, rel, *more: chunked.append(rel) or real(arts, rel, *more)
    )
    (corpus / "extra.txt").write_text(
        "Storm warning\n\nForecasters warned of a storm, the agency said.\n", encoding="utf-8"
    )
    report, incremental = refresh(corpus, store)
    assert (report.added, report.unchanged) == (1, 1)
    assert chunked == ["extra.txt"]
    _, full = refresh(corpus, IndexStore(tmp_path / "full"), force=True)
    for name in ("sent_span", "sent_how", "tf_indptr", "tf_counts", "bm25_ptr", "bm25_rows", "bm25_vals"):
        np.testing.assert_array_equal(getattr(incremental, name), getattr(full, name), err_msg=name)
    assert incremental.vocab == full.vocab and incremental.names == full.names
    assert [incremental.sentence(i) for i in range(incremental.n_sentences)] == [
        full.sentence(i) for i in range(full.n_sentences)
    ]
    assert incremental.articles == full.articles


def test_carried_articles_keep_their_speakers_and_names(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _bulk(corpus / "news.jsonl.gz", 12, bad_line=False)
    store = IndexStore(tmp_path / "index")
    _, first = refresh(corpus, store)
    (corpus / "extra.txt").write_text("Harbour news\n\n“Welcome,” Captain Ola Berg said.\n", encoding="utf-8")
    st = (corpus / "extra.txt").stat()
    os.utime(corpus / "extra.txt", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    _, second = refresh(corpus, store)

    def said(index: CorpusIndex) -> dict[str, str]:
        return {
            index.sentence(i): index.speakers[int(s)]["display"]
            for i, s in enumerate(index.sent_speaker.tolist())
            if s >= 0
        }

    assert said(first).items() <= said(second).items()
    assert "Ola Berg" in said(second)["“Welcome,” Captain Ola Berg said."]
    assert second.names["strand"] == first.names["strand"] and second.names["berg"] == 1
    assert second.article_names(second.article_ids["news/doc-0"]) == first.article_names(0)


def test_cli_refresh_indexes_a_folder_holding_a_jsonl_gz(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from bot.cli import app

    corpus = tmp_path / "corpus"
    _bulk(corpus / "news.jsonl.gz", 5, bad_line=False)
    result = CliRunner().invoke(app, ["refresh", "--corpus", str(corpus), "--index", str(tmp_path / "idx")])
    assert result.exit_code == 0, result.output
    assert "5 articles" in result.output.replace("\n", " ")
    result = CliRunner().invoke(
        app, ["ask", "What did Ida Strand say?", "--corpus", str(corpus), "--index", str(tmp_path / "idx")]
    )
    assert result.exit_code == 0 and "Ships may dock" in result.output


def test_text_with_no_sentence_ends_is_cut_into_bounded_verbatim_pieces() -> None:
    """A hostile one-line file of "the minister said …" with no full stop: pieces of at most
    MAX_SENTENCE_CHARS, cut at spaces, each verbatim, together the whole line (so attribution, which
    reads around every verb of a sentence, stays linear in the file's length)."""
    line = " ".join(["the minister said that talks will continue"] * 400)
    pieces = split_paragraph(line)
    assert len(pieces) > 1 and all(len(p) <= MAX_SENTENCE_CHARS for p in pieces)
    assert " ".join(pieces) == line and all(not p.startswith(" ") for p in pieces)
    sizes = [len(p) for p in split_paragraph("x" * (2 * MAX_SENTENCE_CHARS + 5))]
    assert sizes == [MAX_SENTENCE_CHARS, MAX_SENTENCE_CHARS, 5]
