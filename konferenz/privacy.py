"""Data protection requests: access (Art. 15), erasure by anonymisation (Art. 17), review of old records.

Erasure keeps the person's row (anonymised) with its category, municipality and invitations, so the
attendance counts and statistics of past conferences do not change; everything that names or reaches the
person goes: names, contact data, free text (also on the person's invitations), roles, tags, consents, links
to agenda items, archived letters to the person, and the old and new values in the audit log (the person's
entries and the free texts of the person's invitations). A deletion log entry keeps only a keyed hash of the
id, the date and the reason.

``erase_person`` anonymises one person; ``erase_persons`` several (the review list) in one transaction, all
or nothing, with progress and cancel for ``ui.tasks``. Both run ``_erase`` inside their unit of work.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz import audit
from konferenz.conferences import primary_roles
from konferenz.db import Database
from konferenz.enums import AuditAction, Gender, label
from konferenz.errors import UserError
from konferenz.models import (
    AgendaPerson,
    ArchivedDocument,
    AuditEntry,
    Conference,
    ConsentRecord,
    DeletionLog,
    Invitation,
    Organisation,
    Person,
    Role,
    Setting,
    person_tag,
)

ANONYMOUS = "Anonymisiert"
HASH_KEY_SETTING = "privacy.hash_key"
#: audit entity types whose entries with the person's id describe the person
PERSON_AUDIT_TYPES = ("person",)


def _value(v: Any) -> Any:
    if isinstance(v, Enum):
        return v.value
    if isinstance(v, dt.date | dt.datetime | dt.time):
        return v.isoformat()
    if isinstance(v, bytes):
        return None
    return v


def _row(obj: Any) -> dict[str, Any]:
    return {c.key: _value(getattr(obj, c.key)) for c in sa.inspect(obj).mapper.column_attrs}


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise UserError(f"Eine Person mit der ID {person_id} gibt es nicht.")
    return person


def export_person(session: Session, person_id: int) -> dict[str, Any]:
    """Everything stored about one person, as JSON-ready data (Art. 15 DSGVO)."""
    person = _person(session, person_id)
    invitations = session.execute(
        sa.select(Invitation, Conference.year, Conference.title)
        .join(Conference, Conference.id == Invitation.conference_id)
        .where(sa.or_(Invitation.person_id == person_id, Invitation.substitute_person_id == person_id))
        .order_by(Conference.year)
    ).all()
    audit = session.scalars(
        sa.select(AuditEntry)
        .where(
            sa.or_(
                sa.and_(AuditEntry.entity_type.in_(PERSON_AUDIT_TYPES), AuditEntry.entity_id == person_id),
                sa.and_(
                    AuditEntry.entity_type == "invitation",
                    AuditEntry.entity_id.in_(_invitation_ids(session, person_id)),
                ),
            )
        )
        .order_by(AuditEntry.timestamp, AuditEntry.id)
    ).all()
    return {
        "erstellt": dt.datetime.now().replace(microsecond=0).isoformat(),
        "person": {
            **_row(person),
            "kategorie": person.category.name if person.category else None,
            "kommune": person.municipality.name if person.municipality else None,
            "schlagworte": [t.name for t in person.tags],
        },
        "rollen": [{**_row(r), "organisation": r.organisation.name} for r in person.roles],
        "einladungen": [
            {
                **_row(inv),
                "konferenz": year,
                "konferenz_titel": title,
                "status_text": label(inv.status),
                "forum": inv.forum.title if inv.forum else None,
            }
            for inv, year, title in invitations
        ],
        "einwilligungen": [{**_row(c), "zweck": label(c.purpose)} for c in person.consents],
        "mitwirkung_programm": [
            _row(a)
            for a in session.scalars(sa.select(AgendaPerson).where(AgendaPerson.person_id == person_id))
        ],
        "aenderungsprotokoll": [_row(a) for a in audit],
        "aenderungsprotokoll_lesbar": _readable_history(session, person_id),
    }


def _readable_history(session: Session, person_id: int) -> list[dict[str, Any]]:
    """The audit entries of the person and of the person's invitations in German, oldest first."""
    entries = [
        *audit.history(session, "person", person_id),
        *(
            e
            for iid in _invitation_ids(session, person_id)
            for e in audit.history(session, "invitation", iid)
        ),
    ]
    entries.sort(key=lambda e: (e.timestamp, e.entity_type, e.entity_id))
    return [
        {
            "zeit": _value(e.timestamp),
            "benutzer": e.os_user,
            "rechner": e.host,
            "datensatz": audit.ENTITY_LABELS.get(e.entity_type, e.entity_type),
            "datensatz_id": e.entity_id,
            "aktion": e.action_label,
            "feld": e.field_label,
            "alt": e.old,
            "neu": e.new,
        }
        for e in entries
    ]


