"""Writing a ``model.Document`` as ODT (LibreOffice Writer, OpenDocument) with odfdo.

Frames are Writer text frames (``draw:frame`` with a ``draw:text-box``) anchored to the paragraph before
them and positioned relative to the page (``style:horizontal-rel``/``vertical-rel`` "page", ``svg:x``,
``svg:y``, ``svg:width``, ``svg:height`` in mm), so each letter's address field lies in the window of the
envelope on its own page. The automatic styles are made once per distinct format.
"""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape, quoteattr

from odfdo import Document as OdfDocument
from odfdo import Element

from konferenz.letters.documents.model import (
    FONT,
    GRAY,
    Document,
    Frame,
    Para,
    Picture,
    Run,
    Table,
    image_size,
)
from konferenz.letters.geometry import (
    FOLLOW_TOP,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    TEXT_BOTTOM,
    TEXT_LEFT,
    TEXT_RIGHT,
)

_SPACES = re.compile(r"^ +| {2,}")


def _spaces(match: re.Match[str]) -> str:
    """Spaces ODF would collapse (leading ones, the second and further of a run) as ``text:s``."""
    run = match.group()
    if match.start() == 0:
        return f'<text:s text:c="{len(run)}"/>'
    return f' <text:s text:c="{len(run) - 1}"/>'


def _mm(value: float) -> str:
    return f"{value:.2f}mm"


class _Styles:
    """Automatic styles by their content: the same format gets the same name."""

    def __init__(self, document: OdfDocument) -> None:
        self.document = document
        self.names: dict[str, str] = {}

    def _add(self, prefix: str, family: str, body: str) -> str:
        key = f"{family}|{body}"
        name = self.names.get(key)
        if name is None:
            name = f"{prefix}{len(self.names) + 1}"
            self.names[key] = name
            xml = f'<style:style style:name="{name}" style:family="{family}">{body}</style:style>'
            self.document.insert_style(xml, automatic=True)
        return name

    def paragraph(self, spec: Para) -> str:
        props = [
            f'fo:margin-top="{_mm(spec.space_before)}"',
            f'fo:margin-bottom="{_mm(spec.space_after)}"',
            f'fo:margin-left="{_mm(spec.indent + spec.hanging)}"',
            f'fo:text-indent="{_mm(-spec.hanging)}"',
        ]
        if spec.line:
            props.append(f'fo:line-height="{_mm(spec.line)}"')
        if spec.page_break_before:
            props.append('fo:break-before="page"')
        if spec.keep_with_next:
            props.append('fo:keep-with-next="always"')
        if spec.align_right:
            props.append('fo:text-align="end"')
        tabs = (
            '<style:tab-stops><style:tab-stop style:position="0mm"/></style:tab-stops>'
            if spec.hanging
            else ""
        )
        color = f' fo:color="#{GRAY}"' if spec.gray else ""
        size = f"{spec.size:g}pt"
        text = (
            f'<style:text-properties fo:font-size="{size}" style:font-size-complex="{size}" '
            f'style:font-size-asian="{size}" fo:font-family="{FONT}" style:font-family-complex="{FONT}" '
            f'style:font-family-asian="{FONT}"{color}/>'
        )
        return self._add(
            "P",
            "paragraph",
            f"<style:paragraph-properties {' '.join(props)}>{tabs}</style:paragraph-properties>{text}",
        )

    def run(self, run: Run) -> str:
        props = []
        if run.bold:
            props.append(
                'fo:font-weight="bold" style:font-weight-complex="bold" style:font-weight-asian="bold"'
            )
        if run.italic:
            props.append(
                'fo:font-style="italic" style:font-style-complex="italic" style:font-style-asian="italic"'
            )
        if run.underline:
            props.append(
                'style:text-underline-style="solid" style:text-underline-width="auto" style:text-underline-color="font-color"'
            )
        return self._add("T", "text", f"<style:text-properties {' '.join(props)}/>")

    def frame(self) -> str:
        return self._add(
            "fr",
            "graphic",
            '<style:graphic-properties style:wrap="run-through" style:run-through="foreground" '
            'style:vertical-pos="from-top" style:vertical-rel="page" style:horizontal-pos="from-left" '
            'style:horizontal-rel="page" style:flow-with-text="false" fo:padding="0mm" fo:border="none" '
            'draw:fill="none" draw:stroke="none" fo:margin-left="0mm" fo:margin-right="0mm" fo:margin-top="0mm" '
            'fo:margin-bottom="0mm" style:shadow="none"/>',
        )

    def inline(self) -> str:
        return self._add(
            "fr",
            "graphic",
            '<style:graphic-properties style:vertical-pos="top" style:vertical-rel="baseline" '
            'fo:padding="0mm" fo:border="none" style:shadow="none"/>',
        )

    def table(self, width: float) -> str:
        return self._add(
            "Tb", "table", f'<style:table-properties style:width="{_mm(width)}" table:align="left"/>'
        )

    def column(self, width: float) -> str:
        return self._add(
            "Co", "table-column", f'<style:table-column-properties style:column-width="{_mm(width)}"/>'
        )

    def cell(self) -> str:
        return self._add(
            "Ce",
            "table-cell",
            '<style:table-cell-properties fo:border="0.5pt solid #000000" fo:padding="1mm" style:vertical-align="middle"/>',
        )

    def row(self, height: float) -> str:
        return self._add(
            "Ro", "table-row", f'<style:table-row-properties style:min-row-height="{_mm(height)}"/>'
        )


