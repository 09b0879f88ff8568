"""The `citebot` command: thin commands over the core (ask, chat, refresh, eval, status, serve)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.corpus import Corpus
from bot.options import CorpusOpt, IndexOpt
from bot.refresh import CorpusError, RefreshReport, check_corpus_dir
from bot.settings import CorpusSettings
from bot.sources import fetch_sources
from bot.sources.cli import print_fetch_report, print_sources_status, sources_app
from bot.terminal import line, plain, render

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(line(("error:", "red"), " ", message))  # messages name paths: never markup
    return typer.Exit(code)


def _settings(corpus: Path | None, index: Path | None) -> CorpusSettings:
    try:
        overrides = {k: v for k, v in {"corpus_dir": corpus, "index_dir": index}.items() if v is not None}
        return CorpusSettings(**overrides)
    except ValidationError as exc:
        for e in exc.errors():
            err.print(f"[red]error:[/red] {'.'.join(map(str, e['loc']))}: {e['msg']}")
        raise typer.Exit(1) from None


def _progress_bar(label: str) -> tuple[Progress, callable]:
    bar = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    task = bar.add_task(label, total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    return bar, update


def open_corpus(corpus: Path | None, index: Path | None, *, quiet: bool = False) -> Corpus:
    """Load the corpus's index, building or updating it first when needed; errors exit 1."""
    settings = _settings(corpus, index)
    c = Corpus(settings.corpus_dir, settings.index_dir)
    bar, update = _progress_bar("indexing")
    try:
        with bar:
            report = c.open(progress=update)
    except CorpusError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:  # an index folder that cannot be created or written
        raise fail(f"cannot use the index folder {c.store.root}: {exc.strerror or exc}") from None
    if report is not None and report.published and not quiet:
        err.print(plain(f"index updated: {_summary(report)}", "dim"))
    return c


def _summary(r: RefreshReport) -> str:
    return r.summary()


@app.command()
def ask(
    questions: Annotated[
        list[str] | None, typer.Argument(help="Question(s); none = one per stdin line.")
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
                from bot.explain import explain as explain_answer

                explain_answer(c.snapshot.answerer, q, out)
            if len(questions) > 1:
                out.print()
    if bad:
        raise typer.Exit(2)


@app.command()
def chat(corpus: CorpusOpt = None, index: IndexOpt = None) -> None:
    """Ask questions in a loop (Ctrl-D or 'quit' to stop); 'he'/'she' refer to the last subject."""
    c = open_corpus(corpus, index)
    out.print(f"[dim]{c.index.manifest.articles} articles loaded. Ask away; 'quit' to stop.[/dim]")
    subject: str | None = None
    while True:
        try:
            q = input("? ")
        except (EOFError, KeyboardInterrupt):
            out.print()
            return
        if q.strip().lower() in {"quit", "exit", ":q"}:
            return
        if not q.strip():
            continue
        answer = c.answer(q, context=subject)
        subject = answer.subject or subject
        render(answer, out)
        out.print()


@app.command()
def refresh(
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Rebuild everything from the files.")] = False,
    no_fetch: Annotated[bool, typer.Option("--no-fetch", help="Do not pull sources.toml's sources.")] = False,
) -> None:
    """Pull new articles from the corpus's sources (if any), then bring the index up to date."""
    settings = _settings(corpus, index)
    c = Corpus(settings.corpus_dir, settings.index_dir)
    try:
        check_corpus_dir(c.corpus_dir)  # before fetching: a file or a typo is not a corpus to fetch into
    except CorpusError as exc:
        raise fail(str(exc)) from None
    if not no_fetch:
        with err.status("fetching sources"):
            fetched = fetch_sources(c.corpus_dir)
        print_fetch_report(fetched, out, err)
    bar, update = _progress_bar("indexing")
    try:
        with bar:
            report = c.refresh(force=force, progress=update)
    except CorpusError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"cannot use the index folder {c.store.root}: {exc.strerror or exc}") from None
    out.print(plain(("index updated: " if report.published else "index up to date: ") + _summary(report)))
    for _rel, reasons in sorted(report.skipped.items()):
        for reason in reasons:
            err.print(line(("skipped", "yellow"), " ", reason))
    if report.notes_summary():
        err.print(line(("warning:", "yellow"), " ", report.notes_summary() or ""))
    out.print(plain(f"index: {c.store.root}", "dim"))


@app.command()
def status(corpus: CorpusOpt = None, index: IndexOpt = None) -> None:
    """Show the corpus's index: size, age, skipped files."""
    c = open_corpus(corpus, index)
    m = c.index.manifest
    age = time.time() - m.built_at.timestamp()
    out.print(
        plain(
            f"corpus:    {c.corpus_dir}\nindex:     {c.store.root}\narticles:  {m.articles}\n"
            f"sentences: {m.sentences}\ntokens:    {m.tokens}\nbuilt:     {m.built_at:%Y-%m-%d %H:%M:%S} UTC "
            f"({age / 60:.0f} min ago)\nskipped:   {len(m.skipped)} file(s)"
        )
    )
    print_sources_status(c.corpus_dir, out)


app.add_typer(sources_app, name="sources")


@app.command("eval")
def eval_cmd(
    file: Annotated[Path, typer.Argument(help="Question file (JSON Lines: question, expect).")],
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
    min_hit1: Annotated[
        float | None, typer.Option("--min-hit1", help="Fail below this hit@1 share (0-1).")
    ] = None,
    min_declined: Annotated[
        float | None, typer.Option("--min-declined", help="Fail below this declined share (0-1).")
    ] = None,
) -> None:
    """Score answers against a question file: hit@1, hit@3, declines, per type, and each miss."""
    from bot.evaluation import evaluate, load_questions

    try:
        items = load_questions(file)
    except (OSError, ValueError) as exc:
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


from bot.slack.command import serve  # noqa: E402

app.command()(serve)


def main() -> None:
    app()
