"""Everything printed, read back from the PDF: text positions in mm (pypdf), page structure, scripts.

The letters, labels, badges and lists are painted in-process on a QPdfWriter (and once on a QPrinter);
pypdf's text visitor gives every text run with its baseline position, converted from PDF points (y axis
bottom-up) to millimetres from the top-left paper corner, so the DIN 5008 zones can be checked directly.
"""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from unit.test_letters_content import build_world

from konferenz.enums import Gender
from konferenz.letters import content, sheets, templates
from konferenz.letters.content import AgendaLine, ForumLine, LetterContent, Programme, ReplyForm
from konferenz.letters.sender import SenderSettings
from konferenz.letters.sheets import Attendee
from konferenz.registry.addressing import Addressee
from konferenz.storage.db import Database
from ui.paper.canvas import make_font
from ui.paper.geometry import (
    ADDRESS_FIELD_RIGHT,
    AVERY_L4785,
    AVERY_L7160,
    FORM_A,
    FORM_B,
    INFO_LEFT,
    TEXT_LEFT,
    ZWECKFORM_3474,
    ZWECKFORM_3475,
    LabelSheet,
    LetterForm,
)

PT = 25.4 / 72


# --- reading PDFs back -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One text run: text, start x and baseline y in mm from the top-left corner, size in pt."""

    text: str
    x: float
    y: float
    size: float


def page_runs(page: object) -> list[Run]:
    height = float(page.mediabox.height)  # type: ignore[attr-defined]
    runs: list[Run] = []

    def visit(text: str, cm: Sequence[float], tm: Sequence[float], _font: object, font_size: float) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        size = font_size * math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
        runs.append(Run(" ".join(text.replace("\t", " ").split()), x * PT, (height - y) * PT, size))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return runs


def merge_runs(runs: Sequence[Run]) -> list[Run]:
    """Runs that continue each other on one baseline joined into one (Qt splits a line at script changes)."""
    merged: list[Run] = []
    for run in runs:
        if merged:
            prev = merged[-1]
            end = prev.x + run_width(None, prev)
            if (
                abs(prev.y - run.y) < 0.05
                and end - 0.5 <= run.x <= end + 2.5
                and abs(prev.size - run.size) < 0.1
            ):
                joiner = " " if run.x - end > 0.3 else ""
                merged[-1] = Run(prev.text + joiner + run.text, prev.x, prev.y, prev.size)
                continue
        merged.append(run)
    return merged


def pdf_pages(data: bytes) -> list[list[Run]]:
    return [merge_runs(page_runs(page)) for page in PdfReader(io.BytesIO(data)).pages]


def page_texts(data: bytes) -> list[str]:
    return [" ".join(run.text for run in runs) for runs in pdf_pages(data)]


_METRICS_DEVICE: list[object] = []


def run_width(qapp: object, run: Run, *, bold: bool = False) -> float:
    """Width of a run in mm, measured with the same font and size on a PDF device (as painted)."""
    from PySide6.QtCore import QBuffer
    from PySide6.QtGui import QFontMetricsF, QPdfWriter

    if not _METRICS_DEVICE:
        _METRICS_DEVICE.extend([QBuffer(), None])
        writer = QPdfWriter(_METRICS_DEVICE[0])  # type: ignore[arg-type]
        writer.setResolution(1200)
        _METRICS_DEVICE[1] = writer
    writer = _METRICS_DEVICE[1]
    metrics = QFontMetricsF(make_font(run.size, bold=bold), writer)  # type: ignore[arg-type]
    return metrics.horizontalAdvance(run.text) / 1200 * 25.4


def poppler_text(data: bytes, page: int) -> str:
    """Page text by pdftotext (logical order for right-to-left scripts), NFKC-normalised."""
    result = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-", "-"], input=data, capture_output=True, check=True
    )
    text = unicodedata.normalize("NFKC", result.stdout.decode("utf-8"))
    # poppler wraps right-to-left runs in embedding marks (U+202B … U+202C)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


# --- letters ---------------------------------------------------------------------------------------------

