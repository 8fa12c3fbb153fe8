"""PDF/A for what goes into the archive (the county's e-Akte): the letters archived with a recorded sending, the
minutes and the access report (DSGVO Art. 15). Owns which PDF/A level the program writes, how a QPdfWriter is
set up for it, and who the document's author is.

The level is PDF/A-1b, the only PDF/A level Qt's PDF writer offers (PySide6 6.11: ``PdfVersion_A1b``;
``PdfVersion_1_6`` and ``PdfVersion_X4`` are not PDF/A). With it Qt writes a PDF 1.4 file with the XMP
metadata (``dc:title``, ``dc:creator``, ``xmp:CreateDate``, ``pdfaid:part`` 1 and ``pdfaid:conformance`` B,
kept equal to the document information dictionary), an OutputIntent ``GTS_PDFA1`` with an sRGB ICC profile,
every font embedded as a subset with its CIDSet, a document /ID, and no transparency: pictures with an alpha
channel (a logo or a scanned signature as PNG or SVG) are blended onto white and written without a soft
mask. PDF/A-2b would need a second writer or a converter that is not installed here; the A-1b files are
also what e-Akte systems accept as "PDF/A".

No independent validator (veraPDF) can be installed here; the tests check these structures with pikepdf.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QPagedPaintDevice, QPdfWriter

from konferenz import paths
from konferenz.letters.sender import load_sender_settings
from konferenz.storage.db import Database

#: the PDF/A level of archived documents (see the module docstring)
PDFA_VERSION = QPagedPaintDevice.PdfVersion.PdfVersion_A1b
#: what the XMP metadata says of that level (``pdfaid:part`` and ``pdfaid:conformance``)
PDFA_PART = "1"
PDFA_CONFORMANCE = "B"


def office_author(letterhead: Sequence[str]) -> str:
    """The author of an archived document: the office as its letterhead names it ("Kreis Borken, Der Landrat,
    Kommunales Integrationszentrum"), or the operating system user when the letterhead is empty."""
    office = ", ".join(line.strip() for line in letterhead if line.strip())
    return office or paths.os_user()


def database_author(database: Database) -> str:
    """``office_author`` of the sender settings stored in ``database``."""
    with database.read_session() as session:
        return office_author(load_sender_settings(session).letterhead)


def prepare_archive_writer(writer: QPdfWriter, *, title: str, author: str) -> None:
    """Make ``writer`` write PDF/A with ``title`` and ``author`` (the operating system user if empty) in the
    document information and the XMP metadata. Call it before painting starts."""
    writer.setPdfVersion(PDFA_VERSION)
    writer.setTitle(title)
    writer.setAuthor(author.strip() or paths.os_user())
