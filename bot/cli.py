"""The `citebot` command: the Typer app, and the commands that read or index a corpus.

Commands owned elsewhere live in modules of their own with a `register(app)` function, listed in
`COMMAND_MODULES` (one line each); they share `bot.console` and never import this module.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from bot import __version__
from bot.console import (
    INTERRUPTED,
    INTERRUPTED_FIRST,
    corpus_settings,
    err,
    fail,
    indexing,
    new_corpus,
    open_corpus,
    out,
    summary,
    waiting,
)
from bot.corpus_settings import BUNDLED_READ_ONLY
from bot.options import CorpusOpt, IndexOpt
from bot.refresh_outcome import describe, read_outcome, record
from bot.terminal import line, plain, render

if TYPE_CHECKING:
    from bot.corpus import Corpus
    from bot.sources import FetchReport

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,  # plain help: no `<bool>` beside every flag
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Answer questions about a corpus of news articles with cited, verbatim sentences.",
)


def _version(value: bool) -> None:
    if value:
        out.print(f"citebot {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Answer questions about a corpus of news articles with cited, verbatim sentences."""


def lazy_group(target: str) -> type[TyperGroup]:
    """A command group whose module is imported only when the group is used (`module:typer_app`).

    `citebot ask` then never imports what `citebot sources` needs (httpx, feed parsing, locks).
    """

    # Typer vendors click privately, hence `Any` for its context and command types here.
    class LazyGroup(TyperGroup):
        def _loaded(self) -> TyperGroup:
            module, attr = target.split(":")
            group = typer.main.get_command(getattr(importlib.import_module(module), attr))
            assert isinstance(group, TyperGroup)
            return group

        def list_commands(self, ctx: Any) -> list[str]:
            return list(self._loaded().list_commands(ctx))

        def get_command(self, ctx: Any, cmd_name: str) -> Any:
            return self._loaded().get_command(ctx, cmd_name)

    return LazyGroup


