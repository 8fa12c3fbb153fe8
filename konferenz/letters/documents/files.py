"""Office documents as files: the format by the file's suffix (.docx Word, .odt LibreOffice), written to a
temporary name first and renamed, so a failed write leaves an existing file as it was."""

from __future__ import annotations

import os
from pathlib import Path

from konferenz.errors import UserError, file_problem
from konferenz.letters.documents.docx_writer import write_docx
from konferenz.letters.documents.model import Document
from konferenz.letters.documents.odt_writer import write_odt

#: the suffixes of the office documents and their names in messages and file filters
FORMATS = {".docx": "Word-Dokument", ".odt": "LibreOffice-Dokument (ODT)"}


def is_office_document(path: str | os.PathLike[str]) -> bool:
    return Path(path).suffix.lower() in FORMATS


def document_bytes(document: Document, suffix: str) -> bytes:
    """The document as .docx or .odt bytes."""
    suffix = suffix.lower()
    if suffix == ".docx":
        return write_docx(document)
    if suffix == ".odt":
        return write_odt(document)
    raise UserError(
        f"Unbekanntes Dokumentformat „{suffix}“: erlaubt sind .docx (Word) und .odt (LibreOffice)."
    )


def write_document(document: Document, path: str | os.PathLike[str]) -> Path:
    """Write ``document`` to ``path`` in the format its suffix names."""
    target = Path(path).expanduser().absolute()
    if target.suffix.lower() not in FORMATS:
        raise UserError(f"„{target.name}“: Dokumente zum Bearbeiten müssen auf .docx oder .odt enden.")
    if target.is_dir():
        raise UserError(f"„{target}“ ist ein Ordner; bitte einen Dateinamen angeben.")
    if not target.parent.is_dir():
        raise UserError(f"Der Ordner „{target.parent}“ existiert nicht.")
    data = document_bytes(document, target.suffix)
    partial = target.with_name(f".{target.name}.tmp")
    try:
        partial.write_bytes(data)
        os.replace(partial, target)
    except OSError as exc:
        raise UserError(file_problem(target, exc)) from None
    finally:
        partial.unlink(missing_ok=True)
    return target
