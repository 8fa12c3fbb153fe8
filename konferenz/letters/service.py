"""Content of everything printed: letters (Jinja2 templates), labels, badges, sign-in and attendee lists.

The core hands the paper layer (``ui/paper``) finished content – address lines, salutation, subject, body
HTML, information block, reply form, rows of a list – and the paper layer owns the geometry (DIN 5008,
label grids). Templates never position the address block.

Templates: one Jinja2 environment (sandboxed, ``StrictUndefined``, autoescape on), loading first from the
user's own template folder (``<user data dir>/Vorlagen``; a file there with the name of a shipped template
replaces it) and then from ``resources/templates``. A template may set its subject with
``{% set subject = "…" %}``; its output is the body between salutation and closing.

Template variables (all plain values; dates and times already in German form):
``person`` (``None`` for a letter to an organisation; ``title``, ``first_name``, ``name_prefix``,
``last_name``, ``full_name``, ``name_with_title``, ``function``), ``organisation`` (``None`` or ``name``,
``department``, ``short_name``), ``invitation`` (``status``, ``forum``, ``companions``,
``substitute_name``, ``invited_on``, ``replied_on``), ``conference`` (``year``, ``title``, ``theme``,
``date``, ``date_short``, ``start_time``, ``end_time``, ``time_range``, ``venue_name``, ``venue_street``,
``venue_postal_code``, ``venue_city``, ``venue``, ``reply_deadline``), ``forums`` (list: ``number``,
``label`` ("Forum 2: Arbeit"), ``title``, ``description``, ``room``, ``moderation``), ``agenda`` (list: ``time``, ``title``, ``type``,
``speakers``, ``moderation``, ``room``), ``minutes`` (list: ``title``, ``results``, ``notes``),
``recommendations`` (list: ``text``, ``responsible``), ``reply_deadline``, ``salutation``, ``sender``
(the sender settings), ``today``, ``enclosures`` (``programme``, ``reply_form``: booleans).
Filters: ``absaetze`` (text with line breaks → escaped paragraphs), ``zeilen`` (line breaks → ``<br>``).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import logging
import os
import re
import traceback
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import jinja2
import sqlalchemy as sa
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape
from sqlalchemy.orm import Session, selectinload

from konferenz import paths
from konferenz.enums import Channel, ConsentPurpose, InvitationStatus, label
from konferenz.errors import ConflictError, UserError
from konferenz.registry.addressing import Addressee
from konferenz.storage.db import Database
from konferenz.storage.models import (
    ArchivedDocument,
    Conference,
    Forum,
    Invitation,
    MinutesEntry,
    Person,
    Recommendation,
    Role,
    Setting,
)
from konferenz.text import ascii_name, collapse_spaces, fold

log = logging.getLogger(__name__)

TEMPLATE_SUFFIX = ".html.j2"
DEFAULT_TEMPLATE = "einladung" + TEMPLATE_SUFFIX
USER_TEMPLATE_FOLDER = "Vorlagen"
#: prefix of the keys in the ``setting`` table that hold the sender settings ("letter.contact_name")
SETTING_PREFIX = "letter."
#: the largest logo stored with the sender settings (it is read with every letter run)
LOGO_MAX_BYTES = 2 * 1024 * 1024

MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")

#: who gets a badge and is expected at the event (and on the sign-in sheet)
EXPECTED = frozenset(
    {
        InvitationStatus.ACCEPTED,
        InvitationStatus.SUBSTITUTED,
        InvitationStatus.ATTENDED,
        InvitationStatus.NO_SHOW,
    }
)
#: who appears on the attendee list (if they consented to it)
ATTENDEES = frozenset({InvitationStatus.ACCEPTED, InvitationStatus.SUBSTITUTED, InvitationStatus.ATTENDED})


# --- German dates ---------------------------------------------------------------------------------------


def german_date(value: dt.date | None) -> str:
    """ "25. November 2026" (empty for ``None``)."""
    if value is None:
        return ""
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def german_date_weekday(value: dt.date | None) -> str:
    """ "Donnerstag, 12. November 2026"."""
    if value is None:
        return ""
    return f"{WEEKDAYS[value.weekday()]}, {german_date(value)}"


def numeric_date(value: dt.date | None) -> str:
    """ "12.11.2026" (DIN 5008 numeric form)."""
    return value.strftime("%d.%m.%Y") if value is not None else ""


def german_time(value: dt.time | None) -> str:
    """ "9:30" (add "Uhr" where it reads naturally)."""
    return f"{value.hour}:{value.minute:02d}" if value is not None else ""


# --- sender settings ------------------------------------------------------------------------------------


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


# --- templates ------------------------------------------------------------------------------------------


class TemplateError(UserError):
    """A template that cannot be rendered: syntax error, unknown variable, forbidden operation."""

    def __init__(self, message: str, *, template: str = "", lineno: int | None = None) -> None:
        super().__init__(message)
        self.template = template
        self.lineno = lineno


def user_template_dir() -> Path:
    """The user's own template folder (``<user data dir>/Vorlagen``); created on demand by the editor."""
    return paths.data_dir() / USER_TEMPLATE_FOLDER


