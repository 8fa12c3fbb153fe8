"""Writing a ``model.Document`` as DOCX (Word) with python-docx.

Frames are Word frames: paragraphs with ``w:framePr`` positioned relative to the page (``hAnchor`` and
``vAnchor`` "page", x/y/w/h in twips, exact height), which Word and LibreOffice both keep in place while
the text around them is edited. Tables repeat their title row on every page.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

import docx
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.image.exceptions import UnrecognizedImageError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from konferenz.letters.documents.model import FONT, GRAY, Document, Frame, Para, Picture, Table
from konferenz.letters.geometry import (
    FOLLOW_TOP,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    TEXT_BOTTOM,
    TEXT_LEFT,
    TEXT_RIGHT,
)

#: the elements of ``w:pPr`` that follow ``w:framePr`` (the schema's order, which Word insists on)
_AFTER_FRAME = tuple(
    f"w:{tag}"
    for tag in [
        "widowControl",
        "numPr",
        "suppressLineNumbers",
        "pBdr",
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ]
)


def twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def _fonts(element: Any) -> None:
    """Arial for Latin, complex (Arabic) and East Asian script alike."""
    r_pr = element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _paragraph(paragraph: Any, spec: Para) -> None:
    fmt = paragraph.paragraph_format
    fmt.space_before = Mm(spec.space_before)
    fmt.space_after = Mm(spec.space_after)
    if spec.indent or spec.hanging:
        fmt.left_indent = Mm(spec.indent + spec.hanging)
        fmt.first_line_indent = Mm(-spec.hanging) if spec.hanging else None
    if spec.line:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Mm(spec.line)
    if spec.page_break_before:
        fmt.page_break_before = True
    if spec.keep_with_next:
        fmt.keep_with_next = True
    if spec.align_right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for part in spec.runs:
        run = paragraph.add_run(part.text)  # "\t" and "\n" become w:tab and w:br
        run.font.size = Pt(spec.size)
        run.bold = part.bold or None
        run.italic = part.italic or None
        run.underline = part.underline or None
        if spec.gray:
            run.font.color.rgb = RGBColor.from_string(GRAY)
    if not spec.runs:
        # an empty paragraph is as high as its mark's font: the size of the paragraph
        mark = paragraph._p.get_or_add_pPr()
        r_pr = mark.find(qn("w:rPr"))
        if r_pr is None:
            r_pr = OxmlElement("w:rPr")
            mark.append(r_pr)
        size = OxmlElement("w:sz")
        size.set(qn("w:val"), str(round(spec.size * 2)))
        r_pr.append(size)


def _frame_properties(paragraph: Any, frame: Frame) -> None:
    frame_pr = OxmlElement("w:framePr")
    for name, value in (
        ("w:w", twips(frame.width)),
        ("w:h", twips(frame.height)),
        ("w:hRule", "exact"),
        ("w:wrap", "around"),
        ("w:vAnchor", "page"),
        ("w:hAnchor", "page"),
        ("w:x", twips(frame.x)),
        ("w:y", twips(frame.y)),
    ):
        frame_pr.set(qn(name), str(value))
    paragraph._p.get_or_add_pPr().insert_element_before(frame_pr, *_AFTER_FRAME)


def _frame(document: Any, frame: Frame) -> None:
    if frame.image:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        # python-docx takes PNG, JPEG, GIF, BMP and TIFF: an SVG logo is left out of the document to edit
        with contextlib.suppress(UnrecognizedImageError):
            paragraph.add_run().add_picture(io.BytesIO(frame.image), height=Mm(frame.height))
        _frame_properties(paragraph, frame)
        return
    for spec in frame.paras:
        paragraph = document.add_paragraph()
        _paragraph(paragraph, spec)
        _frame_properties(paragraph, frame)


def _picture(document: Any, picture: Picture) -> None:
    """An image in a paragraph of its own, inline (it moves with the text)."""
    paragraph = document.add_paragraph()
    _paragraph(
        paragraph, Para((), 2.0, space_after=picture.space_after, keep_with_next=picture.keep_with_next)
    )
    with contextlib.suppress(UnrecognizedImageError):
        shape = paragraph.add_run().add_picture(
            io.BytesIO(picture.image), width=Mm(picture.width), height=Mm(picture.height)
        )
        shape._inline.docPr.set("name", picture.name)


def _repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _table(document: Any, table: Table) -> None:
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.autofit = False
    head = grid.rows[0]
    _repeat_header(head)
    for cell, (title, width) in zip(head.cells, table.columns, strict=True):
        cell.width = Mm(width)
        _paragraph(cell.paragraphs[0], Para((), table.size))
        run = cell.paragraphs[0].add_run(title)
        run.bold = True
        run.font.size = Pt(table.size - 0.5)
    for index, values in enumerate(table.rows):
        row = grid.add_row()
        if table.row_height:
            row.height = Mm(table.row_height)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        notes = table.notes[index] if index < len(table.notes) else ()
        for column, (cell, value) in enumerate(zip(row.cells, values, strict=False)):
            cell.width = Mm(table.columns[column][1])
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(value)
            run.font.size = Pt(table.size)
            note = notes[column] if column < len(notes) else ""
            if note:
                extra = cell.add_paragraph()
                small = extra.add_run(note)
                small.font.size = Pt(7.5)
                small.font.color.rgb = RGBColor.from_string(GRAY)


def write_docx(document: Document) -> bytes:
    """The document as the bytes of a .docx file."""
    out = docx.Document()
    section = out.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT)
    section.left_margin, section.right_margin = Mm(TEXT_LEFT), Mm(PAGE_WIDTH - TEXT_RIGHT)
    section.top_margin, section.bottom_margin = Mm(FOLLOW_TOP), Mm(PAGE_HEIGHT - TEXT_BOTTOM)
    normal = out.styles["Normal"]
    normal.font.name = FONT
    _fonts(normal.element)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    out.core_properties.title = document.title
    out.core_properties.author = ""
    for block in document.blocks:
        if isinstance(block, Para):
            _paragraph(out.add_paragraph(), block)
        elif isinstance(block, Frame):
            _frame(out, block)
        elif isinstance(block, Picture):
            _picture(out, block)
        else:
            _table(out, block)
            # Word needs a paragraph between two tables (or after the last one)
            _paragraph(out.add_paragraph(), Para((), 2.0))
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
