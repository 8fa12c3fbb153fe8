"""Letters, lists and minutes as DOCX and ODT, read back: the text in the PDF's order, one letter per page,
and the address field where the window of the envelope is (DIN 5008 Form B: 20 mm from the left, 45 mm
from the top, 85 × 45 mm; Form A 27 mm from the top) – as a Word frame (``w:framePr``, twips from the
page's corner) and as a Writer frame (``svg:x``/``svg:y``/``svg:width``/``svg:height``, positioned
relative to the page). Names in Turkish, Arabic and Cyrillic script come back unchanged."""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree
from unit.test_letters_content import World, build_world

from konferenz.enums import Gender, InvitationStatus
from konferenz.errors import UserError
from konferenz.letters import content, printing, sheets
from konferenz.letters.documents.body import body_paragraphs
from konferenz.letters.documents.files import write_document
from konferenz.letters.documents.letters import letters_document, write_letters
from konferenz.letters.documents.minutes import minutes_document_file
from konferenz.letters.documents.sheets import attendee_list_document, signin_sheet_document
from konferenz.letters.geometry import FORM_A, FORM_B, LetterForm
from konferenz.letters.sender import SenderSettings, save_sender_settings
from konferenz.storage.db import Database
from konferenz.storage.models import Invitation, Person

TODAY = dt.date(2026, 10, 1)
ODF = {
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
}


def add_turkish_and_arabic(db: Database, world: World) -> dict[str, int]:
    """Şükrü Yılmaz and محمد الحسن, both vorgemerkt with a full address."""
    with db.session() as s:
        yilmaz = Person(
            gender=Gender.MALE,
            first_name="Şükrü",
            last_name="Yılmaz",
            street="Ahauser Straße 7",
            postal_code="46325",
            city="Borken",
        )
        hassan = Person(
            gender=Gender.MALE,
            first_name="محمد",
            last_name="الحسن",
            street="Marktplatz 1",
            postal_code="48691",
            city="Vreden",
        )
        s.add_all([yilmaz, hassan])
        s.flush()
        a = Invitation(conference_id=world.conference_id, person_id=yilmaz.id)
        b = Invitation(conference_id=world.conference_id, person_id=hassan.id)
        s.add_all([a, b])
        s.flush()
        return {"yilmaz": a.id, "arabic": b.id}


@pytest.fixture
def planned(db: Database) -> list[content.LetterContent]:
    world = build_world(db)
    add_turkish_and_arabic(db, world)
    save_sender_settings(
        db, SenderSettings(signature_name="Ayşe Demir", signature_function="Sachbearbeiterin", room="2.14")
    )
    letters = content.letter_contents(
        db, 2026, InvitationStatus.PLANNED, programme=True, reply_form=True, today=TODAY
    )
    assert len(letters) >= 4
    return letters


# --- reading DOCX back -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    lines: tuple[str, ...]


def mm_of_twips(value: str | None) -> float:
    assert value is not None
    return int(value) * 25.4 / 1440


def docx_read(path: Path) -> tuple[list[str], list[list[Box]]]:
    """The flowing paragraphs' text, and per page (letter) its Word frames with their text."""
    document = docx.Document(str(path))
    flow: list[str] = []
    pages: list[list[Box]] = []
    current: dict[tuple[str, ...], list[str]] = {}
    for paragraph in document.paragraphs:
        p_pr = paragraph._p.pPr
        if (p_pr is not None and p_pr.find(qn("w:pageBreakBefore")) is not None) or not pages:
            pages.append([])
            current = {}
        frame = p_pr.find(qn("w:framePr")) if p_pr is not None else None
        if frame is None:
            flow.append(paragraph.text)
            continue
        assert (frame.get(qn("w:hAnchor")), frame.get(qn("w:vAnchor"))) == ("page", "page")
        key = tuple(frame.get(qn(a)) or "" for a in ("w:x", "w:y", "w:w", "w:h"))
        if key not in current:
            current[key] = []
            pages[-1].append(Box(*(mm_of_twips(v) for v in key), lines=()))
        current[key].append(paragraph.text)
        index = list(current).index(key)
        box = pages[-1][index]
        pages[-1][index] = Box(box.x, box.y, box.width, box.height, tuple(current[key]))
    return flow, pages


