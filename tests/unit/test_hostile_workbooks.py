"""Damaged and hostile workbooks in every format never crash the import: only a German ``UserError`` (exit 2
with one line on the command line), never a traceback, a Rust panic on stderr, a Python warning or English
library text.

Property test: real files of each format (built here) truncated and bit-flipped at random. Real files:
calamine's own test corpus (tests/data/calamine, MIT), including the files that made calamine panic or
allocate without bound, run through the command line's entry point with the process's stderr captured.
"""

from __future__ import annotations

import re
import sys
import warnings
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent.parent))
import workbook_files as wf

from konferenz.errors import UserError
from konferenz.spreadsheets.reader import read_table
from ui.commands.cli import main

CORPUS = Path(__file__).parent.parent / "data" / "calamine"
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
#: German words the one-line messages are made of; an English library message has none of them
GERMAN = re.compile(r"kann nicht gelesen werden|Kopfzeile|Tabelle|Blatt|Datei|Zeile|Spalte")


def _clean_files(directory: Path) -> dict[str, bytes]:
    rows = wf.people_rows()
    rows[2][3] = "#N/A"
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    ws.merge_cells("D2:D3")
    wb.save(directory / "a.xlsx")
    wf.write_xls(directory / "a.xls", rows, merges=[(1, 2, 3, 3)])
    wf.write_xlsb(directory / "a.xlsb", rows)
    wf.write_ods(directory / "a.ods", rows=rows)
    return {kind: (directory / f"a.{kind}").read_bytes() for kind in ("xlsx", "xls", "xlsb", "ods")}


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return _clean_files(tmp_path_factory.mktemp("clean"))


def _read_or_refuse(path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would reach the user: fail
        try:
            table = read_table(path)
        except UserError as exc:
            assert exc.message.startswith(f"„{path.name}“") or path.name in exc.message
            assert GERMAN.search(exc.message), exc.message
            return
    for row in table.rows:
        for value in row.values:
            assert not (isinstance(value, str) and re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", value))


@SETTINGS
@given(
    kind=st.sampled_from(["xlsx", "xls", "xlsb", "ods"]),
    cut=st.one_of(st.none(), st.floats(min_value=0.0, max_value=1.0)),
    flips=st.lists(st.tuples(st.floats(min_value=0.0, max_value=0.9999), st.integers(1, 255)), max_size=8),
)
def test_truncated_and_bit_flipped_workbooks(
    clean: dict[str, bytes],
    tmp_path_factory: pytest.TempPathFactory,
    kind: str,
    cut: float | None,
    flips: list[tuple[float, int]],
) -> None:
    data = bytearray(clean[kind])
    for where, mask in flips:
        data[int(where * len(data))] ^= mask
    if cut is not None:
        data = data[: int(cut * len(data))]
    path = tmp_path_factory.mktemp("f") / f"liste.{kind}"
    path.write_bytes(bytes(data))
    _read_or_refuse(path)


@SETTINGS
@given(
    cells=st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30), min_size=1, max_size=8
    ),
    kind=st.sampled_from(["xls", "xlsb", "ods"]),
)
def test_any_text_in_any_format(
    tmp_path_factory: pytest.TempPathFactory, cells: list[str], kind: str
) -> None:
    """Control characters, NULs and any script in cells of the formats whose writers take them: read back
    without control characters, or refused in German."""
    rows: list[list[wf.Cell]] = [list(wf.HEADER), [*cells]]
    path = tmp_path_factory.mktemp("t") / f"liste.{kind}"
    if kind == "xls":
        wf.write_xls(path, rows)
    elif kind == "xlsb":
        wf.write_xlsb(path, rows)
    else:
        # XML cannot hold control characters at all: LibreOffice never writes them
        safe = [
            [re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", str(v or "")) for v in r] for r in rows
        ]
        wf.write_ods(path, rows=safe)
    _read_or_refuse(path)


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.iterdir() if p.name != "README.txt"))
def test_real_workbooks_through_the_command_line(
    name: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Each file of calamine's corpus: exit 0, or exit 2 with one German line; nothing else on stderr
    (capfd sees the process's file descriptors, so a Rust panic message would show)."""
    code = main(["import", str(CORPUS / name), "--dry-run", "--db", str(tmp_path / "k.sqlite")])
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err
    assert "panicked" not in err
    if code == 0:
        assert err.strip() == ""
        return
    assert code == 2, (code, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("konferenz: Fehler: ")
    assert name in lines[0]
    assert GERMAN.search(lines[0]), lines[0]
