"""The sender of the letters: letterhead, sender line, contact and signature, and the logo; stored in the
``setting`` table (keys ``letter.<field>``), so every workplace prints the same."""

from __future__ import annotations

import base64
import binascii
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.errors import ConflictError, UserError
from konferenz.storage.db import Database
from konferenz.storage.models import Setting

log = logging.getLogger(__name__)

#: prefix of the keys in the ``setting`` table that hold the sender settings ("letter.contact_name")
SETTING_PREFIX = "letter."
#: the largest logo stored with the sender settings (it is read with every letter run)
LOGO_MAX_BYTES = 2 * 1024 * 1024


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
    "logo": "Logo",
}


def sender_context(sender: SenderSettings) -> dict[str, Any]:
    """The sender as the templates see it (``sender.city``, ``sender.sender_line`` …; no logo bytes)."""
    values = {k: v for k, v in asdict(sender).items() if k != "logo"}
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


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",") + " MB"


def check_logo(data: bytes, name: str) -> None:
    """Raise a German ``UserError`` naming the file ``name`` when ``data`` cannot be the letters' logo."""
    if len(data) > LOGO_MAX_BYTES:
        raise UserError(
            f"Die Logo-Datei „{name}“ ist {_megabytes(len(data))} groß; erlaubt sind höchstens "
            f"{LOGO_MAX_BYTES // 1024 // 1024} MB. Bitte ein kleineres Bild wählen "
            "(z. B. als PNG mit etwa 1000 Pixeln Breite)."
        )
    if not logo_format(data):
        raise UserError(f"Die Logo-Datei „{name}“ ist kein Bild im Format PNG, JPEG oder SVG.")


def read_logo_file(path: str | os.PathLike[str]) -> bytes:
    """The content of the logo file ``path``; a German ``UserError`` when it is missing, too large or no
    picture."""
    file = Path(path)
    if not file.is_file():
        raise UserError(f"Die Logo-Datei „{file}“ gibt es an diesem Arbeitsplatz nicht.")
    try:
        size = file.stat().st_size
        if size > LOGO_MAX_BYTES:
            raise UserError(
                f"Die Logo-Datei „{file.name}“ ist {_megabytes(size)} groß; erlaubt sind höchstens "
                f"{LOGO_MAX_BYTES // 1024 // 1024} MB. Bitte ein kleineres Bild wählen "
                "(z. B. als PNG mit etwa 1000 Pixeln Breite)."
            )
        data = file.read_bytes()
    except OSError as exc:
        raise UserError(f"Die Logo-Datei „{file}“ kann nicht gelesen werden ({exc.strerror}).") from exc
    check_logo(data, file.name)
    return data


def _decode_logo(value: object) -> bytes:
    if not isinstance(value, str) or not value:
        return b""
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        log.warning("Das gespeicherte Logo der Briefe ist beschädigt und wird nicht gedruckt.")
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
    names = {f.name for f in fields(SenderSettings)} - {"logo"}
    values: dict[str, Any] = {k: str(v) for k, v in stored.items() if k in names and v is not None}
    logo = _decode_logo(stored.get("logo"))
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
    return SenderSettings(**values, logo=logo)


#: the logo is one setting for the user: picture, its file name and an older version's path change together
LOGO_FIELDS = ("logo", "logo_name", "logo_path")


def _sender_groups() -> list[tuple[str, ...]]:
    names = [f.name for f in fields(SenderSettings) if f.name not in LOGO_FIELDS]
    return [(name,) for name in names] + [LOGO_FIELDS]


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
    something else (``before`` → ``stored``); the logo as "logo" alone."""
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