SENDER = SenderSettings(
    contact_name="Frau Beispiel", contact_email="integration@example.org", signature_name="Maria Beispiel"
)

ADDRESSEES = [
    Addressee(
        gender=Gender.MALE,
        title="Prof. Dr.",
        first_name="Mohammed",
        last_name="Al-Hassan",
        organisation="Caritasverband für das Dekanat Borken e. V.",
        department="Fachdienst Migration & Integration",
        street="Heidener Straße 4",
        postal_code="46325",
        city="Borken",
    ),
    Addressee(
        gender=Gender.FEMALE,
        title="Dr.",
        first_name="Наталья",
        last_name="Иванова",
        organisation="Russischsprachiger Kulturverein <Ahaus> e. V.",
        street="Hauptstraße 1",
        postal_code="48683",
        city="Ahaus",
    ),
    Addressee(
        gender=Gender.UNKNOWN,
        first_name="Nguyễn Thị",
        last_name="Đào",
        organisation="Gemeente Oost Gelre",
        department="Team Integratie",
        street="Kerkstraat 5",
        postal_code="7141 AB",
        city="Groenlo",
        country="Niederlande",
    ),
    Addressee(
        gender=Gender.FEMALE,
        first_name="Ayşe",
        last_name="Yılmaz-Öztürk",
        organisation="Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen",
        department="Abteilung Integration",
        street="Völklinger Straße 49",
        postal_code="40221",
        city="Düsseldorf",
    ),
    Addressee(
        has_person=False, organisation="Stadt Vreden", po_box="1234", postal_code="48688", city="Vreden"
    ),
]


def make_letter(
    addressee: Addressee, body: str, *, invitation_id: int = 1, enclosures: bool = False
) -> LetterContent:
    programme = Programme(
        "Programm – Integrationskonferenz 2026",
        "Donnerstag, 10. Dezember 2026, 9:00 bis 15:30 Uhr",
        "Kreishaus Borken, Burloer Straße 93, 46325 Borken",
        [AgendaLine("9:00", "Begrüßung", "Landrat"), AgendaLine("9:30", "Vortrag Teilhabe", "Prof. Dr. X")],
        [ForumLine(1, "Wohnen und Quartier"), ForumLine(2, "Arbeit und Anerkennung")],
    )
    form = ReplyForm(
        "Rückmeldung – Integrationskonferenz 2026",
        addressee.name_with_title,
        addressee.organisation,
        ["Forum 1: Wohnen und Quartier", "Forum 2: Arbeit und Anerkennung"],
        "20. November 2026",
        SENDER.return_address,
        addressee.name_with_title,
        SENDER.phone,
        SENDER.contact_email,
    )
    return LetterContent(
        invitation_id=invitation_id,
        recipient=addressee.name_with_title or addressee.organisation,
        address_lines=addressee.address_lines(),
        sender_line=SENDER.sender_line,
        letterhead=SENDER.letterhead,
        info=[("", SENDER.unit), ("Auskunft", SENDER.contact_name), ("Telefon", SENDER.phone)],
        date_line="Borken, 25. November 2026",
        subject="Einladung zur Integrationskonferenz 2026",
        salutation=addressee.salutation(),
        body_html=body,
        closing=SENDER.closing,
        signature=[SENDER.signature_prefix, SENDER.signature_name],
        footer=SENDER.footer,
        enclosures=["Programm", "Rückmeldebogen"] if enclosures else [],
        programme=programme if enclosures else None,
        reply_form=form if enclosures else None,
    )


def body_html() -> str:
    return templates.render_body("einladung", content.sample_context(SENDER))


def long_body() -> str:
    return "".join(
        f"<p>Absatz {n}: " + "Gemeinsam gestalten wir Teilhabe im Kreis Borken. " * 6 + "</p>"
        for n in range(1, 31)
    )


