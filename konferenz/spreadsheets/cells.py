"""Cell values of a spreadsheet as the reader returns them (``CellValue``), as text (``cell_text``), and
what is not data in them (error values, control characters, lost letters: ``clean_row``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from konferenz.text import collapse_spaces

CellValue = str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta | None


def cell_text(value: CellValue) -> str:
    """A cell value as text: trimmed and with runs of white space collapsed; whole numbers without ".0",
    dates as TT.MM.JJJJ, times as HH:MM."""
    if value is None:
        return ""
    if isinstance(value, str):
        return collapse_spaces(value)
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value).replace(".", ",")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.strftime("%d.%m.%Y")
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return collapse_spaces(str(value))


def is_empty(values: Sequence[CellValue]) -> bool:
    for v in values:
        if v is None:
            continue
        if isinstance(v, str):
            if v and not v.isspace():
                return False
            continue
        return False
    return True


# --- values that are not data ---------------------------------------------------------------------------

#: Excel's error values in German and English (Microsoft 365 included) and LibreOffice's, case-folded: a
#: formula's cached result that is no data ("#NV" in a name column is an empty name)
ERROR_VALUES = frozenset(
    v.casefold()
    for v in (
        "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!",
        "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#UNKNOWN!", "#BUSY!", "#PYTHON!", "#EXTERNAL!",
        "#WERT!", "#BEZUG!", "#ZAHL!", "#NV", "#ÜBERLAUF!", "#BERECHNEN!", "#FELD!", "#BLOCKIERT!",
        "#VERBINDEN!", "#UNBEKANNT!", "#DATEN_ABRUFEN", "#LÄDT!", "#NAME!", "#LEER!",
    )
)  # fmt: skip
_LIBREOFFICE_ERROR = re.compile(r"(?i)err:\d{3}")
#: control characters that have no place in a cell (tab and line breaks are white space and stay)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: a row with any of these goes the slow way through clean_row: a control character, a cell starting
#: with "#" or "Err:" (an error value), a question mark (letters lost in a lossy export)
_SUSPECT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|(?:^|\n)\s*(?:#|[eE][rR][rR]:)|\?")
_ALL_QUESTION_MARKS = re.compile(r"[?\s]*\?[?\s]*\?[?\s]*")
_LETTER_QUESTION_LETTER = re.compile(r"[^\W\d_]\?+[^\W\d_]")


def column_letters(index: int) -> str:
    """Excel's name of a 0-based column index: 0 → "A", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def describe_column(index: int, headers: Sequence[str]) -> str:
    """ "Spalte B („Nachname“)" – the column as staff find it in the file."""
    header = headers[index].strip() if index < len(headers) else ""
    return f"Spalte {column_letters(index)} („{header}“)" if header else f"Spalte {column_letters(index)}"


def is_error_value(text: str) -> bool:
    """Whether a cell's text is a spreadsheet error value (#NV, #BEZUG!, #N/A, Err:502 …)."""
    text = text.strip()
    return text.casefold() in ERROR_VALUES or bool(_LIBREOFFICE_ERROR.fullmatch(text))


def clean_row(
    values: Sequence[CellValue], headers: Sequence[str]
) -> tuple[Sequence[CellValue], tuple[str, ...]]:
    """The row's values without what is not data, and one German note per change.

    An error value ("#NV", "#BEZUG!", "Err:502") is left empty; control characters (NUL …) are removed;
    a cell of question marks only ("?????", the letters a lossy export could not write) is left empty;
    question marks between letters ("M?ller") are kept but flagged. Most rows pass one regular
    expression and come back unchanged (this runs for every row of a file)."""
    texts = [v for v in values if v.__class__ is str]
    if not texts or not _SUSPECT.search("\n".join(texts)):
        return values, ()
    out = list(values)
    notes: list[str] = []
    for i, cell in enumerate(out):
        if not isinstance(cell, str) or not cell:
            continue
        where = describe_column(i, headers)
        v = cell
        if _CONTROL.search(v):
            v = _CONTROL.sub("", v)
            out[i] = v
            notes.append(f"{where}: Steuerzeichen entfernt.")
        if v[:1] in "#Ee " and is_error_value(v):
            out[i] = None
            notes.append(f"{where}: Fehlerwert „{v.strip()}“ der Tabelle – leer gelassen.")
        elif "?" in v:
            if _ALL_QUESTION_MARKS.fullmatch(v):
                out[i] = None
                notes.append(
                    f"{where}: „{v.strip()}“ – die Schriftzeichen sind beim Export verloren gegangen; "
                    "leer gelassen, bitte nachtragen."
                )
            elif "://" not in v and "@" not in v and _LETTER_QUESTION_LETTER.search(v):
                notes.append(
                    f"{where}: „{v.strip()}“ enthält „?“ statt Buchstaben (beim Export verlorene "
                    "Schriftzeichen?) – bitte prüfen."
                )
    return out, tuple(notes)