def _text(text: str) -> str:
    """Text as ODF character content: tabs, line breaks and runs of spaces as their elements."""
    out = []
    for i, line in enumerate(text.split("\n")):
        if i:
            out.append("<text:line-break/>")
        for j, part in enumerate(line.split("\t")):
            if j:
                out.append("<text:tab/>")
            out.append(_SPACES.sub(_spaces, escape(part)))
    return "".join(out)


class _Writer:
    def __init__(self, document: OdfDocument) -> None:
        self.document = document
        self.styles = _Styles(document)
        self.body = document.body
        self.last: Element | None = None
        self.frames = 0
        self.tables = 0
        self.pictures = 0

    def para_xml(self, spec: Para) -> str:
        runs = []
        for run in spec.runs:
            if run.bold or run.italic or run.underline:
                runs.append(
                    f'<text:span text:style-name="{self.styles.run(run)}">{_text(run.text)}</text:span>'
                )
            else:
                runs.append(_text(run.text))
        return f'<text:p text:style-name="{self.styles.paragraph(spec)}">{"".join(runs)}</text:p>'

    def para(self, spec: Para) -> None:
        element = Element.from_tag(self.para_xml(spec))
        self.body.append(element)
        self.last = element

    def image_xml(self, data: bytes) -> str:
        """The image ``data`` (PNG or JPEG) as a part of the file, and the ``draw:image`` showing it."""
        self.pictures += 1
        extension = "png" if data.startswith(b"\x89PNG") else "jpg"
        buffer = io.BytesIO(data)
        buffer.name = f"bild{self.pictures}.{extension}"  # odfdo names the part after it
        href = self.document.add_file(buffer)
        return f'<draw:image xlink:href={quoteattr(href)} xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>'

    def picture(self, picture: Picture) -> None:
        """An image in a paragraph of its own, as a character (it moves with the text)."""
        if image_size(picture.image) is None:
            return
        self.frames += 1
        spec = Para((), 2.0, space_after=picture.space_after, keep_with_next=picture.keep_with_next)
        xml = (
            f'<draw:frame draw:style-name="{self.styles.inline()}" draw:name={quoteattr(picture.name)} '
            f'text:anchor-type="as-char" svg:width="{_mm(picture.width)}" svg:height="{_mm(picture.height)}" '
            f'draw:z-index="{self.frames}">{self.image_xml(picture.image)}</draw:frame>'
        )
        element = Element.from_tag(self.para_xml(spec))
        element.append(Element.from_tag(xml))
        self.body.append(element)
        self.last = element

    def frame(self, frame: Frame) -> None:
        if self.last is None:
            self.para(Para((), 2.0))
        self.frames += 1
        x, width = frame.x, frame.width
        if frame.image:
            size = image_size(frame.image)
            if size is None:
                return  # an SVG logo: left out of the document to edit
            scaled = frame.height * size[0] / size[1]
            if scaled < width:
                x, width = x + width - scaled, scaled
            inner = self.image_xml(frame.image)
        else:
            inner = "<draw:text-box>" + "".join(self.para_xml(p) for p in frame.paras) + "</draw:text-box>"
        xml = (
            f'<draw:frame draw:style-name="{self.styles.frame()}" draw:name={quoteattr(frame.name)} '
            f'text:anchor-type="paragraph" svg:x="{_mm(x)}" svg:y="{_mm(frame.y)}" '
            f'svg:width="{_mm(width)}" svg:height="{_mm(frame.height)}" draw:z-index="{self.frames}">'
            f"{inner}</draw:frame>"
        )
        assert self.last is not None
        self.last.append(Element.from_tag(xml))

    def table(self, table: Table) -> None:
        self.tables += 1
        styles = self.styles
        width = sum(w for _t, w in table.columns)
        cell = styles.cell()
        head = Para((), table.size - 0.5)
        parts = [f'<table:table table:name="Tabelle{self.tables}" table:style-name="{styles.table(width)}">']
        parts += [f'<table:table-column table:style-name="{styles.column(w)}"/>' for _t, w in table.columns]
        parts.append("<table:table-header-rows><table:table-row>")
        for title, _w in table.columns:
            parts.append(
                f'<table:table-cell table:style-name="{cell}" office:value-type="string">'
                f"{self.para_xml(Para((Run(title, bold=True),), head.size))}</table:table-cell>"
            )
        parts.append("</table:table-row></table:table-header-rows>")
        row_style = f' table:style-name="{styles.row(table.row_height)}"' if table.row_height else ""
        for index, values in enumerate(table.rows):
            notes = table.notes[index] if index < len(table.notes) else ()
            parts.append(f"<table:table-row{row_style}>")
            for column, value in enumerate(values):
                content = self.para_xml(Para((Run(value),), table.size))
                note = notes[column] if column < len(notes) else ""
                if note:
                    content += self.para_xml(Para((Run(note),), 7.5, gray=True))
                parts.append(
                    f'<table:table-cell table:style-name="{cell}" office:value-type="string">{content}</table:table-cell>'
                )
            parts.append("</table:table-row>")
        parts.append("</table:table>")
        self.body.append(Element.from_tag("".join(parts)))
        self.last = None