def letters_bytes(letters: Sequence[LetterContent], form: LetterForm) -> tuple[bytes, list[object]]:
    from ui.paper.canvas import pdf_bytes
    from ui.paper.letters import paint_letters

    placed: list[object] = []
    data = pdf_bytes(lambda device: placed.extend(paint_letters(device, letters, form)))
    return data, placed


def assert_address_in_zones(
    runs: Sequence[Run], form: LetterForm, expected: Sequence[str], sender_line: str
) -> None:
    field = [
        r
        for r in runs
        if r.x < ADDRESS_FIELD_RIGHT and form.vermerk_top - 2 <= r.y <= form.anschrift_bottom + 8
    ]
    sender = [r for r in field if r.y <= form.anschrift_top]
    address = [r for r in field if r.y > form.anschrift_top]
    # the sender line: one line, ~8 pt, the lowest (and only) filled line of the Vermerkzone
    assert [r.text for r in sender] == [sender_line]
    assert form.vermerk_top < sender[0].y - sender[0].size * 0.72 * PT
    assert sender[0].y + 0.3 * sender[0].size * PT <= form.anschrift_top
    assert 6.0 <= sender[0].size <= 8.5
    assert abs(sender[0].x - TEXT_LEFT) < 0.05
    # every address line inside the Anschriftzone, from the 25 mm line, at least 8 pt
    # every word in order; a very long line may wrap within the six lines, nothing is cut off
    assert " ".join(r.text for r in address).split() == " ".join(expected).split()
    assert len(address) <= 6
    assert not any("…" in r.text for r in address)
    for r in address:
        cap_top = r.y - 0.72 * r.size * PT
        descent_bottom = r.y + 0.3 * r.size * PT
        assert form.anschrift_top <= cap_top, r
        assert descent_bottom <= form.anschrift_bottom, r
        assert abs(r.x - TEXT_LEFT) < 0.05, r
        assert r.size >= 7.95, r


@pytest.mark.parametrize("form", [FORM_B, FORM_A], ids=["Form B", "Form A"])
def test_letters_address_in_window_zones(qapp: object, form: LetterForm) -> None:
    letters = [make_letter(a, body_html(), invitation_id=i) for i, a in enumerate(ADDRESSEES, start=1)]
    data, placed = letters_bytes(letters, form)
    pages = pdf_pages(data)
    assert len(pages) == sum(p.total_pages for p in placed)  # type: ignore[attr-defined]
    for letter, where in zip(letters, placed, strict=True):
        first = pages[where.first_page]  # type: ignore[attr-defined]
        # each letter starts on a new page: letterhead first, its own address and salutation on it
        assert first[0].text == "Kreis Borken"
        assert_address_in_zones(first, form, letter.address_lines, letter.sender_line)
        for run in first:
            if run.y > form.anschrift_top and run.x < ADDRESS_FIELD_RIGHT and run.y < form.anschrift_bottom:
                assert run.x + run_width(qapp, run) <= ADDRESS_FIELD_RIGHT + 0.1, run
        texts = [r.text for r in first]
        assert letter.salutation in texts
        assert "Einladung zur Integrationskonferenz 2026" in texts
        # information block from the 125 mm line, top at 32/50 mm
        info = [r for r in first if abs(r.x - INFO_LEFT) < 0.05]
        assert info[0].text == "Kommunales Integrationszentrum"
        assert form.info_top <= info[0].y - 0.72 * info[0].size * PT < form.info_top + 2
        assert "Borken, 25. November 2026" in [r.text for r in info]


def test_letter_body_size(qapp: object) -> None:
    """The body is laid out for the PDF (not tiny screen text) at the 25 mm line."""
    data, _ = letters_bytes([make_letter(ADDRESSEES[0], body_html())], FORM_B)
    runs = pdf_pages(data)[0]
    body = [r for r in runs if r.text.startswith("der Kreis Borken lädt Sie herzlich")]
    assert body and abs(body[0].size - 10.5) < 0.2
    assert abs(body[0].x - TEXT_LEFT) < 0.05
    salutation = next(r for r in runs if r.text.startswith("Sehr geehrter"))
    assert body[0].y > salutation.y + 5  # one blank line between salutation and text


