"""The sender of the letters: letterhead, sender line, contact, the signature block (addition, name,
function, scanned signature) and the logo; stored in the
``setting`` table (keys ``letter.<field>``), so every workplace prints the same."""

from __future__ import annotations

import base64
import binascii
import logging
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.errors import ConflictError, UserError
from konferenz.storage.db import Database
from konferenz.storage.models import Setting
from konferenz.text import file_size

log = logging.getLogger(__name__)

#: prefix of the keys in the ``setting`` table that hold the sender settings ("letter.contact_name")
SETTING_PREFIX = "letter."
#: the largest logo stored with the sender settings (it is read with every letter run)
LOGO_MAX_BYTES = 2 * 1024 * 1024
#: the largest scanned signature stored (a signature 60 × 15 mm at 300 dpi is well under 200 KB as PNG)
SIGNATURE_IMAGE_MAX_BYTES = 1024 * 1024
#: the additions before the signature's name (DIN 5008 / administrative practice): none (the head signs
#: himself), "Im Auftrag" (staff), "In Vertretung" (a deputy)
SIGNATURE_PREFIXES = ("", "Im Auftrag", "In Vertretung")
#: older or hand-typed forms of the additions, read as the choices above
_PREFIX_FORMS = {
    "i. a.": "Im Auftrag",
    "i.a.": "Im Auftrag",
    "ia": "Im Auftrag",
    "im auftrag": "Im Auftrag",
    "i. v.": "In Vertretung",
    "i.v.": "In Vertretung",
    "iv": "In Vertretung",
    "in vertretung": "In Vertretung",
}


#: the additions that stand above the signature (the rest of the block goes below it)
_ABOVE_SIGNATURE = {"im auftrag", "i. a.", "in vertretung", "i. v."}


def closing_lines(closing: str, signature: Sequence[str]) -> list[str | None]:
    """Closing, the addition ("Im Auftrag"), three blank lines (``None``) for the handwritten signature,
    then name and function: the end of every letter, on paper and in the office documents."""
    lines: list[str | None] = [closing] if closing else []
    rest = list(signature)
    if rest and rest[0].casefold() in _ABOVE_SIGNATURE:
        lines.append(rest.pop(0))
    lines += [None, None, None]
    lines += rest
    return lines


@dataclass(frozen=True)
class SenderSettings:
    """Letterhead, sender line and contact of the letters; stored in the ``setting`` table."""

    authority: str = "Kreis Borken"
    head: str = "Der Landrat"
    unit: str = "Kommunales Integrationszentrum"
    street: str = "Burloer Straße 93"
    postal_code: str = "46325"
    city: str = "Borken"
    switchboard: str = "02861 681-0"
    website: str = "www.kreis-borken.de"
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    room: str = ""
    closing: str = "Mit freundlichen Grüßen"
    #: "Im Auftrag" for staff signing for the Landrat; empty for the Landrat himself
    signature_prefix: str = "Im Auftrag"
    signature_name: str = ""
    signature_function: str = ""
    #: a scanned handwritten signature (PNG or JPEG bytes) printed between closing and name; empty for none.
    #: Stored in the database (``letter.signature_image``, base64) like the logo
    signature_image: bytes = field(default=b"", repr=False)
    #: the name of the file the signature was taken from (shown in the dialog and in messages)
    signature_image_name: str = ""
    #: the picture (PNG, JPEG or SVG bytes) printed top right on the first page; empty for none. It is stored
    #: in the database (``letter.logo``, base64), so every workplace prints it
    logo: bytes = field(default=b"", repr=False)
    #: the name of the file the logo was taken from (shown in the dialog and in messages)
    logo_name: str = ""
    #: older versions stored only a path on one PC (``letter.logo_path``). ``load_sender_settings`` reads
    #: that file into ``logo`` while it exists and ``adopt_logo_file`` stores it; until then the path stays
    #: here (the sender dialog says when the file is missing at this workplace)
    logo_path: str = ""

    @property
    def sender_line(self) -> str:
        """The one-line Rücksendeangabe above the address: "Kreis Borken · Burloer Straße 93 · 46325 Borken"."""
        return " · ".join(
            p for p in (self.authority, self.street, f"{self.postal_code} {self.city}".strip()) if p
        )

    @property
    def letterhead(self) -> list[str]:
        return [line for line in (self.authority, self.head, self.unit) if line]

    @property
    def return_address(self) -> list[str]:
        """The sender as an address block (the reply form goes back in a window envelope)."""
        return [
            line
            for line in (self.authority, self.unit, self.street, f"{self.postal_code} {self.city}".strip())
            if line
        ]

    @property
    def signature_lines(self) -> list[str]:
        """The typed signature block: addition, name, function – the addition ("Im Auftrag") only together
        with a name, never alone above an empty line."""
        prefix = normal_signature_prefix(self.signature_prefix) if self.signature_name.strip() else ""
        return [line for line in (prefix, self.signature_name, self.signature_function) if line.strip()]

    @property
    def signature_warning(self) -> str:
        """A German hint when the addition is chosen without a name (it is then not printed); "" else."""
        prefix = normal_signature_prefix(self.signature_prefix)
        if prefix and not self.signature_name.strip():
            return (
                f"Der Zusatz „{prefix}“ wird nur zusammen mit einem Namen gedruckt; bitte den Namen "
                "der unterschreibenden Person angeben."
            )
        return ""

    @property
    def phone(self) -> str:
        return self.contact_phone or self.switchboard

    @property
    def footer(self) -> list[str]:
        first = " · ".join(
            p
            for p in (self.authority, self.head, self.street, f"{self.postal_code} {self.city}".strip())
            if p
        )
        second = " · ".join(
            p
            for p in (
                f"Telefon {self.switchboard}" if self.switchboard else "",
                self.website,
            )
            if p
        )
        return [line for line in (first, second) if line]


