"""Serienbrief: "Zum Bearbeiten speichern (Word/LibreOffice) …" writes the chosen letters as one .docx or
.odt draft with the address frame in the window's place; it never records a sending, even with
"Versand vermerken" ticked, and asks nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from gui import test_letters_dialog as base
from PySide6.QtWidgets import QMessageBox
from unit.test_letter_documents import address_box, assert_address_field, docx_read, odt_read

from konferenz.enums import InvitationStatus
from konferenz.letters.geometry import FORM_A, FORM_B
from ui.paper.dialogs import letters_dialog as ld
from ui.paper.dialogs.letters_dialog import LettersDialog

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")

setup = base.setup
_fresh_settings = base._fresh_settings
own_templates = base.own_templates
questions = base.questions
messages = base.messages


@pytest.mark.parametrize("suffix", [".docx", ".odt"])
def test_save_to_edit_records_nothing(
    setup: Any,
    qtbot: Any,
    tmp_path: Path,
    suffix: str,
    questions: list[tuple[str, QMessageBox.StandardButton]],
) -> None:
    ctx, world, _extra, parent = setup
    db = ctx.database
    dialog = LettersDialog(ctx, parent, world.conference_id)
    qtbot.addWidget(dialog)
    base.assert_unique_mnemonics(dialog)
    assert dialog.document_button.text() == "&Zum Bearbeiten speichern (Word/LibreOffice) …"
    assert dialog.document_button.isEnabled()
    dialog.select_status(InvitationStatus.PLANNED)
    if suffix == ".odt":
        dialog.form_a.click()
    dialog.record_box.click()
    before = base.statuses(db)

    target = dialog.save_document(tmp_path / f"Einladungen{suffix}")

    assert target == tmp_path / f"Einladungen{suffix}" and target.is_file()
    assert questions == [] and base.statuses(db) == before and base.archived(db) == []
    assert dialog.record_box.isChecked()
    letters = dialog.choice().contents(db)
    _flow, pages = (docx_read if suffix == ".docx" else odt_read)(target)
    # each letter, then its enclosures (Programm, Rückmeldebogen: the template's defaults) from page breaks
    assert len(letters) == 3 and len(pages) == 3 * len(letters)
    pages = pages[::3]
    form = FORM_A if suffix == ".odt" else FORM_B
    for letter, boxes in zip(letters, pages, strict=True):
        assert_address_field(address_box(boxes, letter), letter, form)
    assert any("Yılmaz" in line for boxes in pages for box in boxes for line in box.lines)
    assert dialog.result_label.text() == (
        f"3 Briefe zum Bearbeiten gespeichert: {target}. Der Versand ist nicht vermerkt."
    )


def test_save_to_edit_through_the_file_chooser(
    setup: Any, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, messages: list[str]
) -> None:
    ctx, world, _extra, parent = setup
    dialog = LettersDialog(ctx, parent, world.conference_id)
    qtbot.addWidget(dialog)
    offered: list[tuple[str, str]] = []

    def chooser(_parent: object, _title: str, name: str, file_filter: str, **_kw: object) -> Path:
        offered.append((name, file_filter))
        return tmp_path / "Briefe.rtf"

    monkeypatch.setattr(ld, "choose_save_path", chooser)
    assert dialog.save_document() is None
    assert offered == [("Einladung 2026.docx", "Word-Dokument (*.docx);;LibreOffice-Dokument (*.odt)")]
    assert messages and ".docx oder .odt" in messages[-1]
    assert not (tmp_path / "Briefe.rtf").exists()