def builtin_template_dir() -> Path:
    return paths.resources_dir() / "templates"


def _paragraphs(value: object) -> Markup:
    """Text with line breaks as escaped HTML paragraphs (blank line = new paragraph)."""
    text = str(value or "").replace("\r\n", "\n").strip()
    if not text:
        return Markup("")
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    return Markup("").join(
        Markup("<p>{}</p>").format(Markup("<br>").join(escape(line) for line in block.split("\n")))
        for block in blocks
    )


def _line_breaks(value: object) -> Markup:
    text = str(value or "").replace("\r\n", "\n").strip()
    return Markup("<br>").join(escape(line) for line in text.split("\n")) if text else Markup("")


@functools.cache
def _environment(user_dir: Path, builtin_dir: Path) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader(
            [jinja2.FileSystemLoader(str(user_dir)), jinja2.FileSystemLoader(str(builtin_dir))]
        ),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        lstrip_blocks=True,
        auto_reload=True,
    )
    env.filters["absaetze"] = _paragraphs
    env.filters["zeilen"] = _line_breaks
    env.filters["datum"] = german_date
    env.filters["datum_wochentag"] = german_date_weekday
    env.filters["uhrzeit"] = german_time
    return env


_folder_states: dict[Path, tuple[tuple[str, int], ...]] = {}


def _folder_state(folder: Path) -> tuple[tuple[str, int], ...]:
    try:
        with os.scandir(folder) as entries:
            return tuple(
                sorted((e.name, e.stat().st_mtime_ns) for e in entries if e.name.endswith(TEMPLATE_SUFFIX))
            )
    except OSError:
        return ()


def environment() -> SandboxedEnvironment:
    """The one template environment (per user template folder).

    Jinja reloads a changed template file by itself; a template the user adds (possibly replacing a shipped
    one of the same name) is noticed here, by the folder listing, and empties the template cache.
    """
    user = user_template_dir()
    env = _environment(user, builtin_template_dir())
    state = _folder_state(user)
    if _folder_states.get(user) != state:
        if env.cache is not None:
            env.cache.clear()
        _folder_states[user] = state
    return env


def available_templates() -> list[str]:
    """Names of all templates (shipped and the user's own), sorted."""
    names: set[str] = set()
    for folder in (builtin_template_dir(), user_template_dir()):
        if folder.is_dir():
            names.update(p.name for p in folder.glob("*" + TEMPLATE_SUFFIX))
    return sorted(names)


def template_name(name: str) -> str:
    """The file name of a template given as "einladung" or "einladung.html.j2"; TemplateError if none."""
    wanted = name.strip()
    if not wanted.endswith(TEMPLATE_SUFFIX):
        wanted += TEMPLATE_SUFFIX
    if wanted not in available_templates():
        choices = ", ".join(n.removesuffix(TEMPLATE_SUFFIX) for n in available_templates())
        raise TemplateError(f"Die Vorlage „{name}“ gibt es nicht. Vorhanden: {choices}.", template=name)
    return wanted


def _looks_like_name(text: str) -> bool:
    return "\n" not in text and "{" not in text and "<" not in text and len(text) < 200


def template_kind(name: str) -> str:
    """ "einladung", "erinnerung", "dank" or another base name of a template file."""
    return Path(name).name.removesuffix(TEMPLATE_SUFFIX)


def default_statuses(template: str) -> frozenset[InvitationStatus] | None:
    """Who gets a letter of ``template`` when no status is chosen (``None``: every invitation).

    Reminders (``erinnerung…``) go only to those who have not replied, thanks (``dank…``) only to those
    who came; the same prefixes decide what ``record_sending`` records.
    """
    kind = template_kind(template)
    if kind.startswith("erinnerung"):
        return frozenset({InvitationStatus.INVITED, InvitationStatus.NO_REPLY})
    if kind.startswith("dank"):
        return frozenset({InvitationStatus.ATTENDED})
    return None


_UNDEFINED = re.compile(r"^'(?P<name>[^']+)' is undefined$")
_NO_ATTRIBUTE = re.compile(r"has no attribute '(?P<name>[^']+)'")


def _error_line(exc: BaseException, template: jinja2.Template) -> int | None:
    """The template line of a runtime error.

    ``make_module`` runs the compiled template without Jinja's traceback rewriting, so the frames carry
    lines of the generated Python code; the template's debug info maps them back.
    """
    names = {template.filename, "<template>"}
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename in names and frame.lineno is not None:
            line = template.get_corresponding_lineno(frame.lineno)
    return line


