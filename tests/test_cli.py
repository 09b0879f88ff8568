"""The `citebot` command run as a subprocess, as a user (or a script) runs it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEED_ID, SEED_QUESTIONS

from bot.index_store import INDEX_DIRNAME
from bot.models import CONTRACT_CITATION_KEYS

CONTRACT_KEYS = {"question", "found", "text", "citations"}


class Run:
    """`run("ask", "Q", input=...)` → CompletedProcess of `python -m bot …` with the index in tmp."""

    def __init__(self, cwd: Path, index: Path, corpus: Path) -> None:
        self.cwd, self.index, self.corpus = cwd, index, corpus

    def __call__(
        self, *args: str, input: str | None = None, env: dict[str, str] | None = None, corpus: bool = True
    ) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "CITEBOT_INDEX_DIR": str(self.index), "COLUMNS": "200", **(env or {})}
        argv = [sys.executable, "-m", "bot", *args]
        if corpus and args and not args[0].startswith("-"):
            argv += ["--corpus", str(self.corpus)]
        proc = subprocess.run(
            argv,
            cwd=self.cwd,
            env=full_env,
            input=input if input is not None else "",
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=300,
        )
        assert "Traceback" not in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stdout, proc.stdout
        return proc


@pytest.fixture
def run(tmp_path: Path, bundled_corpus_copy: Path) -> Run:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    return Run(cwd, tmp_path / "index", bundled_corpus_copy)


def json_lines(stdout: str) -> list[dict]:
    lines = stdout.splitlines()
    assert all(line.strip() for line in lines), "blank line in --json output"
    return [json.loads(line) for line in lines]


def assert_contract(obj: dict) -> None:
    assert set(obj) == CONTRACT_KEYS
    assert isinstance(obj["question"], str) and isinstance(obj["text"], str) and obj["text"]
    assert isinstance(obj["found"], bool)
    assert obj["found"] == bool(obj["citations"])
    for c in obj["citations"]:
        assert (
            set(c)
            == CONTRACT_CITATION_KEYS
            == {"article_id", "title", "url", "published", "sentence", "score", "speaker", "start", "end"}
        )
        assert isinstance(c["sentence"], str) and isinstance(c["score"], int | float)
        assert c["speaker"] is None or isinstance(c["speaker"], str)
        assert isinstance(c["start"], int) and c["end"] - c["start"] == len(c["sentence"])


# --------------------------------------------------------------------------- ask


def test_ask_prints_the_answer_with_numbered_citations(run: Run) -> None:
    proc = run("ask", "What did Blinken say?")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("Antony Blinken said:")
    assert re.search(r"^\s*\[1\] “Good call with Turkish Foreign Minister", out, re.M)
    assert re.search(
        rf"^\s*\[1\] Çavuşoğlu, Blinken discuss Russia-Ukraine tension over phone.*{SEED_ID}", out, re.M
    )


def test_ask_several_questions_prints_each_answer(run: Run) -> None:
    proc = run("ask", "Who is Ned Price?", "What did Putin say?")
    assert proc.returncode == 0
    assert proc.stdout.index("Ned Price") < proc.stdout.index("I couldn't find that in the corpus")


def test_a_pasted_list_item_is_a_question_not_options(run: Run) -> None:
    """ "- what did Blinken say?" holds "-h" to click's eye; a word with a space is never an option."""
    proc = run("ask", "- What did Blinken say?", "--json")
    assert proc.returncode == 0, proc.stderr
    (answer,) = json_lines(proc.stdout)
    assert answer["found"] and answer["text"].startswith("Antony Blinken said:")
    assert run("ask", "--jsn", "What did Blinken say?").returncode == 2  # a mistyped option is still one


def test_ask_explain_shows_how_the_answer_was_chosen(run: Run) -> None:
    proc = run("ask", "--explain", "What did Blinken say?")
    assert proc.returncode == 0
    assert "Antony Blinken said:" in proc.stdout
    assert len(proc.stdout.splitlines()) > 4


