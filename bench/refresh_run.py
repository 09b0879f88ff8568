"""The `citebot refresh` a benchmark times: one fresh process, no feeds fetched, on a corpus and
index of its own. Shared by the benchmarks that time a refresh from the outside."""

from __future__ import annotations

import sys
from pathlib import Path


def refresh_argv(corpus: Path, index: Path) -> list[str]:
    """The command line of `python -m bot refresh --no-fetch` on `corpus` into `index`."""
    return [
        sys.executable,
        "-m",
        "bot",
        "refresh",
        "--no-fetch",
        "--corpus",
        str(corpus),
        "--index",
        str(index),
    ]
