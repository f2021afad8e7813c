"""The build cache's files (engine/cache.py): each written whole or not at all, its folder made
when missing, no temporary file left behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.engine import cache


def test_store_makes_the_folders_it_writes_into(tmp_path: Path) -> None:
    path = tmp_path / ".dateline-cache" / "bodies" / "0123abcd"
    cache.store(path, "key", ("<p>Floods</p>", ""))
    assert cache.load(path, "key") == ("<p>Floods</p>", "")


def test_storing_again_leaves_only_the_file_with_the_last_data(tmp_path: Path) -> None:
    for number in range(3):
        cache.store(tmp_path / "x.bin", "key", number)
    assert [path.name for path in tmp_path.iterdir()] == ["x.bin"]
    assert cache.load(tmp_path / "x.bin", "key") == 2


def test_a_store_that_cannot_replace_its_file_leaves_no_temporary_file(tmp_path: Path) -> None:
    (tmp_path / "x.bin").mkdir()
    with pytest.raises(OSError):
        cache.store(tmp_path / "x.bin", "key", 1)
    assert [path.name for path in tmp_path.iterdir()] == ["x.bin"]
