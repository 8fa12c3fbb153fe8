"""A format-neutral office document: paragraphs of runs, frames placed on the page (mm from the top-left
corner of the sheet), tables; written by ``konferenz.letters.documents.docx_writer`` and ``.odt_writer``."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from konferenz.letters.geometry import BODY_SIZE

#: the typeface of the documents: Arial (on Windows with Arabic, Cyrillic and Vietnamese; LibreOffice
#: substitutes the metric-compatible Liberation Sans)
FONT = "Arial"
GRAY = "5A5A5A"


@dataclass(frozen=True)
class Run:
    """Text with one format; a "\\n" in ``text`` is a line break inside the paragraph."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


@dataclass(frozen=True)
class Para:
    """One paragraph; lengths in mm, the size in pt; ``line`` is an exact line pitch (mm) or 0 for single."""

    runs: tuple[Run, ...]
    size: float = BODY_SIZE
    gray: bool = False
    space_before: float = 0.0
    space_after: float = 0.0
    indent: float = 0.0
    #: a hanging indent (list items: the bullet stands at ``indent``, the text at ``indent + hanging``)
    hanging: float = 0.0
    line: float = 0.0
    page_break_before: bool = False
    keep_with_next: bool = False
    align_right: bool = False

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def para(text: str, size: float = BODY_SIZE, *, bold: bool = False, **options: object) -> Para:
    """A paragraph of one run."""
    return Para((Run(text, bold=bold),), size, **options)  # type: ignore[arg-type]  # the Para fields


@dataclass(frozen=True)
class Frame:
    """Paragraphs in a box of fixed size at ``x``, ``y`` (mm from the sheet's left and top edge)."""

    name: str
    x: float
    y: float
    width: float
    height: float
    paras: tuple[Para, ...]
    #: an image (PNG or JPEG bytes) filling the frame instead of paragraphs (logo)
    image: bytes = b""


@dataclass(frozen=True)
class Picture:
    """An image (PNG or JPEG bytes) of ``width`` × ``height`` mm in the text, in a paragraph of its own
    (the scanned signature)."""

    name: str
    image: bytes
    width: float
    height: float
    space_after: float = 0.0
    keep_with_next: bool = False


@dataclass(frozen=True)
class Table:
    """Column titles and widths (mm), rows of cells; the title row repeats on every page."""

    columns: tuple[tuple[str, float], ...]
    rows: tuple[tuple[str, ...], ...]
    size: float = 9.5
    #: the height of a row in mm (the sign-in sheet leaves room to sign); 0 for as the text needs
    row_height: float = 0.0
    #: small gray second lines under cells (same shape as ``rows``; "" for none)
    notes: tuple[tuple[str, ...], ...] = ()


#: what a document is made of, in order
Block = Para | Frame | Picture | Table


@dataclass
class Document:
    """What a writer receives: a title (the file's metadata) and blocks in order. A ``Frame`` belongs to
    the paragraph before it (its anchor, on its page), so every letter carries its frames to its own page;
    the page itself is A4 with the DIN 5008 text area (``page_margins``)."""

    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)


class Writer(Protocol):
    def __call__(self, document: Document) -> bytes: ...


def plain_text(blocks: Sequence[Block]) -> list[str]:
    """The text of the blocks in order (frames and tables cell by cell), for messages and tests."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            out.append(block.text)
        elif isinstance(block, Frame):
            out.extend(p.text for p in block.paras)
        elif isinstance(block, Table):
            out.extend(title for title, _w in block.columns)
            for row in block.rows:
                out.extend(row)
    return out


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height in pixels of a PNG or JPEG (None for anything else, e.g. an SVG logo)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                return None
            marker = data[i + 1]
            length = struct.unpack(">H", data[i + 2 : i + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return width, height
            i += 2 + length
    return None
