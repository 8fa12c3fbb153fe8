"""The frames a page of a letter and of its reply form share in the office documents: the address field
(Vermerkzone with the sender line, Anschriftzone with the address) and the information block, placed by the
DIN 5008 numbers of ``konferenz.letters.geometry``."""

from __future__ import annotations

from collections.abc import Sequence

from konferenz.letters.documents.model import Frame, Para, Run, para
from konferenz.letters.geometry import (
    ADDRESS_FIELD_LEFT,
    ADDRESS_SIZE,
    INFO_LEFT,
    INFO_RIGHT,
    INFO_SIZE,
    LINE,
    SENDER_SIZE,
    TEXT_LEFT,
    LetterForm,
)

#: the sender line's own line pitch (8 pt type)
SENDER_LINE = 3.4
#: the address text starts this far inside the address field (25 mm from the sheet's edge)
ADDRESS_INSET = TEXT_LEFT - ADDRESS_FIELD_LEFT


def address_frame(sender_line: str, lines: Sequence[str], form: LetterForm, name: str = "Anschrift") -> Frame:
    """The address field (Vermerkzone and Anschriftzone, 85 × 45 mm): the sender line at the bottom of the
    Vermerkzone, the address lines from the top of the Anschriftzone, one line (4.23 mm) each."""
    x, y, width, height = form.address_field
    vermerk = form.anschrift_top - form.vermerk_top
    # an empty line as high as the Vermerkzone above the sender line (Writer ignores the space above the
    # first paragraph of a frame)
    top: tuple[Para, ...] = (Para((), SENDER_SIZE, line=vermerk - SENDER_LINE),)
    top += (
        (para(sender_line, SENDER_SIZE, indent=ADDRESS_INSET, line=SENDER_LINE),)
        if sender_line
        else (Para((), SENDER_SIZE, line=SENDER_LINE),)
    )
    address = [para(line, ADDRESS_SIZE, indent=ADDRESS_INSET, line=LINE) for line in lines]
    return Frame(name, x, y, width, height, (*top, *address))


def info_frame(rows: Sequence[tuple[str, str]], form: LetterForm) -> Frame:
    """The information block from 125 mm: a first row without label in bold (the unit), "Label: value"
    rows, rows without label as they are."""
    paras = []
    for index, (label, value) in enumerate(rows):
        if not label and value and index == 0:
            paras.append(para(value, INFO_SIZE, bold=True, line=LINE))
        elif label:
            paras.append(para(f"{label}: {value}", INFO_SIZE, line=LINE))
        else:
            paras.append(Para((Run(value),) if value else (), INFO_SIZE, line=LINE))
    height = LINE * (len(paras) + 1)
    return Frame("Informationsblock", INFO_LEFT, form.info_top, INFO_RIGHT - INFO_LEFT, height, tuple(paras))
