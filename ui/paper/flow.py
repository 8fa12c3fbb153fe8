"""A flowing document: content laid out top to bottom over A4 pages, with "Seite N von M" in every footer.

The programme, the Regieplan and the minutes (``programme_pdf``) and the access report under Art. 15 DSGVO
(``privacy_report``) are built with it. Layout comes first, painting second: a ``Flow`` records what goes
on which page (``room`` starts a new page when the next piece does not fit), and ``Flow.paint`` paints the
pages once their number is known, each with a running head (from the second page on), a footer note and
the page number. Positions are millimetres from the paper corner, as on the ``Canvas``.

Building blocks, all on a ``Flow``:

- ``text_line``, ``paragraph`` and ``lines``: one line, a wrapped paragraph, or lines from ``wrap_text``
  (line breaks kept, bullets "•", "-", "–" with hanging lines), breaking the page between lines;
- ``title``: the first lines of a document (its kind in grey capitals, the title large and bold);
- ``heading``: a section heading over a rule, kept with the first lines below it;
- ``pairs``: label/value rows (the label bold on the left, the value wrapped beside it);
- ``blocks``: ``Block`` s (lines of one font and colour) one below the other;
- ``Table``: a ruled table whose column heads repeat at the top of every follow-up page;
- ``text_at``, ``rule``, ``line_at``, ``box_at``: free placement on the current page.

A whole document on a device::

    def layout(flow: Flow) -> None:
        flow.title("Protokoll", "Integrationskonferenz 2025")
        flow.heading("Ergebnisse")
        flow.paragraph(text, make_font(10))

    pages = paint_on_device(device, lambda canvas: paint_flow(canvas, layout, running_head="…"))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPagedPaintDevice, QPageLayout

from ui.paper.canvas import Canvas, make_font, prepare_device

#: colour of secondary text (details, running head, footer)
GRAY = QColor(90, 90, 90)
#: grey level (0 black … 255 white) of thin rules
LIGHT = 175
#: line pitch as a share of the font's natural line spacing
LINE_HEIGHT = 0.95

#: something to paint later, when the page count is known
Op = Callable[[], None]
#: one line of a block: (indent in mm, text)
Line = tuple[float, str]
#: lines of one font and colour: (font, colour or None for black, lines)
Block = tuple[QFont, QColor | None, list[Line]]


@dataclass(frozen=True)
class Page:
    """The text area of the device's page, in mm from the paper corner."""

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    #: baseline of the footer line (note and page number)
    footer: float

    @classmethod
    def of(cls, device: QPagedPaintDevice) -> Page:
        """The text area for the device's page size: 20 mm side margins in portrait, 15 mm in landscape."""
        rect = device.pageLayout().fullRect(QPageLayout.Unit.Millimeter)
        width, height = rect.width(), rect.height()
        if width > height:  # landscape
            return cls(width, height, 15.0, width - 15.0, 14.0, height - 16.0, height - 9.0)
        return cls(width, height, 20.0, width - 20.0, 18.0, height - 20.0, height - 11.0)

    @property
    def text_width(self) -> float:
        return self.right - self.left


def wrap_text(canvas: Canvas, text: str, font: QFont, width: float) -> list[Line]:
    """``text`` broken into lines of ``width`` mm: line breaks in the text are kept, and a paragraph that
    starts with a bullet ("•", "-", "–") hangs its following lines under the text after the bullet."""
    result: list[Line] = []
    for raw in text.splitlines():
        paragraph = raw.strip()
        if not paragraph:
            continue
        bullet = paragraph[:2] if paragraph[:2] in ("• ", "- ", "– ") else ""
        if bullet:
            body = paragraph[2:].strip()
            hang = canvas.text_width("• ", font)
            wrapped = canvas.wrap(body, font, width - hang) or [""]
            result.append((0.0, f"• {wrapped[0]}"))
            result.extend((hang, line) for line in wrapped[1:])
        else:
            result.extend((0.0, line) for line in canvas.wrap(paragraph, font, width))
    return result


