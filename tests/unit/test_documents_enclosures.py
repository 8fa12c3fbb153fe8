"""DOCX and ODT letters with the PDF's content: after each letter, from a page break, its Programm and its
Rückmeldebogen (the text of ``Programme``/``ReplyForm`` and ``konferenz.letters.enclosures``, in order),
the scanned signature in the signature block in the PDF's size (mm), the QR code of the check-in code on
the reply form, and the address frames still at DIN 5008 Form B. Read back with python-docx and from the
ODT's XML. (Converted by LibreOffice, and the QR code read back from the PDF: tests/acceptance/test_letters_qr.py.)"""

from __future__ import annotations

import datetime as dt
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree
from unit.test_letter_documents import (
    ODF,
    add_turkish_and_arabic,
    assert_address_field,
    docx_read,
    odt_read,
)
from unit.test_letters_content import build_world

from konferenz.conferences.checkin import code_payload
from konferenz.enums import InvitationStatus
from konferenz.letters import content
from konferenz.letters.documents.enclosures import qr_png
from konferenz.letters.documents.letters import write_letters
from konferenz.letters.enclosures import (
    PROGRAMME_FORUMS,
    QR_SIZE,
    REPLY_NOTE,
    forum_lines,
    reply_lines,
    signature_size,
)
from konferenz.letters.geometry import FORM_B, INFO_RIGHT
from konferenz.letters.sender import SenderSettings, save_sender_settings
from konferenz.storage.db import Database
from konferenz.storage.models import Invitation

TODAY = dt.date(2026, 10, 1)
EMU_PER_MM = 36000


