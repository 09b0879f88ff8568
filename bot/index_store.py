"""Where an index lives on disk, and how a new one replaces the old one atomically.

An index folder holds numbered versions and a `CURRENT` file naming the live one. A refresh
writes a complete new version beside the old, then replaces `CURRENT` with `os.replace`
(atomic on POSIX): a reader sees the old index or the new one, never half of either. The
previous version is kept, so a process that read `CURRENT` just before the swap can still
load it; older ones are removed. A file lock keeps two refreshes from interleaving.

Any file here may be damaged (a full disk, a crash, a hand edit): a `CURRENT` that is not a
version name reads as "no index", a refresh that fails removes what it half wrote, and since a
version is only ever written under the lock, any temporary version found while holding the lock
is a leftover of a dead refresh and is removed before building (on a full disk it holds the
space the new version needs).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
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
_VERSION_RE = re.compile(r"v\d{1,30}")

log = logging.getLogger(__name__)


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
        """The version `CURRENT` names; None when there is none or it is not a version name."""
        try:
            with open(self.current_file, "rb") as f:
                raw = f.read(256)
        except OSError:
            return None
        name = raw.decode("ascii", errors="replace").strip()
        return name if _VERSION_RE.fullmatch(name) else None

    def versions(self) -> list[str]:
        """The complete versions on disk, newest first."""
        try:
            names = [p.name for p in (self.root / "versions").iterdir() if _VERSION_RE.fullmatch(p.name)]
        except OSError:
            return []
        return sorted(names, key=lambda n: int(n[1:]), reverse=True)

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
        return _load(path)

    def load_previous(self, exclude: str | None = None) -> CorpusIndex:
        """The newest version that loads (but `exclude`), whatever `CURRENT` says: the last good
        index when the current one is damaged and cannot be rebuilt (`IndexUnusable` when none loads)."""
        from bot.index import IndexUnusable

        reasons = []
        for name in [n for n in self.versions() if n != exclude]:
            try:
                return _load(self.root / "versions" / name)
            except IndexUnusable as exc:
                reasons.append(str(exc))
        raise IndexUnusable(
            f"no usable index version in {self.root}" + (f" ({reasons[0]})" if reasons else "")
        )

    def remove_leftovers(self) -> int:
        """Remove temporary versions and pointers of dead refreshes; call under `lock()`. Returns how many."""
        removed = 0
        for folder, pattern in ((self.root / "versions", ".v*.tmp"), (self.root, ".CURRENT.*.tmp")):
            try:
                leftovers = list(folder.glob(pattern))
            except OSError:
                continue
            for path in leftovers:
                _remove(path)
                removed += 1
        if removed:
            log.info("removed %d leftover temporary file(s) in %s", removed, self.root)
        return removed

    def remove_leftovers_if_idle(self) -> None:
        """At start-up: remove leftovers unless a live refresh holds the lock (it may be writing them)."""
        from filelock import Timeout

        if not (self.root / "versions").is_dir():
            return
        try:
            with self.lock(timeout=0):
                self.remove_leftovers()
        except (Timeout, OSError):
            return

    def publish(self, index: CorpusIndex) -> Path:
        """Save `index` as a new version and make it current, atomically. Call under `lock()`."""
        versions = self.root / "versions"
        versions.mkdir(parents=True, exist_ok=True)
        name = f"v{time.time_ns()}"
        tmp = versions / f".{name}.tmp"
        final = versions / name
        try:
            index.save(tmp)
            tmp.rename(final)
            write_atomic(self.current_file, name + "\n")  # cleans its own temporary file on failure
        except BaseException:
            # A failed write (a full disk) must not keep the space it took: the next try needs it.
            _remove(tmp)
            if self.current_version() != name:
                _remove(final)
            raise
        index.path = final
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
        self.remove_leftovers()


def _load(path: Path) -> CorpusIndex:
    """`CorpusIndex.load`, with any failure on damaged files (expected or not) an `IndexUnusable`."""
    from bot.index import IndexUnusable

    try:
        return CorpusIndex.load(path)
    except IndexUnusable:
        raise
    except (MemoryError, KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # garbage in any file: never a traceback, the index is rebuilt
        raise IndexUnusable(f"corrupt index in {path}: {type(exc).__name__}: {exc}") from exc


def _remove(path: Path) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    except OSError:
        pass