def odt_read(path: Path) -> tuple[list[str], list[list[Box]]]:
    """The same for an ODT: body paragraphs and per letter (page break) its frames."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("content.xml"))
    breaks = {
        s.get(f"{{{ODF['style']}}}name")
        for s in root.iterfind(".//style:style", ODF)
        if s.find("style:paragraph-properties", ODF) is not None
        and s.find("style:paragraph-properties", ODF).get(f"{{{ODF['fo']}}}break-before") == "page"
    }
    page_relative = {
        s.get(f"{{{ODF['style']}}}name")
        for s in root.iterfind(".//style:style", ODF)
        if (g := s.find("style:graphic-properties", ODF)) is not None
        and g.get(f"{{{ODF['style']}}}horizontal-rel") == "page"
        and g.get(f"{{{ODF['style']}}}vertical-rel") == "page"
    }
    body = root.find("office:body/office:text", ODF)
    assert body is not None
    flow: list[str] = []
    pages: list[list[Box]] = []
    for paragraph in body.iterfind("text:p", ODF):
        if paragraph.get(f"{{{ODF['text']}}}style-name") in breaks or not pages:
            pages.append([])
        # pictures in the text (the scanned signature) are characters of their paragraph, not frames
        frames = [
            f
            for f in paragraph.findall("draw:frame", ODF)
            if f.get(f"{{{ODF['text']}}}anchor-type") != "as-char"
        ]
        for frame in frames:
            assert frame.get(f"{{{ODF['draw']}}}style-name") in page_relative
            assert frame.get(f"{{{ODF['text']}}}anchor-type") == "paragraph"
            dims = [
                float((frame.get(f"{{{ODF['svg']}}}{a}") or "").removesuffix("mm"))
                for a in ("x", "y", "width", "height")
            ]
            lines = tuple("".join(p.itertext()) for p in frame.iterfind(".//text:p", ODF))
            pages[-1].append(Box(*dims, lines=lines))
        own = "".join(t for t in paragraph.itertext()) if not frames else ""
        flow.append(own)
    return flow, pages


def address_box(boxes: list[Box], letter: content.LetterContent) -> Box:
    (box,) = [b for b in boxes if letter.address_lines[-1] in b.lines]
    return box


def assert_address_field(box: Box, letter: content.LetterContent, form: LetterForm) -> None:
    assert box.x == pytest.approx(20.0, abs=0.05)
    assert box.y == pytest.approx(form.vermerk_top, abs=0.05)
    assert box.width == pytest.approx(85.0, abs=0.05)
    assert box.height == pytest.approx(45.0, abs=0.05)
    texts = [line for line in box.lines if line]
    assert texts == [letter.sender_line, *letter.address_lines]


@pytest.mark.parametrize("suffix", [".docx", ".odt"])
@pytest.mark.parametrize("form", [FORM_B, FORM_A])
def test_letters_read_back(
    planned: list[content.LetterContent], tmp_path: Path, suffix: str, form: LetterForm
) -> None:
    path = write_letters(planned, tmp_path / f"briefe{suffix}", form)
    flow, pages = (docx_read if suffix == ".docx" else odt_read)(path)

    # each letter from a page break, then its Programm and its Rückmeldebogen (tests/unit/
    # test_documents_enclosures.py reads those), the letters in the PDF's order
    assert len(pages) == 3 * len(planned)
    pages = pages[::3]
    text = "\n".join(flow)
    positions = [text.index(letter.salutation) for letter in planned]
    assert positions == sorted(positions)
    for letter, boxes in zip(planned, pages, strict=True):
        assert_address_field(address_box(boxes, letter), letter, form)
        all_lines = [line for box in boxes for line in box.lines]
        assert letter.letterhead[0] in all_lines
        assert letter.date_line in all_lines
        assert any(line.startswith("Telefon: ") for line in all_lines)
        assert letter.footer[0] in all_lines
    # per letter in the flow: subject, salutation, body, closing, signature, enclosures – in this order
    first = planned[0]
    starts = [i for i, line in enumerate(flow) if line == first.subject]
    assert len(starts) == len(planned)
    own = flow[starts[0] : starts[1] - 1]  # up to the next letter's spacer
    assert own[1] == first.salutation
    assert own[2].startswith("der Kreis Borken lädt Sie herzlich")
    closing = own.index(first.closing)
    assert own[closing:][:7] == [first.closing, "Im Auftrag", "", "", "", "Ayşe Demir", "Sachbearbeiterin"]
    anlagen = own.index("Anlagen")
    assert own[anlagen : anlagen + 3] == ["Anlagen", "Programm", "Rückmeldebogen"]
    # Turkish and Arabic names unchanged, in the address and in the salutation
    for name in ("Şükrü Yılmaz", "محمد الحسن"):
        assert any(name in line for boxes in pages for box in boxes for line in box.lines)
    assert "Sehr geehrter Herr Yılmaz," in flow


def test_the_body_keeps_paragraphs_lists_and_bold() -> None:
    paras = body_paragraphs(
        "<p>der Kreis   lädt <b>Sie</b>\nein.</p><p><b>Termin:</b> Do<br>\n<b>Ort:</b> Kreishaus</p>"
        '<p style="margin-bottom: 0px">Foren:</p><ul><li>Forum 1</li><li>Forum 2: Çelik &amp; Öz</li></ul>'
        "<ol><li>eins</li><li>zwei</li></ol><p>Ende.</p>"
    )
    assert [p.text for p in paras] == [
        "der Kreis lädt Sie ein.",
        "Termin: Do\nOrt: Kreishaus",
        "Foren:",
        "•\tForum 1",
        "•\tForum 2: Çelik & Öz",
        "1.\teins",
        "2.\tzwei",
        "Ende.",
    ]
    assert [r.bold for r in paras[0].runs] == [False, True, False]
    assert paras[2].space_after == 0 and paras[0].space_after > 0 and paras[-1].space_after == 0
    assert paras[3].hanging == 5.0


def test_wrong_suffix_or_folder_is_a_german_message(
    planned: list[content.LetterContent], tmp_path: Path
) -> None:
    document = letters_document(planned[:1])
    with pytest.raises(UserError, match=r"\.docx oder \.odt"):
        write_document(document, tmp_path / "brief.rtf")
    with pytest.raises(UserError, match="existiert nicht"):
        write_document(document, tmp_path / "fehlt" / "brief.docx")
    (tmp_path / "ordner.odt").mkdir()
    with pytest.raises(UserError, match="ist ein Ordner"):
        write_document(document, tmp_path / "ordner.odt")


# --- lists and minutes -------------------------------------------------------------------------------------


def docx_tables(path: Path) -> list[list[list[str]]]:
    return [
        [[cell.text for cell in row.cells] for row in table.rows] for table in docx.Document(str(path)).tables
    ]


def odt_flow(path: Path) -> list[str]:
    """The text of the body's paragraphs (outside tables and frames) in order."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("content.xml"))
    body = root.find("office:body/office:text", ODF)
    assert body is not None
    return ["".join(p.itertext()) for p in body.iterfind("text:p", ODF)]


