"""Teilnahmebescheinigungen on paper: one A4 page per person, painted with QPainter on any
QPagedPaintDevice (PDF, printer, preview), and writing them as one PDF or one PDF per person.

The page reuses the letters' painter: the letterhead with the logo (``LetterPainter.paint_letterhead``),
the body laid out as the letters' body (``LetterPainter.document``) and the signature block with the
scanned signature (``LetterPainter.paint_signature_block``), so the certificate is signed exactly as the
letters are. The content (who, what text, which forums) comes from ``konferenz.letters.certificates``.

Writing (``write_certificates``) paints person by person with progress and Abbrechen, stages every file
under a temporary name and renames them only when all are painted: Abbrechen or a failure leaves no file.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import overload

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QPagedPaintDevice, QPalette

from konferenz.errors import UserError, file_problem
from konferenz.letters.certificates import CertificateContent
from konferenz.lists.source import format_count
from ui.paper.canvas import Canvas, make_font, pdf_bytes, prepare_device
from ui.paper.geometry import FOOTER_TOP, FORM_B, PAGE_WIDTH, TEXT_BOTTOM, TEXT_LEFT, TEXT_RIGHT
from ui.paper.letter_output import check_targets
from ui.paper.letters import GRAY, LetterPainter
from ui.widgets.tasks import Cancelled, Progress

TITLE_SIZE = 20.0
#: the title's baseline (below the Form B letterhead) and the top of the body text, mm from the top
TITLE_BASELINE = 72.0
BODY_TOP = 84.0
FOOTER_SIZE = 7.5


class CertificatesCancelledError(UserError):
    """The user pressed Abbrechen; no file was written."""

    def __init__(self) -> None:
        super().__init__("Abgebrochen – es wurde keine Datei gespeichert.")


class CertificatePainter:
    """Paints certificates onto one canvas, one page each."""

    def __init__(self, canvas: Canvas) -> None:
        self.c = canvas
        self.letters = LetterPainter(canvas, FORM_B, marks=False)
        self.title_font = make_font(TITLE_SIZE, bold=True)
        self.footer_font = make_font(FOOTER_SIZE)

    def paint(self, cert: CertificateContent) -> None:
        c = self.c
        c.new_page()
        self.letters.paint_letterhead(cert.letterhead, cert.logo)
        c.text(
            PAGE_WIDTH / 2, TITLE_BASELINE, cert.title, self.title_font, align=Qt.AlignmentFlag.AlignHCenter
        )
        doc = self.letters.document(cert.body_html)
        width = TEXT_RIGHT - TEXT_LEFT
        # the page keeps the signature block: the body is cut at the bottom of the text area if need be
        room = TEXT_BOTTOM - BODY_TOP - 40.0
        height = min(c.to_mm(doc.size().height()), room)
        painter = c.painter
        painter.save()
        painter.translate(c.x(TEXT_LEFT), c.y(BODY_TOP))
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, QColor(Qt.GlobalColor.black))
        context.clip = QRectF(0, 0, c.x(width), c.y(height))
        doc.documentLayout().draw(painter, context)
        painter.restore()
        line = self.letters.line
        top = BODY_TOP + height + 2 * line
        if cert.date_line:
            c.text(TEXT_LEFT, top + c.ascent(self.letters.body_font), cert.date_line, self.letters.body_font)
            top += 2 * line
        self.letters.paint_signature_block(top, "", cert.signature, cert.signature_image)
        for i, text in enumerate(cert.footer):
            c.text(TEXT_LEFT, FOOTER_TOP + 4.0 + i * 3.4, text, self.footer_font, color=GRAY)


def paint_certificates(
    device: QPagedPaintDevice, certificates: Sequence[CertificateContent], *, prepare: bool = True
) -> int:
    """Paint ``certificates`` onto ``device``, one page each; returns the number of pages."""
    if prepare:
        prepare_device(device)
    canvas = Canvas(device)
    painter = CertificatePainter(canvas)
    try:
        for cert in certificates:
            painter.paint(cert)
        if not certificates:
            canvas.new_page()
            canvas.text(TEXT_LEFT, 40.0, "Keine Teilnahmebescheinigungen.", make_font(10.5))
    finally:
        canvas.end()
    return canvas.pages


def certificates_pdf(
    certificates: Sequence[CertificateContent], path: str | os.PathLike[str] | None = None
) -> bytes:
    """All ``certificates`` in one PDF, one page each (returned, and written to ``path`` if given)."""
    title = certificates[0].title if certificates else "Teilnahmebescheinigungen"
    return pdf_bytes(lambda device: paint_certificates(device, certificates), title=title, path=path)


def certificate_pdf(cert: CertificateContent) -> bytes:
    """One certificate as a PDF of its own."""
    return pdf_bytes(
        functools.partial(paint_certificates, certificates=[cert]), title=f"{cert.title} – {cert.name}"
    )


# --- writing ---------------------------------------------------------------------------------------------


@dataclass
class Written:
    """What ``write_certificates`` wrote: how many certificates, which files."""

    certificates: int
    files: list[Path] = field(default_factory=list)


def _stage(files: Sequence[tuple[Path, bytes]]) -> list[Path]:
    """Write every file under a temporary name, then rename them all; nothing stays behind on failure."""
    check_targets([target for target, _data in files])
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in files:
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            staged.append((tmp, target))
            tmp.write_bytes(data)
        for tmp, target in staged:
            tmp.replace(target)
    except OSError as exc:
        for tmp, _target in staged:
            tmp.unlink(missing_ok=True)
        raise UserError(file_problem(staged[-1][1] if staged else files[0][0], exc)) from None
    return [target for _tmp, target in staged]


def write_certificates(
    certificates: Sequence[CertificateContent],
    target: Path,
    *,
    per_person: bool,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Written:
    """Write ``certificates`` as one PDF at ``target`` or (``per_person``) one PDF each into the folder
    ``target``, named as the letter archive names files. Any thread; Abbrechen between two pages."""
    if not certificates:
        raise UserError("Für diese Auswahl gibt es keine Teilnahmebescheinigungen.")
    total = len(certificates)
    report = progress or (lambda _done, _total: None)
    stop = cancelled or (lambda: False)

    def step(done: int) -> None:
        if stop():
            raise CertificatesCancelledError
        report(done, total)

    if per_person:
        if not target.is_dir():
            raise UserError(f"Den Ordner „{target}“ gibt es nicht.")
        check_targets([target / cert.file_name for cert in certificates])
        files = []
        for done, cert in enumerate(certificates):
            step(done)
            files.append((target / cert.file_name, certificate_pdf(cert)))
        step(total)
        return Written(total, _stage(files))
    check_targets([target])
    data = pdf_bytes(
        lambda device: paint_certificates(device, _Ticking(certificates, step)), title=certificates[0].title
    )
    step(total)
    return Written(total, _stage([(target, data)]))


class _Ticking(Sequence[CertificateContent]):
    """The certificates as ``paint_certificates`` reads them, reporting (and stopping) page by page."""

    def __init__(self, certificates: Sequence[CertificateContent], step: Callable[[int], None]) -> None:
        self._certificates = certificates
        self._step = step

    def __len__(self) -> int:
        return len(self._certificates)

    @overload
    def __getitem__(self, index: int) -> CertificateContent: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[CertificateContent]: ...
    def __getitem__(self, index: int | slice) -> CertificateContent | Sequence[CertificateContent]:
        return self._certificates[index]

    def __iter__(self) -> Iterator[CertificateContent]:
        for done, cert in enumerate(self._certificates):
            self._step(done)
            yield cert


def written_text(written: Written, *, per_person: bool) -> str:
    """ "3 Teilnahmebescheinigungen gespeichert: …" for the status bar and the command line."""
    what = "Teilnahmebescheinigung" if written.certificates == 1 else "Teilnahmebescheinigungen"
    count = f"{format_count(written.certificates)} {what}"
    if per_person:
        folder = written.files[0].parent if written.files else ""
        return f"{count} als einzelne PDF-Dateien gespeichert in {folder}."
    return f"{count} in einer PDF-Datei gespeichert: {written.files[0]}."