def write_export(session: Session, person_id: int, path: Path) -> Path:
    return save_export(export_person(session, person_id), path)


def save_export(data: dict[str, Any], path: Path) -> Path:
    """Write an export (``export_person``) as UTF-8 JSON; returns the absolute path."""
    path = path.expanduser().absolute()
    if not path.parent.is_dir():
        raise UserError(f"Der Ordner „{path.parent}“ existiert nicht.")
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _hash_key(session: Session) -> bytes:
    setting = session.get(Setting, HASH_KEY_SETTING)
    if setting is None:
        setting = Setting(key=HASH_KEY_SETTING, value=secrets.token_hex(32))
        session.add(setting)
        session.flush()
    return bytes.fromhex(str(setting.value))


def id_hash(session: Session, person_id: int) -> str:
    """Keyed hash of a person id (the key is random per database, so small ids cannot be guessed back)."""
    return hmac.new(_hash_key(session), f"person:{person_id}".encode(), hashlib.sha256).hexdigest()


@dataclass
class ErasureResult:
    person_id: int
    id_hash: str
    invitations_kept: int
    #: archived letters to the person that were removed (they name and address the person)
    documents_removed: int = 0


#: free-text fields of an invitation that may describe the invitee (also scrubbed from its audit entries)
INVITATION_FREE_TEXT = ("substitute_name", "needs_accessibility", "needs_diet", "notes")
#: Progress(done, total) and Cancelled() as ``ui.tasks`` passes them
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


def _reason(reason: str) -> str:
    if not reason.strip():
        raise UserError("Grund: Bitte einen Grund für die Löschung angeben (z. B. „Antrag vom 03.11.2026“).")
    return reason.strip()


def _invitation_ids(session: Session, person_id: int) -> list[int]:
    """The person's invitations: those that name the person now, and (from the audit log) those that did."""
    current = session.scalars(sa.select(Invitation.id).where(Invitation.person_id == person_id)).all()
    logged = session.scalars(
        sa.select(AuditEntry.entity_id).where(
            AuditEntry.entity_type == "invitation",
            AuditEntry.field == "person_id",
            sa.or_(AuditEntry.new_value == str(person_id), AuditEntry.old_value == str(person_id)),
        )
    ).all()
    return sorted({*current, *logged})


def _audit_entries(session: Session, person_id: int) -> sa.ColumnElement[bool]:
    """Audit entries about the person: the person's own and the free texts of the person's invitations."""
    return sa.or_(
        sa.and_(AuditEntry.entity_type.in_(PERSON_AUDIT_TYPES), AuditEntry.entity_id == person_id),
        sa.and_(
            AuditEntry.entity_type == "invitation",
            AuditEntry.entity_id.in_(_invitation_ids(session, person_id)),
            AuditEntry.field.in_((*INVITATION_FREE_TEXT, "")),
        ),
    )


