"""`pip install .` outside the clone: the wheel carries the bundled corpus and answers from /tmp."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SEED_ID


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package built from the repository and installed (without its dependencies) into tmp."""
    target = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return target


def test_the_wheel_holds_the_bundled_articles_and_nothing_else(installed: Path) -> None:
    bundled = installed / "bot" / "bundled"
    assert not bundled.is_symlink()
    assert sorted(p.name for p in bundled.iterdir()) == sorted(
        p.name for p in (REPO / "corpus").iterdir() if p.is_file() and not p.name.startswith(".")
    )
    assert (bundled / f"{SEED_ID}.txt").read_bytes() == (REPO / "corpus" / f"{SEED_ID}.txt").read_bytes()


def test_installed_package_answers_from_a_folder_without_a_corpus(installed: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CITEBOT_", "PYTHONPATH"))}
    env["PYTHONPATH"] = str(installed)  # ahead of the venv's editable install
    where = subprocess.run(
        [sys.executable, "-c", "import bot; print(bot.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert where.stdout.strip().startswith(str(installed)), where.stdout + where.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "What did Blinken say?"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Antony Blinken said:" in proc.stdout and SEED_ID in proc.stdout
    assert not any((installed / "bot" / "bundled").glob(".citebot*"))  # the index went to the cache
