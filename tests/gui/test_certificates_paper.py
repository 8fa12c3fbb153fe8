"""Teilnahmebescheinigungen and the signature block on paper: PDFs read back with pypdf, pages rasterised
with pdftoppm to see the scanned signature's ink, the files written; and the dialogs (keyboard, choosing
the signature picture, saving, Abbrechen)."""

from __future__ import annotations

import io
import itertools
import math
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from gui.test_letters_dialog import assert_unique_mnemonics, cancelling_run_task, messages  # noqa: F401
from gui.test_paper import Run, pdf_pages
from pypdf import PdfReader
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from unit.test_certificates import CertWorld, build_certificate_world
from unit.test_letters_content import build_world

from konferenz.letters import content, templates
from konferenz.letters.certificates import CERTIFICATE_TEMPLATE, certificate_contents
from konferenz.letters.sender import SenderSettings, load_sender_settings, save_sender_settings
from konferenz.storage.db import Database
from konferenz.storage.models import Conference
from ui.context import AppContext
from ui.paper import certificates as certificate_paper
from ui.paper.certificates import certificate_pdf, certificates_pdf, write_certificates
from ui.paper.dialogs import certificates_dialog
from ui.paper.dialogs.certificates_dialog import CertificatesDialog
from ui.paper.dialogs.sender_dialog import SenderSettingsDialog
from ui.paper.letters import letters_pdf

SIGNER = "Gülşen Öztürk"
FUNCTION = "Leiterin des Kommunalen Integrationszentrums"
INK = QColor(10, 40, 150)


def signature_png(path: Path) -> Path:
    """A scanned signature: a blue scribble on white, 600 × 180 px."""
    image = QImage(600, 180, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    pen = QPen(INK)
    pen.setWidth(8)
    painter.setPen(pen)
    points = [QPointF(20 + i * 5.6, 90 + 60 * math.sin(i / 5.0)) for i in range(100)]
    for a, b in itertools.pairwise(points):
        painter.drawLine(a, b)
    painter.end()
    assert image.save(str(path))
    return path


def sign(db: Database, picture: bytes = b"", prefix: str = "Im Auftrag") -> SenderSettings:
    with db.read_session() as s:
        sender = load_sender_settings(s)
    signed = replace(
        sender,
        signature_prefix=prefix,
        signature_name=SIGNER,
        signature_function=FUNCTION,
        signature_image=picture,
        signature_image_name="unterschrift.png" if picture else "",
    )
    save_sender_settings(db, signed)
    return signed


def texts(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def find(runs: list[Run], text: str) -> Run:
    return next(run for run in runs if text in run.text)


def blue_ink(data: bytes, page: int, top_mm: float, bottom_mm: float, left_mm: float, right_mm: float) -> int:
    """Pixels of the signature's blue in a zone of a page rasterised by pdftoppm at 100 dpi."""
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "page.pdf"
        pdf.write_bytes(data)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "100",
                "-f",
                str(page),
                "-l",
                str(page),
                "-png",
                "-singlefile",
                str(pdf),
                str(pdf.with_suffix("")),
            ],
            capture_output=True,
            check=True,
        )
        image = QImage(str(pdf.with_suffix(".png")))
    assert not image.isNull()
    scale = 100 / 25.4
    count = 0
    for y in range(int(top_mm * scale), int(bottom_mm * scale)):
        for x in range(int(left_mm * scale), int(right_mm * scale)):
            color = image.pixelColor(x, y)
            if color.blue() > 100 and color.red() < 90 and color.green() < 110:
                count += 1
    return count


needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) fehlt")


@pytest.fixture
def world(db: Database) -> CertWorld:
    return build_certificate_world(db)


@pytest.fixture
def own_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "Vorlagen"
    monkeypatch.setattr(templates, "user_template_dir", lambda: folder)
    return folder


# --- the signature on the letters --------------------------------------------------------------------------


