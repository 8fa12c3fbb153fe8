"""Access (Art. 15 DSGVO): everything stored about one person as JSON-ready data, with the person's audit
history in German, and the export file."""

from __future__ import annotations

import datetime as dt
import json
from enum import Enum
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.audit import history as audit
from konferenz.enums import label
from konferenz.errors import UserError
from konferenz.privacy.records import PERSON_AUDIT_TYPES, find_person, invitation_ids
from konferenz.storage.models import AgendaItem, AgendaPerson, AuditEntry, Conference, Invitation

#: how a person takes part in an agenda item (``AgendaPerson.part``), in German
AGENDA_PARTS = {"speaker": "Vortrag", "moderation": "Moderation"}


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


def export_person(session: Session, person_id: int) -> dict[str, Any]:
    """Everything stored about one person, as JSON-ready data (Art. 15 DSGVO)."""
    person = find_person(session, person_id)
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
                    AuditEntry.entity_id.in_(invitation_ids(session, person_id)),
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
            {**_row(a), "rolle": AGENDA_PARTS.get(a.part, a.part), "programmpunkt": title, "jahr": year}
            for a, title, year in session.execute(
                sa.select(AgendaPerson, AgendaItem.title, Conference.year)
                .join(AgendaItem, AgendaItem.id == AgendaPerson.agenda_item_id)
                .join(Conference, Conference.id == AgendaItem.conference_id)
                .where(AgendaPerson.person_id == person_id)
                .order_by(Conference.year, AgendaItem.position)
            )
        ],
        "aenderungsprotokoll": [_row(a) for a in audit],
        "aenderungsprotokoll_lesbar": _readable_history(session, person_id),
    }


def _readable_history(session: Session, person_id: int) -> list[dict[str, Any]]:
    """The audit entries of the person and of the person's invitations in German, oldest first."""
    entries = [
        *audit.history(session, "person", person_id),
        *(e for iid in invitation_ids(session, person_id) for e in audit.history(session, "invitation", iid)),
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