def _german_reason(exc: BaseException) -> str:
    message = str(getattr(exc, "message", None) or exc)
    if isinstance(exc, jinja2.UndefinedError):
        found = _UNDEFINED.match(message) or _NO_ATTRIBUTE.search(message)
        if found:
            return f"„{found['name']}“ ist kein bekannter Platzhalter"
        return f"unbekannter Platzhalter ({message})"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"Syntaxfehler ({message})"
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return f"in Vorlagen nicht erlaubt ({message})"
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"die Vorlage „{exc.name}“ gibt es nicht"
    if isinstance(exc, RecursionError):
        return "zu tief verschachtelt – ruft sich ein Makro (oder ein {% include %}) immer wieder selbst auf?"
    if isinstance(exc, AssertionError):  # Jinja's filters check their arguments with assert
        detail = f" ({message})" if message else ""
        return f"ein Filter wurde mit einem ungültigen Wert aufgerufen{detail}"
    if isinstance(exc, ZeroDivisionError):
        return "Division durch null"
    if isinstance(exc, TypeError | ValueError):
        return f"ungültiger Wert ({message})"
    if isinstance(exc, LookupError):
        return f"diesen Eintrag gibt es nicht ({message})"
    return f"unerwarteter Fehler beim Ausfüllen ({type(exc).__name__}: {message})"


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def render_template(template_name_or_source: str, context: Mapping[str, Any]) -> Rendered:
    """Subject (``{% set subject = … %}``) and body HTML of a template given by name or as source text."""
    env = environment()
    display = "Vorlagentext"
    try:
        if _looks_like_name(template_name_or_source):
            name = template_name(template_name_or_source)
            display = name
            template = env.get_template(name)
        else:
            template = env.from_string(template_name_or_source)
    except jinja2.TemplateSyntaxError as exc:
        where = f"Zeile {exc.lineno}"
        raise TemplateError(
            f"Fehler in der Vorlage „{exc.name or display}“, {where}: {_german_reason(exc)}",
            template=exc.name or display,
            lineno=exc.lineno,
        ) from exc
    except jinja2.TemplateNotFound as exc:  # an {% include %} of a missing file
        raise TemplateError(f"Die Vorlage „{exc.name}“ gibt es nicht.", template=str(exc.name)) from exc
    except TemplateError:
        raise
    except Exception as exc:  # e.g. RecursionError: nested too deeply to compile
        raise TemplateError(
            f"Fehler in der Vorlage „{display}“: {_german_reason(exc)}", template=display
        ) from exc
    try:
        module = template.make_module(dict(context))
        body = str(module)
        subject = collapse_spaces(str(getattr(module, "subject", "") or ""))
    except Exception as exc:
        # a user's template may fail in any way (a filter's assert, a macro calling itself): a German
        # message with the line, never a traceback – the editor renders half-typed text
        if isinstance(exc, jinja2.TemplateSyntaxError):
            lineno: int | None = exc.lineno
        else:
            lineno = _error_line(exc, template)
        where = f", Zeile {lineno}" if lineno else ""
        raise TemplateError(
            f"Fehler in der Vorlage „{display}“{where}: {_german_reason(exc)}",
            template=display,
            lineno=lineno,
        ) from exc
    return Rendered(subject=subject, body=body.strip())


def render_body(template_name_or_source: str, context: Mapping[str, Any]) -> str:
    """The body HTML of a template (by name, e.g. "einladung.html.j2", or as source text).

    Raises ``TemplateError`` (a ``UserError``) with the template line for syntax errors, unknown variables,
    anything the sandbox forbids and any other failure while filling it in (a filter's invalid argument, a
    macro calling itself).
    """
    return render_template(template_name_or_source, context).body


# --- content handed to the paper layer ------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaLine:
    time: str
    title: str
    detail: str = ""
    room: str = ""


@dataclass(frozen=True)
class ForumLine:
    number: int
    title: str
    room: str = ""
    moderation: str = ""
    description: str = ""


@dataclass(frozen=True)
class Programme:
    """The programme enclosure (Programm) of a conference."""

    title: str
    date_line: str
    venue_line: str
    items: list[AgendaLine]
    forums: list[ForumLine]


@dataclass(frozen=True)
class ReplyForm:
    """The reply form enclosure (Rückmeldebogen), pre-filled for one invitee."""

    title: str
    name: str
    organisation: str
    forums: list[str]
    deadline: str
    return_address: list[str]
    sender_line: str
    phone: str
    email: str


@dataclass
class LetterContent:
    """Everything one letter shows, as finished text; the paper layer only places it."""

    invitation_id: int | None
    recipient: str
    address_lines: list[str]
    sender_line: str
    letterhead: list[str]
    info: list[tuple[str, str]]
    date_line: str
    subject: str
    salutation: str
    body_html: str
    closing: str
    signature: list[str]
    footer: list[str]
    template: str = DEFAULT_TEMPLATE
    #: the sender's logo (PNG, JPEG or SVG bytes; the same object in every letter of a run)
    logo: bytes = field(default=b"", repr=False)
    enclosures: list[str] = field(default_factory=list)
    programme: Programme | None = None
    reply_form: ReplyForm | None = None

    @property
    def address_complete(self) -> bool:
        """False when the address has no place line (a letter could not be delivered)."""
        return any(re.match(r"^\S*\d", line) for line in self.address_lines[-2:])