def _page_layout(document: OdfDocument) -> None:
    """A4 with the DIN 5008 text area on the default page style."""
    master = document.get_style("master-page", "Standard")
    name = master.get_attribute("style:page-layout-name") if master is not None else "Mpm1"
    layout = document.get_style("page-layout", str(name))
    if layout is None:  # pragma: no cover - odfdo's template has it
        return
    props = layout.get_element("style:page-layout-properties")
    assert props is not None
    for attr, value in (
        ("fo:page-width", PAGE_WIDTH),
        ("fo:page-height", PAGE_HEIGHT),
        ("fo:margin-top", FOLLOW_TOP),
        ("fo:margin-bottom", PAGE_HEIGHT - TEXT_BOTTOM),
        ("fo:margin-left", TEXT_LEFT),
        ("fo:margin-right", PAGE_WIDTH - TEXT_RIGHT),
    ):
        props.set_attribute(attr, _mm(value))


def write_odt(document: Document) -> bytes:
    """The document as the bytes of an .odt file."""
    out = OdfDocument("text")
    out.body.clear()
    _page_layout(out)
    out.meta.set_title(document.title)
    writer = _Writer(out)
    for block in document.blocks:
        if isinstance(block, Para):
            writer.para(block)
        elif isinstance(block, Frame):
            writer.frame(block)
        elif isinstance(block, Picture):
            writer.picture(block)
        else:
            writer.table(block)
    if not document.blocks:
        writer.para(Para(()))
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