@needs_poppler
def test_letter_prints_the_scanned_signature_between_closing_and_name(
    qapp: object, db: Database, tmp_path: Path
) -> None:
    build_world(db)
    picture = signature_png(tmp_path / "unterschrift.png").read_bytes()
    sign(db, picture)
    letter = content.letter_contents(db, 2026)[0]
    assert letter.signature == ["Im Auftrag", SIGNER, FUNCTION]
    data = letters_pdf([letter])
    text = texts(data)[0]
    assert SIGNER in text and FUNCTION in text and "Im Auftrag" in text
    runs = pdf_pages(data)[0]
    above, name = find(runs, "Im Auftrag"), find(runs, SIGNER)
    assert name.y - above.y > 12  # three blank lines for the signature
    ink = blue_ink(data, 1, above.y + 1, name.y - 3, 24, 90)
    assert ink > 200
    # nothing blue anywhere else on the page, and no ink in the zone without the picture
    assert blue_ink(data, 1, 0, above.y, 0, 210) == 0
    sign(db, b"")
    plain = letters_pdf(content.letter_contents(db, 2026)[:1])
    runs = pdf_pages(plain)[0]
    assert blue_ink(plain, 1, find(runs, "Im Auftrag").y + 1, find(runs, SIGNER).y - 3, 24, 90) == 0


def test_letter_without_a_name_prints_no_lonely_addition(qapp: object, db: Database) -> None:
    build_world(db)
    with db.read_session() as s:
        sender = load_sender_settings(s)
    save_sender_settings(
        db, replace(sender, signature_prefix="Im Auftrag", signature_name="", signature_function="")
    )
    letter = content.letter_contents(db, 2026)[0]
    assert letter.signature == []
    assert "Im Auftrag" not in texts(letters_pdf([letter]))[0]


# --- certificates on paper ---------------------------------------------------------------------------------


def test_certificate_pdfs_read_back(qapp: object, db: Database, world: CertWorld) -> None:
    sign(db, prefix="In Vertretung")
    certs = certificate_contents(db, 2026)
    data = certificates_pdf(certs)
    pages = texts(data)
    assert len(pages) == len(certs) == 6  # one page per person
    first = pages[0]
    for fragment in (
        "Teilnahmebescheinigung",
        "Thị Hương Nguyễn",
        "Integrationskonferenz 2026",
        "Donnerstag, 12. November 2026",
        "6,5 Stunden",
        "Kreis Borken",
        "In Vertretung",
        SIGNER,
        FUNCTION,
    ):
        assert fragment in first, fragment
    oeztuerk = pages[[c.invitation_id for c in certs].index(world.invitations["oeztuerk"])]
    assert "Dr. Ayşe Öztürk" in oeztuerk and "Forum 2: Arbeit & Anerkennung" in oeztuerk
    assert "Türkisch-Deutscher Verein e. V." in oeztuerk
    # a certificate alone: the same page
    single = certificate_pdf(certs[1])
    assert len(PdfReader(io.BytesIO(single)).pages) == 1
    assert texts(single)[0] == pages[1]


@needs_poppler
def test_certificate_prints_the_scanned_signature(
    qapp: object, db: Database, world: CertWorld, tmp_path: Path
) -> None:
    sign(db, signature_png(tmp_path / "u.png").read_bytes())
    data = certificates_pdf(certificate_contents(db, 2026)[:1])
    runs = pdf_pages(data)[0]
    date, name = find(runs, "Borken, "), find(runs, SIGNER)
    assert blue_ink(data, 1, date.y + 1, name.y - 3, 24, 90) > 200


def test_files_one_per_person_and_combined(
    qapp: object, db: Database, world: CertWorld, tmp_path: Path
) -> None:
    certs = certificate_contents(db, 2026)
    folder = tmp_path / "bescheinigungen"
    folder.mkdir()
    reports: list[tuple[int, int]] = []
    written = write_certificates(certs, folder, per_person=True, progress=lambda d, t: reports.append((d, t)))
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(c.file_name for c in certs) and len(names) == 6
    inv = world.invitations["oeztuerk"]
    oeztuerk = folder / f"2026-teilnahmebescheinigung-{inv:05d}-oeztuerk-ayse.pdf"
    assert oeztuerk in written.files
    assert "Dr. Ayşe Öztürk" in texts(oeztuerk.read_bytes())[0]
    assert reports[-1] == (6, 6)
    combined = tmp_path / "alle.pdf"
    write_certificates(certs, combined, per_person=False)
    assert len(PdfReader(combined).pages) == 6


