"""Where an index lives on disk, and how a new one replaces the old one atomically.

An index folder holds numbered versions and a `CURRENT` file naming the live one. A refresh
writes a complete new version beside the old, then replaces `CURRENT` with `os.replace`
(atomic on POSIX): a reader sees the old index or the new one, never half of either. The
previous version is kept, so a process that read `CURRENT` just before the swap can still
load it; older ones are removed. A file lock keeps two refreshes from interleaving.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bot.files import write_atomic
from bot.index import CorpusIndex

if TYPE_CHECKING:
    from filelock import FileLock

INDEX_DIRNAME = ".citebot-index"
KEEP_VERSIONS = 2


def default_index_dir(corpus_dir: Path) -> Path:
    """Inside the corpus (hidden) when it is writable, else a per-corpus folder in the user cache."""
    corpus_dir = corpus_dir.resolve()
    inside = corpus_dir / INDEX_DIRNAME
    if (inside.is_dir() and _writable(inside)) or _writable(corpus_dir):
        return inside
    return cache_index_dir(corpus_dir)


def cache_index_dir(corpus_dir: Path) -> Path:
    """A per-corpus folder in the user cache (for a corpus that is read-only, or not ours)."""
    from platformdirs import user_cache_dir  # imported here: a cold `citebot ask --index` never needs it

    corpus_dir = corpus_dir.resolve()
    digest = hashlib.sha1(str(corpus_dir).encode()).hexdigest()[:12]
    return Path(user_cache_dir("citebot")) / "indexes" / f"{corpus_dir.name}-{digest}"


def _writable(folder: Path) -> bool:
    """Writable, and meant to be: root may write anywhere, so a folder without its owner's write
    bit (a read-only share such as ../shared) counts as read-only even for root."""
    try:
        return os.access(folder, os.W_OK) and bool(folder.stat().st_mode & stat.S_IWUSR)
    except OSError:
        return False


class IndexStore:
    """The versions of one corpus's index, and the pointer to the current one."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def current_file(self) -> Path:
        return self.root / "CURRENT"

    def lock(self, timeout: float = -1) -> FileLock:
        from filelock import FileLock  # only refreshes lock: answering never imports it

        self.root.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.root / ".lock"), timeout=timeout)

    def current_version(self) -> str | None:
        try:
            name = self.current_file.read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return name or None

    def current_path(self) -> Path | None:
        name = self.current_version()
        return self.root / "versions" / name if name else None

    def previous_path(self, version: str) -> Path | None:
        """The version published just before `version`, while it is still kept (follow digests
        compare the two to find the sentences a refresh added)."""
        versions = self.root / "versions"
        try:
            names = [p.name for p in versions.iterdir() if p.is_dir() and p.name[1:].isdigit()]
        except OSError:
            return None
        older = sorted(
            (n for n in names if version[1:].isdigit() and int(n[1:]) < int(version[1:])),
            key=lambda n: int(n[1:]),
        )
        return versions / older[-1] if older else None

    def load_current(self) -> CorpusIndex:
        """Load the current index (`IndexUnusable` when there is none or it is broken)."""
        from bot.index import IndexUnusable

        path = self.current_path()
        if path is None:
            raise IndexUnusable(f"no index in {self.root}")
        return CorpusIndex.load(path)

    def publish(self, index: CorpusIndex) -> Path:
        """Save `index` as a new version and make it current, atomically. Call under `lock()`."""
        versions = self.root / "versions"
        versions.mkdir(parents=True, exist_ok=True)
        name = f"v{time.time_ns()}"
        tmp = versions / f".{name}.tmp"
        index.save(tmp)
        final = versions / name
        tmp.rename(final)
        index.path = final
        write_atomic(self.current_file, name + "\n")
        self._prune(keep=name)
        return final

    def _prune(self, keep: str) -> None:
        versions = self.root / "versions"
        names = sorted(
            (p.name for p in versions.iterdir() if p.is_dir() and p.name.startswith("v")),
            key=lambda n: int(n[1:]) if n[1:].isdigit() else 0,
        )
        for old in names[:-KEEP_VERSIONS]:
            if old != keep:
                shutil.rmtree(versions / old, ignore_errors=True)
        for tmp in versions.glob(".v*.tmp"):
            if tmp.stat().st_mtime < time.time() - 3600:  # left by a crashed refresh
                shutil.rmtree(tmp, ignore_errors=True)