def odt_tables(path: Path) -> list[list[list[str]]]:
    """Rows (the title row first) of each table, a cell's paragraphs joined by line breaks."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("content.xml"))
    table_ns = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    return [
        [
            ["\n".join("".join(p.itertext()) for p in cell.iterfind(f"{{{ODF['text']}}}p")) for cell in row]
            for row in table.iter(f"{{{table_ns}}}table-row")
        ]
        for table in root.iter(f"{{{table_ns}}}table")
    ]


@pytest.mark.parametrize("suffix", [".docx", ".odt"])
def test_signin_sheet_and_attendee_list(db: Database, tmp_path: Path, suffix: str) -> None:
    build_world(db)
    signin = sheets.signin_sheet(db, 2026)
    attendee = sheets.attendee_list(db, 2026, today=TODAY)
    assert signin.rows and attendee.rows
    read = docx_tables if suffix == ".docx" else odt_tables
    path = write_document(signin_sheet_document(signin, blank_rows=3), tmp_path / f"liste{suffix}")
    (table,) = read(path)
    assert table[0] == ["Nr.", "Name", "Organisation", "Unterschrift"]
    names = [row[1].split("\n")[0] for row in table[1:]]
    assert names[: len(signin.rows)] == [row.name for row in signin.rows]
    assert [row[0] for row in table[1:]] == [str(n) for n in range(1, len(signin.rows) + 4)]
    assert names[len(signin.rows) :] == ["", "", ""]

    path = write_document(attendee_list_document(attendee), tmp_path / f"teilnehmer{suffix}")
    (table,) = read(path)
    assert table[0][:3] == ["Nr.", "Name", "Organisation"]
    assert [row[1] for row in table[1:]] == [row.name for row in attendee.rows]
    flow = [p.text for p in docx.Document(str(path)).paragraphs] if suffix == ".docx" else odt_flow(path)
    assert flow[0] == "Teilnehmerliste" and flow[1] == attendee.title
    assert any("der Nennung in dieser Liste zugestimmt" in line for line in flow)


@pytest.mark.parametrize("suffix", [".docx", ".odt"])
def test_minutes(db: Database, tmp_path: Path, suffix: str) -> None:
    build_world(db)
    with db.read_session() as s:
        doc = printing.minutes_document(s, 2026)
    path = write_document(minutes_document_file(doc), tmp_path / f"protokoll{suffix}")
    flow = [p.text for p in docx.Document(str(path)).paragraphs] if suffix == ".docx" else odt_flow(path)
    assert flow[:2] == ["PROTOKOLL", doc.header.title]
    assert f"Teilnahme laut Check-in: {printing.attendance_text(doc.attendance)}" in flow
    headings = [s.heading for s in doc.sections]
    found = [next(i for i, line in enumerate(flow) if line.endswith(h)) for h in headings]
    assert found == sorted(found) and headings
    assert "Handlungsempfehlungen" in flow
    assert flow.index("Handlungsempfehlungen") > found[-1]