def edge_marks(data: bytes, page: int = 0) -> list[float]:
    """y (mm) of the short horizontal lines at the left paper edge (fold and hole marks)."""
    stream = PdfReader(io.BytesIO(data)).pages[page].get_contents().get_data().decode("latin-1")  # type: ignore[union-attr]
    scale = float(re.search(r"([\d.]+) 0 0 -[\d.]+ 0 [\d.]+ cm", stream).group(1)) * PT  # type: ignore[union-attr]
    marks = []
    for x1, y1, x2, y2 in re.findall(r"([\d.]+) ([\d.]+) m\s+([\d.]+) ([\d.]+) l\s", stream):
        if float(y1) == float(y2) and float(x1) * scale < 10 and float(x2) * scale < 15:
            marks.append(round(float(y1) * scale, 1))
    return sorted(marks)


@pytest.mark.parametrize("form", [FORM_B, FORM_A], ids=["Form B", "Form A"])
def test_fold_and_hole_marks(qapp: object, form: LetterForm) -> None:
    data, _ = letters_bytes([make_letter(ADDRESSEES[0], body_html())], form)
    assert edge_marks(data) == sorted([*form.fold_marks, 148.5])


def test_long_letter_breaks_with_page_numbers(qapp: object) -> None:
    letters = [
        make_letter(ADDRESSEES[0], long_body(), invitation_id=1),
        make_letter(ADDRESSEES[1], body_html(), invitation_id=2),
    ]
    data, placed = letters_bytes(letters, FORM_B)
    first, second = placed
    assert first.letter_pages >= 2  # type: ignore[attr-defined]
    total = first.letter_pages  # type: ignore[attr-defined]
    texts = page_texts(data)
    assert f"Seite 1 von {total}" in texts[0]
    for n in range(2, total + 1):
        page = pdf_pages(data)[n - 1]
        assert page[0].text == f"Seite {n} von {total}"
        assert page[0].y < 20
    # every paragraph printed exactly once across the pages (no line lost or doubled at a break)
    everything = " ".join(texts[:total])
    for n in range(1, 31):
        assert everything.count(f"Absatz {n}:") == 1
    assert "Mit freundlichen Grüßen" in texts[total - 1]
    # body text stays above the footer zone on every page
    for runs in pdf_pages(data)[:total]:
        for run in runs:
            if run.text.startswith("Absatz") or run.text.startswith("Gemeinsam"):
                assert run.y < 275
    # the next letter starts on a fresh page
    assert second.first_page == total  # type: ignore[attr-defined]
    assert pdf_pages(data)[total][0].text == "Kreis Borken"
    assert "Seite" not in texts[total]


@pytest.mark.parametrize("repeat", [4, 6, 7])
def test_headings_stay_with_their_text(qapp: object, repeat: int) -> None:
    """A paragraph without space below (a heading) never ends a page: it moves over with its text."""
    sections = "".join(
        f'<p style="margin-bottom: 0px"><b>Überschrift {n}</b></p>'
        f"<p>{'Ergebnis aus dem Forum, festgehalten im Protokoll. ' * (repeat + n % 5)}</p>"
        for n in range(1, 40)
    )
    data, placed = letters_bytes([make_letter(ADDRESSEES[0], sections)], FORM_B)
    pages = pdf_pages(data)[: placed[0].letter_pages]  # type: ignore[attr-defined]
    assert len(pages) >= 3
    for runs in pages[:-1]:
        body = [r for r in runs if abs(r.x - TEXT_LEFT) < 0.05 and 20 < r.y < 278]
        assert not body[-1].text.startswith("Überschrift"), body[-1]
    everything = " ".join(page_texts(data))
    assert all(everything.count(f"Überschrift {n} ") == 1 for n in range(1, 40))


