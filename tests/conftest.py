"""Shared fixtures: an isolated environment for every test, the bundled corpus, small corpora.

Every test runs with HOME and the XDG folders in its own tmp dir and without any CITEBOT_* or
SLACK_* variable, so nothing a developer has set (or an index in the user cache) leaks in,
and nothing a test does (an index written to the user cache) leaks out.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from bot.index_store import INDEX_DIRNAME

REPO = Path(__file__).resolve().parents[1]
BUNDLED_CORPUS = REPO / "corpus"
SEED_ID = "000_f14a7e196510d787"
#: `shared/` beside the repository (CI clones the repo next to it).
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED_QUESTIONS = SHARED / "eval" / "seed-questions.jsonl"
EXTRA_QUESTIONS = SHARED / "eval" / "extra-questions.jsonl"
CORPUS_EXTRA = SHARED / "corpus-extra"

_ENV_PREFIXES = ("CITEBOT_", "SLACK_")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HOME and XDG dirs in tmp; no CITEBOT_*/SLACK_* variables; cwd unchanged."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for var, sub in (
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
    ):
        path = home / sub
        path.mkdir(parents=True)
        monkeypatch.setenv(var, str(path))
    for name in list(os.environ):
        if name.startswith(_ENV_PREFIXES):
            monkeypatch.delenv(name)
    return home


@pytest.fixture(scope="session")
def bundled_corpus_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled corpus (article files only, no index) in tmp; do not modify it."""
    dest = tmp_path_factory.mktemp("bundled") / "corpus"
    shutil.copytree(BUNDLED_CORPUS, dest, ignore=shutil.ignore_patterns(".*"))
    assert not (dest / INDEX_DIRNAME).exists()
    return dest


@pytest.fixture(scope="session")
def seed_corpus(bundled_corpus_copy: Path, tmp_path_factory: pytest.TempPathFactory):
    """The bundled corpus opened once per session, its index in tmp (read-only use)."""
    from bot.corpus import Corpus

    c = Corpus(bundled_corpus_copy, tmp_path_factory.mktemp("seed-index"))
    c.open()
    return c


def write_article(
    folder: Path, name: str, title: str, paragraphs: Iterable[str], published: str | None = None
) -> Path:
    """Write one article in the seed layout (title, blank line, paragraphs), or with a `published`
    date in the header layout (`title:` / `published:` lines), and return its path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    head = f"title: {title}\npublished: {published}" if published else title
    path.write_text(head + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


Articles = dict[str, tuple[str, list[str]]]  # file name → (title, paragraphs)


def write_corpus(folder: Path, articles: Articles, published: str | None = None) -> Path:
    """Write small articles into `folder` (created) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (title, paras) in articles.items():
        write_article(folder, name, title, paras, published)
    return folder


def build_corpus(root: Path, articles: Articles, published: str | None = None):
    """`root/corpus` holding `articles` (all of the `published` date, if given), opened as a
    `Corpus` whose index is in `root/index`."""
    from bot.corpus import Corpus

    c = Corpus(write_corpus(root / "corpus", articles, published), root / "index")
    c.open()
    return c


@pytest.fixture
def small_corpus(tmp_path: Path) -> Callable[[Articles], object]:
    """`small_corpus({"a.txt": ("Title", ["paragraph", ...])})` → an opened `Corpus` in tmp."""
    counter = iter(range(1_000_000))
    return lambda articles: build_corpus(tmp_path / f"small{next(counter)}", articles)
