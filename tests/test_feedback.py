"""Votes → question files: `citebot feedback export` over a small corpus written for the test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import build_corpus

from bot.feedback import Feedback, FileFeedback, Vote, export_rows, sentence_start
from bot.models import SentenceKey

ARTICLES = {
    "bridge.txt": (
        "Springfield opens its bridge",
        [
            "Mayor Jane Roe spoke to reporters in Springfield on Tuesday about the river bridge.",
            "“The bridge will carry twenty thousand cars a day once finished next spring,” Jane Roe said.",
        ],
    )
}


def test_sentence_start_cuts_at_a_word() -> None:
    assert sentence_start("Short one.") == "Short one."
    start = sentence_start("word " * 30)
    assert len(start) <= 60 and not start.endswith(" ") and start.split() == ["word"] * len(start.split())


def test_export_rows_keep_good_votes_once_and_bad_ones_for_review() -> None:
    text = {("a", 0, 5): "Hello there, this is a sentence.", ("a", 6, 9): "Another."}

    def sentence_of(k: SentenceKey) -> str | None:
        return text.get(k)

    up = Feedback(vote=Vote.up, question="Q1", cited=[("a", 0, 5)], user="U1")
    items = [up, up.model_copy(update={"user": "U2"}), Feedback(vote=Vote.up, question="Q2", user="U1")]
    items.append(Feedback(vote=Vote.down, question="Q3", cited=[("a", 6, 9), ("gone", 1, 2)], user="U3"))
    good, review = export_rows(items, sentence_of)
    assert good == [
        {
            "id": "feedback-001",
            "question": "Q1",
            "expect": ["Hello there, this is a sentence."],
            "article": "a",
        }
    ]
    assert [r["question"] for r in review] == ["Q3"]
    assert review[0]["cited"] == [
        {"article_id": "a", "sentence": "Another."},
        {"article_id": "gone", "sentence": None},
    ]


def test_citebot_feedback_export_writes_an_eval_set_the_eval_command_accepts(tmp_path: Path) -> None:
    corpus = build_corpus(tmp_path, ARTICLES)
    answer = corpus.answer("What did Jane Roe say?")
    assert answer.found and answer.citations
    cited = [(c.article_id, c.start, c.end) for c in answer.citations]
    store = FileFeedback(corpus.store.root / "feedback.jsonl")
    store.add(Feedback(vote=Vote.up, question=answer.question, cited=cited, user="U1"))
    store.add(Feedback(vote=Vote.down, question="Who is Jane Roe?", cited=cited[:1], user="U2"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CITEBOT_", "SLACK_"))}
    args = ["--corpus", str(tmp_path / "corpus"), "--index", str(corpus.store.root)]
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "bot", "feedback", "export", "--out", str(out), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    (row,) = [json.loads(line) for line in (out / "feedback-good.jsonl").read_text().splitlines()]
    assert row["question"] == "What did Jane Roe say?" and answer.citations[0].sentence.startswith(
        row["expect"][0]
    )
    (bad,) = [json.loads(line) for line in (out / "feedback-review.jsonl").read_text().splitlines()]
    assert (
        bad["question"] == "Who is Jane Roe?" and bad["cited"][0]["sentence"] == answer.citations[0].sentence
    )
    scored = subprocess.run(
        [sys.executable, "-m", "bot", "eval", str(out / "feedback-good.jsonl"), *args, "--min-hit1", "1.0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert scored.returncode == 0, scored.stdout + scored.stderr