#: the German names of the sender settings (messages, the conflict table)
SENDER_FIELD_LABELS = {
    "authority": "Behörde",
    "head": "Zweite Zeile",
    "unit": "Dienststelle",
    "street": "Straße, Hausnummer",
    "postal_code": "PLZ",
    "city": "Ort",
    "switchboard": "Telefonzentrale",
    "website": "Internet",
    "contact_name": "Ansprechperson",
    "contact_phone": "Telefon (Durchwahl)",
    "contact_email": "E-Mail",
    "room": "Zimmer",
    "closing": "Grußformel",
    "signature_prefix": "Zusatz vor dem Namen",
    "signature_name": "Name",
    "signature_function": "Funktion",
    "signature_image": "Unterschrift (Bild)",
    "logo": "Logo",
}


def normal_signature_prefix(value: str) -> str:
    """A stored addition as one of ``SIGNATURE_PREFIXES`` ("i. A." → "Im Auftrag"); any other text an
    older version stored stays as it is (printed unchanged)."""
    text = " ".join(value.split())
    return _PREFIX_FORMS.get(text.casefold(), text)


def sender_context(sender: SenderSettings) -> dict[str, Any]:
    """The sender as the templates see it (``sender.city``, ``sender.sender_line`` …; no logo bytes)."""
    values = {k: v for k, v in asdict(sender).items() if k not in ("logo", "signature_image")}
    return {**values, "sender_line": sender.sender_line, "phone": sender.phone}


