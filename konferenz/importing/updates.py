"""Updates of existing records: the stored rows, tags and roles they are compared with, and the comparison
(``finish_updates``) that keeps the real changes, validates them and labels the rows ("Geändert: …",
"Keine Änderung …").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.importing.cells import append_note
from konferenz.importing.context import Context
from konferenz.importing.plan import Outcome, RowPlan
from konferenz.importing.resolution import Update
from konferenz.importing.rows import (
    ADDRESS_FIELDS,
    ORGANISATION_VALUE_FIELDS,
    PERSON_VALUE_FIELDS,
    org_errors,
    person_errors,
)
from konferenz.importing.running import chunks
from konferenz.registry import keys as registry_keys
from konferenz.registry import validation
from konferenz.sorting import person_sort_name
from konferenz.storage import recording, schema
from konferenz.storage.models import Role, Tag, organisation_tag, person_tag
from konferenz.text import fold

_PERSON = schema.person
_ORGANISATION = schema.organisation


@dataclass
class RoleRow:
    id: int
    organisation_id: int
    function: str
    department: str
    is_primary: bool


def _role_change(upd: Update, roles: list[RoleRow]) -> bool:
    if not isinstance(upd.org, int):
        return True
    mine = next((r for r in roles if r.organisation_id == upd.org), None)
    if mine is None or not mine.is_primary:
        return True
    if upd.role_function is not None and upd.role_function != mine.function:
        return True
    return upd.role_department is not None and upd.role_department != mine.department


def load_rows(session: Session, table: sa.Table, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    conn = session.connection()
    for chunk in chunks(sorted(set(ids))):
        for r in conn.execute(sa.select(table).where(table.c.id.in_(chunk))):
            out[r.id] = dict(r._mapping)
    return out


def load_tags(session: Session, updates: Iterable[Update]) -> dict[tuple[str, int], list[str]]:
    out: dict[tuple[str, int], list[str]] = {}
    conn = session.connection()
    ups = list(updates)
    for kind, link, col in (
        ("person", person_tag, "person_id"),
        ("organisation", organisation_tag, "organisation_id"),
    ):
        ids = sorted({u.id for u in ups if u.table == kind})
        for chunk in chunks(ids):
            for owner, name in conn.execute(
                sa.select(link.c[col], Tag.name)
                .join(Tag, Tag.id == link.c.tag_id)
                .where(link.c[col].in_(chunk))
                .order_by(Tag.name)
            ):
                out.setdefault((kind, owner), []).append(name)
    return out


def load_roles(session: Session, person_ids: Iterable[int]) -> dict[int, list[RoleRow]]:
    out: dict[int, list[RoleRow]] = {}
    conn = session.connection()
    for chunk in chunks(sorted(set(person_ids))):
        for r in conn.execute(
            sa.select(
                Role.id, Role.person_id, Role.organisation_id, Role.function, Role.department, Role.is_primary
            )
            .where(Role.person_id.in_(chunk))
            .order_by(Role.id)
        ):
            out.setdefault(r.person_id, []).append(
                RoleRow(r.id, r.organisation_id, r.function, r.department, r.is_primary)
            )
    return out


def finish_updates(session: Session, ctx: Context, ups: list[Update], rows: list[RowPlan]) -> None:
    """Load the records ``ups`` update, keep the real changes and validate; the rows of the resolution
    (``rows``) say what came of them: a row that changes nothing is a duplicate ("keine Änderung")."""
    if not ups:
        return
    stored = {
        "person": load_rows(session, _PERSON, [u.id for u in ups if u.table == "person"]),
        "organisation": load_rows(session, _ORGANISATION, [u.id for u in ups if u.table == "organisation"]),
    }
    tags = load_tags(session, ups)
    roles = load_roles(session, [u.id for u in ups if u.table == "person"])
    for upd in ups:
        current = stored[upd.table][upd.id]
        upd.version = current["version"]
        upd.updated_at = current["updated_at"]
        fields = PERSON_VALUE_FIELDS if upd.table == "person" else ORGANISATION_VALUE_FIELDS
        merged = {name: upd.values.get(name, current[name]) for name in fields}
        if not upd.by_id:
            for name, value in upd.values.items():
                old = current[name]
                if isinstance(value, str) and isinstance(old, str) and old and value != old:
                    same = (
                        registry_keys.email_key(value) == registry_keys.email_key(old)
                        if name == "email"
                        else fold(value) == fold(old)
                    )
                    if same:  # "ANNA@…" or "Oeztuerk" do not overwrite "anna@…" and "Öztürk"
                        merged[name] = old
        if upd.notes_add:
            merged["notes"] = append_note(current["notes"] or "", upd.notes_add)
        if validation.is_germany(merged["country"] or ""):
            merged["country"] = ""
        address_changed = any(merged[k] != current[k] for k in ADDRESS_FIELDS)
        municipality = current["municipality_id"]
        if upd.municipality_name is not None or address_changed:
            municipality = ctx.municipality_for(
                merged["postal_code"], merged["country"], upd.municipality_name or "", merged["city"]
            )
            if (
                upd.municipality_name is None
                and municipality is None
                and not merged["postal_code"]
                and not merged["country"]
            ):
                municipality = current["municipality_id"] if merged["city"] == current["city"] else None
        diff: dict[str, Any] = {k: v for k, v in merged.items() if v != current[k]}
        if upd.table == "person" and ("last_name" in diff or "first_name" in diff):
            diff["sort_name"] = person_sort_name(merged["last_name"], merged["first_name"])
        if municipality != current["municipality_id"]:
            diff["municipality_id"] = municipality
        if upd.set_category and upd.category != current["category_id"]:
            diff["category_id"] = upd.category
        upd.diff = diff
        upd.old = {k: current[k] for k in diff}
        have = tags.get((upd.table, upd.id), [])
        if upd.tags_mode == "replace":
            upd.tags_after = list(upd.tags)
            upd.tag_change = {t.casefold() for t in upd.tags} != {t.casefold() for t in have}
        elif upd.tags_mode == "add":
            known = {t.casefold() for t in have}
            upd.tags_after = [*have, *(t for t in upd.tags if t.casefold() not in known)]
            upd.tag_change = len(upd.tags_after) != len(have)
        if upd.table == "person" and upd.org is not None:
            upd.role_change = _role_change(upd, roles.get(upd.id, []))
        errors = (person_errors if upd.table == "person" else org_errors)(merged)
        upd.rejected = bool(errors)
        for index in upd.rows:
            plan = rows[index]
            if errors:
                plan.outcome, plan.id = Outcome.REJECTED, None
                plan.messages = [errors, *plan.messages]
            elif not upd.changed:
                plan.outcome = Outcome.DUPLICATE
                plan.messages = [*plan.messages, "Keine Änderung – der Datensatz hat schon diese Werte."]
            else:
                labels = [recording.FIELD_LABELS.get(k, k) for k in diff]
                if upd.tag_change:
                    labels.append("Schlagwörter")
                if upd.role_change:
                    labels.append("Organisation")
                plan.messages = [*plan.messages, "Geändert: " + ", ".join(dict.fromkeys(labels)) + "."]
