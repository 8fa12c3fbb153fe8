"""Print preview for everything printed: the same painting function that writes the PDFs paints here.

``show_print_preview(parent, paint)`` opens Qt's QPrintPreviewDialog (zoom, page view, print button with
the system's print dialog); ``paint`` is one of the painters of ``ui.paper`` bound to its content, e.g.
``functools.partial(paint_letters, letters=contents, form="B")``. The printer paints from the paper edge
(full page), so the DIN 5008 positions on paper match the PDF.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QPagedPaintDevice
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from ui.paper.canvas import ensure_fonts, prepare_device


def make_print_preview(
    parent: QWidget | None,
    paint: Callable[[QPagedPaintDevice], object],
    *,
    title: str = "Druckvorschau",
) -> QPrintPreviewDialog:
    """The preview dialog, not yet shown (tests and callers that want ``open()`` instead of ``exec()``)."""
    ensure_fonts()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    prepare_device(printer)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(title)
    dialog.setAccessibleName(title)
    dialog.paintRequested.connect(paint)
    # the printer must live as long as the dialog
    dialog._printer = printer  # type: ignore[attr-defined]  # kept on the dialog so Qt does not delete it early
    return dialog


def show_print_preview(
    parent: QWidget | None,
    paint: Callable[[QPagedPaintDevice], object],
    *,
    title: str = "Druckvorschau",
) -> int:
    """Show the preview modally; returns the dialog's result (accepted when the user printed)."""
    dialog = make_print_preview(parent, paint, title=title)
    return dialog.exec()
