"""Fixtures of the GUI walks (mnemonics, accessibility, legibility, look): the demo database they open.

- ``demo_file``: the demo database built once per test module (``window_walk.make_demo``);
- ``demo``: an open copy of it per test, so a dialog that saves does not change the next test's data.
A module that needs another demo defines its own ``demo_file``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from window_walk import make_demo, opened_copy

from konferenz.storage.db import Database


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_demo(tmp_path_factory.mktemp("demo") / "demo.sqlite")


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    yield from opened_copy(demo_file, tmp_path)
