"""`citebot chat`: a question loop with line editing and history (prompt_toolkit) on a terminal.

History is kept in the user's state folder, so arrow-up brings back yesterday's questions.
Ctrl-C cancels the line being typed (or the answer being worked out), Ctrl-D leaves. With a
pipe on standard input it reads one question per line, with no prompt library involved.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from bot.console import open_corpus, out
from bot.models import Conversation
from bot.options import CorpusOpt, IndexOpt
from bot.terminal import render

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output

    from bot.corpus import Corpus

QUIT = {"quit", "exit", ":q"}
HELP = {"help", "?", ":h"}
PROMPT = "? "


def register(app: typer.Typer) -> None:
    app.command()(chat)


def chat(corpus: CorpusOpt = None, index: IndexOpt = None) -> None:
    """Ask questions in a loop ('help' for examples, 'quit' or Ctrl-D to stop); 'he'/'she' follow up."""
    c = open_corpus(corpus, index)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    read = terminal_reader(history_file()) if interactive else piped_reader()
    Chat(c, out).run(read)


def history_file() -> Path:
    from platformdirs import user_state_path

    return user_state_path("citebot") / "chat-history"


#: Reads the next line: KeyboardInterrupt = the line was cancelled, EOFError = leave.
Reader = Callable[[str], str]


def terminal_reader(history: Path, *, input: Input | None = None, output: Output | None = None) -> Reader:
    """prompt_toolkit's line editor with a file history (`input`/`output` for tests)."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory, InMemoryHistory

    try:
        history.parent.mkdir(parents=True, exist_ok=True)
        kept: FileHistory | InMemoryHistory = FileHistory(str(history))
    except OSError:  # a read-only home: edit lines, just do not remember them
        kept = InMemoryHistory()
    session: PromptSession[str] = PromptSession(history=kept, input=input, output=output)
    return session.prompt


def piped_reader() -> Reader:
    def read(_prompt: str) -> str:
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")

    return read


class Chat:
    """The loop itself, apart from where lines come from (so a test can drive it)."""

    def __init__(self, corpus: Corpus, console: Console) -> None:
        self.corpus = corpus
        self.console = console
        self.conversation: Conversation | None = None

    def run(self, read: Reader) -> None:
        articles = self.corpus.index.manifest.articles
        self.console.print(
            f"[dim]{articles} articles loaded. Ask away; 'help' for examples, 'quit' to stop.[/dim]"
        )
        while True:
            try:
                line = read(PROMPT)
            except KeyboardInterrupt:
                continue  # Ctrl-C: drop the line, ask again
            except EOFError:
                self.console.print()
                return
            if not self.handle(line):
                return

    def handle(self, line: str) -> bool:
        """Answer one line; False when it asks to leave."""
        q = line.strip()
        if q.lower() in QUIT:
            return False
        if not q:
            return True
        if q.lower() in HELP:
            self.help()
            return True
        try:
            answer = self.corpus.answer(q, context=self.conversation)
        except KeyboardInterrupt:  # Ctrl-C while answering: back to the prompt
            self.console.print("[dim]cancelled[/dim]")
            return True
        self.conversation = answer.conversation or self.conversation
        render(answer, self.console)
        self.console.print()
        return True

    def help(self) -> None:
        from bot.examples import Examples

        examples = Examples(self.corpus).get()
        lines = ["Ask about the corpus in plain words, for example:"]
        lines += [f"  {q}" for q in examples]
        lines += [
            "Follow-ups: 'he', 'she', 'they' or 'it' mean the subject of the previous question.",
            "Arrow keys edit the line and recall earlier questions; Ctrl-C cancels the line;",
            "'quit' or Ctrl-D stops.",
        ]
        self.console.print("\n".join(lines), markup=False)
