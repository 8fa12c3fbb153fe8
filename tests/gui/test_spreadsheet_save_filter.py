"""The save dialogs of the spreadsheet exports offer Excel and LibreOffice: a name typed with .ods keeps it,
a name without a suffix gets the chosen filter's, and the file written is the format its suffix names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QWidget
from python_calamine import CalamineWorkbook

from konferenz.spreadsheets.xlsx import Sheet, write_workbook
from ui.widgets.dialog_tools import SPREADSHEET_FILTER, choose_save_path


@pytest.mark.parametrize(
    ("typed", "chosen", "expected"),
    [
        ("liste", "LibreOffice-Tabelle (*.ods)", "liste.ods"),
        ("liste", "Excel-Arbeitsmappe (*.xlsx)", "liste.xlsx"),
        ("liste.ods", "Excel-Arbeitsmappe (*.xlsx)", "liste.ods"),
        ("liste.xlsx", "LibreOffice-Tabelle (*.ods)", "liste.xlsx"),
    ],
)
def test_both_formats_are_offered(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, typed: str, chosen: str, expected: str
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    offered: list[str] = []

    def dialog(_parent: object, _title: str, _start: str, file_filter: str, **_kw: object) -> tuple[str, str]:
        offered.append(file_filter)
        return str(tmp_path / typed), chosen

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(dialog))
    target = choose_save_path(parent, "Exportieren", "liste.xlsx", SPREADSHEET_FILTER, folder_key=None)
    assert offered == ["Excel-Arbeitsmappe (*.xlsx);;LibreOffice-Tabelle (*.ods)"]
    assert target == tmp_path / expected
    write_workbook(target, [Sheet("Liste", ["Name"], [["Şükrü Yılmaz"]])])
    book = CalamineWorkbook.from_path(str(target))
    assert book.get_sheet_by_name("Liste").to_python() == [["Name"], ["Şükrü Yılmaz"]]