def test_abbrechen_leaves_no_file(qapp: object, db: Database, world: CertWorld, tmp_path: Path) -> None:
    certs = certificate_contents(db, 2026)
    folder = tmp_path / "leer"
    folder.mkdir()
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 3

    with pytest.raises(certificate_paper.CertificatesCancelledError, match="keine Datei gespeichert"):
        write_certificates(certs, folder, per_person=True, cancelled=cancelled)
    assert list(folder.iterdir()) == []
    calls["n"] = 0
    with pytest.raises(certificate_paper.CertificatesCancelledError):
        write_certificates(certs, tmp_path / "alle.pdf", per_person=False, cancelled=cancelled)
    assert not (tmp_path / "alle.pdf").exists() and not list(tmp_path.glob(".alle.pdf*"))


# --- the dialogs -------------------------------------------------------------------------------------------


@pytest.fixture
def ctx(db: Database, qtbot: Any) -> Iterator[tuple[AppContext, QWidget]]:
    parent = QWidget()
    qtbot.addWidget(parent)
    yield AppContext(db), parent
    for dialog in parent.findChildren(QDialog):
        dialog.done(0)


def conference_id(db: Database, year: int) -> int:
    with db.read_session() as s:
        conf = s.query(Conference).filter_by(year=year).one()
        return conf.id


def test_sender_dialog_chooses_the_signature_and_warns_without_a_name(
    ctx: tuple[AppContext, QWidget],
    qtbot: Any,
    tmp_path: Path,
    messages: list[str],  # noqa: F811
) -> None:
    app_ctx, parent = ctx
    build_world(app_ctx.database)
    dialog = SenderSettingsDialog(app_ctx, parent)
    qtbot.addWidget(dialog)
    assert_unique_mnemonics(dialog)
    assert [dialog.prefix_combo.itemText(i) for i in range(dialog.prefix_combo.count())] == [
        "(ohne Zusatz)",
        "Im Auftrag",
        "In Vertretung",
    ]
    assert dialog.prefix_combo.currentData() == "Im Auftrag"
    # "Im Auftrag" without a name: a warning next to the fields, Speichern still allowed
    assert not dialog.signature_hint_label.isHidden()
    assert "nur zusammen mit einem Namen" in dialog.signature_hint_label.text()
    dialog.fields["signature_name"].setText(SIGNER)
    assert dialog.signature_hint_label.isHidden()
    dialog.fields["signature_function"].setText(FUNCTION)
    dialog.prefix_combo.setCurrentIndex(dialog.prefix_combo.findData("In Vertretung"))
    # a bad file: a German message naming it, nothing taken
    bad = tmp_path / "scan.png"
    bad.write_bytes(b"kein Bild")
    assert not dialog.choose_signature(str(bad))
    assert messages and "„scan.png“" in messages[-1]
    picture = signature_png(tmp_path / "unterschrift.png")
    assert dialog.choose_signature(str(picture))
    assert not dialog.signature_preview.pixmap().isNull()
    assert "unterschrift.png" in dialog.signature_label.text()
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    with app_ctx.database.read_session() as s:
        stored = load_sender_settings(s)
    assert stored.signature_lines == ["In Vertretung", SIGNER, FUNCTION]
    assert stored.signature_image == picture.read_bytes()
    # and the letter PDF carries it
    letter = content.letter_contents(app_ctx.database, 2026)[0]
    text = texts(letters_pdf([letter]))[0]
    assert SIGNER in text and FUNCTION in text


def test_certificates_dialog_keyboard_and_choices(ctx: tuple[AppContext, QWidget], qtbot: Any) -> None:
    app_ctx, parent = ctx
    world = build_certificate_world(app_ctx.database)
    chosen = [world.invitations["oeztuerk"], world.invitations["yes"]]
    dialog = CertificatesDialog(app_ctx, parent, conference_id(app_ctx.database, 2026), chosen)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.all_button)
    assert_unique_mnemonics(dialog)
    # the safe default: everyone with check-in, one file
    assert dialog.all_button.isChecked() and dialog.combined_button.isChecked()
    assert dialog.all_button.text() == "&Alle mit Check-in (6)"
    assert dialog.selection_button.text() == "Aus&wahl in der Liste (1 von 2 mit Check-in)"
    assert dialog.people.count() == 6
    assert "Thị Hương Nguyễn" in dialog.preview.toPlainText()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.selection_button.isChecked)  # a mnemonic clicks the button after a moment
    assert [dialog.people.item(i).text() for i in range(dialog.people.count())] == [
        "Dr. Ayşe Öztürk – Türkisch-Deutscher Verein e. V."
    ]
    assert "Dr. Ayşe Öztürk" in dialog.preview.toPlainText()
    assert "Forum 2: Arbeit & Anerkennung" in dialog.preview.toPlainText()