@dataclass
class Flow:
    """Content laid out top to bottom over pages; the painting waits until the page count is known.

    ``y`` is the top of the next content in mm. ``room(h)`` starts a new page when ``h`` mm do not fit any
    more; ``draw`` records what to paint on the current page. On follow-up pages a running head is
    painted, and ``repeat`` (e.g. a table's column heads) is laid out again.
    """

    canvas: Canvas
    page: Page
    running_head: str
    footer_note: str = ""
    repeat: Callable[[], None] | None = None
    pages: list[list[Op]] = field(default_factory=lambda: [[]])
    y: float = 0.0

    def __post_init__(self) -> None:
        self.y = self.page.top

    @classmethod
    def on(cls, canvas: Canvas, *, running_head: str, footer_note: str = "") -> Flow:
        """A flow over the page size of the canvas's device."""
        return cls(canvas, Page.of(canvas.device), running_head=running_head, footer_note=footer_note)

    # --- pages -------------------------------------------------------------------------------------------

    @property
    def top(self) -> float:
        """Where content starts on the current page (below the running head on follow-up pages)."""
        return self.page.top + (8.0 if len(self.pages) > 1 else 0.0)

    def room(self, height: float) -> None:
        """Start a new page unless ``height`` mm fit below ``y`` (or the page is still empty)."""
        if self.y + height > self.page.bottom and self.y > self.top + 0.01:
            self.pages.append([])
            self.y = self.top
            if self.repeat is not None:
                self.repeat()

    def draw(self, op: Op) -> None:
        """Paint ``op`` on the current page when the flow is painted."""
        self.pages[-1].append(op)

    def paint(self) -> int:
        """Paint every page with running head and footer; returns the number of pages."""
        c, page = self.canvas, self.page
        total = len(self.pages)
        small = make_font(8)
        for number, ops in enumerate(self.pages, start=1):
            c.new_page()
            if number > 1:
                c.text(page.left, page.top, self.running_head, small, color=GRAY)
                c.line(page.left, page.top + 2.0, page.right, page.top + 2.0, gray=LIGHT)
            for op in ops:
                op()
            if self.footer_note:
                c.text(
                    page.left,
                    page.footer,
                    self.footer_note,
                    small,
                    color=GRAY,
                    max_width=page.text_width - 35.0,
                )
            c.page_number(number, total, right=page.right, baseline=page.footer)
        return total

    # --- measures ----------------------------------------------------------------------------------------

    def step(self, font: QFont) -> float:
        """The line pitch of ``font`` in mm."""
        return self.canvas.to_mm(self.canvas.metrics(font).lineSpacing()) * LINE_HEIGHT

    def block_height(self, lines: Sequence[object], font: QFont) -> float:
        """Height of ``lines`` in ``font``."""
        return len(lines) * self.step(font)

    def blocks_height(self, blocks: Sequence[Block], *, gap: float = 0.0) -> float:
        """Height of ``blocks`` painted with ``blocks(…, gap=gap)``."""
        return sum(self.block_height(lines, font) + gap for font, _color, lines in blocks)

    # --- text --------------------------------------------------------------------------------------------

    def text_at(
        self,
        x: float,
        baseline: float,
        text: str,
        font: QFont,
        *,
        color: QColor | None = None,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
        max_width: float | None = None,
    ) -> None:
        """One line of text on the current page (``Canvas.text``); does not move ``y``."""
        c = self.canvas
        self.draw(lambda: c.text(x, baseline, text, font, color=color, align=align, max_width=max_width))

    def lines(self, x: float, lines: Sequence[Line], font: QFont, *, color: QColor | None = None) -> None:
        """Lines (indent, text) one below the other, breaking the page between lines."""
        step = self.step(font)
        ascent = self.canvas.ascent(font)
        for indent, line in lines:
            self.room(step)
            self.text_at(x + indent, self.y + ascent, line, font, color=color)
            self.y += step

    def text_line(
        self, text: str, font: QFont, *, left: float | None = None, color: QColor | None = None
    ) -> None:
        """One line as it is (not wrapped), at ``left`` (default: the page's left margin)."""
        self.lines(self.page.left if left is None else left, [(0.0, text)], font, color=color)

    def paragraph(
        self,
        text: str,
        font: QFont,
        *,
        left: float | None = None,
        width: float | None = None,
        color: QColor | None = None,
    ) -> None:
        """``text`` wrapped to ``width`` mm (default: the page's text width) at ``left``."""
        x = self.page.left if left is None else left
        lines = wrap_text(self.canvas, text, font, self.page.text_width if width is None else width)
        self.lines(x, lines, font, color=color)

    def blocks(self, x: float, blocks: Sequence[Block], *, gap: float = 0.0) -> None:
        """Blocks one below the other, ``gap`` mm after each."""
        for font, color, lines in blocks:
            self.lines(x, lines, font, color=color)
            self.y += gap

    def title(self, kind: str, title: str) -> None:
        """The first lines of a document: its kind in grey capitals, then the title large and bold."""
        kind_font = make_font(10, bold=True)
        title_font = make_font(17, bold=True)
        self.text_line(kind.upper(), kind_font, color=GRAY)
        self.y += 1.0
        self.paragraph(title, title_font)

    def heading(self, text: str) -> None:
        """A section heading over a black rule, kept on a page with room for three lines below it."""
        font = make_font(12, bold=True)
        self.y += 3.0
        self.room(self.step(font) + 3 * self.step(make_font(9.5)))
        self.text_line(text, font)
        self.y += 0.8
        self.rule(self.page.left, self.page.right, width=0.3, gray=0)
        self.y += 1.5

    def pairs(self, rows: Sequence[tuple[str, str]], *, label_width: float = 45.0) -> None:
        """Label/value rows; a long value wraps under itself, the label stays on its first line."""
        c, page = self.canvas, self.page
        label_font = make_font(9.5, bold=True)
        value_font = make_font(9.5)
        width = page.text_width - label_width
        for caption, value in rows:
            lines = wrap_text(c, value, value_font, width) or [(0.0, "")]
            self.room(self.step(value_font) * min(2, len(lines)))
            self.text_at(
                page.left, self.y + c.ascent(label_font), caption, label_font, max_width=label_width - 2
            )
            self.lines(page.left + label_width, lines, value_font)
            self.y += 0.6

    # --- lines and boxes ---------------------------------------------------------------------------------

    def rule(self, x1: float, x2: float, *, width: float = 0.15, gray: int = LIGHT) -> None:
        """A horizontal line at ``y`` (does not move ``y``)."""
        self.line_at(x1, self.y, x2, self.y, width=width, gray=gray)

    def line_at(
        self, x1: float, y1: float, x2: float, y2: float, *, width: float = 0.15, gray: int = LIGHT
    ) -> None:
        c = self.canvas
        self.draw(lambda: c.line(x1, y1, x2, y2, width=width, gray=gray))

    def box_at(self, x: float, y: float, w: float, h: float, *, width: float = 0.25, gray: int = 120) -> None:
        c = self.canvas
        self.draw(lambda: c.box(x, y, w, h, width=width, gray=gray))


