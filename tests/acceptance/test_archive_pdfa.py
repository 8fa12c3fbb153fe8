"""PDF/A for the archive: the letters archived with ``konferenz letters --als-versendet`` (and the single PDFs of
the window's output), the minutes and the access report, made by real processes on a demo database and read
back with pikepdf (the structures PDF/A-1b requires) and pypdf (the text).

No independent validator (veraPDF) can be installed here, so ``pdfa_problems`` checks what ISO 19005-1
level B asks of these files: the XMP metadata with pdfaid part and conformance, dc:title, dc:creator and
xmp:CreateDate equal to the document information; an OutputIntent GTS_PDFA1 with an RGB ICC profile; every
font embedded; no encryption, no transparency (soft masks, transparency groups, constant alpha below 1, blend
modes), no JavaScript or embedded files; a document /ID. The same check on the ordinary letters PDF (with a
logo that has an alpha channel) must find problems, so it can fail.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import struct
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from test_cli import run_cli

from konferenz import paths
from konferenz.letters import content
from konferenz.letters.sender import load_sender_settings, save_sender_settings
from konferenz.storage.db import open_database
from konferenz.storage.models import ArchivedDocument, Person
from ui.paper import archive_pdf
from ui.paper.canvas import ensure_application
from ui.paper.letters import letter_pdfs, letters_pdf

pytestmark = pytest.mark.slow

OFFICE = "Kreis Borken, Der Landrat, Kommunales Integrationszentrum"
#: the red of the test pictures, with their transparent surroundings
RED = QColor(200, 0, 0)
NONE = pikepdf.Name("/None")


# --- the check ------------------------------------------------------------------------------------------


def _fonts(resources: Any, seen: set[tuple[int, int]]) -> Iterator[pikepdf.Dictionary]:
    """Every font dictionary reachable from ``resources`` (Type0 descendants and form XObjects too)."""
    if not isinstance(resources, pikepdf.Dictionary):
        return
    for font in (resources.get("/Font") or {}).values():
        if font.objgen in seen:
            continue
        seen.add(font.objgen)
        yield font
        yield from (d for d in font.get("/DescendantFonts", []))
    for xobject in (resources.get("/XObject") or {}).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            yield from _fonts(xobject.get("/Resources"), seen)


def _xobjects(resources: Any) -> Iterator[pikepdf.Stream]:
    if not isinstance(resources, pikepdf.Dictionary):
        return
    for xobject in (resources.get("/XObject") or {}).values():
        yield xobject
        if xobject.get("/Subtype") == "/Form":
            yield from _xobjects(xobject.get("/Resources"))


def _glyph_count(truetype: bytes) -> int:
    """``numGlyphs`` of an embedded TrueType font (its ``maxp`` table)."""
    (tables,) = struct.unpack(">H", truetype[4:6])
    for i in range(tables):
        record = truetype[12 + 16 * i : 28 + 16 * i]
        if record[:4] == b"maxp":
            (offset,) = struct.unpack(">I", record[8:12])
            (glyphs,) = struct.unpack(">H", truetype[offset + 4 : offset + 6])
            return int(glyphs)
    raise AssertionError("TrueType ohne maxp-Tabelle")


def _info_date(value: str) -> dt.datetime | None:
    """A PDF date ("D:20261207153216Z", "D:20261207153216+01'00'") as an aware datetime."""
    match = re.fullmatch(r"D:(\d{14})(Z|[+-]\d\d'?\d\d'?)?", value)
    if match is None:
        return None
    zone = (match.group(2) or "Z").replace("'", "")
    return dt.datetime.strptime(match.group(1) + ("+0000" if zone == "Z" else zone), "%Y%m%d%H%M%S%z")


def pdfa_problems(data: bytes) -> list[str]:
    """What keeps ``data`` from being PDF/A-1b (see the module docstring); empty when nothing does."""
    problems: list[str] = []
    if not (
        data.startswith(b"%PDF-1.")
        and len(data.split(b"\n")[1]) >= 5
        and min(data.split(b"\n")[1][1:5]) >= 128
    ):
        problems.append("Dateikopf ohne Binärkommentar")
    pdf = pikepdf.open(io.BytesIO(data))
    if pdf.is_encrypted or "/Encrypt" in pdf.trailer:
        problems.append("verschlüsselt")
    ids = pdf.trailer.get("/ID")
    if ids is None or len(ids) != 2 or not bytes(ids[0]):
        problems.append("keine Dokument-ID")
    if pdf.pdf_version > "1.4":
        problems.append(f"PDF {pdf.pdf_version} (PDF/A-1 ist PDF 1.4)")
    if "/Metadata" not in pdf.Root:
        problems.append("keine XMP-Metadaten")
    else:
        meta = pdf.open_metadata()
        if meta.get("pdfaid:part") != archive_pdf.PDFA_PART:
            problems.append(f"pdfaid:part {meta.get('pdfaid:part')!r}")
        if meta.get("pdfaid:conformance") != archive_pdf.PDFA_CONFORMANCE:
            problems.append(f"pdfaid:conformance {meta.get('pdfaid:conformance')!r}")
        info = pdf.docinfo
        if not meta.get("dc:title") or meta.get("dc:title") != str(info.get("/Title", "")):
            problems.append("dc:title fehlt oder weicht vom Dokumenttitel ab")
        if not meta.get("dc:creator") or meta.get("dc:creator") != [str(info.get("/Author", ""))]:
            problems.append("dc:creator fehlt oder weicht vom Autor ab")
        created = meta.get("xmp:CreateDate")
        if not created:
            problems.append("xmp:CreateDate fehlt")
        elif _info_date(str(info.get("/CreationDate", ""))) != dt.datetime.fromisoformat(created):
            problems.append("xmp:CreateDate weicht vom Erstellungsdatum ab")
    intents = [i for i in pdf.Root.get("/OutputIntents", []) if i.get("/S") == "/GTS_PDFA1"]
    if len(intents) != 1 or "/DestOutputProfile" not in intents[0]:
        problems.append("keine OutputIntent GTS_PDFA1 mit Farbprofil")
    else:
        profile = intents[0].DestOutputProfile
        icc = profile.read_bytes()
        if icc[36:40] != b"acsp" or icc[16:20] != b"RGB " or int(profile.get("/N", 0)) != 3:
            problems.append("das Farbprofil ist kein RGB-ICC-Profil")
    names = pdf.Root.get("/Names")
    if names is not None and ("/JavaScript" in names or "/EmbeddedFiles" in names):
        problems.append("JavaScript oder eingebettete Dateien")
    seen: set[tuple[int, int]] = set()
    for number, page in enumerate(pdf.pages, start=1):
        if "/Group" in page.obj:
            problems.append(f"Seite {number}: Transparenzgruppe")
        resources = page.obj.get("/Resources")
        for font in _fonts(resources, seen):
            if font.get("/Subtype") in ("/Type0", "/Type3"):
                continue  # a Type0 font's glyphs are in its descendant, checked on its own
            descriptor = font.get("/FontDescriptor")
            if descriptor is None or not any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            ):
                problems.append(f"Seite {number}: Schrift {font.get('/BaseFont')} nicht eingebettet")
            elif "/FontFile2" in descriptor and "/CIDSet" in descriptor:
                glyphs = _glyph_count(descriptor.FontFile2.read_bytes())
                cidset = descriptor.CIDSet.read_bytes()
                bits = [(cidset[i // 8] >> (7 - i % 8)) & 1 for i in range(len(cidset) * 8)]
                if bits[:glyphs] != [1] * glyphs or any(bits[glyphs:]):
                    problems.append(
                        f"Seite {number}: CIDSet von {font.get('/BaseFont')} passt nicht zur Schrift"
                    )
        for xobject in _xobjects(resources):
            if "/SMask" in xobject or "/Group" in xobject:
                problems.append(f"Seite {number}: Bild oder Form mit Transparenz ({xobject.get('/Subtype')})")
        for state in ((resources or {}).get("/ExtGState") or {}).values():
            if state.get("/SMask", NONE) != NONE:
                problems.append(f"Seite {number}: weiche Maske im Grafikzustand")
            if float(state.get("/CA", 1)) < 1 or float(state.get("/ca", 1)) < 1:
                problems.append(f"Seite {number}: Deckkraft unter 1")
            if state.get("/BM", pikepdf.Name.Normal) not in (pikepdf.Name.Normal, pikepdf.Name.Compatible):
                problems.append(f"Seite {number}: Füllmethode {state.get('/BM')}")
    return problems


def metadata(data: bytes) -> dict[str, Any]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        meta = pdf.open_metadata()
        return {key: meta.get(key) for key in ("dc:title", "dc:creator", "xmp:CreateDate", "xmp:CreatorTool")}


def text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def picture_colours(data: bytes) -> list[tuple[tuple[int, ...], tuple[int, ...], bool]]:
    """Per picture in the PDF: the colour of its corner, of its centre, and whether it has a soft mask."""
    found = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for xobject in _xobjects(page.obj.get("/Resources")):
                if xobject.get("/Subtype") != "/Image" or int(xobject.get("/Width", 0)) < 20:
                    continue
                image = pikepdf.PdfImage(xobject).as_pil_image().convert("RGB")
                w, h = image.size
                found.append((image.getpixel((1, 1)), image.getpixel((w // 2, h // 2)), "/SMask" in xobject))
    return found


def transparent_png(width: int, height: int) -> bytes:
    """A red disc on a fully transparent background (a logo or a scanned signature saved with alpha)."""
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(RED)
    painter.drawEllipse(QPointF(width / 2, height / 2), width / 3, height / 3)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def assert_white_around_red(
    pictures: list[tuple[tuple[int, ...], tuple[int, ...], bool]], count: int
) -> None:
    assert len(pictures) == count, pictures
    for corner, centre, masked in pictures:
        assert not masked
        assert corner == (255, 255, 255)  # flattened onto white, not onto black
        assert centre[0] > 150 and centre[1] < 60 and centre[2] < 60


# --- the files ------------------------------------------------------------------------------------------


@pytest.fixture
def app() -> object:
    """The Qt application the paper code makes for itself (as on the command line)."""
    return ensure_application()


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdfa") / "demo.sqlite"
    result = run_cli("demo", "--db", str(path), "--persons", "60", "--seed", "5")
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_template, path)
    return path


def test_archived_letters_are_pdfa_and_the_printed_pdf_stays_plain(
    app: object, demo: Path, tmp_path: Path
) -> None:
    database = open_database(demo)
    try:
        with database.read_session() as s:
            sender = load_sender_settings(s)
        save_sender_settings(
            database,
            replace(
                sender,
                logo=transparent_png(300, 200),
                logo_name="logo.png",
                signature_name="Gülşen Öztürk",
                signature_image=transparent_png(600, 180),
                signature_image_name="unterschrift.png",
            ),
        )
        letters = content.letter_contents(database, 2026, invitation_ids=None)
    finally:
        database.dispose()
    out = tmp_path / "briefe.pdf"
    result = run_cli(
        "letters", "--db", str(demo), "--conference", "2026", "--status", "vorgemerkt",
        "--programm", "--als-versendet", "-o", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    database = open_database(demo)
    try:
        with database.read_session() as s:
            docs = [(d.invitation_id, d.content) for d in s.scalars(sa.select(ArchivedDocument))]
    finally:
        database.dispose()
    assert docs
    by_id = {letter.invitation_id: letter for letter in letters}
    today = dt.date.today()
    for invitation_id, data in docs:
        letter = by_id[invitation_id]
        assert pdfa_problems(data) == [], invitation_id
        meta = metadata(data)
        assert meta["dc:title"] == letter.subject
        assert meta["dc:creator"] == [OFFICE]
        created = dt.datetime.fromisoformat(meta["xmp:CreateDate"])
        assert abs(created.date() - today) <= dt.timedelta(days=1)  # written in UTC
        words = text(data)
        assert letter.salutation in words and letter.address_lines[0] in words
        assert "Gülşen Öztürk" in words and "Programm" in words
        # logo and signature: blended onto white, red where they are red, no soft mask
        assert_white_around_red(picture_colours(data), 2)
    # the printed PDF is not for the archive: plain PDF 1.4, the pictures keep their alpha channel
    printed = out.read_bytes()
    problems = pdfa_problems(printed)
    assert any("pdfaid:part" in p for p in problems) and any("Transparenz" in p for p in problems)
    assert all(masked for _corner, _centre, masked in picture_colours(printed))


def test_single_letters_in_names_of_any_script(app: object, demo: Path) -> None:
    """The one-PDF-per-letter output (window: "Einzelne PDFs in Ordner …", archive copies) with Arabic,
    Turkish and Vietnamese names: the text survives, every font is embedded; an empty letterhead makes the
    operating system user the author."""
    database = open_database(demo)
    try:
        letters = content.letter_contents(database, 2026)[:2]
    finally:
        database.dispose()
    names = ["محمد الأحمد", "Şeyma Çelik-Nguyễn Thị Lan"]
    letters = [
        replace(letter, address_lines=[name, *letter.address_lines[1:]], salutation=f"Guten Tag {name},")
        for letter, name in zip(letters, names, strict=True)
    ]
    letters[1] = replace(letters[1], letterhead=[], logo=b"")
    pdfs = letter_pdfs(letters)
    assert len(pdfs) == 2
    first, second = (pdfs[letter.invitation_id] for letter in letters)  # type: ignore[index]
    for data in (first, second):
        assert pdfa_problems(data) == []
    assert metadata(first)["dc:creator"] == [OFFICE]
    assert metadata(second)["dc:creator"] == [paths.os_user()]
    assert "Şeyma Çelik-Nguyễn Thị Lan" in text(second)
    with pikepdf.open(io.BytesIO(first)) as pdf:
        fonts = {str(f.get("/BaseFont")) for f in _fonts(pdf.pages[0].obj.Resources, set())}
    assert any("NotoSansArabic" in f for f in fonts)  # the Arabic name's glyphs come embedded


def test_minutes_and_access_report_are_pdfa(app: object, demo: Path, tmp_path: Path) -> None:
    minutes = tmp_path / "protokoll.pdf"
    result = run_cli("minutes", "--conference", "2025", "-o", str(minutes), "--db", str(demo))
    assert result.returncode == 0, result.stderr
    data = minutes.read_bytes()
    assert pdfa_problems(data) == []
    meta = metadata(data)
    assert meta["dc:title"].startswith("Protokoll – ") and meta["dc:creator"] == [OFFICE]
    assert "Protokoll" in text(data)

    database = open_database(demo)
    try:
        with database.read_session() as s:
            person = s.scalars(sa.select(Person).order_by(Person.id)).first()
            assert person is not None
            person_id, last_name = person.id, person.last_name
    finally:
        database.dispose()
    report = tmp_path / "auskunft.pdf"
    result = run_cli("privacy", "export", "--person", str(person_id), "-o", str(report), "--db", str(demo))
    assert result.returncode == 0, result.stderr
    data = report.read_bytes()
    assert pdfa_problems(data) == []
    meta = metadata(data)
    assert last_name in meta["dc:title"] and meta["dc:creator"] == [OFFICE]
    assert last_name in text(data)


def test_plain_pdfs_cost_what_they_did(app: object, demo: Path) -> None:
    """The printed letters stay plain PDF (``letters_pdf``): no PDF/A claim, so nothing changes for print."""
    database = open_database(demo)
    try:
        letters = content.letter_contents(database, 2026)[:3]
    finally:
        database.dispose()
    with pikepdf.open(io.BytesIO(letters_pdf(letters))) as pdf:
        assert "/OutputIntents" not in pdf.Root
        assert pdf.open_metadata().get("pdfaid:part") is None
