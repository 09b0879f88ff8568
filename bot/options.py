"""Command-line options every citebot command shares (`--corpus`, `--index`): one definition each."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

CorpusOpt = Annotated[
    Path | None,
    typer.Option(
        "--corpus",
        envvar="CITEBOT_CORPUS_DIR",
        help="Folder of article files (default: ./corpus, else the corpus bundled with citebot).",
        show_default=False,
        metavar="DIR",
    ),
]
IndexOpt = Annotated[
    Path | None,
    typer.Option(
        "--index",
        envvar="CITEBOT_INDEX_DIR",
        help="Where the index is kept (default: inside the corpus if writable, else the user cache).",
        show_default=False,
        metavar="DIR",
    ),
]