def test_ask_json_one_contract_object_per_question_in_order(run: Run) -> None:
    questions = [
        "What did Blinken say?",
        "What did Putin say?",
        "How many troops have the Russians moved toward Ukraine?",
    ]
    proc = run("ask", "--json", *questions)
    assert proc.returncode == 0, proc.stderr
    objs = json_lines(proc.stdout)
    assert [o["question"] for o in objs] == questions
    for o in objs:
        assert_contract(o)
    assert [o["found"] for o in objs] == [True, False, True]
    first = objs[0]["citations"][0]
    assert first["article_id"] == SEED_ID
    assert first["title"] == "Çavuşoğlu, Blinken discuss Russia-Ukraine tension over phone"
    assert "Good call with Turkish Foreign Minister" in first["sentence"]
    assert "moved an estimated 100,000 troops" in objs[2]["citations"][0]["sentence"]
    assert proc.stderr == ""  # --json is quiet: no "index updated" line either


def test_ask_json_cited_sentences_are_verbatim(run: Run) -> None:
    proc = run(
        "ask", "--json", "What did Çavuşoğlu say?", "Who is Ned Price?", "What did the Foreign Ministry say?"
    )
    text = (run.corpus / f"{SEED_ID}.txt").read_text(encoding="utf-8")
    for o in json_lines(proc.stdout):
        assert o["citations"]
        for c in o["citations"]:
            assert c["sentence"] in text


def test_ask_json_reads_questions_from_stdin(run: Run) -> None:
    proc = run(
        "ask", "--json", input="What did Blinken say?\n\n   \nWho is Ned Price?\nWhat did Putin say?\n"
    )
    assert proc.returncode == 0, proc.stderr
    objs = json_lines(proc.stdout)
    assert [o["question"] for o in objs] == [
        "What did Blinken say?",
        "Who is Ned Price?",
        "What did Putin say?",
    ]
    for o in objs:
        assert_contract(o)


def test_ask_json_is_utf_8_when_the_question_is_not(run: Run) -> None:
    """Bytes that are not UTF-8 (and a NUL) on stdin are echoed as U+FFFD, never as bytes a JSON
    reader can't decode: tools are built on the contract."""
    env = {**os.environ, "CITEBOT_INDEX_DIR": str(run.index)}
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "--corpus", str(run.corpus)],
        cwd=run.cwd,
        env=env,
        input=b"What did \xff Blinken\x00 say?\n",
        capture_output=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    (obj,) = json_lines(proc.stdout.decode("utf-8"))
    assert obj["question"] == "What did \ufffd Blinken say?"
    assert obj["found"]
    assert b"Surrogate" not in proc.stderr


def test_ask_reads_questions_from_stdin_as_text(run: Run) -> None:
    proc = run("ask", input="Who is Ned Price?\n")
    assert proc.returncode == 0
    assert "Ned Price" in proc.stdout and "[1]" in proc.stdout


def test_ask_with_nothing_on_stdin_is_a_usage_error(run: Run) -> None:
    proc = run("ask", "--json", input="\n  \n")
    assert proc.returncode == 2
    assert "no questions" in proc.stderr
    assert proc.stdout == ""


# --------------------------------------------------------------------------- bad questions


BAD = {
    "empty": "",
    "blank": "   ",
    "punctuation": "?!?...",
    "emoji": "😀🎉🙂",
    "40000 chars": "What did Blinken say about " + "Ukraine " * 5000,
}


@pytest.mark.parametrize("question", BAD.values(), ids=BAD.keys())
def test_bad_question_gets_a_clear_message_and_exit_2(run: Run, question: str) -> None:
    proc = run("ask", question)
    assert proc.returncode == 2
    assert re.search(r"Please ask a question in words|too long", proc.stdout)
    assert "[1]" not in proc.stdout


@pytest.mark.parametrize("question", BAD.values(), ids=BAD.keys())
def test_bad_question_in_json_mode_is_still_one_contract_object(run: Run, question: str) -> None:
    proc = run("ask", "--json", question, "What did Blinken say?")
    assert proc.returncode == 2
    objs = json_lines(proc.stdout)
    assert len(objs) == 2
    for o in objs:
        assert_contract(o)
    assert objs[0]["found"] is False and objs[1]["found"] is True
    assert len(objs[0]["question"]) <= 1000  # a 40,000-character question is not echoed back whole


def test_too_long_question_says_how_long(run: Run) -> None:
    proc = run("ask", "x" * 40_000)
    assert proc.returncode == 2
    assert "40,000 characters" in proc.stdout


