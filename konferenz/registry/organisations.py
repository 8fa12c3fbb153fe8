"""Organisations of the registry: create, edit, read, delete with its consequences (roles, own invitations,
recommendations) and restore. The undo recipes are those of persons (``konferenz.registry.persons``) with
``create_organisation`` … in place of ``create_person`` ….
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.errors import UserError
from konferenz.registry.records import apply_fields, clear_references, touch
from konferenz.registry.search_keys import (
    municipality_name,
    organisation_search_text,
    refresh_organisation_search_text,
    refresh_person_search_text,
)
from konferenz.registry.validation import (
    ORGANISATION_FIELDS,
    OrganisationData,
    OrganisationRecord,
    VersionConflictError,
    check_references,
    checked_organisation,
)
from konferenz.storage import snapshot
from konferenz.storage.db import Database
from konferenz.storage.models import Invitation, Organisation, Role
from konferenz.storage.snapshot import Snapshot
from konferenz.text import fold


def _get_organisation(session: Session, organisation_id: int) -> Organisation:
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise UserError(f"Die Organisation Nr. {organisation_id} gibt es nicht (mehr).")
    return org


def _organisation_data(org: Organisation) -> OrganisationData:
    return OrganisationData(
        **{name: getattr(org, name) for name in ORGANISATION_FIELDS},
        tags=sorted((t.name for t in org.tags), key=fold),
    )


def _apply_organisation(session: Session, org: Organisation, data: OrganisationData) -> None:
    municipality = apply_fields(session, org, data, ORGANISATION_FIELDS)
    mun_name = municipality_name(session, municipality)
    text = organisation_search_text(
        name=data.name,
        department=data.department,
        short_name=data.short_name,
        city=data.city,
        email=data.email,
        municipality_name=mun_name,
    )
    if org.search_text != text:
        org.search_text = text


def create_organisation(database: Database, data: OrganisationData) -> int:
    data = checked_organisation(data)
    with database.session() as s:
        check_references(s, data.category_id, data.municipality_id)
        org = Organisation(name=data.name)
        s.add(org)
        with s.no_autoflush:
            _apply_organisation(s, org, data)
        s.flush()
        return org.id


def update_organisation(
    database: Database, organisation_id: int, data: OrganisationData, expected_version: int | None
) -> int:
    """Save changed data of an organisation; returns the new version. A new name or short name refreshes
    the search keys of its persons."""
    data = checked_organisation(data)
    with database.session() as s:
        org = _get_organisation(s, organisation_id)
        if expected_version is not None and org.version != expected_version:
            raise VersionConflictError(
                f"Die Organisation „{org.name}“", expected_version, org.version, _organisation_record(s, org)
            )
        check_references(s, data.category_id, data.municipality_id)
        before = _organisation_data(org)
        names_before = (org.name, org.short_name)
        with s.no_autoflush:
            _apply_organisation(s, org, data)
            after = _organisation_data(org)
        if not _same_organisation(after, before):
            touch(org)
        s.flush()
        if (org.name, org.short_name) != names_before:
            refresh_person_search_text(
                s, s.scalars(sa.select(Role.person_id).where(Role.organisation_id == org.id))
            )
        return org.version


def _same_organisation(a: OrganisationData, b: OrganisationData) -> bool:
    return dataclasses.replace(a, tags=sorted(a.tags, key=str.casefold)) == dataclasses.replace(
        b, tags=sorted(b.tags, key=str.casefold)
    )


def _organisation_record(session: Session, org: Organisation) -> OrganisationRecord:
    count = (
        session.scalar(sa.select(sa.func.count()).select_from(Role).where(Role.organisation_id == org.id))
        or 0
    )
    return OrganisationRecord(
        org.id, org.version, org.created_at, org.updated_at, _organisation_data(org), count
    )


def get_organisation(database: Database, organisation_id: int) -> OrganisationRecord:
    with database.read_session() as s:
        return _organisation_record(s, _get_organisation(s, organisation_id))


_RECORD_ONLY_ORGANISATION = ("organisation_tag",)


def _org_only_invitations(session: Session, organisation_id: int) -> list[int]:
    return list(
        session.scalars(
            sa.select(Invitation.id).where(
                Invitation.organisation_id == organisation_id, Invitation.person_id.is_(None)
            )
        )
    )


def snapshot_organisation(session: Session, organisation_id: int, *, record_only: bool = False) -> Snapshot:
    """Plain copies of the organisation, its roles and tags, its own invitations (without a person) and
    the references to it (invitations of persons for it, recommendations)."""
    if record_only:
        return snapshot.capture(
            session, {"organisation": [organisation_id]}, follow=_RECORD_ONLY_ORGANISATION
        )
    return snapshot.capture(
        session,
        {"organisation": [organisation_id], "invitation": _org_only_invitations(session, organisation_id)},
    )


def capture_organisation(database: Database, organisation_id: int, *, record_only: bool = False) -> Snapshot:
    with database.read_session() as s:
        _get_organisation(s, organisation_id)
        return snapshot_organisation(s, organisation_id, record_only=record_only)


@dataclass(frozen=True)
class OrganisationImpact:
    roles: int
    persons_losing_primary: int
    invitations_unlinked: int
    invitations_deleted: int
    recommendations: int
    archived_documents: int

    @property
    def text(self) -> str:
        sentences = []
        if self.roles:
            sentences.append(
                f"{self.roles} Person{'en' if self.roles != 1 else ''} verlieren ihre Rolle in dieser "
                "Organisation (die Personen bleiben erhalten)."
            )
        if self.persons_losing_primary:
            sentences.append(
                f"Bei {self.persons_losing_primary} davon war es die Hauptrolle; dort wird die nächste Rolle "
                "zur Hauptrolle."
            )
        if self.invitations_unlinked:
            sentences.append(
                f"{self.invitations_unlinked} Einladung{'en' if self.invitations_unlinked != 1 else ''} von "
                "Personen bleiben erhalten, aber ohne diese Organisation."
            )
        if self.invitations_deleted:
            sentences.append(
                f"{self.invitations_deleted} Einladung{'en' if self.invitations_deleted != 1 else ''} der "
                "Organisation ohne Ansprechperson werden gelöscht"
                + (
                    f" (mit {self.archived_documents} archivierten Schreiben)"
                    if self.archived_documents
                    else ""
                )
                + "."
            )
        if self.recommendations:
            sentences.append(
                f"{self.recommendations} Handlungsempfehlung{'en' if self.recommendations != 1 else ''} "
                "verlieren die zuständige Organisation."
            )
        return " ".join(sentences) or "Es hängen keine weiteren Daten an dieser Organisation."


def organisation_deletion_impact(database: Database, organisation_id: int) -> OrganisationImpact:
    with database.read_session() as s:
        _get_organisation(s, organisation_id)
        snap = snapshot_organisation(s, organisation_id)
    deleted = {r["id"] for r in snap.rows.get("invitation", [])}
    return OrganisationImpact(
        roles=snap.count("role"),
        persons_losing_primary=sum(1 for r in snap.rows.get("role", []) if r["is_primary"]),
        invitations_unlinked=sum(
            1 for r in snap.refs if r.table == "invitation" and dict(r.key)["id"] not in deleted
        ),
        invitations_deleted=len(deleted),
        recommendations=sum(1 for r in snap.refs if r.table == "recommendation"),
        archived_documents=snap.count("archived_document"),
    )


def _ensure_one_primary(session: Session, person_ids: Iterable[int]) -> None:
    """Persons with roles but no primary role get their first role (by organisation name) as primary."""
    for pid in sorted(set(person_ids)):
        roles = (
            session.execute(
                sa.select(Role)
                .join(Organisation)
                .where(Role.person_id == pid)
                .order_by(Organisation.sort_name, Role.id)
            )
            .scalars()
            .all()
        )
        if roles and not any(r.is_primary for r in roles):
            roles[0].is_primary = True


def delete_organisation(database: Database, organisation_id: int) -> Snapshot:
    """Delete an organisation: its roles go (a person who loses the primary role gets the next one as
    primary), invitations of persons for it keep the person but lose the organisation, its own invitations
    without a person are deleted, recommendations lose it. Returns the snapshot for ``restore_organisation``."""
    with database.session() as s:
        org = _get_organisation(s, organisation_id)
        snap = snapshot_organisation(s, organisation_id)
        own = {r["id"] for r in snap.rows.get("invitation", [])}
        person_ids = {r["person_id"] for r in snap.rows.get("role", [])}
        for inv_id in own:
            inv = s.get(Invitation, inv_id)
            if inv is not None:
                s.delete(inv)
        s.flush()
        clear_references(s, snap.refs, {("invitation", i) for i in own})
        s.delete(org)
        s.flush()
        _ensure_one_primary(s, person_ids)
        s.flush()
        refresh_person_search_text(s, person_ids)
        return snap


def restore_organisation(database: Database, snap: Snapshot, *, expected_version: int | None = None) -> None:
    """Put an organisation back exactly as captured (undo of a delete or an edit, redo of a create)."""
    (organisation_id,) = snap.roots["organisation"]
    with database.session() as s:
        current = s.get(Organisation, organisation_id)
        if current is not None and expected_version is not None and current.version != expected_version:
            raise VersionConflictError(
                f"Die Organisation „{current.name}“", expected_version, current.version
            )
        s.expunge_all()
        snapshot.restore(s, snap)
        # roles that became primary when this organisation went are secondary again
        restored = {r["id"]: r for r in snap.rows.get("role", [])}
        for role_id, row in restored.items():
            if not row["is_primary"]:
                continue
            for other in s.scalars(
                sa.select(Role).where(
                    Role.person_id == row["person_id"], Role.id != role_id, Role.is_primary.is_(True)
                )
            ):
                other.is_primary = False
        s.flush()
        refresh_organisation_search_text(s, [organisation_id])
        persons = set(s.scalars(sa.select(Role.person_id).where(Role.organisation_id == organisation_id)))
        refresh_person_search_text(s, persons | {r["person_id"] for r in restored.values()})
