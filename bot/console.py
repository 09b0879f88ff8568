"""What every citebot command shares: the two consoles, one way to fail, and opening a corpus.

Commands live in modules of their own (`register(app)`); they import this, never `bot.cli`,
so no command module and the app import each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from pydantic import ValidationError
from rich.console import Console

from bot.corpus_settings import BUNDLED_READ_ONLY, CorpusSettings
from bot.terminal import line, plain

if TYPE_CHECKING:
    from bot.corpus import Corpus
    from bot.refresh import RefreshReport

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

#: What a Ctrl-C during indexing leaves behind: nothing, since a new index is published whole.
INTERRUPTED = "interrupted; the previous index is still in use"
INTERRUPTED_FIRST = "interrupted; no index was built"


def fail(message: str, code: int = 1) -> typer.Exit:
    """One `error:` line on stderr; `raise fail(...)` exits with `code` (1 error, 2 usage).

    Messages name paths and quote files: printed as plain text, never as markup or emoji codes."""
    err.print(line(("error:", "red"), " ", message))
    return typer.Exit(code)


def corpus_settings(corpus: Path | None, index: Path | None) -> CorpusSettings:
    """The settings with `--corpus`/`--index` over the environment; a bad value exits 1."""
    given: dict[str, Any] = {"corpus_dir": corpus, "index_dir": index}
    try:
        return CorpusSettings(**{k: v for k, v in given.items() if v is not None})
    except ValidationError as exc:
        e = exc.errors()[0]
        raise fail(f"{'.'.join(map(str, e['loc']))}: {e['msg']}") from None


def writable_corpus(corpus: Path | None) -> Path:
    """The corpus folder a command is about to change: never the bundled one; it must exist."""
    settings = corpus_settings(corpus, None)
    if settings.bundled:
        raise fail(BUNDLED_READ_ONLY)
    if not settings.corpus.is_dir():
        raise fail(f"corpus folder {settings.corpus} does not exist")
    return settings.corpus


def new_corpus(settings: CorpusSettings) -> Corpus:
    from bot.corpus import Corpus

    return Corpus(settings.corpus, settings.index)


@contextmanager
def indexing(c: Corpus) -> Iterator[Callable[[int, int], None]]:
    """A progress bar while `c` is indexed; errors and Ctrl-C as one line (exit 1 / 130)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from bot.refresh import CorpusError

    bar = Progress(
        TextColumn("indexing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    task = bar.add_task("indexing", total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    try:
        with bar:
            yield update
    except CorpusError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:  # an index folder that cannot be created or written
        raise fail(f"cannot use the index folder {c.store.root}: {exc.strerror or exc}") from None
    except KeyboardInterrupt:
        raise fail(INTERRUPTED if c.store.current_version() else INTERRUPTED_FIRST, 130) from None


def waiting(c: Corpus) -> Callable[[], None]:
    """What a refresh says when another process holds the index lock."""

    def say() -> None:
        err.print(plain(f"waiting for another refresh of {c.store.root} to finish…", "dim"))

    return say


def open_corpus(corpus: Path | None, index: Path | None, *, quiet: bool = False) -> Corpus:
    """Load the corpus's index, building or updating it first when needed; errors exit 1."""
    c = new_corpus(corpus_settings(corpus, index))
    with indexing(c) as progress:
        report = c.open(progress=progress, on_wait=waiting(c))
    if report is not None and report.published and not quiet:
        err.print(plain(f"index updated: {summary(report)}", "dim"))
    return c


def summary(r: RefreshReport) -> str:
    """Each file counted once (see `RefreshReport.summary`)."""
    return r.summary()