@pytest.mark.parametrize(
    "question",
    [
        "Что сказал Blinken?",
        "What did Блинкен say?",
        "布林肯说了什么？",
        "Çavuşoğlu ne dedi?",
        "ما الذي قاله Blinken؟",
    ],
)
def test_mixed_scripts_answer_or_decline_cleanly(run: Run, question: str) -> None:
    proc = run("ask", "--json", question)
    assert proc.returncode == 0
    (obj,) = json_lines(proc.stdout)
    assert_contract(obj)
    assert obj["question"] == question
    text_proc = run("ask", question)
    assert text_proc.returncode == 0 and text_proc.stdout.strip()


# --------------------------------------------------------------------------- usage and corpus errors


def test_unknown_flag_is_a_usage_error(run: Run) -> None:
    proc = run("ask", "--bogus", "What did Blinken say?")
    assert proc.returncode == 2
    assert "No such option" in proc.stderr and "--bogus" in proc.stderr
    assert proc.stdout == ""


def test_unknown_command_is_a_usage_error(run: Run) -> None:
    proc = run("frobnicate", corpus=False)
    assert proc.returncode == 2
    assert "No such command" in proc.stderr


@pytest.mark.parametrize("command", [["ask", "What did Blinken say?"], ["status"], ["refresh"], ["chat"]])
def test_nonexistent_corpus_exits_1_with_a_clear_line(run: Run, tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "no-such-corpus"
    proc = run(*command, "--corpus", str(missing), corpus=False)
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"error: corpus folder {missing} does not exist"
    assert not missing.exists()


def test_nonexistent_corpus_from_the_environment(run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-corpus"
    proc = run("ask", "What did Blinken say?", corpus=False, env={"CITEBOT_CORPUS_DIR": str(missing)})
    assert proc.returncode == 1
    assert f"corpus folder {missing} does not exist" in proc.stderr


def test_corpus_without_articles_exits_1(run: Run, tmp_path: Path) -> None:
    empty = tmp_path / "empty-corpus"
    empty.mkdir()
    proc = run("ask", "What did Blinken say?", "--corpus", str(empty), corpus=False)
    assert proc.returncode == 1
    assert "holds no readable articles" in proc.stderr


def test_unusable_index_folder_is_a_clear_error(run: Run, tmp_path: Path) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder", encoding="utf-8")
    proc = run("ask", "What did Blinken say?", "--index", str(a_file / "idx"))
    assert proc.returncode == 1
    assert proc.stderr.startswith("error:")


# --------------------------------------------------------------------------- refresh, status, index location


def test_refresh_prints_counts_then_up_to_date(run: Run) -> None:
    first = run("refresh")
    assert first.returncode == 0, first.stderr
    assert re.search(
        r"index updated: 1 added, 0 changed, 0 removed, 0 unchanged, 0 skipped; 1 articles", first.stdout
    )
    second = run("refresh")
    assert second.returncode == 0
    assert re.search(
        r"index up to date: 0 added, 0 changed, 0 removed, 1 unchanged, 0 skipped", second.stdout
    )
    forced = run("refresh", "--force")
    assert "index updated: 1 added" in forced.stdout


def test_refresh_reports_changes_and_skipped_files(run: Run, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(run.corpus, corpus)
    assert run("refresh", "--corpus", str(corpus), corpus=False).returncode == 0
    (corpus / "new.txt").write_text("Storm warning\n\nForecasters warned of a storm.\n", encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    proc = run("refresh", "--corpus", str(corpus), corpus=False)
    assert proc.returncode == 0
    assert re.search(  # each file once: new.txt added, the seed unchanged, empty.txt skipped
        r"index updated: 1 added, 0 changed, 0 removed, 1 unchanged, 1 skipped; 2 articles", proc.stdout
    )
    assert re.search(r"skipped.*empty\.txt: empty file", proc.stderr)
    (corpus / "new.txt").unlink()
    proc = run("refresh", "--corpus", str(corpus), corpus=False)
    assert "0 added, 0 changed, 1 removed" in proc.stdout


def test_status_describes_the_index(run: Run) -> None:
    assert run("refresh", "--no-fetch").returncode == 0
    proc = run("status")
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"^pending:\s+nothing to do$", proc.stdout, re.M)
    assert re.search(r"^articles:\s+1$", proc.stdout, re.M)
    assert re.search(r"^sentences:\s+\d+$", proc.stdout, re.M)
    assert re.search(rf"^index:\s+{re.escape(str(run.index))}$", proc.stdout, re.M)
    assert re.search(r"^skipped:\s+0 file\(s\)$", proc.stdout, re.M)


def test_status_never_builds_or_updates_the_index_and_says_what_a_refresh_would_do(
    run: Run, tmp_path: Path
) -> None:
    from bot.index_store import IndexStore

    corpus = tmp_path / "writable-corpus"
    shutil.copytree(run.corpus, corpus)
    run = Run(run.cwd, run.index, corpus)
    proc = run("status")
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"^built:\s+no usable index \(no index in ", proc.stdout, re.M)
    assert re.search(r"^pending:\s+1 to add \(\S+\)$", proc.stdout, re.M)
    store = IndexStore(run.index)
    assert store.current_version() is None
    assert run("refresh", "--no-fetch").returncode == 0
    version = store.current_version()
    (run.corpus / "new.txt").write_text("Harbour news\n\nThe harbour reopened on Monday.\n", encoding="utf-8")
    with store.lock():  # a refresh holding the lock does not stop, nor delay, status
        proc = run("status")
    assert proc.returncode == 0, proc.stderr
    assert "waiting" not in proc.stderr and "index updated" not in proc.stderr
    assert re.search(r"^articles:\s+1$", proc.stdout, re.M)
    assert re.search(r"^pending:\s+1 to add \(new\.txt\)$", proc.stdout, re.M)
    assert store.current_version() == version


def test_index_option_overrides_environment_and_default(run: Run, tmp_path: Path) -> None:
    corpus = tmp_path / "writable-corpus"
    shutil.copytree(run.corpus, corpus)
    chosen = tmp_path / "chosen-index"
    proc = run("ask", "What did Blinken say?", "--corpus", str(corpus), "--index", str(chosen), corpus=False)
    assert proc.returncode == 0
    assert (chosen / "CURRENT").is_file()
    assert not (corpus / INDEX_DIRNAME).exists()
    assert not run.index.exists()  # CITEBOT_INDEX_DIR lost to --index


def test_index_dir_from_the_environment(run: Run, tmp_path: Path) -> None:
    corpus = tmp_path / "writable-corpus"
    shutil.copytree(run.corpus, corpus)
    proc = run("ask", "What did Blinken say?", "--corpus", str(corpus), corpus=False)
    assert proc.returncode == 0
    assert (run.index / "CURRENT").is_file()
    assert not (corpus / INDEX_DIRNAME).exists()


def test_default_index_is_inside_a_writable_corpus(run: Run, tmp_path: Path) -> None:
    corpus = tmp_path / "writable-corpus"
    shutil.copytree(run.corpus, corpus)
    env = {k: v for k, v in os.environ.items() if k != "CITEBOT_INDEX_DIR"}
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--corpus", str(corpus), "What did Blinken say?"],
        cwd=run.cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert (corpus / INDEX_DIRNAME / "CURRENT").is_file()


def test_corpus_from_the_environment(run: Run) -> None:
    proc = run("status", corpus=False, env={"CITEBOT_CORPUS_DIR": str(run.corpus)})
    assert proc.returncode == 0
    assert re.search(rf"^corpus:\s+{re.escape(str(run.corpus.resolve()))}$", proc.stdout, re.M)


# --------------------------------------------------------------------------- eval


needs_seed_questions = pytest.mark.skipif(
    not SEED_QUESTIONS.is_file(), reason=f"{SEED_QUESTIONS} not present"
)


@needs_seed_questions
def test_eval_prints_hit_rates_and_declines(run: Run) -> None:
    proc = run("eval", str(SEED_QUESTIONS))
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"^questions: 15 \(12 answerable, 3 to decline\)", proc.stdout, re.M)
    assert re.search(r"^hit@1:\s+\d+/12 \(\d+%\)$", proc.stdout, re.M)
    assert re.search(r"^hit@3:\s+\d+/12 \(\d+%\)$", proc.stdout, re.M)
    assert re.search(r"^declined:\s+\d/3$", proc.stdout, re.M)


@pytest.mark.parametrize(
    ("option", "value"), [("--min-hit1", "1.1"), ("--min-declined", "-0.1"), ("--min-hit1", "85")]
)
def test_eval_threshold_outside_0_to_1_is_a_usage_error(
    run: Run, tmp_path: Path, option: str, value: str
) -> None:
    qfile = tmp_path / "q.jsonl"
    qfile.write_text('{"question": "What did Blinken say?", "expect": ["Good call"]}\n', encoding="utf-8")
    proc = run("eval", str(qfile), option, value)
    assert proc.returncode == 2
    assert f"Invalid value for '{option}'" in proc.stderr
    assert "hit@1" not in proc.stdout  # refused before any question is asked


@needs_seed_questions
def test_eval_at_or_above_threshold_exits_0(run: Run) -> None:
    proc = run("eval", str(SEED_QUESTIONS), "--min-hit1", "0.5", "--min-declined", "0")
    assert proc.returncode == 0


def test_eval_on_a_small_question_file(run: Run, tmp_path: Path) -> None:
    qfile = tmp_path / "q.jsonl"
    qfile.write_text(
        json.dumps({"id": "a", "question": "What did Blinken say?", "expect": ["Good call with Turkish"]})
        + "\n"
        + json.dumps({"id": "b", "question": "What did Putin say?", "expect": []})
        + "\n"
        + json.dumps({"id": "c", "question": "Who is Ned Price?", "expect": ["no such sentence anywhere"]})
        + "\n",
        encoding="utf-8",
    )
    proc = run("eval", str(qfile), "--min-hit1", "0.5", "--min-declined", "1")
    assert proc.returncode == 0
    assert re.search(r"^hit@1:\s+1/2 \(50%\)$", proc.stdout, re.M)
    assert re.search(r"^declined:\s+1/1$", proc.stdout, re.M)
    assert re.search(r"^miss c: Who is Ned Price\?", proc.stdout, re.M)
    assert run("eval", str(qfile), "--min-hit1", "0.6").returncode == 1


def test_eval_bad_question_file_exits_1(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "What did Blinken say?"}\nnot json\n', encoding="utf-8")
    proc = run("eval", str(bad))
    assert proc.returncode == 1
    assert "bad.jsonl: line 2: not JSON" in proc.stderr
    proc = run("eval", str(tmp_path / "missing.jsonl"))
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: cannot read")


def test_eval_empty_or_binary_question_file_fails_naming_it(run: Run, tmp_path: Path) -> None:
    """No questions is no pass: a gate run on an empty file would pass whatever the answers."""
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n  \n", encoding="utf-8")
    proc = run("eval", str(empty), "--min-hit1", "0.9")
    assert proc.returncode == 1
    assert "empty.jsonl: no questions in it" in proc.stderr
    binary = tmp_path / "random.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    proc = run("eval", str(binary))
    assert proc.returncode == 1
    assert "random.bin: not UTF-8 text" in proc.stderr


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ('{"question": "Who is Ned Price?", "expect": "Ned Price"}', "expect must be a list"),
        ('{"expect": ["x"]}', "question is missing"),
        ('{"question": "Who?", "expect": [3]}', "expect[0] must be a string"),
        ('["Who is Ned Price?"]', "the record must be an object"),
    ],
)
def test_eval_bad_record_is_one_line_naming_line_and_field(
    run: Run, tmp_path: Path, record: str, problem: str
) -> None:
    bad = tmp_path / "bad.jsonl"
    lines = ['{"question": "What did Blinken say?", "expect": ["Good call"]}'] * 11 + [record]
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = run("eval", str(bad))
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"error: {bad}: line 12: {problem}"


