"""Merging two persons or two organisations into one, and undoing it.

``merge_proposal`` shows both records side by side with a default per field (a non-empty value wins, the
survivor wins a conflict). ``merge_persons`` applies the choices in one unit of work, moves roles,
invitations (when both were invited to the same conference, the invitation further along in the life
cycle survives, archived letters of the other move to it), consents, tags, agenda parts, references as
substitute and as responsible person, deletes the dropped record and returns a snapshot of both records
taken before, which ``undo_merge`` puts back exactly.

Audit history stays with the record it describes: the dropped person's entries keep its id, and a MERGE
entry ``merged_from`` on the survivor (``merged_into`` on the dropped one) links them, so
``konferenz.audit.history.history()`` of the survivor shows the dropped record's history too while it no longer
exists, and stops doing so when the merge is undone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.enums import AuditAction, Gender, InvitationStatus, LegalBasis, label
from konferenz.errors import UserError
from konferenz.registry.records import touch
from konferenz.registry.search_keys import refresh_organisation_search_text, refresh_person_search_text
from konferenz.registry.validation import ORGANISATION_FIELDS, PERSON_FIELDS
from konferenz.storage import recording, snapshot
from konferenz.storage.db import Database
from konferenz.storage.models import (
    Category,
    Conference,
    Invitation,
    Municipality,
    Organisation,
    Person,
    Role,
)
from konferenz.storage.recording import FIELD_LABELS, person_display_name
from konferenz.text import fold

Choice = Literal["keep", "drop"]


#: how far an invitation got in its life cycle: the further one survives a merge
STATUS_STRENGTH: dict[InvitationStatus, int] = {
    InvitationStatus.ATTENDED: 9,
    InvitationStatus.NO_SHOW: 8,
    InvitationStatus.ACCEPTED: 7,
    InvitationStatus.SUBSTITUTED: 6,
    InvitationStatus.WAITLIST: 5,
    InvitationStatus.DECLINED: 4,
    InvitationStatus.NO_REPLY: 3,
    InvitationStatus.INVITED: 2,
    InvitationStatus.PLANNED: 1,
}


_EMPTY_VALUES: dict[str, Any] = {"gender": Gender.UNKNOWN}


@dataclass(frozen=True)
class MergeField:
    field: str
    label: str
    keep_value: str
    drop_value: str
    default: Choice

    @property
    def differs(self) -> bool:
        return self.keep_value != self.drop_value


@dataclass(frozen=True)
class InvitationConflict:
    """Both persons were invited to the same conference: one invitation survives."""

    conference_id: int
    conference: str
    keep_invitation_id: int
    keep_status: InvitationStatus
    drop_invitation_id: int
    drop_status: InvitationStatus
    winner: Choice

    @property
    def text(self) -> str:
        kept, lost = (
            (self.keep_status, self.drop_status)
            if self.winner == "keep"
            else (self.drop_status, self.keep_status)
        )
        return (
            f"Konferenz {self.conference}: beide eingeladen – die Einladung „{label(kept)}“ bleibt, "
            f"„{label(lost)}“ entfällt."
        )


@dataclass
class MergeProposal:
    keep_id: int
    drop_id: int
    keep_label: str
    drop_label: str
    fields: list[MergeField]
    roles_moved: list[str] = field(default_factory=list)
    roles_combined: list[str] = field(default_factory=list)
    invitations_moved: int = 0
    invitation_conflicts: list[InvitationConflict] = field(default_factory=list)
    tags_added: list[str] = field(default_factory=list)
    consents_moved: int = 0

    def default_choices(self) -> dict[str, Choice]:
        return {f.field: f.default for f in self.fields}

    @property
    def notes(self) -> list[str]:
        out = []
        if self.roles_moved:
            out.append("Rollen übernommen: " + ", ".join(self.roles_moved))
        if self.roles_combined:
            out.append("Rollen zusammengelegt: " + ", ".join(self.roles_combined))
        if self.invitations_moved:
            out.append(f"{self.invitations_moved} Einladung(en) übernommen")
        out += [c.text for c in self.invitation_conflicts]
        if self.tags_added:
            out.append("Schlagwörter übernommen: " + ", ".join(self.tags_added))
        if self.consents_moved:
            out.append(f"{self.consents_moved} Einwilligung(en) übernommen")
        return out


@dataclass
class MergeResult:
    keep_id: int
    drop_id: int
    #: "person" or "organisation"
    kind: Literal["person", "organisation"]
    #: the survivor's version after the merge (undo refuses when it moved on)
    keep_version: int
    change_set: str
    #: both records with everything on them, as they were before the merge
    before: snapshot.Snapshot
    notes: list[str]


def _display(session: Session, name: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, Gender | LegalBasis):
        return label(value)
    if name == "category_id":
        cat = session.get(Category, value)
        return cat.name if cat else str(value)
    if name == "municipality_id":
        mun = session.get(Municipality, value)
        return mun.name if mun else str(value)
    return str(value)


R = TypeVar("R", Person, Organisation)


def _is_blank(name: str, value: Any) -> bool:
    return value is None or value == "" or value == _EMPTY_VALUES.get(name)


def _load_two(session: Session, model: type[R], what: str, keep_id: int, drop_id: int) -> tuple[R, R]:
    """The two records to merge; a German UserError for one record merged with itself or one gone."""
    if keep_id == drop_id:
        raise UserError(f"Eine {what} kann nicht mit sich selbst zusammengeführt werden.")
    keep = session.get(model, keep_id)
    drop = session.get(model, drop_id)
    for rid, obj in ((keep_id, keep), (drop_id, drop)):
        if obj is None:
            raise UserError(f"Die {what} Nr. {rid} gibt es nicht (mehr).")
    assert keep is not None and drop is not None
    return keep, drop


def _load_pair(session: Session, keep_id: int, drop_id: int) -> tuple[Person, Person]:
    return _load_two(session, Person, "Person", keep_id, drop_id)


def _org_names(session: Session, roles: Iterable[Role]) -> dict[int, str]:
    ids = [r.organisation_id for r in roles]
    if not ids:
        return {}
    return dict(
        session.execute(sa.select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))).all()
    )


def _invitation_plan(
    session: Session, keep_id: int, drop_id: int, *, organisation: bool = False
) -> tuple[list[Invitation], list[InvitationConflict]]:
    """Drop's invitations that simply move, and the conflicts (both invited to one conference). For
    organisations: their own invitations (without a contact person)."""

    def owned(record_id: int) -> sa.Select[Invitation]:
        if organisation:
            return sa.select(Invitation).where(
                Invitation.organisation_id == record_id, Invitation.person_id.is_(None)
            )
        return sa.select(Invitation).where(Invitation.person_id == record_id)

    keep_invs = {inv.conference_id: inv for inv in session.scalars(owned(keep_id))}
    moves, conflicts = [], []
    for inv in session.scalars(owned(drop_id).order_by(Invitation.conference_id)):
        other = keep_invs.get(inv.conference_id)
        if other is None:
            moves.append(inv)
            continue
        conf = session.get(Conference, inv.conference_id)
        winner: Choice = "drop" if STATUS_STRENGTH[inv.status] > STATUS_STRENGTH[other.status] else "keep"
        conflicts.append(
            InvitationConflict(
                inv.conference_id,
                f"{conf.year}" if conf else str(inv.conference_id),
                other.id,
                other.status,
                inv.id,
                inv.status,
                winner,
            )
        )
    return moves, conflicts


def _merge_invitations(session: Session, keep_id: int, drop_id: int, *, organisation: bool) -> None:
    """The dropped record's invitations move to the kept one; where both were invited to one conference the
    winner of ``_invitation_plan`` stays (with the loser's archived letters) and the other goes."""
    moves, conflicts = _invitation_plan(session, keep_id, drop_id, organisation=organisation)
    for conflict in conflicts:
        keep_inv = session.get(Invitation, conflict.keep_invitation_id)
        drop_inv = session.get(Invitation, conflict.drop_invitation_id)
        assert keep_inv is not None and drop_inv is not None
        winner, loser = (keep_inv, drop_inv) if conflict.winner == "keep" else (drop_inv, keep_inv)
        _core_repoint(
            session, snapshot.TABLES["archived_document"], "invitation_id", loser.id, winner.id, audited=False
        )
        session.delete(loser)
        session.flush()
        if winner is drop_inv:
            moves.append(drop_inv)
    for inv in moves:
        if organisation:
            inv.organisation_id = keep_id
        else:
            inv.person_id = keep_id
    session.flush()


def _merge_fields(session: Session, names: Iterable[str], keep: object, drop: object) -> list[MergeField]:
    """Both records' values of ``names`` side by side; by default the kept one's, unless only the other
    record has a value."""
    fields = []
    for name in names:
        kv, dv = getattr(keep, name), getattr(drop, name)
        default: Choice = "drop" if _is_blank(name, kv) and not _is_blank(name, dv) else "keep"
        fields.append(
            MergeField(
                name,
                FIELD_LABELS.get(name, name),
                _display(session, name, kv),
                _display(session, name, dv),
                default,
            )
        )
    return fields


def merge_proposal(session: Session, keep_id: int, drop_id: int) -> MergeProposal:
    """Both records side by side with a default choice per field, and what else would move."""
    keep, drop = _load_pair(session, keep_id, drop_id)
    fields = _merge_fields(session, PERSON_FIELDS, keep, drop)
    names = _org_names(session, [*keep.roles, *drop.roles])
    keep_orgs = {r.organisation_id for r in keep.roles}
    moves, conflicts = _invitation_plan(session, keep_id, drop_id)
    keep_tags = {t.id for t in keep.tags}
    return MergeProposal(
        keep_id=keep_id,
        drop_id=drop_id,
        keep_label=person_display_name(keep.__dict__),
        drop_label=person_display_name(drop.__dict__),
        fields=fields,
        roles_moved=[
            names.get(r.organisation_id, "") for r in drop.roles if r.organisation_id not in keep_orgs
        ],
        roles_combined=[
            names.get(r.organisation_id, "") for r in drop.roles if r.organisation_id in keep_orgs
        ],
        invitations_moved=len(moves),
        invitation_conflicts=conflicts,
        tags_added=sorted((t.name for t in drop.tags if t.id not in keep_tags), key=fold),
        consents_moved=len(drop.consents),
    )


def _core_repoint(
    session: Session, table: sa.Table, column: str, old: int, new: int, *, audited: bool
) -> int:
    """Point ``column`` from ``old`` to ``new`` through Core (no version step: the row did not change in
    substance, the referenced record was merged), logging the change for audited tables."""
    conn = session.connection()
    col = table.c[column]
    ids = list(conn.execute(sa.select(table.c.id).where(col == old)).scalars())
    if not ids:
        return 0
    values: dict[str, Any] = {column: new}
    if "updated_at" in table.c:
        values["updated_at"] = table.c.updated_at
    conn.execute(sa.update(table).where(table.c.id.in_(ids)).values(values))
    if audited:
        recording.log_row_changes(
            session,
            [recording.RowChange(table.name, {"id": i, column: old}, {"id": i, column: new}) for i in ids],
        )
    return len(ids)


def merge_persons(
    database: Database, keep_id: int, drop_id: int, choices: Mapping[str, Choice] | None = None
) -> MergeResult:
    """Merge ``drop_id`` into ``keep_id`` in one unit of work (see module docstring)."""
    with database.session() as s:
        keep, drop = _load_pair(s, keep_id, drop_id)
        change_set = recording.set_change_context(s, action=AuditAction.MERGE)
        before = snapshot.capture(s, {"person": [keep_id, drop_id]})
        proposal = merge_proposal(s, keep_id, drop_id)
        chosen = proposal.default_choices() | dict(choices or {})
        unknown = set(chosen) - set(PERSON_FIELDS)
        if unknown:
            raise UserError(f"Unbekannte Felder für die Zusammenführung: {', '.join(sorted(unknown))}")
        keep_label, drop_label = proposal.keep_label, proposal.drop_label

        # 1. fields
        for name in PERSON_FIELDS:
            if chosen.get(name) == "drop" and getattr(keep, name) != getattr(drop, name):
                setattr(keep, name, getattr(drop, name))

        # 2. roles: one per organisation, one primary
        keep_roles = {r.organisation_id: r for r in keep.roles}
        keep_primary = next((r for r in keep.roles if r.is_primary), None)
        for role in list(drop.roles):
            mine = keep_roles.get(role.organisation_id)
            if mine is None:
                role.person = keep
                if keep_primary is not None:
                    role.is_primary = False
                elif role.is_primary:
                    keep_primary = role
                continue
            for name in ("function", "department"):
                if not getattr(mine, name) and getattr(role, name):
                    setattr(mine, name, getattr(role, name))
            if keep_primary is None and role.is_primary:
                mine.is_primary = True
                keep_primary = mine
            drop.roles.remove(role)
        if keep.roles and keep_primary is None:
            keep.roles[0].is_primary = True

        # 3. consents and tags
        for consent in list(drop.consents):
            consent.person = keep
        keep_tags = {t.id for t in keep.tags}
        for tag in drop.tags:
            if tag.id not in keep_tags:
                keep.tags.append(tag)
        s.flush()

        # 4. invitations
        _merge_invitations(s, keep_id, drop_id, organisation=False)

        # 5. references to the dropped person
        _core_repoint(
            s, snapshot.TABLES["invitation"], "substitute_person_id", drop_id, keep_id, audited=True
        )
        _core_repoint(
            s, snapshot.TABLES["recommendation"], "responsible_person_id", drop_id, keep_id, audited=True
        )
        ap = snapshot.TABLES["agenda_person"]
        conn = s.connection()
        parts_of_keep = set(
            conn.execute(sa.select(ap.c.agenda_item_id, ap.c.part).where(ap.c.person_id == keep_id))
        )
        for ap_id, item, part in conn.execute(
            sa.select(ap.c.id, ap.c.agenda_item_id, ap.c.part).where(ap.c.person_id == drop_id)
        ):
            if (item, part) in parts_of_keep:
                conn.execute(sa.delete(ap).where(ap.c.id == ap_id))
            else:
                conn.execute(sa.update(ap).where(ap.c.id == ap_id).values(person_id=keep_id))

        # 6. the dropped record goes, the survivor gets a new version
        s.delete(drop)
        touch(keep)
        s.flush()
        recording.log_action(
            s,
            "person",
            keep_id,
            AuditAction.MERGE,
            field="merged_from",
            old_value=drop_label,
            new_value=str(drop_id),
        )
        recording.log_action(
            s,
            "person",
            drop_id,
            AuditAction.MERGE,
            field="merged_into",
            old_value=keep_label,
            new_value=str(keep_id),
        )
        refresh_person_search_text(s, [keep_id])
        notes = proposal.notes
        return MergeResult(keep_id, drop_id, "person", keep.version, change_set, before, notes)


def undo_merge(database: Database, result: MergeResult) -> None:
    """Put both records back exactly as they were before ``merge_persons`` / ``merge_organisations``."""
    what = "die Person" if result.kind == "person" else "die Organisation"
    with database.session() as s:

        def get(record_id: int) -> Person | Organisation | None:
            if result.kind == "person":
                return s.get(Person, record_id)
            return s.get(Organisation, record_id)

        if get(result.drop_id) is not None:
            raise UserError("Die Zusammenführung wurde schon rückgängig gemacht.")
        keep = get(result.keep_id)
        if keep is None or keep.version != result.keep_version:
            raise UserError(
                f"Die Zusammenführung kann nicht mehr rückgängig gemacht werden: {what} wurde seitdem "
                "geändert oder gelöscht."
            )
        s.expunge_all()
        snapshot.restore(s, result.before)
        if result.kind == "organisation":
            refresh_organisation_search_text(s, [result.keep_id, result.drop_id])
            refresh_person_search_text(s, {r["person_id"] for r in result.before.rows.get("role", [])})
        recording.log_action(
            s,
            result.kind,
            result.keep_id,
            AuditAction.UPDATE,
            new_value=f"Zusammenführung mit Nr. {result.drop_id} rückgängig gemacht",
        )


def _load_organisations(session: Session, keep_id: int, drop_id: int) -> tuple[Organisation, Organisation]:
    return _load_two(session, Organisation, "Organisation", keep_id, drop_id)


def organisation_merge_proposal(session: Session, keep_id: int, drop_id: int) -> MergeProposal:
    """Both organisations side by side with a default per field, and what else would move."""
    keep, drop = _load_organisations(session, keep_id, drop_id)
    fields = _merge_fields(session, ORGANISATION_FIELDS, keep, drop)
    persons = {
        pid: person_display_name(dict(row._mapping))
        for row in session.execute(
            sa.select(Person.id, Person.title, Person.first_name, Person.name_prefix, Person.last_name).where(
                Person.id.in_([r.person_id for r in drop.roles])
            )
        )
        for pid in [row.id]
    }
    keep_persons = {r.person_id for r in keep.roles}
    moves, conflicts = _invitation_plan(session, keep_id, drop_id, organisation=True)
    keep_tags = {t.id for t in keep.tags}
    return MergeProposal(
        keep_id=keep_id,
        drop_id=drop_id,
        keep_label=keep.name,
        drop_label=drop.name,
        fields=fields,
        roles_moved=[persons.get(r.person_id, "") for r in drop.roles if r.person_id not in keep_persons],
        roles_combined=[persons.get(r.person_id, "") for r in drop.roles if r.person_id in keep_persons],
        invitations_moved=len(moves),
        invitation_conflicts=conflicts,
        tags_added=sorted((t.name for t in drop.tags if t.id not in keep_tags), key=fold),
    )


def merge_organisations(
    database: Database, keep_id: int, drop_id: int, choices: Mapping[str, Choice] | None = None
) -> MergeResult:
    """Merge organisation ``drop_id`` into ``keep_id`` in one unit of work: chosen fields, roles (one per
    person; a primary role stays primary), tags, the organisation's own invitations (the one further in the
    life cycle survives a conflict), invitations of persons for it, recommendations; undo with
    ``undo_merge``."""
    with database.session() as s:
        keep, drop = _load_organisations(s, keep_id, drop_id)
        change_set = recording.set_change_context(s, action=AuditAction.MERGE)
        own = [
            inv.id
            for inv in s.scalars(
                sa.select(Invitation).where(
                    Invitation.organisation_id.in_([keep_id, drop_id]), Invitation.person_id.is_(None)
                )
            )
        ]
        before = snapshot.capture(s, {"organisation": [keep_id, drop_id], "invitation": own})
        proposal = organisation_merge_proposal(s, keep_id, drop_id)
        chosen = proposal.default_choices() | dict(choices or {})
        unknown = set(chosen) - set(ORGANISATION_FIELDS)
        if unknown:
            raise UserError(f"Unbekannte Felder für die Zusammenführung: {', '.join(sorted(unknown))}")
        for name in ORGANISATION_FIELDS:
            if chosen.get(name) == "drop" and getattr(keep, name) != getattr(drop, name):
                setattr(keep, name, getattr(drop, name))
        persons = {r.person_id for r in drop.roles} | {r.person_id for r in keep.roles}
        keep_roles = {r.person_id: r for r in keep.roles}
        for role in list(drop.roles):
            mine = keep_roles.get(role.person_id)
            if mine is None:
                role.organisation = keep
                continue
            for name in ("function", "department"):
                if not getattr(mine, name) and getattr(role, name):
                    setattr(mine, name, getattr(role, name))
            if role.is_primary:
                mine.is_primary = True
            drop.roles.remove(role)
        keep_tags = {t.id for t in keep.tags}
        for tag in drop.tags:
            if tag.id not in keep_tags:
                keep.tags.append(tag)
        s.flush()
        _merge_invitations(s, keep_id, drop_id, organisation=True)
        _core_repoint(s, snapshot.TABLES["invitation"], "organisation_id", drop_id, keep_id, audited=True)
        _core_repoint(
            s,
            snapshot.TABLES["recommendation"],
            "responsible_organisation_id",
            drop_id,
            keep_id,
            audited=True,
        )
        s.delete(drop)
        touch(keep)
        s.flush()
        recording.log_action(
            s,
            "organisation",
            keep_id,
            AuditAction.MERGE,
            field="merged_from",
            old_value=proposal.drop_label,
            new_value=str(drop_id),
        )
        recording.log_action(
            s,
            "organisation",
            drop_id,
            AuditAction.MERGE,
            field="merged_into",
            old_value=proposal.keep_label,
            new_value=str(keep_id),
        )
        refresh_organisation_search_text(s, [keep_id])
        refresh_person_search_text(s, persons)
        return MergeResult(keep_id, drop_id, "organisation", keep.version, change_set, before, proposal.notes)