def _conference(session: Session, year: int) -> Conference:
    conf = session.scalar(sa.select(Conference).where(Conference.year == year))
    if conf is None:
        years = ", ".join(
            str(y) for y in session.scalars(sa.select(Conference.year).order_by(Conference.year))
        )
        known = f" Vorhanden: {years}." if years else " Es ist noch keine Konferenz angelegt."
        raise UserError(f"Eine Konferenz {year} gibt es nicht.{known}")
    return conf


def find_forum(session: Session, conference: Conference, name: str) -> Forum:
    """The forum of ``conference`` named ``name`` (title, unique beginning or number); UserError if none."""
    wanted = fold(name)
    forums = list(conference.forums)
    for number, forum in enumerate(forums, start=1):
        if wanted in (fold(forum.title), str(number)):
            return forum
    matches = [f for f in forums if fold(f.title).startswith(wanted) or wanted in fold(f.title)]
    if wanted and len(matches) == 1:
        return matches[0]
    choices = (
        "; ".join(forum_label(n, f.title) for n, f in enumerate(forums, start=1)) or "keine Foren angelegt"
    )
    problem = "ist nicht eindeutig" if len(matches) > 1 else "gibt es nicht"
    raise UserError(f"Das Forum „{name}“ {problem} (Konferenz {conference.year}: {choices}).")


def _conference_context(conf: Conference) -> dict[str, Any]:
    start, end = german_time(conf.start_time), german_time(conf.end_time)
    time_range = f"{start} bis {end} Uhr" if start and end else (f"ab {start} Uhr" if start else "")
    place = collapse_spaces(f"{conf.venue_postal_code} {conf.venue_city}")
    venue = ", ".join(p for p in (conf.venue_name, conf.venue_street, place) if p)
    return {
        "year": conf.year,
        "title": conf.title,
        "theme": conf.theme,
        "date": german_date_weekday(conf.date),
        "date_short": numeric_date(conf.date),
        "start_time": start,
        "end_time": end,
        "time_range": time_range,
        "venue_name": conf.venue_name,
        "venue_street": conf.venue_street,
        "venue_postal_code": conf.venue_postal_code,
        "venue_city": conf.venue_city,
        "venue": venue,
        "reply_deadline": german_date(conf.reply_deadline),
    }


_FORUM_PREFIX = re.compile(r"^\s*forum\b", re.IGNORECASE)


def forum_label(number: int, title: str) -> str:
    """ "Forum 2: Arbeit und Ausbildung" – unless the title already starts with "Forum"."""
    return title if _FORUM_PREFIX.match(title) else f"Forum {number}: {title}"


def _forums_context(conf: Conference) -> list[dict[str, Any]]:
    return [
        {
            "number": n,
            "label": forum_label(n, f.title),
            "title": f.title,
            "description": f.description,
            "room": f.room,
            "moderation": f.moderation,
        }
        for n, f in enumerate(conf.forums, start=1)
    ]


def _agenda_context(conf: Conference) -> list[dict[str, Any]]:
    return [
        {
            "time": german_time(item.start_time),
            "title": item.title,
            "type": label(item.item_type),
            "speakers": item.speakers,
            "moderation": item.moderation,
            "room": item.room,
            "description": item.description,
        }
        for item in conf.agenda_items
    ]


def _minutes_context(session: Session, conf: Conference) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    entries = session.scalars(
        sa.select(MinutesEntry)
        .where(MinutesEntry.conference_id == conf.id)
        .options(selectinload(MinutesEntry.agenda_item), selectinload(MinutesEntry.forum))
        .order_by(MinutesEntry.id)
    ).all()
    minutes = []
    for entry in entries:
        if entry.forum is not None:
            title = (
                entry.forum.title if _FORUM_PREFIX.match(entry.forum.title) else f"Forum: {entry.forum.title}"
            )
        elif entry.agenda_item is not None:
            title = entry.agenda_item.title
        else:
            title = "Allgemeines"
        minutes.append({"title": title, "results": entry.results, "notes": entry.notes})
    recs = session.scalars(
        sa.select(Recommendation)
        .where(Recommendation.conference_id == conf.id)
        .options(
            selectinload(Recommendation.responsible_organisation),
            selectinload(Recommendation.responsible_person),
        )
        .order_by(Recommendation.id)
    ).all()
    recommendations = []
    for rec in recs:
        responsible = rec.responsible_text
        if rec.responsible_organisation is not None:
            responsible = rec.responsible_organisation.name
        elif rec.responsible_person is not None:
            responsible = collapse_spaces(
                f"{rec.responsible_person.first_name} {rec.responsible_person.name_prefix} "
                f"{rec.responsible_person.last_name}"
            )
        recommendations.append({"text": rec.text, "responsible": responsible, "status": label(rec.status)})
    return minutes, recommendations


