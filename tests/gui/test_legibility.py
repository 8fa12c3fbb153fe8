"""Issue 17: every text legible at 1280×800, at 150 % scaling and in Windows' high-contrast theme.

The walks (``legibility_walk``) go over every area of the main window and every dialog of
``window_walk``: no text cut off at 1280×800 and at 150 % scaling of 1920×1080 (a second process with
QT_SCALE_FACTOR=1.5, whose window is 1280×720 logical pixels), and no widget with colours of its own whose
text vanishes in "Kontrast Schwarz". The colours painted by the program (status badges, the chart's
series, the check-in banner) are checked against the backgrounds of the light and the high-contrast
scheme.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from legibility_walk import cut_texts, high_contrast_palette, illegible
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget
from window_walk import DIALOG_NAMES, main_window_views, open_dialog, open_main_window

from konferenz.storage.db import Database
from ui.actions import AREA_NAMES
from ui.addresses.fields import ERROR_COLOURS, ErrorLabel
from ui.conferences.checkin_window import BANNER
from ui.conferences.statistics_view import SERIES_STYLE
from ui.widgets.badges import badge_colours
from ui.widgets.contrast import GRAPHICS_CONTRAST, TEXT_CONTRAST, contrast, keep_legible

SCALED = os.environ.get("KONFERENZ_LEGIBILITY_SCALED") == "1"


@pytest.fixture
def high_contrast(qapp: Any) -> Iterator[None]:
    before = QApplication.palette()
    QApplication.setPalette(high_contrast_palette())
    yield
    QApplication.setPalette(before)


def _sized(qtbot: Any, demo: Database, width: int, height: int) -> Any:
    window = open_main_window(qtbot, demo)
    window.showNormal()
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.size().width() == width)
    return window


# --- the walks find what they look for ----------------------------------------------------------------


def test_the_walks_find_cut_texts_and_colours_that_vanish(qtbot: Any, high_contrast: None) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    cut = QLabel("Rückmeldefrist der Integrationskonferenz")
    cut.setFixedWidth(60)
    told = QLabel("Rückmeldefrist der Integrationskonferenz")
    told.setFixedWidth(60)
    told.setToolTip(told.text())  # cut, but the whole text is told on hover
    fits = QLabel("Frist")
    button = QPushButton("Einladungen versenden …")
    button.setFixedWidth(50)
    combo = QComboBox()
    combo.addItem("öffentliche Aufgabe (Art. 6 Abs. 1 lit. e DSGVO)")
    combo.setFixedWidth(90)
    dark = QLabel("⚠ PLZ fehlt")
    palette = dark.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(139, 0, 0))
    dark.setPalette(palette)  # dark red on the black of "Kontrast Schwarz"
    kept = QLabel("⚠ Ort fehlt")
    keep_legible(kept, QPalette.ColorRole.WindowText, ERROR_COLOURS)
    sideways = QScrollArea()  # a form wider than its pane
    sideways.setWidgetResizable(True)
    wide = QLabel("x")
    wide.setMinimumWidth(900)
    sideways.setWidget(wide)
    sideways.setFixedWidth(300)
    for widget in (cut, told, fits, button, combo, dark, kept, sideways):
        layout.addWidget(widget)
    window.show()
    qtbot.waitExposed(window)
    found = cut_texts(window)
    kinds = [line.split(" ")[0].rstrip(":") for line in found]
    assert kinds == ["QLabel", "QPushButton", "QComboBox", "QScrollArea"], found
    assert "„Rückmeldefrist der Integrationskonferenz“ braucht" in found[0]
    assert [line.split(" ")[0].rstrip(":") for line in illegible(window)] == ["QLabel"]
    assert "Schrift #8b0000 auf #000000" in illegible(window)[0]


def test_a_validation_message_is_red_where_red_is_legible_else_the_scheme_s_text_colour(
    qtbot: Any, qapp: Any
) -> None:
    """Issue 17: the dark red of a validation message vanished on the black of "Kontrast Schwarz"."""
    label = ErrorLabel()
    qtbot.addWidget(label)
    label.show_message("PLZ: „4632“ ist keine deutsche Postleitzahl")

    def colours() -> tuple[QColor, QColor]:
        palette = label.palette()
        return palette.color(QPalette.ColorRole.WindowText), palette.color(label.backgroundRole())

    ink, ground = colours()
    assert ink == ERROR_COLOURS[0] and contrast(ink, ground) >= TEXT_CONTRAST  # light scheme: dark red
    before = QApplication.palette()
    QApplication.setPalette(high_contrast_palette())
    try:
        qtbot.waitUntil(lambda: colours()[1] == QColor("#000000"))
        ink, ground = colours()
        assert ink == ERROR_COLOURS[1] and contrast(ink, ground) >= TEXT_CONTRAST  # light red on black
    finally:
        QApplication.setPalette(before)
    qtbot.waitUntil(lambda: colours()[0] == ERROR_COLOURS[0])  # and back


@pytest.mark.parametrize("ground", ["#ffffff", "#f0f0f0", "#000000"])
def test_the_program_s_own_colours_stand_out_in_every_scheme(ground: str) -> None:
    """The status badges and the chart's bars (graphics: 3 : 1) stand out from a light and a black
    list; the badge's white sign stands out from its fill; the check-in banner's text from its colour."""
    background = QColor(ground)
    for kind, fill in badge_colours().items():
        assert contrast(QColor(fill), background) >= GRAPHICS_CONTRAST, (kind, fill, ground)
        assert contrast(QColor(fill), QColor("white")) >= GRAPHICS_CONTRAST, (kind, fill)
    for colour, _pattern in SERIES_STYLE:  # a bar is its colour with an outline a shade darker
        base = QColor(colour)
        best = max(contrast(base, background), contrast(base.darker(140), background))
        assert best >= GRAPHICS_CONTRAST, (colour, ground)
    for _sign, style in BANNER.values():
        ink, fill = _style_colours(style)
        assert contrast(ink, fill) >= TEXT_CONTRAST, style


def _style_colours(style: str) -> tuple[QColor, QColor]:
    parts = dict(part.strip().split(": ") for part in style.split(";") if part.strip())
    return QColor(parts["color"]), QColor(parts["background"])


# --- every view and dialog ----------------------------------------------------------------------------


@pytest.mark.skipif(SCALED, reason="im Prozess mit 150 % geprüft")
def test_main_window_1280x800_no_text_cut(qtbot: Any, demo: Database) -> None:
    window = _sized(qtbot, demo, 1280, 800)
    found = [f"{view}: {line}" for view in main_window_views(qtbot, window) for line in cut_texts(window)]
    assert found == [], "\n".join(found)


@pytest.mark.skipif(SCALED, reason="im Prozess mit 100 % geprüft")
def test_the_invitations_keep_their_rows_and_a_long_forum_is_told_whole_at_1280x800(
    qtbot: Any, demo: Database
) -> None:
    """Issue 17: "a detail pane that does not push the list into a corner" – with an invitation chosen,
    the Rückmeldung pane is as low as its fields (it was two text lines taller and left the invitation
    list five rows), the chosen forum, cut in its narrow box, is told whole as its tooltip, and the
    status ("keine Rückmeldung") and the dates are not cut ("keine Rü…")."""
    window = _sized(qtbot, demo, 1280, 800)
    window.show_area(AREA_NAMES.index("Konferenzen"))
    invitations = window.areas["Konferenzen"].invitations
    table = invitations.list_panel.table
    model = table.model()
    forum_column = next(
        c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == "Forum"
    )
    qtbot.waitUntil(lambda: model.rowCount() > 10)
    row = next(r for r in range(model.rowCount()) if model.index(r, forum_column).data())
    table.selectRow(row)
    qtbot.waitUntil(lambda: invitations.editor.forum.currentIndex() > 0)
    qtbot.wait(50)
    shown_rows = table.viewport().height() / table.verticalHeader().defaultSectionSize()
    assert shown_rows >= 7, shown_rows
    assert cut_texts(window) == []
    forum = invitations.editor.forum
    assert forum.toolTip().startswith(forum.currentText())
    # the status and the dates are shown whole; the other columns are cut first
    header = table.horizontalHeader()
    keys = [c.key for c in invitations.list_panel.model.source.columns]
    for key in ("status", "invited_on", "replied_on"):
        column = keys.index(key)
        assert header.sectionSize(column) >= max(
            table.sizeHintForColumn(column), header.sectionSizeHint(column)
        ), key


def test_main_window_at_150_percent_no_text_cut(qtbot: Any, demo: Database) -> None:
    """Run in the second process only (``test_at_150_percent_scaling``): 1920×1080 at 150 %."""
    if not SCALED:
        pytest.skip("läuft im eigenen Prozess mit QT_SCALE_FACTOR=1.5")
    window = _sized(qtbot, demo, 1280, 720)
    assert window.devicePixelRatio() == 1.5
    found = [f"{view}: {line}" for view in main_window_views(qtbot, window) for line in cut_texts(window)]
    assert found == [], "\n".join(found)


@pytest.mark.skipif(SCALED, reason="startet den Prozess mit 150 %")
def test_at_150_percent_scaling(tmp_path: Path) -> None:
    """The main window and every dialog at 150 % scaling, in a process of its own (the scale factor is
    read once, when the application starts)."""
    env = {
        **os.environ,
        "QT_SCALE_FACTOR": "1.5",
        "KONFERENZ_LEGIBILITY_SCALED": "1",
        "QT_QPA_PLATFORM": "offscreen",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--backend",
            "sqlite",
            "--basetemp",
            str(tmp_path / "scaled"),
            __file__,
            "-k",
            "150_percent or no_text_cut and dialog",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert re.search(rf"\b{len(DIALOG_NAMES) + 1} passed", done.stdout), done.stdout[-2000:]


@pytest.mark.parametrize("name", DIALOG_NAMES)
def test_dialog_no_text_cut(qtbot: Any, demo: Database, tmp_path: Path, name: str) -> None:
    dialog = open_dialog(qtbot, demo, tmp_path, name)
    if SCALED:
        assert dialog.devicePixelRatio() == 1.5
    assert cut_texts(dialog) == []


@pytest.mark.skipif(SCALED, reason="im Prozess mit 100 % geprüft")
def test_main_window_high_contrast(qtbot: Any, demo: Database, high_contrast: None) -> None:
    window = open_main_window(qtbot, demo)
    found = [f"{view}: {line}" for view in main_window_views(qtbot, window) for line in illegible(window)]
    assert found == [], "\n".join(found)


@pytest.mark.skipif(SCALED, reason="im Prozess mit 100 % geprüft")
@pytest.mark.parametrize("name", DIALOG_NAMES)
def test_dialog_high_contrast(
    qtbot: Any, demo: Database, tmp_path: Path, name: str, high_contrast: None
) -> None:
    dialog = open_dialog(qtbot, demo, tmp_path, name)
    assert illegible(dialog) == []
