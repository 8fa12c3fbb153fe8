"""Writing the program's spreadsheet exports as OpenDocument (.ods, LibreOffice Calc), with odfdo.

The same sheets, headers and cell values as the Excel file of ``konferenz.spreadsheets.xlsx``
(``write_workbook`` hands a target ending in .ods to ``write_ods``): a bold header row with autofilter,
fitting column widths, dates, times and date-times as real ODF dates (shown TT.MM.JJJJ), numbers as
numbers, PLZ and phone numbers as text. A cell is never a formula: every text is a string cell, so a
text starting with "=" stays text. The table is written as XML in one piece (odfdo's cell objects are
too slow for a registry of 100,000 persons) and odfdo packs it with the styles into the file.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from odfdo import Document, Element

from konferenz.errors import UserError
from konferenz.spreadsheets.sheet import MAX_WIDTH, Cell, Sheet, clean_text, text_width

#: width of one character of the column width (the xlsx writer counts characters, like Excel)
CHAR_MM = 2.1

_DAY_MONTH_YEAR = (
    '<number:day number:style="long"/><number:text>.</number:text><number:month number:style="long"/>'
    '<number:text>.</number:text><number:year number:style="long"/>'
)
_HOURS_MINUTES = (
    '<number:hours number:style="long"/><number:text>:</number:text><number:minutes number:style="long"/>'
)
_STYLES = (
    f'<number:date-style style:name="Ndate">{_DAY_MONTH_YEAR}</number:date-style>',
    f'<number:date-style style:name="Ndatetime">{_DAY_MONTH_YEAR}<number:text> </number:text>'
    f"{_HOURS_MINUTES}</number:date-style>",
    f'<number:time-style style:name="Ntime">{_HOURS_MINUTES}</number:time-style>',
    '<style:style style:name="head" style:family="table-cell"><style:text-properties fo:font-weight="bold" '
    'style:font-weight-complex="bold" style:font-weight-asian="bold"/></style:style>',
    '<style:style style:name="date" style:family="table-cell" style:data-style-name="Ndate"/>',
    '<style:style style:name="datetime" style:family="table-cell" style:data-style-name="Ndatetime"/>',
    '<style:style style:name="time" style:family="table-cell" style:data-style-name="Ntime"/>',
    '<style:style style:name="wrap" style:family="table-cell"><style:table-cell-properties '
    'fo:wrap-option="wrap" style:vertical-align="top"/></style:style>',
)


#: spaces ODF would collapse: at the start of a paragraph, and the second and further ones of a run
_KEPT_SPACES = re.compile(r"^ +| {2,}")


def _spaces(match: re.Match[str]) -> str:
    run = match.group()
    if match.start() == 0:
        return f'<text:s text:c="{len(run)}"/>'
    return f' <text:s text:c="{len(run) - 1}"/>'


def _string(text: str) -> str:
    paras = "".join(
        f"<text:p>{_KEPT_SPACES.sub(_spaces, escape(line))}</text:p>" for line in text.split("\n")
    )
    style = ' table:style-name="wrap"' if "\n" in text else ""
    return f'<table:table-cell office:value-type="string"{style}>{paras}</table:table-cell>'


def _cell(value: Cell, as_text: bool) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, str) or as_text:
        text = clean_text(value if isinstance(value, str) else str(value))
        return _string(text) if text else "<table:table-cell/>"
    if isinstance(value, bool):
        word = "true" if value else "false"
        return (
            f'<table:table-cell office:value-type="boolean" office:boolean-value="{word}">'
            f"<text:p>{'WAHR' if value else 'FALSCH'}</text:p></table:table-cell>"
        )
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value!r}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if isinstance(value, dt.datetime):
        return (
            f'<table:table-cell table:style-name="datetime" office:value-type="date" '
            f'office:date-value="{value.replace(tzinfo=None).isoformat(timespec="seconds")}">'
            f"<text:p>{value:%d.%m.%Y %H:%M}</text:p></table:table-cell>"
        )
    if isinstance(value, dt.date):
        return (
            f'<table:table-cell table:style-name="date" office:value-type="date" '
            f'office:date-value="{value.isoformat()}"><text:p>{value:%d.%m.%Y}</text:p></table:table-cell>'
        )
    if isinstance(value, dt.time):
        return (
            f'<table:table-cell table:style-name="time" office:value-type="time" '
            f'office:time-value="PT{value.hour:02d}H{value.minute:02d}M{value.second:02d}S">'
            f"<text:p>{value:%H:%M}</text:p></table:table-cell>"
        )
    return _string(clean_text(str(value)))  # pragma: no cover - Cell has no other types


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _table(sheet: Sheet, title: str, rows: Sequence[Sequence[Cell]], column_styles: list[str]) -> str:
    parts = [f"<table:table table:name={quoteattr(title)}>"]
    parts += [f'<table:table-column table:style-name="{name}"/>' for name in column_styles]
    parts.append("<table:table-header-rows><table:table-row>")
    parts += [
        f'<table:table-cell table:style-name="head" office:value-type="string">'
        f"<text:p>{escape(clean_text(h))}</text:p></table:table-cell>"
        for h in sheet.headers
    ]
    parts.append("</table:table-row></table:table-header-rows>")
    text_columns = sheet.text_columns
    for row in rows:
        parts.append("<table:table-row>")
        parts += [_cell(v, i in text_columns) for i, v in enumerate(row)]
        parts.append("</table:table-row>")
    parts.append("</table:table>")
    return "".join(parts)


def write_ods(path: Path | str, sheets: Sequence[Sheet]) -> Path:
    """Write ``sheets`` to ``path`` (.ods), replacing an existing file only when writing succeeded."""
    target = Path(path).expanduser().absolute()
    if target.suffix.lower() != ".ods":
        raise UserError(f"„{target.name}“: OpenDocument-Tabellen müssen auf .ods enden.")
    if not target.parent.is_dir():
        raise UserError(f"Der Ordner „{target.parent}“ existiert nicht.")
    document = Document("spreadsheet")
    document.body.clear()
    for style in _STYLES:
        document.insert_style(style, automatic=True)
    ranges = []
    widths_seen: dict[str, str] = {}
    for number, sheet in enumerate(sheets, start=1):
        title = sheet.title[:31] or f"Tabelle{number}"
        rows = [raw if isinstance(raw, list | tuple) else list(raw) for raw in sheet.rows]
        widths = [len(h) + 2 for h in sheet.headers]
        for raw in rows:
            for i, v in enumerate(raw):
                if i < len(widths):
                    widths[i] = max(widths[i], text_width(v) + 2)
        names = []
        for w in widths:
            mm = f"{min(w, MAX_WIDTH) * CHAR_MM:.1f}mm"
            name = widths_seen.get(mm)
            if name is None:
                name = widths_seen[mm] = f"co{len(widths_seen) + 1}"
                document.insert_style(
                    f'<style:style style:name="{name}" style:family="table-column">'
                    f'<style:table-column-properties style:column-width="{mm}"/></style:style>',
                    automatic=True,
                )
            names.append(name)
        document.body.append(Element.from_tag(_table(sheet, title, rows, names)))
        last = _column_letter(max(len(sheet.headers), 1) - 1)
        quoted = "'" + title.replace("'", "''") + "'"
        ranges.append(
            f'<table:database-range table:name="__Anonymous_Sheet_DB__{number - 1}" '
            f"table:target-range-address={quoteattr(f'{quoted}.A1:{quoted}.{last}{len(rows) + 1}')} "
            'table:display-filter-buttons="true"/>'
        )
    if ranges:
        document.body.append(
            Element.from_tag(f"<table:database-ranges>{''.join(ranges)}</table:database-ranges>")
        )
    buffer = io.BytesIO()
    document.save(buffer)
    partial = target.with_name(target.name + ".teilweise")
    try:
        partial.write_bytes(buffer.getvalue())
        os.replace(partial, target)
    except PermissionError as exc:
        raise UserError(
            f"„{target}“ kann nicht geschrieben werden – ist die Datei noch in LibreOffice geöffnet?"
        ) from exc
    finally:
        partial.unlink(missing_ok=True)
    return target