def logo_format(data: bytes) -> str:
    """ "PNG", "JPEG" or "SVG" by the first bytes of ``data``; "" for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) and b"<svg" in data[:65536].lower():
        return "SVG"
    return ""


@dataclass(frozen=True)
class _Picture:
    """What a picture stored with the sender settings may be: its German name, size limit, formats."""

    what: str
    max_bytes: int
    formats: tuple[str, ...]
    advice: str

    def limit(self) -> str:
        if self.max_bytes >= 1024 * 1024:
            return f"{self.max_bytes // 1024 // 1024} MB"
        return f"{self.max_bytes // 1024} KB"

    def too_large(self, name: str, size: int) -> UserError:
        return UserError(
            f"Die {self.what} „{name}“ ist {file_size(size)} groß; erlaubt sind höchstens "
            f"{self.limit()}. {self.advice}"
        )

    def check(self, data: bytes, name: str) -> None:
        if len(data) > self.max_bytes:
            raise self.too_large(name, len(data))
        if logo_format(data) not in self.formats:
            *first, last = self.formats
            kinds = f"{', '.join(first)} oder {last}" if first else last
            raise UserError(f"Die {self.what} „{name}“ ist kein Bild im Format {kinds}.")

    def read(self, path: str | os.PathLike[str]) -> bytes:
        file = Path(path)
        if not file.is_file():
            raise UserError(f"Die {self.what} „{file}“ gibt es an diesem Arbeitsplatz nicht.")
        try:
            size = file.stat().st_size
            if size > self.max_bytes:
                raise self.too_large(file.name, size)
            data = file.read_bytes()
        except OSError as exc:
            raise UserError(f"Die {self.what} „{file}“ kann nicht gelesen werden ({exc.strerror}).") from exc
        self.check(data, file.name)
        return data


_LOGO = _Picture(
    "Logo-Datei",
    LOGO_MAX_BYTES,
    ("PNG", "JPEG", "SVG"),
    "Bitte ein kleineres Bild wählen (z. B. als PNG mit etwa 1000 Pixeln Breite).",
)
_SIGNATURE = _Picture(
    "Unterschrift-Datei",
    SIGNATURE_IMAGE_MAX_BYTES,
    ("PNG", "JPEG"),
    "Bitte die Unterschrift kleiner einscannen oder zuschneiden (z. B. als PNG mit etwa 600 Pixeln Breite).",
)


def check_logo(data: bytes, name: str) -> None:
    """Raise a German ``UserError`` naming the file ``name`` when ``data`` cannot be the letters' logo."""
    _LOGO.check(data, name)


def read_logo_file(path: str | os.PathLike[str]) -> bytes:
    """The content of the logo file ``path``; a German ``UserError`` when it is missing, too large or no
    picture."""
    return _LOGO.read(path)


def check_signature_image(data: bytes, name: str) -> None:
    """Raise a German ``UserError`` naming the file ``name`` when ``data`` cannot be the scanned signature
    (larger than ``SIGNATURE_IMAGE_MAX_BYTES``, or not PNG/JPEG)."""
    _SIGNATURE.check(data, name)


def read_signature_file(path: str | os.PathLike[str]) -> bytes:
    """The content of a scanned signature file; a German ``UserError`` when it is missing, too large or no
    PNG/JPEG picture."""
    return _SIGNATURE.read(path)


def _decode_picture(value: object, what: str) -> bytes:
    if not isinstance(value, str) or not value:
        return b""
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        log.warning("Das gespeicherte %s der Briefe ist beschädigt und wird nicht gedruckt.", what)
        return b""


def load_sender_settings(session: Session) -> SenderSettings:
    """The sender settings from the ``setting`` table (keys ``letter.<field>``), defaults elsewhere.

    The logo comes from the database; a path stored by an older version is read from disk while no logo
    is stored and the file exists (never an error: the sender dialog explains a missing file).
    """
    rows = session.execute(
        sa.select(Setting.key, Setting.value).where(Setting.key.like(f"{SETTING_PREFIX}%"))
    ).all()
    stored = {key.removeprefix(SETTING_PREFIX): value for key, value in rows}
    names = {f.name for f in fields(SenderSettings)} - {"logo", "signature_image"}
    values: dict[str, Any] = {k: str(v) for k, v in stored.items() if k in names and v is not None}
    logo = _decode_picture(stored.get("logo"), "Logo")
    signature = _decode_picture(stored.get("signature_image"), "Unterschriftsbild")
    old_path = values.get("logo_path", "")
    if logo:
        values["logo_path"] = ""
    elif old_path:
        try:
            logo = read_logo_file(old_path)
        except UserError:
            pass  # the sender dialog names the problem; the letters go without a logo
        else:
            values["logo_name"] = values.get("logo_name") or Path(old_path).name
    return SenderSettings(**values, logo=logo, signature_image=signature)


#: the logo is one setting for the user: picture, its file name and an older version's path change together
LOGO_FIELDS = ("logo", "logo_name", "logo_path")
#: the scanned signature and its file name change together
SIGNATURE_IMAGE_FIELDS = ("signature_image", "signature_image_name")


def _sender_groups() -> list[tuple[str, ...]]:
    grouped = LOGO_FIELDS + SIGNATURE_IMAGE_FIELDS
    names = [f.name for f in fields(SenderSettings) if f.name not in grouped]
    return [(name,) for name in names] + [LOGO_FIELDS, SIGNATURE_IMAGE_FIELDS]


