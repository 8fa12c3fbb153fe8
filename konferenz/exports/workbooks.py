"""Excel exports of the registry, a conference's invitations and its attendees, and of any window list.

Every export goes through ``konferenz.spreadsheets.xlsx.write_workbook``: bold frozen header row, autofilter, fitting
column widths, dates as real Excel dates, PLZ and phone numbers as text, and no cell ever a formula.

Registry (``export_registry``)
    Sheet "Personen": one row per person (anonymised persons are left out: their data is erased), first
    column ``ID``, then every field of the registry. Sheet "Organisationen": one row per organisation,
    first column ``ID``. The headers are the import's synonyms, so the file edited in Excel and imported
    again (``konferenz.importing.service``) updates the records by ``ID`` instead of duplicating them: the
    "Personen" sheet is the table the import finds first; "Organisationen" is imported with
    ``--sheet Organisationen``. The person's organisation is the primary one ("Organisation", "Funktion in
    der Organisation", "Abteilung"); further roles are listed in "Weitere Organisationen" (not imported).

Invitations (``export_invitations``) and attendees (``export_attendees``) of one conference
    One row per invitation with the invitee, organisation, category and municipality (the ones the
    statistics count it under: ``konferenz.storage.schema.counted_category_id``), the status as the German
    label, channels, dates, forum, companions and needs. The attendees are the invitations with status
    *teilgenommen* (optionally all who take a seat: ``InvitationStatus.seated()``).

Every sheet is in the filing order of ``konferenz.sorting`` (persons, organisations, invitees).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from konferenz.conferences.editing import conference_id
from konferenz.enums import ConsentPurpose, Gender, InvitationStatus, label
from konferenz.errors import UserError
from konferenz.names import surname
from konferenz.spreadsheets.xlsx import Cell, Sheet, write_workbook
from konferenz.storage import schema
from konferenz.storage.db import Database
from konferenz.storage.models import (
    Category,
    Conference,
    ConsentRecord,
    Forum,
    Invitation,
    Municipality,
    Organisation,
    Person,
    Role,
    Tag,
    organisation_tag,
    person_tag,
)

Progress = Callable[[int, int], None]

#: the salutation column as the import reads it back
GENDER_TEXT: dict[Gender, str] = {
    Gender.FEMALE: "Frau",
    Gender.MALE: "Herr",
    Gender.DIVERSE: "divers",
    Gender.UNKNOWN: "",
}

PERSON_HEADERS: tuple[str, ...] = (
    "ID",
    "Anrede",
    "Titel",
    "Vorname",
    "Namenszusatz",
    "Nachname",
    "Briefanrede",
    "Funktion",
    "Organisation",
    "Funktion in der Organisation",
    "Abteilung",
    "Straße",
    "Postfach",
    "PLZ",
    "Ort",
    "Land",
    "E-Mail",
    "Telefon",
    "Mobiltelefon",
    "Kategorie",
    "Kommune",
    "Schlagwörter",
    "Rechtsgrundlage",
    "Einwilligung Teilnehmerliste",
    "Notizen",
    "Weitere Organisationen",
    "Angelegt am",
    "Geändert am",
)
ORGANISATION_HEADERS: tuple[str, ...] = (
    "ID",
    "Organisation",
    "Abteilung",
    "Kurzname",
    "Kategorie",
    "Kommune",
    "Straße",
    "Postfach",
    "PLZ",
    "Ort",
    "Land",
    "E-Mail",
    "Telefon",
    "Internetseite",
    "Schlagwörter",
    "Notizen",
    "Anzahl Personen",
    "Angelegt am",
    "Geändert am",
)
INVITATION_HEADERS: tuple[str, ...] = (
    "Einladung Nr.",
    "Personen-Nr.",
    "Anrede",
    "Titel",
    "Vorname",
    "Nachname",
    "Organisation",
    "Funktion",
    "Kategorie",
    "Kommune",
    "E-Mail",
    "Telefon",
    "Status",
    "Einladungsweg",
    "Eingeladen am",
    "Erinnert am",
    "Antwortweg",
    "Antwort am",
    "Vertreten durch",
    "Begleitpersonen",
    "Forum",
    "Barrierefreiheit",
    "Ernährung",
    "Platz auf der Warteliste",
    "Eingelassen am",
    "Notizen",
    "Eingetragen von",
    "Eingetragen am",
)
ATTENDEE_HEADERS: tuple[str, ...] = (
    "Nr.",
    "Anrede",
    "Titel",
    "Vorname",
    "Nachname",
    "Organisation",
    "Funktion",
    "Kategorie",
    "Kommune",
    "Status",
    "Vertreten durch",
    "Begleitpersonen",
    "Forum",
    "Eingelassen am",
)
_TEXT_HEADERS = frozenset({"PLZ", "Telefon", "Mobiltelefon", "Postfach"})


@dataclass(frozen=True)
class ExportResult:
    path: Path
    #: data rows per sheet
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _text_columns(headers: Sequence[str]) -> frozenset[int]:
    return frozenset(i for i, h in enumerate(headers) if h in _TEXT_HEADERS)


def _chunks(values: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _tags_by_owner(session: Session, link: sa.Table, column: str) -> dict[int, str]:
    names: dict[int, list[str]] = {}
    for owner, name in session.execute(
        sa.select(link.c[column], Tag.name)
        .join(Tag, Tag.id == link.c.tag_id)
        .order_by(link.c[column], Tag.name)
    ):
        names.setdefault(owner, []).append(name)
    return {owner: "; ".join(values) for owner, values in names.items()}


# --- the registry ---------------------------------------------------------------------------------------------


def person_rows(session: Session) -> list[list[Cell]]:
    """The rows of the "Personen" sheet, in the filing order of persons."""
    categories = dict(session.execute(sa.select(Category.id, Category.name)).all())
    municipalities = dict(session.execute(sa.select(Municipality.id, Municipality.name)).all())
    org_names = dict(session.execute(sa.select(Organisation.id, Organisation.name)).all())
    primary: dict[int, tuple[int, str, str]] = {}
    others: dict[int, list[str]] = {}
    for pid, oid, function, department, is_primary in session.execute(
        sa.select(
            Role.person_id, Role.organisation_id, Role.function, Role.department, Role.is_primary
        ).order_by(Role.person_id, Role.is_primary.desc(), Role.id)
    ):
        if pid not in primary and is_primary:
            primary[pid] = (oid, function, department)
        else:
            others.setdefault(pid, []).append(org_names.get(oid, ""))
    tags = _tags_by_owner(session, person_tag, "person_id")
    consent = set(
        session.scalars(
            sa.select(ConsentRecord.person_id).where(
                ConsentRecord.purpose == ConsentPurpose.PARTICIPANT_LIST, ConsentRecord.withdrawn_on.is_(None)
            )
        )
    )
    p = schema.person.c
    rows: list[list[Cell]] = []
    for r in session.execute(
        sa.select(schema.person).where(p.anonymised_at.is_(None)).order_by(*schema.person_order())
    ):
        role = primary.get(r.id)
        rows.append(
            [
                r.id,
                GENDER_TEXT.get(r.gender, ""),
                r.title,
                r.first_name,
                r.name_prefix,
                r.last_name,
                r.custom_salutation,
                r.function,
                org_names.get(role[0], "") if role else "",
                role[1] if role else "",
                role[2] if role else "",
                r.street,
                r.po_box,
                r.postal_code,
                r.city,
                r.country,
                r.email,
                r.phone,
                r.mobile,
                categories.get(r.category_id, "") if r.category_id else "",
                municipalities.get(r.municipality_id, "") if r.municipality_id else "",
                tags.get(r.id, ""),
                label(r.legal_basis),
                "ja" if r.id in consent else "nein",
                r.notes,
                "; ".join(o for o in others.get(r.id, []) if o),
                r.created_at,
                r.updated_at,
            ]
        )
    return rows


def organisation_rows(session: Session) -> list[list[Cell]]:
    """The rows of the "Organisationen" sheet, in the filing order of organisations."""
    categories = dict(session.execute(sa.select(Category.id, Category.name)).all())
    municipalities = dict(session.execute(sa.select(Municipality.id, Municipality.name)).all())
    counts = dict(
        session.execute(sa.select(Role.organisation_id, sa.func.count()).group_by(Role.organisation_id)).all()
    )
    tags = _tags_by_owner(session, organisation_tag, "organisation_id")
    rows: list[list[Cell]] = []
    for r in session.execute(sa.select(schema.organisation).order_by(*schema.organisation_order())):
        rows.append(
            [
                r.id,
                r.name,
                r.department,
                r.short_name,
                categories.get(r.category_id, "") if r.category_id else "",
                municipalities.get(r.municipality_id, "") if r.municipality_id else "",
                r.street,
                r.po_box,
                r.postal_code,
                r.city,
                r.country,
                r.email,
                r.phone,
                r.website,
                tags.get(r.id, ""),
                r.notes,
                int(counts.get(r.id, 0)),
                r.created_at,
                r.updated_at,
            ]
        )
    return rows


def registry_sheets(session: Session) -> list[Sheet]:
    return [
        Sheet("Personen", PERSON_HEADERS, person_rows(session), _text_columns(PERSON_HEADERS)),
        Sheet(
            "Organisationen",
            ORGANISATION_HEADERS,
            organisation_rows(session),
            _text_columns(ORGANISATION_HEADERS),
        ),
    ]


def export_registry(database: Database, path: Path | str) -> ExportResult:
    """Write the whole registry (persons and organisations) to ``path`` (.xlsx)."""
    with database.read_session() as s:
        sheets = registry_sheets(s)
    return _write(path, sheets)


def _write(path: Path | str, sheets: Sequence[Sheet]) -> ExportResult:
    counts = {}
    materialised = []
    for sheet in sheets:
        rows = list(sheet.rows)
        counts[sheet.title] = len(rows)
        materialised.append(Sheet(sheet.title, sheet.headers, rows, sheet.text_columns))
    target = write_workbook(path, materialised)
    return ExportResult(target, counts)


# --- invitations and attendees ----------------------------------------------------------------------------------


def invitation_rows(
    session: Session, year: int, statuses: Iterable[InvitationStatus] | None = None
) -> list[dict[str, Any]]:
    """One dict per invitation of the conference ``year`` (optionally only ``statuses``), in the filing
    order of invitees."""
    conf = conference_id(session, year)
    categories = dict(session.execute(sa.select(Category.id, Category.name)).all())
    municipalities = dict(session.execute(sa.select(Municipality.id, Municipality.name)).all())
    org = schema.organisation.alias("org")
    primary_role = aliased(Role)
    primary_org = aliased(Organisation)
    substitute = aliased(Person)
    stmt = (
        sa.select(
            Invitation,
            Person,
            sa.func.coalesce(org.c.name, primary_org.name).label("org_name"),
            schema.counted_category_id().label("category_id"),
            schema.counted_municipality_id().label("municipality_id"),
            Forum.title.label("forum"),
            primary_role.function.label("role_function"),
            substitute.first_name.label("sub_first"),
            substitute.last_name.label("sub_last"),
        )
        .outerjoin(Person, Person.id == Invitation.person_id)
        .outerjoin(
            primary_role, sa.and_(primary_role.person_id == Person.id, primary_role.is_primary.is_(True))
        )
        .outerjoin(primary_org, primary_org.id == primary_role.organisation_id)
        .outerjoin(org, org.c.id == Invitation.organisation_id)
        .outerjoin(Forum, Forum.id == Invitation.forum_id)
        .outerjoin(substitute, substitute.id == Invitation.substitute_person_id)
        .where(Invitation.conference_id == conf)
        .order_by(*schema.invitee_order(organisation_table=org))
    )
    if statuses is not None:
        stmt = stmt.where(Invitation.status.in_(list(statuses)))
    out: list[dict[str, Any]] = []
    seen: set[int] = set()
    for (
        inv,
        person,
        org_name,
        category_id,
        municipality_id,
        forum,
        role_function,
        sub_first,
        sub_last,
    ) in session.execute(stmt):
        if inv.id in seen:  # two primary roles by mistake: the first row wins
            continue
        seen.add(inv.id)
        substitute_name = inv.substitute_name or " ".join(p for p in (sub_first, sub_last) if p)
        out.append(
            {
                "invitation": inv,
                "person": person,
                "org_name": org_name or "",
                "category": categories.get(category_id, "") if category_id is not None else "",
                "municipality": municipalities.get(municipality_id, "")
                if municipality_id is not None
                else "",
                "forum": forum or "",
                "function": (role_function or (person.function if person else "")) or "",
                "substitute": substitute_name,
            }
        )
    return out


def _conference_title(session: Session, year: int) -> str:
    title = session.scalar(sa.select(Conference.title).where(Conference.year == year))
    return title or str(year)


def invitation_sheet(session: Session, year: int) -> Sheet:
    rows: list[list[Cell]] = []
    for d in invitation_rows(session, year):
        inv: Invitation = d["invitation"]
        person: Person | None = d["person"]
        rows.append(
            [
                inv.id,
                person.id if person else None,
                GENDER_TEXT.get(person.gender, "") if person else "",
                person.title if person else "",
                person.first_name if person else "",
                surname(person.name_prefix, person.last_name) if person else "",
                d["org_name"],
                d["function"],
                d["category"],
                d["municipality"],
                person.email if person else "",
                person.phone if person else "",
                label(inv.status),
                label(inv.invitation_channel) if inv.invitation_channel else "",
                inv.invited_on,
                inv.reminded_on,
                label(inv.reply_channel) if inv.reply_channel else "",
                inv.replied_on,
                d["substitute"],
                inv.companions,
                d["forum"],
                inv.needs_accessibility,
                inv.needs_diet,
                inv.waitlist_position,
                inv.checked_in_at,
                inv.notes,
                inv.entered_by,
                inv.entered_at,
            ]
        )
    return Sheet(f"Einladungen {year}", INVITATION_HEADERS, rows, _text_columns(INVITATION_HEADERS))


def export_invitations(database: Database, year: int, path: Path | str) -> ExportResult:
    """Every invitation of the conference ``year`` with its status in German."""
    with database.read_session() as s:
        sheet = invitation_sheet(s, year)
    return _write(path, [sheet])


def attendee_sheet(session: Session, year: int, statuses: Iterable[InvitationStatus] | None = None) -> Sheet:
    """The attendees (``statuses`` None: ``InvitationStatus.attended()``)."""
    if statuses is None:
        statuses = InvitationStatus.attended()
    rows: list[list[Cell]] = []
    for number, d in enumerate(invitation_rows(session, year, statuses), start=1):
        inv: Invitation = d["invitation"]
        person: Person | None = d["person"]
        rows.append(
            [
                number,
                GENDER_TEXT.get(person.gender, "") if person else "",
                person.title if person else "",
                person.first_name if person else "",
                surname(person.name_prefix, person.last_name) if person else "",
                d["org_name"],
                d["function"],
                d["category"],
                d["municipality"],
                label(inv.status),
                d["substitute"],
                inv.companions,
                d["forum"],
                inv.checked_in_at,
            ]
        )
    return Sheet(f"Teilnehmende {year}", ATTENDEE_HEADERS, rows, _text_columns(ATTENDEE_HEADERS))


def export_attendees(
    database: Database, year: int, path: Path | str, statuses: Iterable[InvitationStatus] | None = None
) -> ExportResult:
    """The attendees of the conference ``year`` (status *teilgenommen*; with
    ``statuses=InvitationStatus.seated()`` everyone who takes a seat, the list before the event)."""
    with database.read_session() as s:
        sheet = attendee_sheet(s, year, statuses)
    return _write(path, [sheet])


# --- any list of the window ---------------------------------------------------------------------------------------

_DISPLAY_DATE = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})$")
_DISPLAY_DATETIME = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2})$")


def _display_cell(value: object) -> Cell:
    """A list's display value as an Excel cell: TT.MM.JJJJ as a real date, numbers as numbers."""
    if value is None or isinstance(value, bool | int | float | dt.date | dt.time):
        return value
    text = str(value)
    m = _DISPLAY_DATE.match(text)
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return text
    m = _DISPLAY_DATETIME.match(text)
    if m:
        try:
            return dt.datetime(
                int(m.group(3)), int(m.group(2)), int(m.group(1)), int(m.group(4)), int(m.group(5))
            )
        except ValueError:
            return text
    return text


def export_table(
    path: Path | str,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
) -> ExportResult:
    """Any table as one sheet: the window exports a list with its current filter, sort and visible
    columns through this (display dates TT.MM.JJJJ become real dates; text stays text)."""
    cells = [[_display_cell(v) for v in row] for row in rows]
    if not headers:
        raise UserError("Es ist keine Spalte zum Exportieren ausgewählt.")
    return _write(path, [Sheet(title, list(headers), cells, _text_columns(headers))])


def export_list(
    database: Database,
    source: Any,
    ids: Sequence[int],
    path: Path | str,
    column_keys: Sequence[str] | None = None,
) -> ExportResult:
    """Export the rows ``ids`` (in this order: the current filter and sort) of a ``konferenz.lists.registry``
    ``ListSource`` with the columns ``column_keys`` (the visible ones; all when None)."""
    keys = list(column_keys) if column_keys is not None else source.column_keys()
    positions = [source.column_index(k) for k in keys]
    headers = [source.column(k).header for k in keys]
    with database.read_session() as s:
        by_id = source.rows(s, ids)
    rows = [[by_id[i][p] for p in positions] for i in ids if i in by_id]
    return export_table(path, str(source.name), headers, rows)