def _programme(conf: Conference) -> Programme:
    items = []
    for item in conf.agenda_items:
        detail_parts = []
        if item.speakers:
            detail_parts.append(collapse_spaces(item.speakers))
        if item.moderation:
            detail_parts.append(f"Moderation: {collapse_spaces(item.moderation)}")
        items.append(
            AgendaLine(
                time=german_time(item.start_time),
                title=item.title,
                detail="; ".join(detail_parts),
                room=item.room,
            )
        )
    forums = [
        ForumLine(n, f.title, f.room, f.moderation, f.description) for n, f in enumerate(conf.forums, start=1)
    ]
    ctx = _conference_context(conf)
    time_part = f", {ctx['time_range']}" if ctx["time_range"] else ""
    return Programme(
        title=f"Programm – {conf.title}",
        date_line=f"{ctx['date']}{time_part}",
        venue_line=ctx["venue"],
        items=items,
        forums=forums,
    )


def _person_context(addressee: Addressee, person: Person | None) -> dict[str, Any] | None:
    if person is None:
        return None
    return {
        "title": addressee.title,
        "first_name": addressee.first_name,
        "name_prefix": addressee.name_prefix,
        "last_name": addressee.last_name,
        "full_name": addressee.full_name,
        "name_with_title": addressee.name_with_title,
        "gender": label(addressee.gender),
        "function": person.function,
    }


def _info_block(sender: SenderSettings) -> list[tuple[str, str]]:
    rows = [("", sender.unit)] if sender.unit else []
    if sender.contact_name:
        rows.append(("Auskunft", sender.contact_name))
    if sender.room:
        rows.append(("Zimmer", sender.room))
    rows.append(("Telefon", sender.phone))
    if sender.contact_email:
        rows.append(("E-Mail", sender.contact_email))
    return rows


def _signature(sender: SenderSettings) -> list[str]:
    return [
        line for line in (sender.signature_prefix, sender.signature_name, sender.signature_function) if line
    ]


def _invitation_query(conf_id: int) -> sa.Select[Any]:
    return (
        sa.select(Invitation)
        .where(Invitation.conference_id == conf_id)
        .options(
            selectinload(Invitation.person).selectinload(Person.roles),
            selectinload(Invitation.person).selectinload(Person.consents),
            selectinload(Invitation.organisation),
            selectinload(Invitation.forum),
            selectinload(Invitation.substitute_person).selectinload(Person.consents),
            selectinload(Invitation.substitute_person)
            .selectinload(Person.roles)
            .selectinload(Role.organisation),
        )
    )


def _role_for(invitation: Invitation) -> Role | None:
    person, organisation = invitation.person, invitation.organisation
    if person is None or organisation is None:
        return None
    return next((r for r in person.roles if r.organisation_id == organisation.id), None)


def _sort_key(addressee: Addressee) -> tuple[str, str, str]:
    if addressee.has_person:
        return (fold(addressee.last_name), fold(addressee.first_name), fold(addressee.organisation))
    return (fold(addressee.organisation), "", "")


def _select_invitations(
    session: Session,
    conf: Conference,
    status: InvitationStatus | Iterable[InvitationStatus] | None,
    invitation_ids: Iterable[int] | None,
) -> list[Invitation]:
    stmt = _invitation_query(conf.id)
    if status is not None:
        wanted = [status] if isinstance(status, InvitationStatus) else list(status)
        stmt = stmt.where(Invitation.status.in_(wanted))
    if invitation_ids is not None:
        ids = list(invitation_ids)
        stmt = stmt.where(Invitation.id.in_(ids))
    invitations = [
        inv for inv in session.scalars(stmt) if inv.person is None or inv.person.anonymised_at is None
    ]
    return invitations


