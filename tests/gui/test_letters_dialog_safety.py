"""Serienbrief: the safety net of issue 17, driven as a user would.

"Versand vermerken" starts unticked; ticked, every output first asks with the count, and Enter (the
default, Nein) writes and records nothing. One selected row in the list is not a choice of recipients (it
is where the cursor stood after a search): the template's default recipients are preselected, the
selection is still offered. The question before replacing existing files defaults to Nein too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from gui import test_letters_dialog as base
from PySide6.QtWidgets import QMessageBox

from ui.paper.dialogs.letters_dialog import LettersDialog, open_letters_dialog
from ui.paper.letter_output import letter_file_names

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")

# the Serienbrief tests' world (Turkish and Arabic names among the invitees) and their clean settings
setup = base.setup
_fresh_settings = base._fresh_settings
own_templates = base.own_templates
archived, statuses = base.archived, base.statuses


@pytest.fixture
def enter_pressed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, QMessageBox.StandardButton]]:
    """Every question answered with Enter: the default button (a question without one counts as Ja, as
    Qt's message box then makes the first button the default)."""
    asked: list[tuple[str, QMessageBox.StandardButton]] = []

    def question(
        _parent: object,
        _title: str,
        text: str,
        _buttons: object = None,
        default: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton,
    ) -> QMessageBox.StandardButton:
        asked.append((text, default))
        if default == QMessageBox.StandardButton.NoButton:
            return QMessageBox.StandardButton.Yes
        return default

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def test_recording_is_off_by_default_and_asked_with_the_count(
    setup: Any, qtbot: Any, tmp_path: Path, enter_pressed: list[tuple[str, QMessageBox.StandardButton]]
) -> None:
    ctx, world, _extra, parent = setup
    db = ctx.database
    dialog = open_letters_dialog(ctx, parent, world.conference_id)
    assert dialog.count_label.text() == "3 Briefe"
    assert not dialog.record_box.isChecked()
    before = statuses(db)

    # unticked: the PDF is written, nothing recorded and nothing asked
    plain = tmp_path / "Entwurf.pdf"
    outcome = dialog.save_pdf(plain)
    assert outcome is not None and outcome.recorded == 0 and plain.is_file()
    assert enter_pressed == [] and statuses(db) == before and archived(db) == []

    # ticked: asked with the count; Enter (Nein) writes nothing and records nothing
    dialog.record_box.click()
    target = tmp_path / "Einladungen.pdf"
    assert dialog.save_pdf(target) is None
    assert len(enter_pressed) == 1
    text, default = enter_pressed[0]
    assert text.startswith("Versand für 3 Einladungen vermerken?")
    assert default == QMessageBox.StandardButton.No
    assert not target.exists()
    folder = tmp_path / "einzeln"
    folder.mkdir()
    assert dialog.save_folder(folder) is None
    assert list(folder.iterdir()) == []
    assert statuses(db) == before and archived(db) == []
    assert dialog.record_box.isChecked()


def test_one_selected_row_is_not_preselected(setup: Any, qtbot: Any) -> None:
    ctx, world, extra, parent = setup
    one = LettersDialog(ctx, parent, world.conference_id, [world.inv["alex"]])
    qtbot.addWidget(one)
    assert not one.selection_button.isChecked()
    assert one.selection_button.isEnabled() and one.selection_button.text() == "Aus&wahl in der Liste (1)"
    assert one.status_button.isChecked() and one.status_combo.currentText() == "vorgemerkt (3)"
    assert one.count_label.text() == "3 Briefe"
    one.selection_button.click()
    qtbot.waitUntil(lambda: one.count_label.text() == "1 Brief")
    assert one.choice().invitation_ids == (world.inv["alex"],)

    two = LettersDialog(ctx, parent, world.conference_id, [world.inv["alex"], extra["yilmaz"]])
    qtbot.addWidget(two)
    assert two.selection_button.isChecked() and two.count_label.text() == "2 Briefe"


def test_replacing_existing_files_defaults_to_no(
    setup: Any,
    qtbot: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    enter_pressed: list[tuple[str, QMessageBox.StandardButton]],
) -> None:
    ctx, world, _extra, parent = setup
    dialog = LettersDialog(ctx, parent, world.conference_id)
    qtbot.addWidget(dialog)
    folder = tmp_path / "einzeln"
    folder.mkdir()
    names = letter_file_names(dialog.year, dialog.template, dialog.letters)
    existing = folder / next(iter(names.values()))
    existing.write_bytes(b"alt")
    monkeypatch.setattr("ui.paper.dialogs.letters_dialog.choose_folder", lambda *_a, **_k: folder)

    assert dialog.save_folder() is None

    assert [q[0] for q in enter_pressed] == [f"Eine dieser Dateien gibt es in „{folder}“ schon. Ersetzen?"]
    assert enter_pressed[0][1] == QMessageBox.StandardButton.No
    assert existing.read_bytes() == b"alt" and sorted(folder.iterdir()) == [existing]
