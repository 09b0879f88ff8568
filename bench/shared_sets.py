"""Where the bench scripts find `../shared`'s question sets, and a clear stop when they are not there.

A script run from a checkout with no `shared` folder beside it used to find no dev set and print
empty tables (or fail on a missing file later); it now says where it looked."""

from __future__ import annotations

import sys
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV_DIR = SHARED / "eval" / "dev"
DEV_SETS = sorted(DEV_DIR.glob("*.jsonl"))  # empty without ../shared: importing never fails, main() stops


def require_dev_sets() -> None:
    """Exit with the folder looked in when no dev set was found there."""
    if not DEV_SETS:
        sys.exit(f"no dev question sets (*.jsonl) in {DEV_DIR}: bench scripts read ../shared beside the repo")