# --------------------------------------------------------------------------- chat


def test_chat_answers_then_quits(run: Run) -> None:
    proc = run("chat", input="What did Blinken say?\nquit\n")
    assert proc.returncode == 0, proc.stderr
    assert "1 articles loaded" in proc.stdout
    assert "Antony Blinken said:" in proc.stdout
    assert "Good call with Turkish Foreign Minister" in proc.stdout


def test_chat_ends_at_end_of_input_and_skips_blank_lines(run: Run) -> None:
    proc = run("chat", input="\n\nWho is Ned Price?\n")
    assert proc.returncode == 0
    assert "Ned Price" in proc.stdout


def test_chat_follow_up_pronoun_refers_to_the_last_subject(run: Run) -> None:
    proc = run("chat", input="Who is Ned Price?\nWhat did he say?\nquit\n")
    assert proc.returncode == 0
    assert "Ned Price said:" in proc.stdout


def test_chat_bad_input_does_not_end_the_session(run: Run) -> None:
    proc = run("chat", input="?!?\n" + "x" * 40_000 + "\nWhat did Blinken say?\nexit\n")
    assert proc.returncode == 0
    assert "Please ask a question in words" in proc.stdout
    assert "too long" in proc.stdout
    assert "Antony Blinken said:" in proc.stdout