def letter_contents(
    database: Database,
    conference_year: int,
    status: InvitationStatus | Iterable[InvitationStatus] | None = None,
    invitation_ids: Iterable[int] | None = None,
    *,
    template: str = DEFAULT_TEMPLATE,
    programme: bool = False,
    reply_form: bool = False,
    today: dt.date | None = None,
) -> list[LetterContent]:
    """Finished content of one letter per invitation of the conference, sorted by name.

    ``status`` and ``invitation_ids`` narrow the invitations; ``template`` is a template name ("einladung",
    "erinnerung.html.j2") or template source text. ``programme`` and ``reply_form`` add those enclosures.
    Raises ``UserError`` for an unknown year and ``TemplateError`` for a broken template.
    """
    today = today or dt.date.today()
    if _looks_like_name(template):
        template = template_name(template)
    adopt_logo_file(database)
    with database.read_session() as s:
        conf = s.scalar(
            sa.select(Conference)
            .where(Conference.year == conference_year)
            .options(selectinload(Conference.forums), selectinload(Conference.agenda_items))
        )
        if conf is None:
            _conference(s, conference_year)  # raises with the years that exist
            raise AssertionError  # pragma: no cover
        sender = load_sender_settings(s)
        invitations = _select_invitations(s, conf, status, invitation_ids)
        conference_ctx = _conference_context(conf)
        forums_ctx = _forums_context(conf)
        agenda_ctx = _agenda_context(conf)
        kind = template_kind(template)
        minutes_ctx, recommendations_ctx = _minutes_context(s, conf) if kind == "dank" else ([], [])
        programme_content = _programme(conf) if programme else None
        sender_ctx = sender_context(sender)
        info = _info_block(sender)
        date_line = f"{sender.city}, {german_date(today)}" if sender.city else german_date(today)
        enclosure_names = [n for n, on in (("Programm", programme), ("Rückmeldebogen", reply_form)) if on]
        base_context = {
            "conference": conference_ctx,
            "forums": forums_ctx,
            "agenda": agenda_ctx,
            "minutes": minutes_ctx,
            "recommendations": recommendations_ctx,
            "reply_deadline": conference_ctx["reply_deadline"],
            "sender": sender_ctx,
            "today": german_date(today),
            "enclosures": {"programme": programme, "reply_form": reply_form},
        }
        prepared = []
        for inv in invitations:
            addressee = Addressee.from_rows(inv.person, inv.organisation, _role_for(inv))
            prepared.append((_sort_key(addressee), inv, addressee))
        prepared.sort(key=lambda item: item[0])
        letters = []
        for _key, inv, addressee in prepared:
            greeting = addressee.salutation()
            context = {
                **base_context,
                "person": _person_context(addressee, inv.person),
                "organisation": (
                    {
                        "name": inv.organisation.name,
                        "department": addressee.department,
                        "short_name": inv.organisation.short_name,
                    }
                    if inv.organisation is not None
                    else None
                ),
                "invitation": {
                    "status": label(inv.status),
                    "forum": inv.forum.title if inv.forum is not None else "",
                    "companions": inv.companions,
                    "substitute_name": inv.substitute_name,
                    "invited_on": german_date(inv.invited_on),
                    "replied_on": german_date(inv.replied_on),
                },
                "salutation": greeting,
            }
            rendered = render_template(template, context)
            recipient = addressee.name_with_title if addressee.has_person else addressee.organisation
            form = None
            if reply_form:
                form = ReplyForm(
                    title=f"Rückmeldung – {conf.title}",
                    name=addressee.name_with_title if addressee.has_person else "",
                    organisation=addressee.organisation,
                    forums=[forum_label(n, f.title) for n, f in enumerate(conf.forums, start=1)],
                    deadline=conference_ctx["reply_deadline"],
                    return_address=sender.return_address,
                    sender_line=collapse_spaces(
                        " · ".join(
                            p
                            for p in (
                                addressee.name_with_title if addressee.has_person else "",
                                addressee.organisation,
                            )
                            if p
                        )
                    ),
                    phone=sender.phone,
                    email=sender.contact_email,
                )
            letters.append(
                LetterContent(
                    invitation_id=inv.id,
                    recipient=recipient,
                    address_lines=addressee.address_lines(),
                    sender_line=sender.sender_line,
                    letterhead=sender.letterhead,
                    info=info,
                    date_line=date_line,
                    subject=rendered.subject or f"{conf.title}",
                    salutation=greeting,
                    body_html=rendered.body,
                    closing=sender.closing,
                    signature=_signature(sender),
                    footer=sender.footer,
                    template=template if _looks_like_name(template) else "",
                    logo=sender.logo,
                    enclosures=enclosure_names,
                    programme=programme_content,
                    reply_form=form,
                )
            )
    return letters


def sample_context(sender: SenderSettings | None = None) -> dict[str, Any]:
    """A complete template context with invented values, for the template editor's live preview."""
    sender = sender or SenderSettings()
    return {
        "person": {
            "title": "Dr.",
            "first_name": "Ayşe",
            "name_prefix": "",
            "last_name": "Yılmaz",
            "full_name": "Ayşe Yılmaz",
            "name_with_title": "Dr. Ayşe Yılmaz",
            "gender": "weiblich",
            "function": "Geschäftsführerin",
        },
        "organisation": {"name": "Beispielverein e. V.", "department": "", "short_name": ""},
        "invitation": {
            "status": "vorgemerkt",
            "forum": "",
            "companions": 0,
            "substitute_name": "",
            "invited_on": "",
            "replied_on": "",
        },
        "conference": {
            "year": 2026,
            "title": "Integrationskonferenz 2026",
            "theme": "Teilhabe gemeinsam gestalten",
            "date": "Donnerstag, 12. November 2026",
            "date_short": "12.11.2026",
            "start_time": "9:30",
            "end_time": "16:00",
            "time_range": "9:30 bis 16:00 Uhr",
            "venue_name": "Kreishaus Borken",
            "venue_street": "Burloer Straße 93",
            "venue_postal_code": "46325",
            "venue_city": "Borken",
            "venue": "Kreishaus Borken, Burloer Straße 93, 46325 Borken",
            "reply_deadline": "23. Oktober 2026",
        },
        "forums": [
            {
                "number": 1,
                "label": "Forum 1: Sprache und Bildung",
                "title": "Sprache und Bildung",
                "description": "",
                "room": "",
                "moderation": "",
            },
            {
                "number": 2,
                "label": "Forum 2: Arbeit und Ausbildung",
                "title": "Arbeit und Ausbildung",
                "description": "",
                "room": "",
                "moderation": "",
            },
        ],
        "agenda": [],
        "minutes": [],
        "recommendations": [],
        "reply_deadline": "23. Oktober 2026",
        "salutation": "Sehr geehrte Frau Dr. Yılmaz,",
        "sender": sender_context(sender),
        "today": german_date(dt.date.today()),
        "enclosures": {"programme": True, "reply_form": True},
    }