def test_enclosures_programme_and_reply_form(qapp: object) -> None:
    letter = make_letter(ADDRESSEES[0], body_html(), enclosures=True)
    data, placed = letters_bytes([letter], FORM_B)
    assert placed[0].total_pages == placed[0].letter_pages + 2  # type: ignore[attr-defined]
    texts = page_texts(data)
    assert "Anlagen" in texts[0] and "Rückmeldebogen" in texts[0]
    programme = texts[placed[0].letter_pages]  # type: ignore[attr-defined]
    assert "Programm – Integrationskonferenz 2026" in programme
    assert "9:00" in programme and "Begrüßung" in programme
    form_page = pdf_pages(data)[-1]
    form_text = " ".join(r.text for r in form_page)
    assert "Prof. Dr. Mohammed Al-Hassan" in form_text  # pre-filled
    assert "Forum 2: Arbeit und Anerkennung" in form_text
    # the reply form goes back in a window envelope: the KI's address in the Anschriftzone
    assert_address_in_zones(form_page, FORM_B, SENDER.return_address, "Prof. Dr. Mohammed Al-Hassan")


def test_special_characters_print_as_themselves(qapp: object) -> None:
    ctx = content.sample_context(SENDER)
    ctx["conference"]["title"] = 'Konferenz "Vielfalt" <Borken> & Co'
    html = templates.render_body("einladung", ctx)
    data, _ = letters_bytes([make_letter(ADDRESSEES[1], html)], FORM_B)
    text = page_texts(data)[0]
    assert 'Konferenz "Vielfalt" <Borken> & Co' in text.replace("“", '"').replace("„", '"')
    assert "Russischsprachiger Kulturverein <Ahaus> e. V." in text
    assert "&amp;" not in text and "&lt;" not in text


def test_scripts_are_extractable(qapp: object) -> None:
    arabic = Addressee(
        gender=Gender.MALE,
        first_name="محمد",
        last_name="الحسن",
        street="Markt 1",
        postal_code="46395",
        city="Bocholt",
    )
    letters = [
        make_letter(a, body_html(), invitation_id=i)
        for i, a in enumerate([ADDRESSEES[1], ADDRESSEES[2], arabic], 1)
    ]
    data, _ = letters_bytes(letters, FORM_B)
    texts = [unicodedata.normalize("NFC", t) for t in page_texts(data)]
    assert "Frau Dr. Наталья Иванова" in texts[0]
    assert "Sehr geehrte Frau Dr. Иванова," in texts[0]
    assert "Nguyễn Thị Đào" in texts[1]
    assert "Guten Tag Nguyễn Thị Đào," in texts[1]
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) fehlt für den Arabisch-Teil")
    # Qt maps shaped Arabic glyphs to Unicode presentation forms; NFKC gives the letters back
    arabic_page = poppler_text(data, 3)
    assert "Herrn محمد الحسن" in arabic_page
    assert "Sehr geehrter Herr الحسن," in arabic_page


def test_same_painting_on_a_printer(qapp: object, tmp_path: Path) -> None:
    """QPrinter (what the print dialog and the preview use) gets the same geometry as the PDF."""
    from PySide6.QtPrintSupport import QPrinter

    from ui.paper.letters import paint_letters

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "drucker.pdf"
    printer.setOutputFileName(str(target))
    letter = make_letter(ADDRESSEES[0], body_html())
    paint_letters(printer, [letter], FORM_B)
    runs = pdf_pages(target.read_bytes())[0]
    assert_address_in_zones(runs, FORM_B, letter.address_lines, letter.sender_line)


@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")  # offscreen platform noise
def test_print_preview_uses_the_same_painter(qapp: object, qtbot: object) -> None:
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget

    from ui.paper.dialogs.preview import make_print_preview
    from ui.paper.letters import paint_letters

    letters = [
        make_letter(ADDRESSEES[0], long_body()),
        make_letter(ADDRESSEES[1], body_html(), invitation_id=2),
    ]
    _, placed = letters_bytes(letters, FORM_B)
    devices: list[object] = []

    def paint(device: object) -> None:
        devices.append(device)
        paint_letters(device, letters, FORM_B)  # type: ignore[arg-type]

    dialog = make_print_preview(None, paint, title="Druckvorschau Briefe")
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.open()
    widget = dialog.findChild(QPrintPreviewWidget)
    assert widget is not None
    qtbot.waitUntil(lambda: widget.pageCount() > 0)  # type: ignore[attr-defined]
    assert widget.pageCount() == sum(p.total_pages for p in placed)  # type: ignore[attr-defined]
    assert isinstance(devices[0], QPrinter)
    assert devices[0].fullPage()
    assert dialog.windowTitle() == "Druckvorschau Briefe"
    dialog.close()