# --------------------------------------------------------------------------- help


def test_python_m_bot_help_lists_the_commands(run: Run) -> None:
    proc = run("--help")
    assert proc.returncode == 0
    for command in ["ask", "chat", "refresh", "status", "eval"]:
        assert re.search(rf"\b{command}\b", proc.stdout)


def test_no_arguments_shows_help(run: Run) -> None:
    proc = run(corpus=False)
    assert "Usage" in proc.stdout + proc.stderr


def test_citebot_script_help() -> None:
    script = Path(sys.executable).with_name("citebot")
    if not script.exists():
        pytest.skip(f"no citebot script beside {sys.executable} (package not installed in this venv)")
    proc = subprocess.run(
        [str(script), "--help"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert proc.returncode == 0
    assert "Usage: citebot" in proc.stdout
    for command in ["ask", "chat", "refresh", "status", "eval"]:
        assert command in proc.stdout


@pytest.mark.parametrize("command", ["ask", "chat", "refresh", "status", "eval"])
def test_each_command_has_help_with_corpus_and_index_options(run: Run, command: str) -> None:
    proc = run(command, "--help", corpus=False)
    assert proc.returncode == 0
    assert "--corpus" in proc.stdout and "--index" in proc.stdout


# --------------------------------------------------------------------------- habits (issue 13)


def _registered_commands() -> list[str]:
    import typer

    from bot.cli import app

    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


def test_top_level_help_lists_every_registered_command(run: Run) -> None:
    commands = _registered_commands()
    assert {"ask", "chat", "refresh", "status", "eval", "serve", "sources"} <= set(commands)
    for flag in ("--help", "-h"):
        proc = run(flag)
        assert proc.returncode == 0
        listed = re.findall(r"^  (\w+)\s", proc.stdout.split("Commands:")[1], re.M)
        assert sorted(listed) == commands


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(run: Run, flag: str) -> None:
    from bot import __version__

    proc = run(flag)
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"citebot {__version__}"


@pytest.mark.parametrize(
    "command", [[], ["ask"], ["eval"], ["refresh"], ["serve"], ["sources"], ["sources", "add"]]
)
def test_help_has_no_type_noise_and_takes_h(run: Run, command: list[str]) -> None:
    proc = run(*command, "-h", corpus=False)
    assert proc.returncode == 0, proc.stderr
    assert "Usage:" in proc.stdout
    assert "<bool>" not in proc.stdout and "[OPTIONS]" in proc.stdout


def test_importing_the_cli_loads_neither_fetching_nor_slack() -> None:
    code = (
        "import sys, bot.cli; "
        "heavy = {'httpx', 'filelock', 'slack_bolt', 'slack_sdk', 'feedparser', 'trafilatura', "
        "'prompt_toolkit'}; "
        "print([m for m in sys.modules if m.split('.')[0] in heavy or m.startswith('bot.sources')])"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def _without_index_env(run: Run) -> dict[str, str]:
    """The test environment without `Run`'s CITEBOT_INDEX_DIR: the bundled corpus picks its index."""
    return {k: v for k, v in os.environ.items() if k != "CITEBOT_INDEX_DIR"}


def test_bundled_corpus_answers_where_there_is_no_corpus_folder(run: Run) -> None:
    assert not (run.cwd / "corpus").exists()
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "What did Blinken say?"],
        cwd=run.cwd,
        env=_without_index_env(run),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Antony Blinken said:" in proc.stdout
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "status"],
        cwd=run.cwd,
        env=_without_index_env(run),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"^corpus: .*bundled.* \(bundled\)$", proc.stdout, re.M)
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "citebot" / "indexes"
    assert re.search(rf"^index:\s+{re.escape(str(cache))}/", proc.stdout, re.M)
    assert re.search(r"^built: ", proc.stdout, re.M)


