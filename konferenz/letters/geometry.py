"""Paper geometry in millimetres from the top-left corner of an A4 sheet: DIN 5008 and label sheets.

No Qt here: the numbers are the specification. The painters (``ui.paper``) convert them to device units,
the office documents (``konferenz.letters.documents``: DOCX and ODT) to EMU and mm; both place the address
field, the information block and the text by these numbers, and set the letter in these type sizes.
"""

from __future__ import annotations

from dataclasses import dataclass

PAGE_WIDTH = 210.0
PAGE_HEIGHT = 297.0

#: DIN 5008: address field 20–105 mm from the left edge, text starts 5 mm inside it
ADDRESS_FIELD_LEFT = 20.0
ADDRESS_FIELD_RIGHT = 105.0
TEXT_LEFT = 25.0
#: right margin of the body text (DIN: at least 10 mm, 20 mm recommended)
TEXT_RIGHT = PAGE_WIDTH - 20.0
#: information block: from 125 mm to 10 mm before the right edge
INFO_LEFT = 125.0
INFO_RIGHT = PAGE_WIDTH - 10.0
HOLE_MARK = 148.5
#: width of the text inside the address field (from 25 mm to its right edge)
ADDRESS_WIDTH = ADDRESS_FIELD_RIGHT - TEXT_LEFT
#: width of the body text
BODY_WIDTH = TEXT_RIGHT - TEXT_LEFT
#: DIN 5008 line pitch ("eine Zeile" at 12 pt leading)
LINE = 4.23
#: bottom of the text area: below it only the footer (Geschäftsangaben)
TEXT_BOTTOM = 277.0
FOOTER_TOP = 281.0
#: top of the text on follow-up pages, and the baseline of their page number
FOLLOW_TOP = 25.0
FOLLOW_PAGE_NUMBER = 14.0

# type sizes of a letter in pt (body, address block, sender line, information block, footer)
BODY_SIZE = 10.5
ADDRESS_SIZE = 10.0
ADDRESS_MIN_SIZE = 8.0
SENDER_SIZE = 8.0
SENDER_MIN_SIZE = 6.0
INFO_SIZE = 9.0
FOOTER_SIZE = 7.5


@dataclass(frozen=True)
class LetterForm:
    """DIN 5008 Form A (short letterhead) or Form B (default, 45 mm letterhead)."""

    name: str
    letterhead_height: float
    vermerk_top: float
    anschrift_top: float
    anschrift_bottom: float
    info_top: float
    fold_marks: tuple[float, float]

    @property
    def address_field(self) -> tuple[float, float, float, float]:
        """x, y, width and height of the whole address field (Vermerkzone and Anschriftzone: 85 × 45 mm,
        from 20 mm left and 45 mm (Form B) or 27 mm (Form A) from the top): the window of the envelope."""
        return (
            ADDRESS_FIELD_LEFT,
            self.vermerk_top,
            ADDRESS_FIELD_RIGHT - ADDRESS_FIELD_LEFT,
            self.anschrift_bottom - self.vermerk_top,
        )


FORM_A = LetterForm(
    name="A",
    letterhead_height=27.0,
    vermerk_top=27.0,
    anschrift_top=44.7,
    anschrift_bottom=72.0,
    info_top=32.0,
    fold_marks=(87.0, 192.0),
)
FORM_B = LetterForm(
    name="B",
    letterhead_height=45.0,
    vermerk_top=45.0,
    anschrift_top=62.7,
    anschrift_bottom=90.0,
    info_top=50.0,
    fold_marks=(105.0, 210.0),
)
FORMS = {"A": FORM_A, "B": FORM_B}


def letter_form(name: str) -> LetterForm:
    return FORMS[name.strip().upper()]


@dataclass(frozen=True)
class LabelSheet:
    """An A4 sheet of labels: label size, grid, offset of the first label and pitch, all in mm."""

    key: str
    name: str
    width: float
    height: float
    columns: int
    rows: int
    left: float
    top: float
    pitch_x: float
    pitch_y: float

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def rect(self, index: int) -> tuple[float, float, float, float]:
        """x, y, width, height of label ``index`` (0-based, row by row) on its sheet."""
        position = index % self.per_sheet
        row, column = divmod(position, self.columns)
        return (self.left + column * self.pitch_x, self.top + row * self.pitch_y, self.width, self.height)


ZWECKFORM_3475 = LabelSheet("zweckform-3475", "Zweckform 3475", 70.0, 36.0, 3, 8, 0.0, 4.5, 70.0, 36.0)
ZWECKFORM_3474 = LabelSheet("zweckform-3474", "Zweckform 3474", 70.0, 37.0, 3, 8, 0.0, 0.0, 70.0, 37.0)
AVERY_L7160 = LabelSheet("avery-l7160", "Avery L7160", 63.5, 38.1, 3, 7, 7.2, 15.1, 66.0, 38.1)
AVERY_L4785 = LabelSheet(
    "avery-l4785", "Avery L4785 (Namensschilder)", 80.0, 50.0, 2, 5, 18.0, 13.0, 95.0, 55.0
)

#: address label sheets by the name used on the command line
LABEL_SHEETS = {s.key: s for s in (ZWECKFORM_3475, ZWECKFORM_3474, AVERY_L7160)}