def _values(settings: SenderSettings, group: tuple[str, ...]) -> tuple[object, ...]:
    return tuple(getattr(settings, name) for name in group)


def changed_sender_fields(before: SenderSettings, after: SenderSettings) -> list[str]:
    """The fields of ``after`` that differ from ``before`` (the logo's three fields together)."""
    return [
        name
        for group in _sender_groups()
        if _values(before, group) != _values(after, group)
        for name in group
    ]


def sender_conflicts(before: SenderSettings, mine: SenderSettings, stored: SenderSettings) -> list[str]:
    """The fields the user changed (``before`` → ``mine``) that another workplace changed meanwhile to
    something else (``before`` → ``stored``); the logo as "logo" alone, the signature picture as
    "signature_image"."""
    return [
        group[0]
        for group in _sender_groups()
        if _values(before, group) != _values(mine, group)
        and _values(stored, group) != _values(before, group)
        and _values(stored, group) != _values(mine, group)
    ]


def save_sender_settings(
    database: Database, settings: SenderSettings, before: SenderSettings | None = None
) -> None:
    """Store the sender settings (one unit of work); the logo as base64 text. A logo larger than
    ``LOGO_MAX_BYTES`` or not a picture is refused (``UserError``) before anything is written.

    ``before``: the settings as the dialog loaded them. Then only the fields changed since are written, so
    another workplace's change of another field (say the logo) stays; when another workplace changed one of
    the same fields to something else meanwhile, nothing is written and ``ConflictError`` carries the stored
    settings (``current``). Without ``before`` every field is written.
    """
    if settings.logo:
        check_logo(settings.logo, settings.logo_name or "Logo")
    if settings.signature_image:
        check_signature_image(settings.signature_image, settings.signature_image_name or "Unterschrift")
    with database.session() as s:
        if before is None:
            names = [f.name for f in fields(SenderSettings)]
        else:
            stored = load_sender_settings(s)
            conflicts = sender_conflicts(before, settings, stored)
            if conflicts:
                raise ConflictError(
                    "Die Absenderangaben wurden inzwischen an einem anderen Arbeitsplatz geändert "
                    f"({', '.join(SENDER_FIELD_LABELS.get(n, n) for n in conflicts)}). Es wurde nichts "
                    "gespeichert.",
                    current=stored,
                )
            names = changed_sender_fields(before, settings)
        values: dict[str, Any] = {name: getattr(settings, name) for name in names}
        if "logo" in values:
            if settings.logo:
                values["logo_path"] = ""  # the picture is stored now; the old path is no longer needed
            values["logo"] = base64.b64encode(settings.logo).decode("ascii")
        if "signature_image" in values:
            values["signature_image"] = base64.b64encode(settings.signature_image).decode("ascii")
        for name, value in values.items():
            key = SETTING_PREFIX + name
            row = s.get(Setting, key)
            if row is None:
                s.add(Setting(key=key, value=value))
            elif row.value != value:
                row.value = value


def adopt_logo_file(database: Database) -> bool:
    """Store the logo file an older version referred to by path (once, at a workplace where the file
    exists), so every workplace prints it from then on. True when it was stored."""
    with database.read_session() as s:
        rows = s.execute(
            sa.select(Setting.key, Setting.value).where(
                Setting.key.in_([SETTING_PREFIX + "logo", SETTING_PREFIX + "logo_path"])
            )
        ).all()
        values: dict[str, Any] = {key: value for key, value in rows}
    old_path = values.get(SETTING_PREFIX + "logo_path")
    if values.get(SETTING_PREFIX + "logo") or not isinstance(old_path, str) or not old_path:
        return False
    try:
        data = read_logo_file(old_path)
    except UserError:
        return False
    try:
        with database.session() as s:
            for name, value in (
                ("logo", base64.b64encode(data).decode("ascii")),
                ("logo_name", Path(old_path).name),
                ("logo_path", ""),
            ):
                row = s.get(Setting, SETTING_PREFIX + name)
                if row is None:
                    s.add(Setting(key=SETTING_PREFIX + name, value=value))
                else:
                    row.value = value
    except sa.exc.SQLAlchemyError:
        # another workplace stored it at the same moment, or the database is busy: next time
        log.warning(
            "Das Logo aus „%s“ konnte nicht in die Datenbank übernommen werden.", old_path, exc_info=True
        )
        return False
    return True
