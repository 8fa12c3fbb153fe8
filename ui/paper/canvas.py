"""The page itself: A4 devices without margins, the shipped fonts, PDF bytes, and ``Canvas`` (millimetre
drawing on a QPainter). Every painter of ``ui.paper`` draws through it."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from konferenz import paths
from ui.paper.archive_pdf import prepare_archive_writer

#: font families in order of preference; Qt takes a glyph from the first family that has it
FAMILIES = ("Noto Sans", "Noto Sans Arabic")
FONT_FILES = (
    "NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf",
    "NotoSansArabic-Regular.ttf",
    "NotoSansArabic-Bold.ttf",
)
#: device resolution of the PDFs (QPdfWriter's default); coordinates in the file are PDF points anyway
PDF_RESOLUTION = 1200
CREATOR = "Konferenz – Kreis Borken"

Painting = Callable[[QPagedPaintDevice], object]


def ensure_application() -> QGuiApplication:
    """The running Qt application, or a new QGuiApplication (command line: offscreen platform)."""
    from ui.display import ensure_display

    app = QGuiApplication.instance()
    if app is None:
        ensure_display()
        app = QGuiApplication([])
    return app  # type: ignore[return-value]  # instance() is typed QCoreApplication; ours is a QGuiApplication


@functools.cache
def ensure_fonts() -> tuple[str, ...]:
    """Register the bundled fonts with Qt (once); returns the families that were loaded."""
    ensure_application()
    loaded: list[str] = []
    folder = paths.resources_dir() / "fonts"
    for name in FONT_FILES:
        path = folder / name
        if not path.exists():
            continue
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            loaded.extend(QFontDatabase.applicationFontFamilies(font_id))
    return tuple(dict.fromkeys(loaded))


def make_font(size_pt: float, *, bold: bool = False) -> QFont:
    """A font of the bundled families at ``size_pt`` points."""
    ensure_fonts()
    font = QFont()
    font.setFamilies(list(FAMILIES))
    font.setPointSizeF(size_pt)
    font.setBold(bold)
    font.setKerning(True)
    # no typographic ligatures: "ff", "fi" must stay two letters when the PDF's text is copied or searched
    font.setFeature(QFont.Tag("liga"), 0)
    return font


def prepare_device(device: QPagedPaintDevice, *, landscape: bool = False) -> None:
    """A4 without margins, so that device coordinate 0/0 is the paper corner."""
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    layout = QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter
    )
    layout.setMode(QPageLayout.Mode.FullPageMode)
    device.setPageLayout(layout)
    if hasattr(device, "setFullPage"):  # QPrinter: paint from the paper edge, not the printable area
        device.setFullPage(True)


def pdf_bytes(
    paint: Painting,
    *,
    title: str = "",
    path: str | os.PathLike[str] | None = None,
    archive: bool = False,
    author: str = "",
) -> bytes:
    """Run ``paint`` on a QPdfWriter and return the PDF (also written to ``path`` if given).

    ``archive``: PDF/A with ``title`` and ``author`` in its XMP metadata (``ui.paper.archive_pdf``), for what
    goes into the archive; the other PDFs stay plain PDF 1.4 (the same pages, 3 KB smaller).
    """
    ensure_fonts()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_RESOLUTION)
    writer.setCreator(CREATOR)
    if archive:
        prepare_archive_writer(writer, title=title, author=author)
    elif title:
        writer.setTitle(title)
    prepare_device(writer)
    paint(writer)
    del writer
    buffer.close()
    result = bytes(data.data())
    if path is not None:
        target = Path(path)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(result)
        tmp.replace(target)
    return result


class Canvas:
    """A QPainter on a paged device, addressed in millimetres from the paper corner."""

    def __init__(self, device: QPagedPaintDevice) -> None:
        self.device = device
        self.painter = QPainter()
        if not self.painter.begin(device):
            raise RuntimeError("QPainter.begin() auf dem Druckgerät ist fehlgeschlagen")
        self.painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.sx = device.logicalDpiX() / 25.4
        self.sy = device.logicalDpiY() / 25.4
        self.pages = 0
        self._metrics: dict[tuple[str, float, bool], QFontMetricsF] = {}

    # --- pages -----------------------------------------------------------------------------------------

    def new_page(self) -> None:
        """Start a page (the first call uses the page the device starts with)."""
        if self.pages:
            self.device.newPage()
        self.pages += 1

    def end(self) -> None:
        self.painter.end()

    # --- units -----------------------------------------------------------------------------------------

    def x(self, mm: float) -> float:
        return mm * self.sx

    def y(self, mm: float) -> float:
        return mm * self.sy

    def to_mm(self, device_units: float) -> float:
        return device_units / self.sy

    def rect(self, x: float, y: float, w: float, h: float) -> QRectF:
        return QRectF(self.x(x), self.y(y), self.x(w), self.y(h))

    # --- text ------------------------------------------------------------------------------------------

    def metrics(self, font: QFont) -> QFontMetricsF:
        key = (font.key(), font.pointSizeF(), font.bold())
        found = self._metrics.get(key)
        if found is None:
            found = QFontMetricsF(font, self.device)
            self._metrics[key] = found
        return found

    def text_width(self, text: str, font: QFont) -> float:
        """Width of ``text`` in mm."""
        return self.to_mm(self.metrics(font).horizontalAdvance(text))

    def fit_size(
        self, lines: Sequence[str], size: float, min_size: float, width: float, *, bold: bool = False
    ) -> float:
        """The largest size ≤ ``size`` (≥ ``min_size``) at which every line fits ``width`` mm."""
        if not lines:
            return size
        widest = max(self.text_width(line, make_font(size, bold=bold)) for line in lines)
        if widest <= width:
            return size
        return max(min_size, size * width / widest * 0.995)

    def text(
        self,
        x: float,
        baseline: float,
        text: str,
        font: QFont,
        *,
        max_width: float | None = None,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
        color: QColor | None = None,
    ) -> None:
        """One line of text with its baseline at ``baseline`` mm; elided with "…" beyond ``max_width``."""
        metrics = self.metrics(font)
        if max_width is not None:
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, self.x(max_width))
        left = self.x(x)
        if align & Qt.AlignmentFlag.AlignRight:
            left -= metrics.horizontalAdvance(text)
        elif align & Qt.AlignmentFlag.AlignHCenter:
            left -= metrics.horizontalAdvance(text) / 2
        self.painter.setFont(font)
        self.painter.setPen(color or QColor(Qt.GlobalColor.black))
        self.painter.drawText(QPointF(left, self.y(baseline)), text)

    def ascent(self, font: QFont) -> float:
        """Ascent of ``font`` in mm."""
        return self.to_mm(self.metrics(font).ascent())

    def descent(self, font: QFont) -> float:
        return self.to_mm(self.metrics(font).descent())

    def wrap(self, text: str, font: QFont, width: float) -> list[str]:
        """``text`` broken into lines of at most ``width`` mm (at spaces; very long words are cut)."""
        metrics = self.metrics(font)
        limit = self.x(width)
        lines: list[str] = []
        current = ""
        for word in text.split():
            candidate = f"{current} {word}" if current else word
            if metrics.horizontalAdvance(candidate) <= limit:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = word
            while metrics.horizontalAdvance(current) > limit and len(current) > 1:
                cut = len(current)
                while cut > 1 and metrics.horizontalAdvance(current[:cut]) > limit:
                    cut -= 1
                lines.append(current[:cut])
                current = current[cut:]
        if current:
            lines.append(current)
        return lines

    # --- lines and boxes -------------------------------------------------------------------------------

    def line(self, x1: float, y1: float, x2: float, y2: float, *, width: float = 0.2, gray: int = 0) -> None:
        pen = QPen(QColor(gray, gray, gray))
        pen.setWidthF(self.x(width))
        self.painter.setPen(pen)
        self.painter.drawLine(QPointF(self.x(x1), self.y(y1)), QPointF(self.x(x2), self.y(y2)))

    def box(self, x: float, y: float, w: float, h: float, *, width: float = 0.2, gray: int = 0) -> None:
        pen = QPen(QColor(gray, gray, gray))
        pen.setWidthF(self.x(width))
        self.painter.setPen(pen)
        self.painter.setBrush(Qt.BrushStyle.NoBrush)
        self.painter.drawRect(self.rect(x, y, w, h))

    def page_number(self, page: int, pages: int, *, right: float, baseline: float) -> None:
        self.text(
            right, baseline, f"Seite {page} von {pages}", make_font(9), align=Qt.AlignmentFlag.AlignRight
        )