def test_certificates_dialog_preview_follows_the_editor(
    ctx: tuple[AppContext, QWidget],
    qtbot: Any,
    own_templates: Path,
    messages: list[str],  # noqa: F811
) -> None:
    app_ctx, parent = ctx
    build_certificate_world(app_ctx.database)
    dialog = CertificatesDialog(app_ctx, parent, conference_id(app_ctx.database, 2026))
    qtbot.addWidget(dialog)
    dialog.editor.setPlainText(
        '{% set subject = "Bestätigung" %}\n<p>{{ person.name }} – {{ conference.duration }}</p>'
    )
    qtbot.waitUntil(lambda: "Thị Hương Nguyễn – 6,5 Stunden" in dialog.preview.toPlainText(), timeout=3000)
    assert "Bestätigung" in dialog.preview.toPlainText()
    dialog.editor.setPlainText("<p>\n{{ person.nam }}</p>")
    dialog.render_preview()
    assert dialog.error_label.text().startswith("⚠ Zeile 2: „nam“ ist kein bekannter Platzhalter")
    assert not dialog.preview.isEnabled()
    assert dialog.save(own_templates.parent / "x.pdf") is None and "Vorlage korrigieren" in messages[-1]
    assert not (own_templates.parent / "x.pdf").exists()
    dialog.editor.setPlainText("<p>Eigene Fassung für {{ person.name }}</p>")
    dialog.render_preview()
    assert dialog.save_template()
    assert "Eigene Fassung" in (own_templates / CERTIFICATE_TEMPLATE).read_text(encoding="utf-8")
    dialog.use_shipped_text()
    assert "Hiermit bestätigen wir" in dialog.editor.toPlainText()


def test_certificates_dialog_saves_per_person_and_combined(
    ctx: tuple[AppContext, QWidget], qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app_ctx, parent = ctx
    build_certificate_world(app_ctx.database)
    dialog = CertificatesDialog(app_ctx, parent, conference_id(app_ctx.database, 2026))
    qtbot.addWidget(dialog)
    combined = tmp_path / "alle.pdf"
    written = dialog.save(combined)
    assert written is not None and written.files == [combined]
    assert len(PdfReader(combined).pages) == 6
    assert "6 Teilnahmebescheinigungen in einer PDF-Datei gespeichert" in dialog.result_label.text()
    dialog.single_button.setChecked(True)
    folder = tmp_path / "einzeln"
    folder.mkdir()
    written = dialog.save(folder)
    assert written is not None and len(list(folder.glob("2026-teilnahmebescheinigung-*.pdf"))) == 6
    # Abbrechen while painting: nothing written
    other = tmp_path / "abgebrochen"
    other.mkdir()
    monkeypatch.setattr(certificates_dialog, "run_task", cancelling_run_task(after=2))
    monkeypatch.setattr(
        certificates_dialog.QMessageBox,
        "warning",
        staticmethod(lambda *_a: certificates_dialog.QMessageBox.StandardButton.Ok),
    )
    assert dialog.save(other) is None
    assert list(other.iterdir()) == []
    assert "Abgebrochen" in dialog.result_label.text()


def test_certificates_menu_entry(qtbot: Any, db: Database) -> None:
    from ui.actions import create_conference_actions

    holder = QWidget()
    qtbot.addWidget(holder)
    actions = create_conference_actions(holder)
    printing = [a.text() for a in actions.printing() if a is not None]
    assert "Teilnahme&bescheinigungen …" in printing
    keys = [t[t.index("&") + 1].lower() for t in printing if "&" in t]
    assert len(keys) == len(set(keys))


def test_the_menu_opens_the_dialog_for_the_chosen_conference(qtbot: Any, db: Database) -> None:
    from ui.shell.main_window import MainWindow

    world = build_certificate_world(db)
    window = MainWindow(db)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.lists_loaded, timeout=10_000):
        window.show()
    area = window.areas["Konferenzen"]
    window.show_area(1)
    assert area.select_conference(conference_id(db, world.year))  # type: ignore[attr-defined]
    window.conference_actions.certificates.trigger()
    dialog = window.findChild(CertificatesDialog)
    assert dialog is not None and dialog.year == 2026
    assert dialog.all_button.text() == "&Alle mit Check-in (6)"
    dialog.done(0)
