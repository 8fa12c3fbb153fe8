"""The ID column of an imported list: whether it holds this registry's numbers (our export edited and
imported again) or the list's own running numbering, which the import then ignores (see the module
docstring of ``konferenz.importing.resolver``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from konferenz.importing.context import Context
from konferenz.importing.rows import ParsedRow
from konferenz.registry import keys as registry_keys
from konferenz.text import fold


def person_id_agrees(info: Any, row: ParsedRow) -> bool:
    """Whether the stored person the row's ID names is the row's person (same e-mail or a same name)."""
    p = row.person
    return bool(
        (info.email and info.email == registry_keys.email_key(p["email"]))
        or fold(info.last) == fold(p["last_name"])
        or (info.first and fold(info.first) == fold(p["first_name"]))
    )


def org_id_agrees(info: Any, row: ParsedRow) -> bool:
    """Whether the stored organisation the row's ID names is the row's (same name or short name)."""
    key = registry_keys.organisation_name_key
    short = str(row.organisation.get("short_name", ""))
    return key(info.name) == key(row.org_name) or bool(
        info.short_name and fold(info.short_name) == fold(short)
    )


def foreign_id_kinds(parsed: Sequence[ParsedRow], ctx: Context) -> tuple[set[str], int]:
    """The kinds ("person", "organisation") whose ID column is the list's own numbering – none of its
    numbers names a stored record that agrees with its row, or most of those it names disagree (numbers
    that do not exist count neither way) – and how many rows carry such an ID."""
    votes: dict[str, list[int]] = {"person": [0, 0, 0], "organisation": [0, 0, 0]}  # agree, differ, rows
    for row in parsed:
        if row.kind is None or not row.id_text:
            continue
        vote = votes[row.kind]
        vote[2] += row.record_id is not None
        if row.record_id is None:
            continue  # not a number at all ("A-17"): the row says so itself
        if row.kind == "person":
            pinfo = ctx.persons.get(row.record_id)
            if pinfo is not None and not pinfo.anonymised:
                vote[0 if person_id_agrees(pinfo, row) else 1] += 1
        else:
            oinfo = ctx.org_by_id.get(row.record_id)
            if oinfo is not None:
                vote[0 if org_id_agrees(oinfo, row) else 1] += 1
    foreign = {
        kind for kind, (agree, differ, rows) in votes.items() if rows and (agree == 0 or differ > agree)
    }
    return foreign, sum(votes[k][2] for k in foreign)
