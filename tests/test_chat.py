"""`citebot chat` on a terminal: prompt_toolkit's line editor driven through its pipe input."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from bot.chat import Chat, Reader, history_file, terminal_reader
from bot.corpus import Corpus

UP = "\x1b[A"
CTRL_C = "\x03"
CTRL_D = "\x04"
ENTER = "\r"


@pytest.fixture
def console() -> Console:
    return Console(file=io.StringIO(), width=200, highlight=False, color_system=None)


def keyed(read: Reader, pipe: PipeInput, keys: list[str]) -> Reader:
    """`read`, with the next line's key presses typed just before each prompt (then Ctrl-D)."""
    pending: Iterator[str] = iter(keys)

    def prompt(message: str) -> str:
        pipe.send_text(next(pending, CTRL_D))
        return read(message)

    return prompt


def run_chat(corpus: Corpus, console: Console, history: Path, keys: list[str]) -> str:
    with create_pipe_input() as pipe:
        read = terminal_reader(history, input=pipe, output=DummyOutput())
        Chat(corpus, console).run(keyed(read, pipe, keys))
    out = console.file
    assert isinstance(out, io.StringIO)
    return out.getvalue()


def test_arrow_up_recalls_the_last_question_and_history_is_kept(
    seed_corpus: Corpus, console: Console, tmp_path: Path
) -> None:
    history = tmp_path / "state" / "chat-history"
    text = run_chat(seed_corpus, console, history, ["What did Blinken say?" + ENTER, UP + ENTER, CTRL_D])
    assert text.count("Antony Blinken said:") == 2
    assert "What did Blinken say?" in history.read_text(encoding="utf-8")
    # A new session starts with the old one's history: arrow-up brings the question back.
    console.file = io.StringIO()
    again = run_chat(seed_corpus, console, history, [UP + ENTER, "quit" + ENTER])
    assert again.count("Antony Blinken said:") == 1


def test_ctrl_c_cancels_the_line_and_ctrl_d_leaves(
    seed_corpus: Corpus, console: Console, tmp_path: Path
) -> None:
    keys = [
        "What did Ned Price" + CTRL_C,
        "Who is Ned Price?" + ENTER,
        CTRL_D,
        "What did Blinken say?" + ENTER,
    ]
    history = tmp_path / "h"
    text = run_chat(seed_corpus, console, history, keys)
    assert "Ned Price" in text
    assert "Antony Blinken said:" not in text  # Ctrl-D ended the session before the last line
    kept = history.read_text(encoding="utf-8")
    assert (
        "Who is Ned Price?" in kept and "What did Ned Price\n" not in kept
    )  # the cancelled line was dropped


def test_help_shows_examples_that_the_corpus_answers(
    seed_corpus: Corpus, console: Console, tmp_path: Path
) -> None:
    text = run_chat(seed_corpus, console, tmp_path / "h", ["help" + ENTER, "quit" + ENTER])
    examples = [
        line.strip() for line in text.splitlines() if line.startswith("  ") and line.strip().endswith("?")
    ]
    assert examples
    for q in examples:
        assert seed_corpus.answer(q).found, q
    assert "Ctrl-D" in text


def test_history_lives_in_the_user_state_folder(isolated_env: Path) -> None:
    import os

    assert history_file().is_relative_to(Path(os.environ["XDG_STATE_HOME"]))
