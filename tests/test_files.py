"""The one atomic file writer: readers see the old content or the new, and no temporary is left."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.files import write_atomic


def test_writes_and_replaces_leaving_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "state.json"
    write_atomic(target, "one\n")
    write_atomic(target, "two\n")
    assert target.read_text(encoding="utf-8") == "two\n"
    assert [p.name for p in target.parent.iterdir()] == ["state.json"]


def test_a_failed_replace_keeps_the_old_content(tmp_path: Path) -> None:
    target = tmp_path / "CURRENT"
    target.mkdir()  # a folder in the way: the rename must fail
    (target / "keep").write_text("old", encoding="utf-8")
    with pytest.raises(OSError):
        write_atomic(target, "new\n")
    assert (target / "keep").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["CURRENT"]


def test_text_is_written_with_unix_newlines_and_utf8(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    write_atomic(target, "Çavuşoğlu\nsaid\n")
    assert target.read_bytes() == "Çavuşoğlu\nsaid\n".encode()