# --- recording the sending ------------------------------------------------------------------------------


def archive_file_name(year: int, template: str, invitation_id: int, recipient: str) -> str:
    """ "2026-einladung-00042-mueller-anna.pdf": readable (German spelling) and unique per invitation."""
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name(recipient)).strip("-")[:40].strip("-") or "empfaenger"
    return f"{year}-{template_kind(template) or 'brief'}-{invitation_id:05d}-{slug}.pdf"


def record_sending(
    database: Database,
    invitation_ids: Sequence[int],
    template_name: str,
    pdf_bytes_by_invitation: Mapping[int, bytes],
    *,
    today: dt.date | None = None,
) -> int:
    """Record letters as sent by post, in one transaction; returns the number of invitations.

    Each invitation gets ``invitation_channel`` Post, ``letter_template`` and its letter PDF archived
    (``ArchivedDocument``, kind "Brief"). An invitation letter (any template but a reminder or a thank-you)
    sets ``invited_on`` to today and moves *vorgemerkt* to *eingeladen*; other statuses stay as they are.
    A reminder (``erinnerung…``) sets ``reminded_on`` and keeps the first ``invited_on``; a thank-you
    (``dank…``) changes no dates. Unknown ids raise ``UserError`` and nothing is recorded.
    """
    today = today or dt.date.today()
    kind = template_kind(template_name)
    is_reminder = kind.startswith("erinnerung")
    is_thanks = kind.startswith("dank")
    ids = list(dict.fromkeys(invitation_ids))
    with database.session() as s:
        rows = {
            inv.id: inv
            for inv in s.scalars(
                sa.select(Invitation)
                .where(Invitation.id.in_(ids))
                .options(
                    selectinload(Invitation.conference),
                    selectinload(Invitation.person),
                    selectinload(Invitation.organisation),
                )
            )
        }
        missing = [i for i in ids if i not in rows]
        if missing:
            raise UserError(f"Einladung(en) {', '.join(map(str, missing))} gibt es nicht; nichts vermerkt.")
        for inv_id in ids:
            inv = rows[inv_id]
            inv.letter_template = template_name
            if is_reminder:
                inv.reminded_on = today
                if inv.invited_on is None:
                    inv.invited_on = today
                    inv.invitation_channel = Channel.POST
            elif not is_thanks:
                inv.invitation_channel = Channel.POST
                inv.invited_on = today
            if inv.status is InvitationStatus.PLANNED and not is_thanks:
                inv.status = InvitationStatus.INVITED
            pdf = pdf_bytes_by_invitation.get(inv_id)
            if pdf is not None:
                person = inv.person
                if person is not None:
                    recipient = f"{person.last_name} {person.first_name}"
                else:
                    recipient = inv.organisation.name if inv.organisation is not None else ""
                s.add(
                    ArchivedDocument(
                        conference_id=inv.conference_id,
                        invitation_id=inv.id,
                        kind="Brief",
                        file_name=archive_file_name(inv.conference.year, template_name, inv.id, recipient),
                        content=pdf,
                    )
                )
    return len(ids)


# --- labels, badges and lists ---------------------------------------------------------------------------


def label_addresses(
    database: Database,
    conference_year: int,
    status: InvitationStatus | Iterable[InvitationStatus] | None = None,
    invitation_ids: Iterable[int] | None = None,
) -> list[list[str]]:
    """The address blocks (same as in the letters) of the invitations, sorted like the letters.

    ``status`` and ``invitation_ids`` (a selection in the window) narrow the invitations.
    """
    with database.read_session() as s:
        conf = _conference(s, conference_year)
        prepared = []
        for inv in _select_invitations(s, conf, status, invitation_ids):
            addressee = Addressee.from_rows(inv.person, inv.organisation, _role_for(inv))
            prepared.append((_sort_key(addressee), addressee.address_lines()))
    prepared.sort(key=lambda item: item[0])
    return [lines for _key, lines in prepared]


@dataclass(frozen=True)
class Attendee:
    """One row of a badge sheet, sign-in sheet or attendee list."""

    name: str
    organisation: str
    forum: str = ""
    #: "in Vertretung für …" when a substitute comes
    note: str = ""
    sort_key: tuple[str, ...] = ()


