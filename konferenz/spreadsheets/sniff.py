"""What a file is, by its content and not by its name: a workbook (xlsx/xlsm, xlsb, ods, xls), a vCard
file, a text table (CSV/TSV/TXT), or something else that gets a clear German refusal (a PDF, a Word
document, a picture, a plain zip …).

A workbook package is checked before any reader sees it: what its parts claim to unpack to is capped
(:data:`MAX_UNPACKED`), and every part is decompressed once in a stream, so a damaged part or a part
that unpacks to more than it claims (a zip bomb) is refused here, with bounded memory.
"""

from __future__ import annotations

import codecs
import zipfile
import zlib
from pathlib import Path

from konferenz.errors import UserError

#: what the parts of a workbook may unpack to, together (a list of 100,000 people is about 60 MB)
MAX_UNPACKED = 512 * 2**20
#: the largest text table or old .xls read (they are read whole)
MAX_FILE = 256 * 2**20
#: parts of a workbook package at most (a workbook has a few dozen)
MAX_PARTS = 10_000

NOT_A_TABLE = "das ist keine Tabelle (Excel, LibreOffice oder CSV)."
SAVE_AS = "Bitte die Tabelle als Excel-Arbeitsmappe (.xlsx), OpenDocument-Tabelle (.ods) oder CSV speichern."


def refuse(path: Path, reason: str) -> UserError:
    """The one German line for a file that cannot be read: "„liste.xlsx“ kann nicht gelesen werden: …"."""
    return UserError(f"„{path.name}“ kann nicht gelesen werden: {reason}")


def read_head(path: Path) -> bytes:
    """The first 8 KiB of the file; a German refusal for a missing, empty or unreadable file."""
    if not path.exists():
        raise UserError(f"Die Datei „{path}“ gibt es nicht.")
    if path.is_dir():
        raise UserError(f"„{path}“ ist ein Ordner, keine Tabelle.")
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
    except PermissionError as exc:
        raise refuse(
            path, "keine Berechtigung (oder die Datei ist in einem anderen Programm geöffnet)."
        ) from exc
    except OSError as exc:
        raise refuse(path, f"{exc.strerror or 'Lesefehler'}.") from exc
    if not head:
        raise refuse(path, "die Datei ist leer.")
    return head


_IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")


def identify(path: Path) -> str:
    """The format of the file: "xlsx" (also .xlsm), "xlsb", "ods", "xls", "vcf" or "csv" (any text).

    Raises a German ``UserError`` for anything else, naming what the file is where that is known."""
    head = read_head(path)
    if head.startswith(b"%PDF"):
        raise refuse(path, f"das ist eine PDF-Datei, keine Tabelle. {SAVE_AS}")
    if head.startswith(_IMAGES):
        raise refuse(path, "das ist ein Bild, keine Tabelle.")
    if head.startswith(b"{\\rtf"):
        raise refuse(path, f"das ist ein RTF-Textdokument, keine Tabelle. {SAVE_AS}")
    if head.startswith((b"MZ", b"\x7fELF")):
        raise refuse(path, "das ist ein Programm, keine Tabelle.")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _identify_ole(path)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _identify_package(path)
    text = _text_start(head)
    if text.lstrip().upper().startswith("BEGIN:VCARD"):
        return "vcf"
    lowered = text.lstrip().lower()
    if lowered.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in lowered:
        raise refuse(path, f"das ist eine XML-Tabelle (Excel 2003). {SAVE_AS}")
    if lowered.startswith(("<!doctype html", "<html")) or (lowered.startswith("<") and "<html" in lowered):
        raise refuse(
            path,
            "das ist eine Webseite (HTML), keine Tabelle – manche Programme speichern so Dateien mit der "
            f"Endung .xls. Bitte in Excel oder LibreOffice öffnen und neu speichern. {SAVE_AS}",
        )
    return "csv"


def _text_start(head: bytes) -> str:
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="ignore")
    return head.decode("latin-1")


