"""`citebot feedback export`: readers' votes as question files, so they can become tests."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.models import SentenceKey
from bot.options import CorpusOpt, IndexOpt

feedback_app = typer.Typer(no_args_is_help=True, help="Readers' 👍 / 👎 on answers in Slack.")


@feedback_app.command("export")
def export(
    out: Annotated[Path, typer.Option("--out", help="Folder for the two files.")] = Path("."),
    corpus: CorpusOpt = None,
    index: IndexOpt = None,
) -> None:
    """Write 👍 votes as an eval set (feedback-good.jsonl) and 👎 votes for review (feedback-review.jsonl)."""
    from bot.console import open_corpus
    from bot.feedback import dumps, export_rows, feedback_store
    from bot.index import IndexUnusable
    from bot.state.redis import from_env

    c = open_corpus(corpus, index, quiet=True)
    items = feedback_store(c.store.root, from_env()).all()
    idx = c.index
    numbers = idx.article_ids

    def sentence_of(key: SentenceKey) -> str | None:
        no = numbers.get(key[0])
        if no is None:
            return None
        try:
            body = idx.body(no)
        except IndexUnusable:
            return None
        return body[key[1] : key[2]] if 0 <= key[1] < key[2] <= len(body) else None

    good, review = export_rows(items, sentence_of)
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in (("feedback-good.jsonl", good), ("feedback-review.jsonl", review)):
        (out / name).write_text("".join(dumps(r) + "\n" for r in rows), encoding="utf-8")
    typer.echo(
        f"{len(items)} vote(s): {len(good)} question(s) → {out / 'feedback-good.jsonl'}, "
        f"{len(review)} to review → {out / 'feedback-review.jsonl'}"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(feedback_app, name="feedback")
