"""Which files under a corpus folder are articles, and why each other file is not read.

A corpus is whatever a user drops in a folder: hidden files, READMEs and manifests are left out
silently, and every other file that is not read (an unsupported type, a named pipe, a link out of
the folder, a folder nested too deep) is named with a reason, so nothing is skipped unseen.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

ARTICLE_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".markdown", ".json", ".html", ".htm"})
#: Bulk files hold many articles, one JSON object a line; read them with `iter_bulk_articles`.
BULK_SUFFIXES: tuple[str, ...] = (".jsonl", ".jsonl.gz")


# Files that live next to articles but are not articles (compared on the lower-cased name/stem).
_SKIP_NAMES = frozenset({"manifest.jsonl", "manifest.jsonl.gz", "sources.toml"})
_SKIP_STEMS = frozenset({"license", "licence", "copying", "notice", "changelog"})


def is_bulk_file(path: Path) -> bool:
    """True for a JSON Lines bulk file (`.jsonl` or `.jsonl.gz`), which holds many articles."""
    return path.name.lower().endswith(BULK_SUFFIXES)


def _is_corpus_name(name: str) -> bool:
    low = name.lower()
    if name.startswith(".") or low.startswith("readme") or low in _SKIP_NAMES:
        return False
    if low.endswith(BULK_SUFFIXES):
        return True
    stem, suffix = os.path.splitext(low)
    return suffix in ARTICLE_SUFFIXES and stem not in _SKIP_STEMS


#: Folders deeper than this under the corpus are not walked: no news archive nests 32 levels, and
#: a folder chain 1,000 deep would make every path (and article id) kilobytes long.
MAX_DEPTH: int = 32

_FILE_KINDS = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFDIR: "a folder",
}


@dataclass
class CorpusScan:
    """The corpus's article and bulk files, and why each other file under it is not read."""

    files: list[Path] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # relative path → reason


def kind_problem(st: os.stat_result) -> str | None:
    if stat.S_ISREG(st.st_mode):
        return None
    kind = _FILE_KINDS.get(stat.S_IFMT(st.st_mode), "not a regular file")
    return f"not a regular file ({kind})" if kind != "not a regular file" else kind


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _file_problem(path: Path, root: Path, allow_outside: bool) -> str | None:
    """Why `path` (a name the walk found) must not be read, or None when it may.

    A symbolic link is followed only to a file inside the corpus (unless `allow_outside`), so a
    link to `/etc/passwd` or a `.env` elsewhere never becomes a quotable article; and only
    regular files are read, since opening a named pipe blocks forever.
    """
    try:
        st = path.lstat()
        if stat.S_ISLNK(st.st_mode):
            target = path.resolve(strict=True)
            if not allow_outside and not _inside(target, root):
                return "symbolic link to a file outside the corpus folder"
            st = target.stat()
    except (OSError, RuntimeError) as e:  # RuntimeError: a symlink loop on older Pythons
        return f"cannot read file: {getattr(e, 'strerror', None) or e}"
    return kind_problem(st)


def _unsupported(name: str) -> str:
    suffix = os.path.splitext(name)[1].lower()
    kinds = ", ".join(sorted(ARTICLE_SUFFIXES | set(BULK_SUFFIXES)))
    what = f"{suffix} files are" if suffix else "files without a suffix are"
    return f"unsupported file type: {what} not read (convert to one of {kinds})"


def _is_silent(name: str) -> bool:
    """Files that live next to articles and are not meant to be read: no reason is reported."""
    low = name.lower()
    stem = os.path.splitext(low)[0]
    return name.startswith(".") or low.startswith("readme") or low in _SKIP_NAMES or stem in _SKIP_STEMS


def scan_corpus_files(corpus_dir: Path, *, allow_outside: bool = False) -> CorpusScan:
    """Article and bulk files under `corpus_dir`, recursively and sorted, with a reason per file left out.

    Hidden files and folders (the index lives in one), manifests, READMEs, `sources.toml` and
    licence files are left out silently; files of other types, non-regular files, links out of
    the corpus and folders nested deeper than `MAX_DEPTH` are left out with a reason.
    """
    root = Path(corpus_dir)
    real_root = root.resolve()
    scan = CorpusScan()

    def rel(path: str) -> str:
        return Path(path).relative_to(root).as_posix()

    def unreadable(e: OSError) -> None:
        if e.filename and Path(e.filename) != root:
            scan.skipped[rel(e.filename)] = f"cannot read folder: {e.strerror or e}"

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        depth = len(Path(dirpath).relative_to(root).parts)
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        if depth >= MAX_DEPTH and dirnames:
            for d in dirnames:
                scan.skipped[rel(os.path.join(dirpath, d))] = f"folder nested deeper than {MAX_DEPTH} levels"
            dirnames[:] = []
        for name in filenames:
            path = Path(dirpath, name)
            if not _is_corpus_name(name):
                if not _is_silent(name):
                    scan.skipped[rel(str(path))] = _unsupported(name)
                continue
            problem = _file_problem(path, real_root, allow_outside)
            if problem:
                scan.skipped[rel(str(path))] = problem
            else:
                scan.files.append(path)
    scan.files.sort(key=lambda p: p.relative_to(root).parts)
    return scan


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The files `scan_corpus_files` would read (without the reasons for the others)."""
    return scan_corpus_files(corpus_dir).files


def _relative(path: Path, corpus_dir: Path) -> Path:
    try:
        return Path(path).relative_to(corpus_dir)
    except ValueError:
        try:
            return Path(path).resolve().relative_to(Path(corpus_dir).resolve())
        except ValueError:
            return Path(Path(path).name)


def bulk_stem(name: str) -> str:
    low = name.lower()
    for suffix in (".jsonl.gz", ".jsonl"):
        if low.endswith(suffix):
            return name[: -len(suffix)]
    return Path(name).stem


def article_id_for(path: Path, corpus_dir: Path) -> str:
    """The file's stem, prefixed by its sub-folder path: stable across runs and machines.

    `corpus/wikinews/2019-01-04-x.txt` → `wikinews/2019-01-04-x`; `corpus/000_f1.txt` → `000_f1`.
    A path outside `corpus_dir` gets its bare stem.
    """
    rel = _relative(path, corpus_dir)
    stem = bulk_stem(rel.name) if is_bulk_file(rel) else rel.stem
    parent = rel.parent.as_posix()
    return stem if parent == "." else f"{parent}/{stem}"