def test_letters_from_the_database(qapp: object, sqlite_db: Database) -> None:
    from ui.paper.letters import letters_pdf

    build_world(sqlite_db)
    letters = content.letter_contents(sqlite_db, 2026, programme=True, reply_form=True)
    data = letters_pdf(letters)
    pages = pdf_pages(data)
    firsts = [i for i, runs in enumerate(pages) if runs and runs[0].text == "Kreis Borken"]
    assert len(firsts) == len(letters)
    for index, letter in zip(firsts, letters, strict=True):
        assert_address_in_zones(pages[index], FORM_B, letter.address_lines, letter.sender_line)
        assert letter.salutation in [r.text for r in pages[index]]


# --- labels ----------------------------------------------------------------------------------------------

LABEL_ADDRESSES = [a.address_lines() for a in ADDRESSEES] + [
    ["Herrn Dr. Max Mustermann", "Musterweg 1", "46325 Borken"],
    ["Frau Hildegard Wilhelmine Bernadette von und zu Hohenberg-Schwarzenfels", "Straße 1", "48691 Vreden"],
]


def _label_index_of(sheet: LabelSheet, run: Run) -> int | None:
    for index in range(sheet.per_sheet):
        x, y, w, h = sheet.rect(index)
        if x <= run.x <= x + w and y <= run.y <= y + h:
            return index
    return None


@pytest.mark.parametrize("sheet", [ZWECKFORM_3475, ZWECKFORM_3474, AVERY_L7160], ids=lambda s: s.key)
def test_labels_stay_inside_their_rectangles(qapp: object, sheet: LabelSheet) -> None:
    from ui.paper.labels import labels_pdf

    addresses = LABEL_ADDRESSES * 4  # more than one sheet
    start = 5
    data = labels_pdf(addresses, sheet, start=start)
    pages = pdf_pages(data)
    assert len(pages) == math.ceil((start - 1 + len(addresses)) / sheet.per_sheet)
    seen: dict[tuple[int, int], list[str]] = {}
    for page_no, runs in enumerate(pages):
        for run in runs:
            index = _label_index_of(sheet, run)
            assert index is not None, run
            x, y, w, h = sheet.rect(index)
            assert run.x >= x and run.x + run_width(qapp, run) <= x + w, run
            assert run.y - 0.75 * run.size * PT >= y and run.y + 0.3 * run.size * PT <= y + h, run
            seen.setdefault((page_no, index), []).append(run.text)
    # the first labels of a partly used sheet stay empty; then the addresses follow in order
    assert min(index for (page, index) in seen if page == 0) == start - 1
    first = seen[(0, start - 1)]
    assert first == addresses[0] or " ".join(first) == " ".join(addresses[0])
    # a long organisation name wraps or shrinks but every word arrives
    ministry = " ".join(seen[(0, start - 1 + 3)])
    assert ministry.split() == " ".join(addresses[3]).split()


def test_start_position_checked(qapp: object) -> None:
    from ui.paper.labels import labels_pdf

    with pytest.raises(ValueError, match="start"):
        labels_pdf([["x"]], ZWECKFORM_3475, start=25)


# --- badges and lists ------------------------------------------------------------------------------------