def png(width: int, height: int) -> bytes:
    """A grey PNG of ``width`` × ``height`` pixels (the scanned signature)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


SIGNATURE = png(600, 150)  # 4:1: 13 mm high (the limit) gives 52 mm wide (under the 60 mm limit)


@pytest.fixture
def letters(db: Database) -> list[content.LetterContent]:
    world = build_world(db)
    add_turkish_and_arabic(db, world)
    save_sender_settings(
        db,
        SenderSettings(
            signature_name="Ayşe Demir",
            signature_function="Sachbearbeiterin",
            signature_image=SIGNATURE,
            signature_image_name="unterschrift.png",
        ),
    )
    found = content.letter_contents(
        db, 2026, InvitationStatus.PLANNED, programme=True, reply_form=True, qr=True, today=TODAY
    )
    assert len(found) >= 3
    return found


def tokens(db: Database) -> dict[int, str]:
    with db.read_session() as s:
        return {inv.id: inv.checkin_token for inv in s.query(Invitation)}


def expected_enclosure_text(letter: content.LetterContent) -> tuple[list[str], list[str]]:
    """The programme's and the reply form's lines as the documents must show them, from the content."""
    programme = letter.programme
    form = letter.reply_form
    assert programme is not None and form is not None
    prog = [programme.title, programme.date_line, programme.venue_line]
    for item in programme.items:
        prog.append(f"{item.time}\t{item.title}")
        if item.detail:
            prog.append(item.detail)
    if programme.forums:
        prog.append(PROGRAMME_FORUMS)
        for forum in programme.forums:
            label, extra = forum_lines(forum)
            prog += [label, extra] if extra else [label]
    reply = [form.title] + [line.text for line in reply_lines(form) if line.text]
    return [line for line in prog if line], reply


def in_order(flow: list[str], wanted: list[str], start: int = 0) -> int:
    """Each of ``wanted`` starts a line of ``flow``, in this order, from ``start``; the index after the last."""
    index = start
    for text in wanted:
        # a tab is an element of its own in ODF: the text around it is compared
        while index < len(flow) and text.replace("\t", "") not in flow[index].replace("\t", ""):
            index += 1
        assert index < len(flow), f"{text!r} missing or out of order after line {start}"
        index += 1
    return index


def test_docx_has_the_enclosure_pages_signature_and_qr(
    db: Database, letters: list[content.LetterContent], tmp_path: Path
) -> None:
    path = write_letters(letters, tmp_path / "briefe.docx", FORM_B)
    flow, pages = docx_read(path)
    assert len(pages) == 3 * len(letters)  # letter, Programm, Rückmeldebogen
    document = docx.Document(str(path))
    breaks = [
        p.text or "(leer)"
        for p in document.paragraphs
        if p._p.pPr is not None and p._p.pPr.find(qn("w:pageBreakBefore")) is not None
    ]
    first = letters[0]
    programme, reply = expected_enclosure_text(first)
    # the programme's title starts a page; the reply form's page starts with its spacer (the frames' anchor)
    assert programme[0] in breaks
    after_letter = flow.index("Anlagen")
    end = in_order(flow, programme, after_letter)
    end = in_order(flow, reply, end)
    assert any(REPLY_NOTE in line for line in flow[end:])
    assert sum("☐" in line for line in flow[:end]) == sum(
        line.kind == "check" for line in reply_lines(first.reply_form)
    )  # type: ignore[arg-type]

    # the address frames: the letter's and the reply form's (the return address) at Form B
    for letter, index in zip(letters, range(0, len(pages), 3), strict=True):
        (address,) = [b for b in pages[index] if letter.address_lines[-1] in b.lines]
        assert_address_field(address, letter, FORM_B)
        form = letter.reply_form
        assert form is not None
        (back,) = [b for b in pages[index + 2] if form.return_address[-1] in b.lines]
        assert (back.x, back.y, back.width, back.height) == pytest.approx((20.0, 45.0, 85.0, 45.0), abs=0.05)
        assert [line for line in back.lines if line] == [form.sender_line, *form.return_address]

    # the scanned signature: inline in the signature block, 13 mm high in its proportions (4:1)
    pictures = [s for s in document.inline_shapes if s._inline.docPr.get("name") == "Unterschrift"]
    assert len(pictures) == len(letters)
    width, height = signature_size((600, 150))
    assert (width, height) == pytest.approx((52.0, 13.0))
    for shape in pictures:
        assert shape.width / EMU_PER_MM == pytest.approx(width, abs=0.01)
        assert shape.height / EMU_PER_MM == pytest.approx(height, abs=0.01)
    # between the closing ("Im Auftrag") and the name, in place of the three blank lines
    closing = flow.index(first.closing)
    assert flow[closing : closing + 4] == [first.closing, "Im Auftrag", "", "Ayşe Demir"]
    images = {rel.target_part.blob for rel in document.part.rels.values() if "image" in rel.reltype}
    assert SIGNATURE in images

    # the QR code: the PNG of each invitation's check-in code, in a frame in the information block's area
    stored = tokens(db)
    for letter in letters:
        assert letter.invitation_id is not None
        assert letter.checkin_code == code_payload(2026, stored[letter.invitation_id])
        assert qr_png(letter.checkin_code) in images
    frames = [
        p._p.pPr.find(qn("w:framePr"))
        for p in document.paragraphs
        if p._p.pPr is not None and p._p.pPr.find(qn("w:framePr")) is not None and p._p.xpath(".//w:drawing")
    ]
    qr_frames = [f for f in frames if int(f.get(qn("w:w"))) == round(QR_SIZE * 1440 / 25.4)]
    assert len(qr_frames) == len(letters)
    for frame in qr_frames:
        assert int(frame.get(qn("w:x"))) * 25.4 / 1440 == pytest.approx(INFO_RIGHT - QR_SIZE, abs=0.05)
        assert 50.0 < int(frame.get(qn("w:y"))) * 25.4 / 1440 < 90.0 - QR_SIZE + 2


def test_odt_has_the_enclosure_pages_signature_and_qr(
    letters: list[content.LetterContent], tmp_path: Path
) -> None:
    path = write_letters(letters, tmp_path / "briefe.odt", FORM_B)
    flow, pages = odt_read(path)
    assert len(pages) == 3 * len(letters)
    programme, reply = expected_enclosure_text(letters[0])
    end = in_order(flow, programme, flow.index("Anlagen"))
    in_order(flow, reply, end)
    (address,) = [b for b in pages[0] if letters[0].address_lines[-1] in b.lines]
    assert_address_field(address, letters[0], FORM_B)
    form = letters[0].reply_form
    assert form is not None
    (back,) = [b for b in pages[2] if form.return_address[-1] in b.lines]
    assert (back.x, back.y, back.width, back.height) == pytest.approx((20.0, 45.0, 85.0, 45.0), abs=0.05)

    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("content.xml"))
        parts = {name: archive.read(name) for name in archive.namelist() if name.startswith("Pictures/")}
    draw, svg, xlink = ODF["draw"], ODF["svg"], "http://www.w3.org/1999/xlink"
    frames = root.findall(f".//{{{draw}}}frame")
    signatures = [f for f in frames if f.get(f"{{{draw}}}name") == "Unterschrift"]
    assert len(signatures) == len(letters)
    width, height = signature_size((600, 150))
    for frame in signatures:
        assert frame.get(f"{{{ODF['text']}}}anchor-type") == "as-char"
        size = [float((frame.get(f"{{{svg}}}{a}") or "").removesuffix("mm")) for a in ("width", "height")]
        assert size == pytest.approx([width, height], abs=0.01)
        href = frame.find(f"{{{draw}}}image").get(f"{{{xlink}}}href")
        assert parts[href] == SIGNATURE
    codes = [f for f in frames if f.get(f"{{{draw}}}name") == "QR-Code"]
    assert len(codes) == len(letters)
    for frame, letter in zip(codes, letters, strict=True):
        x, w = (float((frame.get(f"{{{svg}}}{a}") or "").removesuffix("mm")) for a in ("x", "width"))
        assert (x, w) == pytest.approx((INFO_RIGHT - QR_SIZE, QR_SIZE), abs=0.01)
        href = frame.find(f"{{{draw}}}image").get(f"{{{xlink}}}href")
        assert parts[href] == qr_png(letter.checkin_code)


def test_without_the_options_no_enclosure_page_and_no_code(db: Database, tmp_path: Path) -> None:
    world = build_world(db)
    add_turkish_and_arabic(db, world)
    plain = content.letter_contents(db, 2026, InvitationStatus.PLANNED, reply_form=True, today=TODAY)
    assert all(letter.checkin_code == "" for letter in plain)
    path = write_letters(plain, tmp_path / "briefe.docx", FORM_B)
    _flow, pages = docx_read(path)
    assert len(pages) == 2 * len(plain)  # letter and reply form, no programme
    names = [s._inline.docPr.get("name") for s in docx.Document(str(path)).inline_shapes]
    assert "Unterschrift" not in names
    with zipfile.ZipFile(path) as archive:
        assert not [n for n in archive.namelist() if n.startswith("word/media/")]