def _erase(session: Session, person_id: int, reason: str) -> ErasureResult:
    """Anonymise one person inside the caller's unit of work (the one code path of every erasure)."""
    s = session
    person = _person(s, person_id)
    if person.anonymised_at is not None:
        raise UserError(f"Die Person mit der ID {person_id} ist bereits anonymisiert.")
    for attr in (
        "title", "first_name", "name_prefix", "custom_salutation", "function", "mobile", "notes",
        "street", "po_box", "postal_code", "city", "country", "email", "phone", "search_text",
    ):  # fmt: skip
        setattr(person, attr, "")
    person.last_name = ANONYMOUS
    person.gender = Gender.UNKNOWN
    person.anonymised_at = dt.datetime.now().replace(microsecond=0)
    s.execute(sa.delete(Role).where(Role.person_id == person_id))
    s.execute(sa.delete(ConsentRecord).where(ConsentRecord.person_id == person_id))
    s.execute(sa.delete(AgendaPerson).where(AgendaPerson.person_id == person_id))
    s.execute(sa.delete(person_tag).where(person_tag.c.person_id == person_id))
    kept = s.scalar(sa.select(sa.func.count(Invitation.id)).where(Invitation.person_id == person_id))
    own = sa.select(Invitation.id).where(Invitation.person_id == person_id).scalar_subquery()
    documents = s.execute(sa.delete(ArchivedDocument).where(ArchivedDocument.invitation_id.in_(own)))
    s.execute(
        sa.update(Invitation)
        .where(Invitation.person_id == person_id)
        .values(
            {**dict.fromkeys(INVITATION_FREE_TEXT, ""), "version": Invitation.version + 1},
        )
    )
    substituted = s.scalars(
        sa.select(Invitation.id).where(Invitation.substitute_person_id == person_id)
    ).all()
    s.execute(
        sa.update(Invitation).where(Invitation.substitute_person_id == person_id).values(substitute_name="")
    )
    s.flush()
    # the audit log must not keep what was erased; the anonymisation itself stays visible
    s.execute(
        sa.update(AuditEntry)
        .where(
            sa.or_(
                _audit_entries(s, person_id),
                sa.and_(
                    AuditEntry.entity_type == "invitation",
                    AuditEntry.entity_id.in_(substituted),
                    AuditEntry.field == "substitute_name",
                ),
            )
        )
        .values(old_value=None, new_value=None)
    )
    hashed = id_hash(s, person_id)
    s.add(DeletionLog(id_hash=hashed, reason=reason))
    return ErasureResult(person_id, hashed, int(kept or 0), int(getattr(documents, "rowcount", 0) or 0))


def erase_person(database: Database, person_id: int, reason: str) -> ErasureResult:
    """Anonymise one person everywhere, in one transaction (see module docstring)."""
    reason = _reason(reason)
    with database.session() as s:
        audit.set_change_context(s, action=AuditAction.ERASE)
        return _erase(s, person_id, reason)


def erase_persons(
    database: Database,
    person_ids: Iterable[int],
    reason: str,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> list[ErasureResult]:
    """Anonymise several persons (the review list) in ONE transaction: all of them or, on any error or
    when ``cancelled()`` turns true, none (UserError)."""
    reason = _reason(reason)
    ids = list(dict.fromkeys(person_ids))
    if not ids:
        raise UserError("Es ist keine Person ausgewählt.")
    results: list[ErasureResult] = []
    with database.session() as s:
        audit.set_change_context(s, action=AuditAction.ERASE)
        for done, person_id in enumerate(ids):
            if cancelled is not None and cancelled():
                raise UserError("Abgebrochen – es wurde niemand anonymisiert.")
            results.append(_erase(s, person_id, reason))
            if progress is not None:
                progress(done + 1, len(ids))
        if cancelled is not None and cancelled():
            raise UserError("Abgebrochen – es wurde niemand anonymisiert.")
    return results


@dataclass
class ReviewRow:
    person_id: int
    name: str
    last_year: int | None
    created_at: dt.datetime
    #: the organisation of the person's primary role ("" without a role)
    organisation: str = ""


def review(session: Session, years: int = 3, today: dt.date | None = None) -> list[ReviewRow]:
    """Persons (not yet anonymised) not invited to any conference of the last ``years`` years; persons
    never invited count when they were entered longer ago than that."""
    if years < 1:
        raise UserError("Jahre: bitte mindestens 1 angeben.")
    today = today or dt.date.today()
    cutoff_year = today.year - years
    last_year = (
        sa.select(Invitation.person_id, sa.func.max(Conference.year).label("last_year"))
        .join(Conference, Conference.id == Invitation.conference_id)
        .where(Invitation.person_id.is_not(None))
        .group_by(Invitation.person_id)
        .subquery()
    )
    cutoff_date = dt.datetime(today.year - years, today.month, min(today.day, 28))
    primary = primary_roles()
    q = (
        sa.select(
            Person.id,
            Person.first_name,
            Person.last_name,
            last_year.c.last_year,
            Person.created_at,
            Organisation.name,
        )
        .outerjoin(last_year, last_year.c.person_id == Person.id)
        .outerjoin(primary, primary.c.person_id == Person.id)
        .outerjoin(Organisation, Organisation.id == primary.c.organisation_id)
        .where(Person.anonymised_at.is_(None))
        .where(
            sa.or_(
                last_year.c.last_year <= cutoff_year,
                sa.and_(last_year.c.last_year.is_(None), Person.created_at < cutoff_date),
            )
        )
        .order_by(Person.last_name, Person.first_name, Person.id)
    )
    return [
        ReviewRow(pid, f"{last}, {first}".strip(", "), year, created, organisation or "")
        for pid, first, last, year, created, organisation in session.execute(q)
    ]
