"""Command-line options every citebot command shares (`--corpus`, `--index`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

CorpusOpt = Annotated[
    Path | None,
    typer.Option(
        "--corpus",
        envvar="CITEBOT_CORPUS_DIR",
        help="Folder of article files (default: ./corpus).",
        show_default=False,
    ),
]
IndexOpt = Annotated[
    Path | None,
    typer.Option(
        "--index",
        envvar="CITEBOT_INDEX_DIR",
        help="Where the index is kept (default: beside the corpus).",
        show_default=False,
    ),
]