@app.command()
def ask(
    questions: Annotated[
        list[str] | None,
        typer.Argument(
            help="Question(s); none = one per stdin line.", metavar="QUESTION", show_default=False
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per question per line.")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Show how the answer was chosen.")] = False,
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
) -> None:
    """Answer questions with cited sentences from the corpus."""
    if not questions:
        if sys.stdin.isatty():
            raise fail('give a question, e.g. citebot ask "What did Blinken say?"', 2)
        questions = [line.rstrip("\n") for line in sys.stdin if line.strip()]
        if not questions:
            raise fail("no questions on standard input", 2)
    c = open_corpus(corpus, index, quiet=as_json)
    bad = False
    for q in questions:
        answer = c.answer(q)
        bad |= answer.kind in {"empty", "too_long"}
        if as_json:
            sys.stdout.write(json.dumps(answer.contract(), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            render(answer, out)
            if explain:
                from bot.answering.explain import explain as explain_answer

                explain_answer(c.snapshot.answerer, q, out)
            if len(questions) > 1:
                out.print()
    if bad:
        raise typer.Exit(2)


@app.command()
def refresh(
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild everything from the files.")] = False,
    no_fetch: Annotated[bool, typer.Option("--no-fetch", help="Do not pull sources.toml's sources.")] = False,
) -> None:
    """Pull new articles from the corpus's sources (if any), then bring the index up to date."""
    settings = corpus_settings(corpus, index)
    if settings.bundled:
        raise fail(BUNDLED_READ_ONLY)
    c = new_corpus(settings)
    from bot.refresh import CorpusError, check_corpus_dir

    try:
        check_corpus_dir(c.corpus_dir)  # before fetching: a file or a typo is not a corpus to fetch into
    except CorpusError as exc:
        _record_failure(c, None, str(exc))
        raise fail(str(exc)) from None
    from bot.follow.cli import attach_digests

    attach_digests(c, out)  # follow digests: posted after publishing with SLACK_BOT_TOKEN, else recorded
    fetched = None
    if not no_fetch:
        from bot.sources import fetch_sources  # httpx and friends: only a fetch needs them
        from bot.sources.commands import print_fetch_report

        try:
            with err.status("fetching sources"):
                fetched = fetch_sources(c.corpus_dir)
        except KeyboardInterrupt:
            _record_failure(c, None, f"{INTERRUPTED} (while fetching sources)", interrupted=True)
            raise fail(INTERRUPTED, 130) from None
        print_fetch_report(fetched, out, err)
    with indexing(c) as progress:
        try:
            report = c.refresh(force=force, progress=progress, on_wait=waiting(c))
        except (CorpusError, OSError) as exc:
            _record_failure(c, fetched, str(exc))  # what every replica's /healthz reports
            raise
        except KeyboardInterrupt:
            # nothing was published (a new index is swapped in whole), but the run is recorded, so
            # `status` and /healthz do not go on reporting the run before as the last one
            why = INTERRUPTED if c.store.current_version() else INTERRUPTED_FIRST
            _record_failure(c, fetched, why, interrupted=True)
            raise
    record(c.store.root, report, fetched)
    out.print(plain(("index updated: " if report.published else "index up to date: ") + summary(report)))
    for text in report.names_lines():
        out.print(plain(f"  {text}"))
    for _rel, reasons in sorted(report.skipped.items()):
        for reason in reasons:
            err.print(line(("skipped", "yellow"), " ", reason))
    if report.notes_summary():
        err.print(line(("warning:", "yellow"), " ", report.notes_summary() or ""))
    out.print(plain(f"index: {c.store.root}", "dim"))


def _record_failure(c: Corpus, fetched: FetchReport | None, error: str, *, interrupted: bool = False) -> None:
    """Record a failed refresh, but never by creating an index folder inside the corpus: a
    corpus that is missing, empty or holds no article gets nothing written into it."""
    root = c.store.root
    if root.exists() or not root.is_relative_to(c.corpus_dir):
        record(root, None, fetched, error, interrupted=interrupted)


@app.command()
def status(corpus: CorpusOpt = None, index: IndexOpt = None) -> None:
    """Show which corpus answers and its index (size, when it was built, skipped files) and what a
    refresh would change. Read-only: it never builds or updates the index, nor takes its lock."""
    from bot.index import IndexUnusable
    from bot.refresh import CorpusError, check_corpus_dir, plan_refresh

    settings = corpus_settings(corpus, index)
    c = new_corpus(settings)
    try:
        check_corpus_dir(c.corpus_dir)
    except CorpusError as exc:
        raise fail(str(exc)) from None
    head = f"corpus:    {settings.describe()}\nindex:     {c.store.root}\n"
    try:
        idx = c.store.load_current()
    except IndexUnusable as exc:
        idx = None
        out.print(plain(f"{head}built:     no usable index ({exc})"))
    if idx is not None:
        m = idx.manifest
        age = time.time() - m.built_at.timestamp()
        out.print(
            plain(
                f"{head}articles:  {m.articles}\nsentences: {m.sentences}\ntokens:    {m.tokens}\n"
                f"built:     {m.built_at:%Y-%m-%d %H:%M:%S} UTC ({age / 60:.0f} min ago)\n"
                f"skipped:   {len(m.skipped)} file(s)"
            )
        )
    try:
        pending = plan_refresh(idx, c.corpus_dir, allow_outside_links=c.allow_outside_links).summary()
    except OSError as exc:
        pending = f"unknown: the corpus folder cannot be read: {exc.strerror or exc}"
    out.print(plain(f"pending:   {pending}"))
    last = read_outcome(c.store.root)
    out.print(plain(f"refreshed: {describe(last) if last else 'no refresh job has run'}"))  # names: no markup
    if not settings.bundled:
        from bot.sources.commands import print_sources_status

        print_sources_status(c.corpus_dir, out)


@app.command("eval")
def eval_cmd(
    file: Annotated[
        Path,
        typer.Argument(
            help="Question file (JSON Lines: question, expect).", metavar="FILE", show_default=False
        ),
    ],
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    min_hit1: Annotated[
        float | None, typer.Option("--min-hit1", min=0, max=1, help="Fail below this hit@1 share (0-1).")
    ] = None,
    min_declined: Annotated[
        float | None,
        typer.Option("--min-declined", min=0, max=1, help="Fail below this declined share (0-1)."),
    ] = None,
) -> None:
    """Score answers against a question file: hit@1, hit@3, declines, per type, and each miss."""
    from bot.evaluation import evaluate, load_questions

    try:
        items = load_questions(file)
    except OSError as exc:
        raise fail(f"cannot read {file}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise fail(str(exc)) from None
    c = open_corpus(corpus, index)
    t0 = time.perf_counter()
    report = evaluate(items, c.answer)
    secs = time.perf_counter() - t0
    n_ans, n_dec = len(report.answerable), len(report.unanswerable)
    h1, h3, dec = report.hits(1), report.hits(3), report.declined
    out.print(f"questions: {len(items)} ({n_ans} answerable, {n_dec} to decline) in {secs:.2f}s")
    out.print(f"hit@1:    {h1}/{n_ans} ({h1 / max(n_ans, 1):.0%})")
    out.print(f"hit@3:    {h3}/{n_ans} ({h3 / max(n_ans, 1):.0%})")
    out.print(f"declined: {dec}/{n_dec}")
    out.print(
        "by type:  " + "; ".join(f"{t} {a}/{c_} (@3 {b})" for t, (a, b, c_) in report.by_type().items())
    )
    for r in report.results:
        if r.ok:
            continue
        label = r.item.id or r.item.question
        if r.item.expect:
            got = r.answer.citations[0].sentence[:140] if r.answer.citations else r.answer.text[:140]
            out.print(
                line(("miss", "red"), f" {label}: {r.item.question}\n     rank={r.hit_rank} got: {got}")
            )
        else:
            got = r.answer.citations[0].sentence[:140] if r.answer.citations else ""
            out.print(line(("should decline", "red"), f" {label}: {r.item.question}\n     got: {got}"))
    failed = (min_hit1 is not None and h1 < min_hit1 * n_ans) or (
        min_declined is not None and dec < min_declined * n_dec
    )
    if failed:
        raise fail("below the --min-hit1 / --min-declined threshold")


#: Modules whose `register(app)` adds their commands, in help order: one line each.
COMMAND_MODULES = (
    "bot.chat",
    "bot.slack.command",
    "bot.feedback_cli",
    "bot.follow.cli",
    "bot.quotes_cli",
)

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)
# Imported only when used: `citebot sources …` needs httpx and feed parsing, nothing else does.
app.add_typer(
    typer.Typer(),
    name="sources",
    cls=lazy_group("bot.sources.commands:sources_app"),
    help="Feeds and pages that `citebot refresh` pulls articles from (the corpus's sources.toml).",
)


def main() -> Any:
    return app(args=_questions_last(sys.argv[1:]))


def _questions_last(argv: list[str]) -> list[str]:
    """`ask "- what did X say?"`: a word with a space in it is never an option, so such a question
    (a pasted list item) goes after `--`, where click reads no option letters ("-h" in "- what")."""
    if not argv or argv[0] != "ask" or "--" in argv:
        return argv
    spaced = [a for a in argv[1:] if a.startswith("-") and re.search(r"\s", a)]
    if not spaced:
        return argv
    rest = [a for a in argv[1:] if a not in spaced]
    return ["ask", *rest, "--", *spaced]
