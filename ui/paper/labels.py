"""Address labels on A4 label sheets (Zweckform 3475, 3474, Avery L7160).

The address lines are the same as in the letters (``konferenz.registry.addressing``). Each label's text is fitted
into the label minus a margin: first the font shrinks a little (10 pt down to 8.5 pt), then long lines
wrap (from 10 pt, shrinking down to 5.5 pt only if the label is still too full); the label rectangle is
also a clip, so nothing ever crosses a label edge. ``start`` skips the labels already used on a partly used first sheet.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtGui import QPagedPaintDevice

from ui.paper.canvas import Canvas, make_font, pdf_bytes, prepare_device
from ui.paper.geometry import LABEL_SHEETS, LabelSheet

LABEL_SIZE = 10.0
#: smallest size before long lines wrap instead (wrapping starts again from the full size)
NO_WRAP_MIN_SIZE = 8.5
MIN_SIZE = 5.5
PADDING_X = 4.0
PADDING_Y = 3.0
#: line pitch as a share of the font's natural line spacing
LINE_HEIGHT = 0.92


@dataclass(frozen=True)
class FittedBlock:
    """Lines of text at one size, fitted into a box: sizes in pt, pitch and height in mm."""

    lines: list[str]
    size: float
    pitch: float
    ascent: float
    descent: float
    bold: bool = False

    @property
    def height(self) -> float:
        if not self.lines:
            return 0.0
        return self.ascent + (len(self.lines) - 1) * self.pitch + self.descent


def fit_block(
    canvas: Canvas,
    lines: Sequence[str],
    width: float,
    height: float,
    *,
    size: float = LABEL_SIZE,
    no_wrap_min: float = NO_WRAP_MIN_SIZE,
    min_size: float = MIN_SIZE,
    max_lines: int | None = None,
    bold: bool = False,
    step: float = 0.25,
) -> FittedBlock:
    """The largest font size at which ``lines`` fit ``width`` × ``height`` mm.

    First the font shrinks down to ``no_wrap_min`` with every line whole; if that is not enough, long
    lines wrap at spaces, from ``size`` down to ``min_size``. At ``min_size`` the block is returned as
    it is (the caller clips).
    """

    def attempt(current: float, wrap: bool) -> FittedBlock:
        font = make_font(current, bold=bold)
        result: list[str] = []
        for line in lines:
            if wrap and canvas.text_width(line, font) > width:
                result.extend(canvas.wrap(line, font, width))
            else:
                result.append(line)
        pitch = canvas.to_mm(canvas.metrics(font).lineSpacing()) * LINE_HEIGHT
        return FittedBlock(result, current, pitch, canvas.ascent(font), canvas.descent(font), bold)

    def fits(block: FittedBlock) -> bool:
        font = make_font(block.size, bold=bold)
        too_many = max_lines is not None and len(block.lines) > max_lines
        return (
            not too_many
            and block.height <= height
            and all(canvas.text_width(line, font) <= width for line in block.lines)
        )

    current = size
    while current >= no_wrap_min - 1e-9:
        block = attempt(current, wrap=False)
        if fits(block):
            return block
        current -= step
    current = size
    block = attempt(current, wrap=True)
    while current >= min_size - 1e-9:
        block = attempt(current, wrap=True)
        if fits(block):
            return block
        current -= step
    return block


def paint_block(
    canvas: Canvas, block: FittedBlock, x: float, top: float, *, center_width: float | None = None
) -> None:
    """Paint a fitted block with its first line's ascent at ``top`` (centred in ``center_width``)."""
    font = make_font(block.size, bold=block.bold)
    baseline = top + block.ascent
    for line in block.lines:
        left = x if center_width is None else x + (center_width - canvas.text_width(line, font)) / 2
        canvas.text(left, baseline, line, font)
        baseline += block.pitch


def _sheet(sheet: LabelSheet | str) -> LabelSheet:
    return LABEL_SHEETS[sheet] if isinstance(sheet, str) else sheet


def paint_labels(
    device: QPagedPaintDevice,
    addresses: Sequence[Sequence[str]],
    sheet: LabelSheet | str,
    *,
    start: int = 1,
    outlines: bool = False,
    prepare: bool = True,
) -> int:
    """Paint one label per address; ``start`` is the first free label (1 = top left). Returns pages."""
    spec = _sheet(sheet)
    if not 1 <= start <= spec.per_sheet:
        raise ValueError(f"start must be 1 … {spec.per_sheet}")
    if prepare:
        prepare_device(device)
    canvas = Canvas(device)
    try:
        canvas.new_page()
        if outlines:
            _outlines(canvas, spec)
        for offset, lines in enumerate(addresses):
            index = start - 1 + offset
            if index and index % spec.per_sheet == 0:
                canvas.new_page()
                if outlines:
                    _outlines(canvas, spec)
            x, y, w, h = spec.rect(index)
            inner_w, inner_h = w - 2 * PADDING_X, h - 2 * PADDING_Y
            block = fit_block(canvas, [line for line in lines if line], inner_w, inner_h)
            painter = canvas.painter
            painter.save()
            painter.setClipRect(canvas.rect(x, y, w, h))
            paint_block(canvas, block, x + PADDING_X, y + (h - block.height) / 2)
            painter.restore()
    finally:
        canvas.end()
    return canvas.pages


def _outlines(canvas: Canvas, spec: LabelSheet) -> None:
    for index in range(spec.per_sheet):
        canvas.box(*spec.rect(index), width=0.15, gray=180)


def labels_pdf(
    addresses: Sequence[Sequence[str]],
    sheet: LabelSheet | str,
    path: str | os.PathLike[str] | None = None,
    *,
    start: int = 1,
    outlines: bool = False,
) -> bytes:
    spec = _sheet(sheet)
    return pdf_bytes(
        lambda device: paint_labels(device, addresses, spec, start=start, outlines=outlines),
        title=f"Adressetiketten {spec.name}",
        path=path,
    )
