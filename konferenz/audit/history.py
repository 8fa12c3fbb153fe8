"""Reading the audit log back: one record's history in German (``history()``, with the records merged into
it), and the log as an Excel sheet. What every unit of work writes into it is ``konferenz.storage.recording``.

Stored values are turned into German for the user: labels from ``FIELD_LABELS`` and ``konferenz.enums``, ids
resolved to names, dates TT.MM.JJJJ.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.enums import (
    AuditAction,
    Channel,
    Gender,
    InvitationStatus,
    LegalBasis,
    RecommendationStatus,
    label,
)
from konferenz.storage.models import AuditEntry, Organisation, Person
from konferenz.storage.recording import FIELD_LABELS, Names

if TYPE_CHECKING:  # openpyxl is imported only when an export is made (startup time)
    from pathlib import Path

    from konferenz.spreadsheets.xlsx import Sheet
    from konferenz.storage.db import Database


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a record's history, ready to show."""

    timestamp: dt.datetime
    os_user: str
    host: str
    action: AuditAction
    action_label: str
    field: str
    field_label: str
    old: str
    new: str
    change_set: str
    entity_type: str
    entity_id: int
    #: set when the entry belongs to a record that was merged into this one
    merged_from: int | None = None

    @property
    def summary(self) -> str:
        """One German sentence: "Nachname geändert: „Öztürk“ → „Oeztürk“"."""
        if self.field in ("merged_from", "merged_into"):
            return f"{self.field_label} {self.new}"
        if not self.field:
            text = self.new or self.old
            return f"Datensatz {self.action_label}" + (f": {text}" if text else "")
        if self.old and self.new:
            return f"{self.field_label} {self.action_label}: „{self.old}“ → „{self.new}“"
        if self.new:
            return f"{self.field_label} eingetragen: „{self.new}“"
        return f"{self.field_label} entfernt: „{self.old}“"


_ENUM_FIELDS: dict[tuple[str, str], type[StrEnum]] = {
    ("person", "gender"): Gender,
    ("person", "legal_basis"): LegalBasis,
    ("invitation", "status"): InvitationStatus,
    ("invitation", "invitation_channel"): Channel,
    ("invitation", "reply_channel"): Channel,
    ("recommendation", "status"): RecommendationStatus,
}
_REFERENCE_FIELDS: dict[str, str] = {
    "category_id": "category",
    "municipality_id": "municipality",
    "organisation_id": "organisation",
    "responsible_organisation_id": "organisation",
    "person_id": "person",
    "substitute_person_id": "person",
    "responsible_person_id": "person",
    "conference_id": "conference",
    "forum_id": "forum",
}


def _display_value(names: Names, entity_type: str, field: str, raw: str | None) -> str:
    """A stored value as the user reads it."""
    if raw is None or raw == "":
        return ""
    enum_type = _ENUM_FIELDS.get((entity_type, field))
    if enum_type is not None:
        try:
            return label(enum_type(raw))
        except ValueError:
            return raw
    table = _REFERENCE_FIELDS.get(field)
    if table is not None and raw.isdigit():
        return names.name(table, int(raw))
    if raw in ("true", "false") and field not in ("notes", "text"):
        return "ja" if raw == "true" else "nein"
    for parse, fmt in (
        (dt.date.fromisoformat, "%d.%m.%Y"),
        (dt.datetime.fromisoformat, "%d.%m.%Y %H:%M"),
    ):
        if len(raw) in (10, 19) and raw[:4].isdigit() and raw[4:5] == "-":
            try:
                return parse(raw).strftime(fmt)
            except ValueError:
                continue
    return raw


def _merged_ids(session: Session, entity_type: str, entity_id: int) -> dict[int, int]:
    """Records merged into ``entity_id`` (recursively) that no longer exist: id → id they were merged into."""
    model = {"person": Person, "organisation": Organisation}.get(entity_type)
    if model is None:
        return {}
    found: dict[int, int] = {}
    todo = [entity_id]
    while todo:
        current = todo.pop()
        rows = session.execute(
            sa.select(AuditEntry.new_value).where(
                AuditEntry.entity_type == entity_type,
                AuditEntry.entity_id == current,
                AuditEntry.field == "merged_from",
            )
        ).scalars()
        for value in rows:
            if value and value.isdigit():
                other = int(value)
                if other in found or other == entity_id:
                    continue
                if session.get(model, other) is None:
                    found[other] = current
                    todo.append(other)
    return found