@dataclass(frozen=True)
class AttendanceSheet:
    """A printed list: title lines, the people, and how many were left out (no consent)."""

    title: str
    subtitle: str
    forum: str
    rows: list[Attendee]
    omitted: int = 0


def _has_list_consent(person: Person, today: dt.date) -> bool:
    return any(
        c.purpose is ConsentPurpose.PARTICIPANT_LIST
        and c.withdrawn_on is None
        and (c.given_on is None or c.given_on <= today)
        for c in person.consents
    )


def _attendee(inv: Invitation, forum_labels: Mapping[int, str]) -> tuple[Attendee, Person | None]:
    """The person who comes for ``inv`` (the substitute if there is one) as a list row."""
    forum = forum_labels.get(inv.forum_id, "") if inv.forum_id is not None else ""
    organisation = inv.organisation.name if inv.organisation is not None else ""
    if inv.status is InvitationStatus.SUBSTITUTED and (inv.substitute_person or inv.substitute_name):
        original = Addressee.from_rows(inv.person, inv.organisation).name_with_title if inv.person else ""
        note = f"in Vertretung für {original}" if original else "in Vertretung"
        if inv.substitute_person is not None:
            sub = Addressee.from_rows(inv.substitute_person, None)
            name = sub.name_with_title
            key = (fold(sub.last_name), fold(sub.first_name))
            if not organisation:
                roles = inv.substitute_person.roles
                primary = next((r for r in roles if r.is_primary), roles[0] if roles else None)
                organisation = primary.organisation.name if primary is not None else ""
            return Attendee(name, organisation, forum, note, key), inv.substitute_person
        name = collapse_spaces(inv.substitute_name)
        parts = name.split()
        return Attendee(name, organisation, forum, note, (fold(parts[-1] if parts else ""), fold(name))), None
    if inv.person is not None:
        who = Addressee.from_rows(inv.person, None)
        key = (fold(who.last_name), fold(who.first_name))
        return Attendee(who.name_with_title, organisation, forum, "", key), inv.person
    return Attendee("", organisation, forum, "", (fold(organisation),)), None


def _sheet_header(conf: Conference, forum: Forum | None) -> tuple[str, str, str]:
    ctx = _conference_context(conf)
    subtitle = " · ".join(p for p in (ctx["date"], ctx["venue"]) if p)
    if forum is None:
        return conf.title, subtitle, ""
    number = next((n for n, f in enumerate(conf.forums, start=1) if f.id == forum.id), 0)
    return conf.title, subtitle, forum_label(number, forum.title)


def attendees(
    database: Database,
    conference_year: int,
    *,
    forum: str | None = None,
    statuses: Iterable[InvitationStatus] = EXPECTED,
    consent_only: bool = False,
    today: dt.date | None = None,
) -> AttendanceSheet:
    """The people expected at (or who attended) the conference or one forum, sorted by last name.

    With ``consent_only`` only persons who consented to appear on a participant list (a ConsentRecord
    for that purpose, not withdrawn) are listed; the others are counted in ``omitted``.
    """
    today = today or dt.date.today()
    with database.read_session() as s:
        conf = _conference(s, conference_year)
        chosen = find_forum(s, conf, forum) if forum else None
        forum_labels = {f.id: forum_label(n, f.title) for n, f in enumerate(conf.forums, start=1)}
        stmt = _invitation_query(conf.id).where(Invitation.status.in_(list(statuses)))
        if chosen is not None:
            stmt = stmt.where(Invitation.forum_id == chosen.id)
        rows: list[Attendee] = []
        omitted = 0
        for inv in s.scalars(stmt):
            if inv.person is not None and inv.person.anonymised_at is not None:
                continue
            row, person = _attendee(inv, forum_labels)
            if consent_only and (person is None or not _has_list_consent(person, today)):
                omitted += 1
                continue
            if row.name or row.organisation:
                rows.append(row)
        title, subtitle, forum_title = _sheet_header(conf, chosen)
    rows.sort(key=lambda r: (r.sort_key, fold(r.organisation)))
    return AttendanceSheet(title, subtitle, forum_title, rows, omitted)


def badge_entries(database: Database, conference_year: int, *, forum: str | None = None) -> list[Attendee]:
    """Who gets a name badge: everyone expected (accepted, substitutes), sorted by last name."""
    return attendees(database, conference_year, forum=forum).rows


def signin_sheet(database: Database, conference_year: int, *, forum: str | None = None) -> AttendanceSheet:
    """The Unterschriftenliste: everyone expected at the conference or forum."""
    return attendees(database, conference_year, forum=forum)


def attendee_list(
    database: Database, conference_year: int, *, forum: str | None = None, today: dt.date | None = None
) -> AttendanceSheet:
    """The Teilnehmerliste handed out: accepted/attended persons who consented to be named on it."""
    return attendees(
        database, conference_year, forum=forum, statuses=ATTENDEES, consent_only=True, today=today
    )