@pytest.mark.parametrize("command", [["refresh"], ["refresh", "--no-fetch"], ["sources", "list"]])
def test_refresh_and_sources_refuse_the_bundled_corpus_in_one_line(run: Run, command: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bot", *command],
        cwd=run.cwd,
        env=_without_index_env(run),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip() == "error: the bundled corpus is read-only; pass --corpus DIR"


def test_local_corpus_folder_wins_over_the_bundled_one(run: Run) -> None:
    shutil.copytree(run.corpus, run.cwd / "corpus")
    proc = run("status", corpus=False)
    assert proc.returncode == 0, proc.stderr
    assert re.search(rf"^corpus:\s+{re.escape(str(run.cwd / 'corpus'))}$", proc.stdout, re.M)
    assert run("refresh", "--no-fetch", corpus=False).returncode == 0


def _default_sigint() -> None:
    """In the child: Ctrl-C's default, even when pytest runs in the background (SIGINT ignored),
    so Python turns it into KeyboardInterrupt as it does in a terminal."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_a_refresh_waiting_for_the_lock_says_so_and_ctrl_c_keeps_the_old_index(run: Run) -> None:
    import signal
    import time

    from bot.index_store import IndexStore

    assert run("refresh", "--no-fetch").returncode == 0
    store = IndexStore(run.index)
    before = store.current_version()
    (run.corpus.parent / "extra").mkdir(exist_ok=True)
    corpus = run.corpus.parent / "extra" / "corpus"
    shutil.copytree(run.corpus, corpus)
    (corpus / "new.txt").write_text("Harbour news\n\nThe harbour reopened on Monday.\n", encoding="utf-8")
    with store.lock():  # another refresh, as far as the new one can tell
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "refresh", "--no-fetch", "--corpus", str(corpus)],
            env={**os.environ, "CITEBOT_INDEX_DIR": str(run.index)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=_default_sigint,
        )
        assert proc.stderr is not None
        line = proc.stderr.readline()  # bounded by the subprocess: it prints this, then waits
        assert "waiting for another refresh" in line, line
        time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        _, rest = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert rest.strip() == "error: interrupted; the previous index is still in use"
    assert store.current_version() == before
    assert store.load_current().manifest.articles == 1
    # recorded, so status does not go on showing the run before as the last one
    from bot.refresh_outcome import read_outcome

    outcome = read_outcome(run.index)
    assert outcome is not None and outcome.interrupted and not outcome.ok and not outcome.published
    status = run("status", "--corpus", str(corpus), corpus=False, env={"CITEBOT_INDEX_DIR": str(run.index)})
    assert re.search(r"^refreshed: .* UTC: interrupted: interrupted; the previous index", status.stdout, re.M)


def test_ctrl_c_before_any_index_exists_says_none_was_built(run: Run) -> None:
    import signal
    import time

    from bot.index_store import IndexStore

    store = IndexStore(run.index)
    with store.lock():
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "ask", "What did Blinken say?", "--corpus", str(run.corpus)],
            env={**os.environ, "CITEBOT_INDEX_DIR": str(run.index)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=_default_sigint,
        )
        assert proc.stderr is not None
        assert "waiting for another refresh" in proc.stderr.readline()
        time.sleep(0.2)
        proc.send_signal(signal.SIGINT)
        out, rest = proc.communicate(timeout=30)
    assert proc.returncode == 130 and out == ""
    assert rest.strip() == "error: interrupted; no index was built"
    assert store.current_version() is None


# --------------------------------------------------------------------------- hostile input (issue 11)


def test_corpus_text_and_paths_print_as_text_never_markup_or_escapes(run: Run, tmp_path: Path) -> None:
    """Before: `[/yellow]` in a path crashed refresh (MarkupError) after publishing; ANSI reached stdout."""
    corpus = tmp_path / "corpus"
    folder = corpus / "[bold]" / "[/yellow]"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(
        "Harbour :x: [red]news[/red]\n\n"
        "Mayor Ida Strand said the \x1b[31mharbour\x1b[0m :x: would reopen.\x07\n",
        encoding="utf-8",
    )
    (folder / "b.json").write_text("{}", encoding="utf-8")
    proc = run("refresh", "--corpus", str(corpus), corpus=False)
    assert proc.returncode == 0, proc.stderr
    assert "skipped [bold]/[/yellow]/b.json: no article text" in proc.stderr
    proc = run("ask", "What did Ida Strand say about the harbour?", "--corpus", str(corpus), corpus=False)
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout and "\x07" not in proc.stdout
    assert "the harbour :x: would reopen." in proc.stdout and "Harbour :x: [red]news[/red]" in proc.stdout
    assert "([bold]/[/yellow]/a)" in proc.stdout


def test_render_strips_control_characters_from_any_answer() -> None:
    """Even text that did not come through the parser (an index built before) reaches no terminal raw."""
    from io import StringIO

    from rich.console import Console

    from bot.models import Answer, Citation
    from bot.terminal import render

    cite = Citation(
        article_id="x/[/yellow]",
        title="T \x1b]0;owned\x07:x:",
        url="https://e.org/\x1b[2J",
        sentence="s",
        score=1.0,
    )
    answer = Answer(
        question="q", found=True, text="Said:\n[1] \x1b[31mred\x1b[0m :x: [/dim]", citations=[cite]
    )
    buf = StringIO()
    render(answer, Console(file=buf, force_terminal=False, width=200))
    text = buf.getvalue()
    assert "\x1b" not in text and "\x07" not in text
    assert "[1] red :x: [/dim]" in text and "T :x:" in text and "(x/[/yellow])" in text


def test_a_garbled_index_folder_is_rebuilt_without_a_traceback(run: Run, tmp_path: Path) -> None:
    """Before: garbling every file (CURRENT and the lock included) gave a UnicodeDecodeError traceback."""
    assert run("refresh").returncode == 0
    for path in [p for p in run.index.rglob("*") if p.is_file()]:
        path.write_bytes(b"\xff\xfe\x80 garbage \x00" * 50)
    proc = run("ask", "What did Blinken say?")  # Run asserts there is no traceback
    assert proc.returncode == 0, proc.stderr
    assert "[1]" in proc.stdout


def test_ask_answers_from_the_last_good_index_when_the_refresh_cannot_run(run: Run, tmp_path: Path) -> None:
    """A stale index with the lock held by a hung refresh: `ask` answers and says why, once, on stderr."""
    corpus = tmp_path / "corpus"
    shutil.copytree(run.corpus, corpus)
    assert run("refresh", "--corpus", str(corpus), corpus=False).returncode == 0
    (corpus / "new.txt").write_text("Storm warning\n\nForecasters warned of a storm.\n", encoding="utf-8")
    code = (
        "import sys, time\nfrom filelock import FileLock\n"
        "lock = FileLock(sys.argv[1])\nlock.acquire()\nprint('held', flush=True)\ntime.sleep(60)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(run.index / ".lock")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        proc = run("ask", "What did Blinken say?", "--corpus", str(corpus), corpus=False)
    finally:
        holder.kill()
        holder.wait(10)
    assert proc.returncode == 0, proc.stderr
    assert "[1]" in proc.stdout
    assert proc.stderr.count("stale index: answering from the last good index") == 1
    assert "another refresh has held the index lock for over 5s" in proc.stderr


def test_corpus_that_is_a_file_says_it_must_be_a_folder(run: Run) -> None:
    seed = run.corpus / f"{SEED_ID}.txt"
    proc = run("refresh", "--corpus", str(seed), corpus=False)
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"error: corpus {seed} must be a folder of article files, not a file"


def test_refresh_reports_pdf_and_docx_files_and_counts_each_file_once(run: Run, tmp_path: Path) -> None:
    """Before: "3 added … 2 skipped; 1 articles", the .pdf and .docx not mentioned."""
    corpus = tmp_path / "corpus"
    shutil.copytree(run.corpus, corpus)
    (corpus / "a.pdf").write_bytes(b"%PDF-1.4")
    (corpus / "b.docx").write_bytes(b"PK\x03\x04")
    (corpus / "c.json").write_text("{}", encoding="utf-8")
    (corpus / "d.txt").write_bytes(b"")
    proc = run("refresh", "--corpus", str(corpus), corpus=False)
    assert proc.returncode == 0, proc.stderr
    assert "index updated: 1 added, 0 changed, 0 removed, 0 unchanged, 4 skipped; 1 articles" in proc.stdout
    assert "skipped a.pdf: unsupported file type: .pdf files are not read" in proc.stderr
    assert "skipped b.docx: unsupported file type: .docx files are not read" in proc.stderr


def test_refresh_of_an_empty_corpus_writes_nothing_into_it(run: Run, tmp_path: Path) -> None:
    """Not even the failed refresh's outcome: its index folder would be inside the corpus."""
    empty = tmp_path / "empty-corpus"
    empty.mkdir()
    inside = empty / ".citebot-index"  # where the index of a writable corpus goes by default
    proc = run("refresh", "--no-fetch", "--corpus", str(empty), "--index", str(inside), corpus=False)
    assert proc.returncode == 1 and "holds no readable articles" in proc.stderr
    assert list(empty.iterdir()) == []