def history(session: Session, entity_type: str, entity_id: int) -> list[HistoryEntry]:
    """The history of one record, newest first, in German; includes records merged into it."""
    merged = _merged_ids(session, entity_type, entity_id)
    ids = [entity_id, *merged]
    entries = session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id.in_(ids))
        .order_by(AuditEntry.timestamp.desc(), AuditEntry.id.desc())
    ).all()
    names = Names(session)
    out: list[HistoryEntry] = []
    for e in entries:
        if e.field in ("merged_from", "merged_into"):
            other = e.new_value or ""
            old_text = f"Nr. {other}" + (f" ({e.old_value})" if e.old_value else "")
            old, new = "", old_text
        else:
            old = _display_value(names, e.entity_type, e.field, e.old_value)
            new = _display_value(names, e.entity_type, e.field, e.new_value)
        out.append(
            HistoryEntry(
                timestamp=e.timestamp,
                os_user=e.os_user,
                host=e.host,
                action=e.action,
                action_label=label(e.action),
                field=e.field,
                field_label=FIELD_LABELS.get(e.field, e.field),
                old=old,
                new=new,
                change_set=e.change_set,
                entity_type=e.entity_type,
                entity_id=e.entity_id,
                merged_from=e.entity_id if e.entity_id != entity_id else None,
            )
        )
    return out


ENTITY_LABELS = {
    "person": "Person",
    "organisation": "Organisation",
    "invitation": "Einladung",
    "recommendation": "Empfehlung",
}


def audit_sheet(
    session: Session,
    *,
    since: dt.date | None = None,
    entity_type: str | None = None,
    entity_id: int | None = None,
) -> Sheet:
    """The audit log (or one record's part of it) as an Excel sheet, oldest first."""
    from konferenz.spreadsheets.xlsx import Sheet

    q = sa.select(AuditEntry).order_by(AuditEntry.timestamp, AuditEntry.id)
    if since is not None:
        q = q.where(AuditEntry.timestamp >= dt.datetime.combine(since, dt.time()))
    if entity_type is not None:
        q = q.where(AuditEntry.entity_type == entity_type)
    if entity_id is not None:
        q = q.where(AuditEntry.entity_id == entity_id)
    rows = (
        [
            e.timestamp,
            e.os_user,
            e.host,
            ENTITY_LABELS.get(e.entity_type, e.entity_type),
            e.entity_id,
            label(e.action),
            FIELD_LABELS.get(e.field, e.field),
            e.old_value,
            e.new_value,
        ]
        for e in session.scalars(q.execution_options(yield_per=2_000))
    )
    return Sheet(
        "Änderungsprotokoll",
        ["Zeitpunkt", "Benutzer", "Rechner", "Art", "ID", "Aktion", "Feld", "alter Wert", "neuer Wert"],
        rows,
    )


def write_audit_log(
    database: Database,
    path: Path | str,
    *,
    since: dt.date | None = None,
    entity: tuple[str, int] | None = None,
) -> Path:
    """Write the audit log (from ``since``; only one record's part with ``entity`` = (type, id)) as an Excel
    file; returns where it went. ``UserError`` for a path that cannot be written."""
    from konferenz.spreadsheets.xlsx import write_workbook

    entity_type, entity_id = entity if entity is not None else (None, None)
    with database.read_session() as s:
        return write_workbook(
            path, [audit_sheet(s, since=since, entity_type=entity_type, entity_id=entity_id)]
        )


def record_history(database: Database, entity_type: str, entity_id: int) -> list[HistoryEntry]:
    """``history`` in a read-only session of its own."""
    with database.read_session() as session:
        return history(session, entity_type, entity_id)