# --- OLE containers (old .xls, encrypted workbooks, old Word documents) ---------------------------------


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _identify_ole(path: Path) -> str:
    """An OLE compound file: an old .xls, an encrypted (password-protected) workbook, or another old
    Office document. The stream names are searched in the file (they are UTF-16 in its directory)."""
    if path.stat().st_size > MAX_FILE:
        raise refuse(path, f"die Datei ist größer als {MAX_FILE // 2**20} MB.")
    data = path.read_bytes()
    if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
        raise refuse(
            path,
            "die Arbeitsmappe ist mit einem Kennwort verschlüsselt. Bitte in Excel ohne Kennwort speichern "
            "(Datei → Informationen → Arbeitsmappe schützen).",
        )
    if _utf16("Workbook") in data or _utf16("Book") in data:
        return "xls"
    if _utf16("WordDocument") in data:
        raise refuse(path, f"das ist ein Word-Dokument (.doc), keine Tabelle. {SAVE_AS}")
    if _utf16("PowerPoint Document") in data:
        raise refuse(path, "das ist eine PowerPoint-Präsentation, keine Tabelle.")
    raise refuse(path, f"das ist eine Office-Datei, aber keine Excel-Arbeitsmappe. {SAVE_AS}")


# --- zip packages (xlsx, xlsm, xlsb, ods, and what only looks like them) -------------------------------

_ODF_SPREADSHEET = b"application/vnd.oasis.opendocument.spreadsheet"


def _identify_package(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            # some writers put Windows paths into the package ("xl\\workbook.xml"); readers accept them
            names = {i.filename.replace("\\", "/") for i in infos}
            if "mimetype" in names:
                mimetype = archive.open("mimetype").read(200)
                if mimetype.startswith(_ODF_SPREADSHEET):
                    kind = "ods"
                elif mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
                    raise refuse(path, f"das ist ein Textdokument (.odt), keine Tabelle. {SAVE_AS}")
                else:
                    raise refuse(path, f"das ist ein OpenDocument-Dokument, aber keine Tabelle. {SAVE_AS}")
            elif "xl/workbook.xml" in names:
                kind = "xlsx"
            elif "xl/workbook.bin" in names:
                kind = "xlsb"
            elif "word/document.xml" in names:
                raise refuse(path, f"das ist ein Word-Dokument (.docx), keine Tabelle. {SAVE_AS}")
            elif "ppt/presentation.xml" in names:
                raise refuse(path, "das ist eine PowerPoint-Präsentation, keine Tabelle.")
            elif "[Content_Types].xml" in names:
                raise refuse(
                    path,
                    "die Office-Datei ist ungewöhnlich aufgebaut und kann nicht gelesen werden. Bitte in "
                    f"Excel oder LibreOffice öffnen und neu speichern. {SAVE_AS}",
                )
            elif not names:
                raise refuse(path, "das ist ein leeres ZIP-Archiv, keine Tabelle.")
            else:
                raise refuse(
                    path,
                    "das ist ein ZIP-Archiv, keine Tabelle. Bitte die Tabelle darin zuerst auspacken.",
                )
            _check_package(path, archive, infos)
            return kind
    except UserError:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        # RuntimeError: an encrypted zip member; NotImplementedError: an unknown compression method
        raise refuse(path, "die Datei ist beschädigt oder unvollständig.") from exc


def _check_package(path: Path, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Cap what the package claims to unpack to, then decompress every part once in a stream: a damaged
    part fails its CRC here, and a part that unpacks to more than it claims is cut at its claimed size
    (and fails its CRC) – memory stays bounded whatever the file says."""
    if len(infos) > MAX_PARTS:
        raise refuse(path, f"das Paket hat {len(infos)} Teile – das ist keine Tabelle.")
    claimed = sum(i.file_size for i in infos)
    if claimed > MAX_UNPACKED:
        raise refuse(
            path,
            f"die Arbeitsmappe würde entpackt {claimed // 2**20} MB groß (erlaubt sind "
            f"{MAX_UNPACKED // 2**20} MB). Bitte Bilder und leere Blätter entfernen oder die Liste als "
            "CSV speichern.",
        )
    for info in infos:
        if info.is_dir() or info.filename.startswith(
            ("xl/media/", "Pictures/", "Thumbnails/", "docProps/thumbnail")
        ):
            continue
        with archive.open(info) as part:
            while part.read(1 << 20):
                pass