class Table:
    """A ruled table over the page's text width; the column heads repeat at the top of every follow-up page.

    ``widths`` in mm; a last width of 0 takes the rest of the line. ``start`` paints the heads, ``row``
    one row (cells of ``Block`` s from ``cell``), ``end`` stops repeating the heads.
    """

    def __init__(
        self,
        flow: Flow,
        titles: Sequence[str],
        widths: Sequence[float],
        *,
        pad: float = 1.5,
        head_font: QFont | None = None,
    ) -> None:
        page = flow.page
        self.flow = flow
        self.titles = tuple(titles)
        self.widths = list(widths)
        if self.widths and self.widths[-1] == 0.0:
            self.widths[-1] = page.text_width - sum(self.widths[:-1])
        self.lefts = [page.left + sum(self.widths[:i]) for i in range(len(self.widths))]
        self.pad = pad
        self.head_font = head_font or make_font(8.5, bold=True)

    def start(self) -> None:
        """Paint the column heads here and on every follow-up page."""
        self.heads()
        self.flow.repeat = self.heads

    def end(self) -> None:
        self.flow.repeat = None

    def heads(self) -> None:
        flow, page, font, pad = self.flow, self.flow.page, self.head_font, self.pad
        flow.rule(page.left, page.right, width=0.4, gray=0)
        top = flow.y
        for title, x, w in zip(self.titles, self.lefts, self.widths, strict=True):
            flow.text_at(x + pad, top + 1.2 + flow.canvas.ascent(font), title, font, max_width=w - 2 * pad)
        flow.y = top + flow.step(font) + 2.4
        flow.rule(page.left, page.right, width=0.4, gray=0)
        self._verticals(top, flow.y)

    def cell(
        self, text: str, column: int, font: QFont, color: QColor | None = None, indent: float = 0.0
    ) -> Block:
        """``text`` wrapped to the column's width (less ``indent``) as one block of a cell."""
        width = self.widths[column] - 2 * self.pad - indent
        return (font, color, wrap_text(self.flow.canvas, text, font, width))

    def row(self, cells: Sequence[Sequence[Block]], *, indents: Sequence[float] = ()) -> None:
        """One row, as tall as its tallest cell, kept on one page; ``indents`` in mm by column."""
        flow, page, pad = self.flow, self.flow.page, self.pad
        height = max(flow.blocks_height(blocks) for blocks in cells) + 2 * pad
        flow.room(height)
        top = flow.y
        for index, blocks in enumerate(cells):
            flow.y = top + pad
            indent = indents[index] if index < len(indents) else 0.0
            flow.blocks(self.lefts[index] + pad + indent, blocks)
        flow.y = top + height
        flow.rule(page.left, page.right)
        self._verticals(top, flow.y)

    def _verticals(self, top: float, bottom: float) -> None:
        for x in (*self.lefts, self.flow.page.right):
            self.flow.line_at(x, top, x, bottom)


def paint_flow(
    canvas: Canvas, layout: Callable[[Flow], object], *, running_head: str, footer_note: str = ""
) -> int:
    """Lay out a document with ``layout`` on a new ``Flow`` over the open canvas and paint it, starting
    a new page; returns the pages used."""
    flow = Flow.on(canvas, running_head=running_head, footer_note=footer_note)
    layout(flow)
    return flow.paint()


def paint_on_device(
    device: QPagedPaintDevice,
    paint: Callable[[Canvas], int],
    *,
    landscape: bool = False,
    prepare: bool = True,
) -> int:
    """Run ``paint`` on a canvas over ``device`` (prepared as A4 unless ``prepare`` is false) and close
    the canvas again; returns what ``paint`` returns (the number of pages)."""
    if prepare:
        prepare_device(device, landscape=landscape)
    canvas = Canvas(device)
    try:
        return paint(canvas)
    finally:
        canvas.end()