def test_badges(qapp: object) -> None:
    from ui.paper.badges import badges_pdf

    entries = [
        Attendee("Prof. Dr. Mohammed Al-Hassan", "Universität Münster", "Forum 2: Arbeit"),
        Attendee("Наталья Иванова", "Russischsprachiger Kulturverein Ahaus e. V.", ""),
        Attendee("محمد الحسن", "Integrationsrat Bocholt", "Forum 1: Wohnen"),
        Attendee("Nguyễn Thị Lan", "Vietnamesischer Verein Gronau e. V.", ""),
        Attendee("Hildegard Wilhelmine Bernadette von Hohenberg-Schwarzenfels", "Stadt Vreden", ""),
    ] * 3
    data = badges_pdf(entries, title="Integrationskonferenz 2026")
    pages = pdf_pages(data)
    assert len(pages) == 2
    texts = [unicodedata.normalize("NFC", t) for t in page_texts(data)]
    assert "Prof. Dr. Mohammed Al-Hassan" in texts[0]
    assert "Наталья Иванова" in texts[0]
    assert "Nguyễn Thị Lan" in texts[0]
    assert "Forum 2: Arbeit" in texts[0]
    for runs in pages:
        for run in runs:
            index = _label_index_of(AVERY_L4785, run)
            assert index is not None, run
            x, _y, w, _h = AVERY_L4785.rect(index)
            assert run.x >= x + 1 and run.x + run_width(qapp, run, bold=True) <= x + w - 1, run
    names = [r for r in pages[0] if r.text == "Prof. Dr. Mohammed Al-Hassan"]
    organisations = [r for r in pages[0] if r.text == "Universität Münster"]
    assert names[0].size > organisations[0].size  # the name is the large line
    assert names[0].y < organisations[0].y


def test_signin_and_attendee_lists(qapp: object, sqlite_db: Database) -> None:
    from ui.paper.lists import attendee_list_pdf, signin_sheet_pdf

    build_world(sqlite_db)
    sheet = sheets.signin_sheet(sqlite_db, 2026)
    data = signin_sheet_pdf(sheet, blank_rows=12)
    text = " ".join(page_texts(data))
    assert "Unterschriftenliste" in text and "Integrationskonferenz 2026" in text
    assert "Donnerstag, 10. Dezember 2026" in text
    for head in ("Nr.", "Name", "Organisation", "Unterschrift"):
        assert head in text
    for name in (
        "Prof. Dr. Mohammed Al-Hassan",
        "Karl von Stein",
        "Sara Vertretung",
        "in Vertretung für Jonas Lammers",
    ):
        assert name in text
    assert "Anna Müller" not in text  # not accepted
    numbers = {r.text for runs in pdf_pages(data) for r in runs if r.text.isdigit()}
    assert {str(n) for n in range(1, 3 + 12 + 1)} <= numbers
    assert "Seite 1 von 1" in text
    forum = signin_sheet_pdf(sheets.signin_sheet(sqlite_db, 2026, forum="1"))
    assert "Forum 1: Wohnen und Quartier" in page_texts(forum)[0]
    assert "Karl von Stein" not in page_texts(forum)[0]
    listed = attendee_list_pdf(sheets.attendee_list(sqlite_db, 2026))
    listed_text = " ".join(page_texts(listed))
    assert "Teilnehmerliste" in listed_text
    assert "Sara Vertretung" in listed_text
    assert "Al-Hassan" not in listed_text  # consent withdrawn
    assert "Karl von Stein" not in listed_text  # no consent for the list


def test_long_signin_sheet_has_page_numbers(qapp: object) -> None:
    from ui.paper.lists import signin_sheet_pdf

    rows = [Attendee(f"Person {n:03d}", f"Organisation {n}") for n in range(1, 61)]
    sheet = sheets.AttendanceSheet("Integrationskonferenz 2026", "Donnerstag, 10. Dezember 2026", "", rows)
    data = signin_sheet_pdf(sheet, blank_rows=10)
    texts = page_texts(data)
    assert len(texts) >= 3
    for n, text in enumerate(texts, start=1):
        assert f"Seite {n} von {len(texts)}" in text
        assert "Unterschrift" in text  # column heads on every page
    everything = " ".join(texts)
    assert all(everything.count(f"Person {n:03d}") == 1 for n in range(1, 61))
