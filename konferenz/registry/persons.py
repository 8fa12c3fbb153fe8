"""Persons of the registry: create, edit, read, delete with what hangs on them, restore, and what a person's
invitations add up to.

Every service opens its own unit of work (``with database.session()``) and takes and returns plain
dataclasses (``konferenz.registry.validation``), never ORM objects bound to a session. Every write keeps
``search_text`` current (``konferenz.registry.search_keys``) and is written to the audit log by the
listener of ``konferenz.storage.recording``.

Undo recipes for the window's QUndoStack (every state is plain data the command object keeps):

- create: ``pid = create_person(db, data)``; undo: ``snap = delete_person(db, pid)``; redo:
  ``restore_person(db, snap)`` (the same id comes back).
- edit: ``before = capture_person(db, pid, record_only=True)``, then
  ``v = update_person(db, pid, data, rec.version)``; undo: ``restore_person(db, before, expected_version=v)``;
  redo: ``update_person(db, pid, data, before_version)`` (the undo restored the old version number).
- delete: ``snap = delete_person(db, pid)``; undo: ``restore_person(db, snap)``; redo: ``delete_person(db, pid)``.
- merge (``konferenz.registry.merge``): ``res = merge_persons(...)``; undo: ``undo_merge(db, res)``; redo: merge again.

The same functions exist for organisations (``konferenz.registry.organisations``). A ``record_only`` snapshot
holds the record with its roles, tags and consents only, so undoing an edit never reverts invitations that
were changed in the meantime. ``restore_*`` puts rows back with their old ids and versions, so an undo
leaves the database exactly as it was (apart from the audit log, which records the undo too).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.enums import ConsentPurpose, InvitationStatus, label
from konferenz.errors import UserError
from konferenz.registry.records import apply_fields, clear_references, touch
from konferenz.registry.search_keys import municipality_name, person_search_text, refresh_person_search_text
from konferenz.registry.validation import (
    PERSON_FIELDS,
    PersonData,
    PersonRecord,
    RoleData,
    VersionConflictError,
    check_references,
    checked_person,
)
from konferenz.storage import snapshot
from konferenz.storage.db import Database
from konferenz.storage.models import Conference, ConsentRecord, Invitation, Organisation, Person, Role
from konferenz.storage.recording import person_display_name
from konferenz.storage.snapshot import Snapshot
from konferenz.text import fold


def _active_participant_consents(person: Person) -> list[ConsentRecord]:
    return [
        c for c in person.consents if c.purpose is ConsentPurpose.PARTICIPANT_LIST and c.withdrawn_on is None
    ]


def _person_data(session: Session, person: Person) -> PersonData:
    org_names = dict(
        session.execute(
            sa.select(Organisation.id, Organisation.name).where(
                Organisation.id.in_([r.organisation_id for r in person.roles])
            )
        ).all()
    )
    roles = sorted(
        person.roles, key=lambda r: (not r.is_primary, fold(org_names.get(r.organisation_id, "")), r.id)
    )
    return PersonData(
        **{name: getattr(person, name) for name in PERSON_FIELDS},
        tags=sorted((t.name for t in person.tags), key=fold),
        roles=[
            RoleData(
                r.organisation_id,
                r.function,
                r.department,
                r.is_primary,
                org_names.get(r.organisation_id, ""),
            )
            for r in roles
        ],
        participant_list_consent=bool(_active_participant_consents(person)),
    )


def _person_record(session: Session, person: Person) -> PersonRecord:
    return PersonRecord(
        id=person.id,
        version=person.version,
        created_at=person.created_at,
        updated_at=person.updated_at,
        anonymised_at=person.anonymised_at,
        data=_person_data(session, person),
    )


def _comparable(data: PersonData) -> PersonData:
    return dataclasses.replace(
        data,
        tags=sorted(data.tags, key=str.casefold),
        roles=sorted(data.roles, key=lambda r: r.organisation_id),
    )


def _apply_person(session: Session, person: Person, data: PersonData) -> None:
    municipality = apply_fields(session, person, data, PERSON_FIELDS)
    # roles, matched by organisation
    by_org = {r.organisation_id: r for r in person.roles}
    wanted = {r.organisation_id for r in data.roles}
    for role in list(person.roles):
        if role.organisation_id not in wanted:
            person.roles.remove(role)
    for rd in data.roles:
        existing = by_org.get(rd.organisation_id)
        if existing is None:
            person.roles.append(
                Role(
                    organisation_id=rd.organisation_id,
                    function=rd.function,
                    department=rd.department,
                    is_primary=rd.is_primary,
                )
            )
            continue
        for name in ("function", "department", "is_primary"):
            if getattr(existing, name) != getattr(rd, name):
                setattr(existing, name, getattr(rd, name))
    # consent to the participant list
    active = _active_participant_consents(person)
    if data.participant_list_consent and not active:
        person.consents.append(
            ConsentRecord(
                purpose=ConsentPurpose.PARTICIPANT_LIST,
                given_on=dt.date.today(),
                note="im Adressbestand eingetragen",
            )
        )
    elif not data.participant_list_consent:
        for consent in active:
            consent.withdrawn_on = dt.date.today()
    # search key
    org_rows = (
        session.execute(
            sa.select(Organisation.id, Organisation.name, Organisation.short_name).where(
                Organisation.id.in_([r.organisation_id for r in data.roles])
            )
        ).all()
        if data.roles
        else []
    )
    rank = {r.organisation_id: (not r.is_primary) for r in data.roles}
    org_names: list[str] = []
    for row in sorted(org_rows, key=lambda r: (rank[r.id], r.name, r.id)):
        org_names += [n for n in (row.name, row.short_name) if n]
    mun_name = municipality_name(session, municipality)
    text = person_search_text(
        first_name=data.first_name,
        name_prefix=data.name_prefix,
        last_name=data.last_name,
        title=data.title,
        function=data.function,
        email=data.email,
        city=data.city,
        organisation_names=org_names,
        municipality_name=mun_name,
    )
    if person.search_text != text:
        person.search_text = text


def _get_person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise UserError(f"Die Person Nr. {person_id} gibt es nicht (mehr).")
    return person


def create_person(database: Database, data: PersonData) -> int:
    """Save a new person; returns its id. Raises ``ValidationError`` (German, per field)."""
    data = checked_person(data)
    with database.session() as s:
        check_references(s, data.category_id, data.municipality_id, [r.organisation_id for r in data.roles])
        person = Person(last_name=data.last_name)
        s.add(person)
        with s.no_autoflush:
            _apply_person(s, person, data)
        s.flush()
        return person.id


def update_person(database: Database, person_id: int, data: PersonData, expected_version: int | None) -> int:
    """Save changed data of a person; returns the new version.

    Raises ``VersionConflictError`` (a ``ConflictError``) when ``expected_version`` is given and the stored
    version differs (someone else saved meanwhile); ``current`` carries the stored ``PersonRecord``.
    """
    data = checked_person(data)
    with database.session() as s:
        person = _get_person(s, person_id)
        if expected_version is not None and person.version != expected_version:
            raise VersionConflictError(
                f"Die Person „{person_display_name(person.__dict__)}“",
                expected_version,
                person.version,
                _person_record(s, person),
            )
        check_references(s, data.category_id, data.municipality_id, [r.organisation_id for r in data.roles])
        with s.no_autoflush:
            before = _comparable(_person_data(s, person))
            _apply_person(s, person, data)
            if _comparable(_person_data(s, person)) != before:
                touch(person)
        s.flush()
        return person.version


def get_person(database: Database, person_id: int) -> PersonRecord:
    with database.read_session() as s:
        return _person_record(s, _get_person(s, person_id))


_RECORD_ONLY_PERSON = ("role", "person_tag", "consent_record")


def snapshot_person(session: Session, person_id: int, *, record_only: bool = False) -> Snapshot:
    """Plain copies of the person's row and everything on it (roles, tags, consents, invitations and their
    archived letters, agenda parts, references as substitute or responsible person). ``record_only``:
    the row with roles, tags and consents only (for undoing an edit)."""
    return snapshot.capture(
        session, {"person": [person_id]}, follow=_RECORD_ONLY_PERSON if record_only else None
    )


def capture_person(database: Database, person_id: int, *, record_only: bool = False) -> Snapshot:
    """``snapshot_person`` in its own read session."""
    with database.read_session() as s:
        _get_person(s, person_id)
        return snapshot_person(s, person_id, record_only=record_only)


def delete_person(database: Database, person_id: int) -> Snapshot:
    """Delete a person with roles, tags, consents, invitations (and their archived letters) and agenda
    parts; invitations where the person was the substitute and recommendations naming them as responsible
    lose the reference. Returns the snapshot that ``restore_person`` puts back."""
    with database.session() as s:
        person = _get_person(s, person_id)
        snap = snapshot_person(s, person_id)
        for inv in s.scalars(sa.select(Invitation).where(Invitation.person_id == person_id)):
            s.delete(inv)
        s.flush()
        clear_references(s, snap.refs, {("invitation", r["id"]) for r in snap.rows.get("invitation", [])})
        s.delete(person)
        return snap


def restore_person(database: Database, snap: Snapshot, *, expected_version: int | None = None) -> None:
    """Put a person back exactly as captured (undo of a delete, an edit, or redo of a create).

    With ``expected_version`` (undo of an edit) the stored version must still be the one the edit left,
    otherwise ``VersionConflictError``."""
    (person_id,) = snap.roots["person"]
    with database.session() as s:
        current = s.get(Person, person_id)
        if current is not None and expected_version is not None and current.version != expected_version:
            raise VersionConflictError(
                f"Die Person „{person_display_name(current.__dict__)}“", expected_version, current.version
            )
        s.expunge_all()
        snapshot.restore(s, snap)
        refresh_person_search_text(s, [person_id])


@dataclass(frozen=True)
class PersonImpact:
    """What deleting a person takes with it (for the confirmation question)."""

    invitations: int
    attended: int
    roles: int
    consents: int
    tags: int
    agenda_items: int
    archived_documents: int
    substitute_for: int
    recommendations: int

    @property
    def text(self) -> str:
        gone = []
        if self.invitations:
            part = f"{self.invitations} Einladung{'en' if self.invitations != 1 else ''}"
            if self.attended:
                part += f" (davon {self.attended}× teilgenommen)"
            gone.append(part)
        for n, one, many in (
            (self.roles, "Rolle", "Rollen"),
            (self.consents, "Einwilligung", "Einwilligungen"),
            (self.agenda_items, "Programmpunkt-Mitwirkung", "Programmpunkt-Mitwirkungen"),
            (self.archived_documents, "archiviertes Schreiben", "archivierte Schreiben"),
        ):
            if n:
                gone.append(f"{n} {one if n == 1 else many}")
        sentences = []
        if gone:
            sentences.append("Mit gelöscht werden: " + ", ".join(gone) + ".")
        if self.substitute_for:
            sentences.append(
                f"{self.substitute_for} Einladung{'en' if self.substitute_for != 1 else ''} "
                "verlieren die Angabe der Vertretung."
            )
        if self.recommendations:
            sentences.append(
                f"{self.recommendations} Handlungsempfehlung{'en' if self.recommendations != 1 else ''} "
                "verlieren die zuständige Person."
            )
        if self.attended:
            sentences.append(
                "Damit die Teilnahmezahlen erhalten bleiben, kann die Person stattdessen anonymisiert werden."
            )
        return " ".join(sentences) or "Es hängen keine weiteren Daten an dieser Person."


def deletion_impact(database: Database, person_id: int) -> PersonImpact:
    with database.read_session() as s:
        _get_person(s, person_id)
        snap = snapshot_person(s, person_id)
    invitations = snap.rows.get("invitation", [])
    return PersonImpact(
        invitations=len(invitations),
        attended=sum(1 for i in invitations if i["status"] == InvitationStatus.ATTENDED),
        roles=snap.count("role"),
        consents=snap.count("consent_record"),
        tags=snap.count("person_tag"),
        agenda_items=snap.count("agenda_person"),
        archived_documents=snap.count("archived_document"),
        substitute_for=sum(1 for r in snap.refs if r.table == "invitation"),
        recommendations=sum(1 for r in snap.refs if r.table == "recommendation"),
    )


@dataclass(frozen=True)
class ConferenceParticipation:
    conference_id: int
    year: int
    title: str
    status: InvitationStatus
    status_label: str


@dataclass(frozen=True)
class InvitationSummary:
    invited: int
    attended: int
    planned: int
    per_conference: list[ConferenceParticipation]

    @property
    def text(self) -> str:
        """ "5× eingeladen, 3× teilgenommen" (plus "1× vorgemerkt"), or "noch nie eingeladen"."""
        if not self.invited and not self.planned:
            return "noch nie eingeladen"
        parts = [f"{self.invited}× eingeladen", f"{self.attended}× teilgenommen"]
        if self.planned:
            parts.append(f"{self.planned}× vorgemerkt")
        return ", ".join(parts)


def invitation_summary(database: Database, person_id: int) -> InvitationSummary:
    """The person's invitations per conference (newest first) and the counts."""
    with database.read_session() as s:
        rows = s.execute(
            sa.select(Conference.id, Conference.year, Conference.title, Invitation.status)
            .join(Conference, Conference.id == Invitation.conference_id)
            .where(Invitation.person_id == person_id)
            .order_by(Conference.year.desc())
        ).all()
    per = [ConferenceParticipation(r.id, r.year, r.title, r.status, label(r.status)) for r in rows]
    return InvitationSummary(
        invited=sum(1 for p in per if p.status is not InvitationStatus.PLANNED),
        attended=sum(1 for p in per if p.status is InvitationStatus.ATTENDED),
        planned=sum(1 for p in per if p.status is InvitationStatus.PLANNED),
        per_conference=per,
    )
