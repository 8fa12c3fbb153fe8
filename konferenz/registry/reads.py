"""What the address windows read beyond the lists: the duplicate groups of the whole registry with a name
for each, and the side-by-side proposal of a merge. Plain data, read in one read-only session each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from konferenz.errors import UserError
from konferenz.lists.registry import OrganisationList, PersonList
from konferenz.registry import merge
from konferenz.registry.scan import DuplicateGroup, find_all_duplicates, find_all_organisation_duplicates
from konferenz.storage.db import Database


@dataclass
class DuplicateScan:
    groups: list[DuplicateGroup]
    #: the display name of the first person of each group ("Öztürk, Ayşe")
    heads: dict[int, str]
    #: the duplicate groups of organisations, and the name of the first organisation of each
    organisation_groups: list[DuplicateGroup] = field(default_factory=list)
    organisation_heads: dict[int, str] = field(default_factory=dict)


def scan_registry(
    database: Database, progress: Callable[[int, int], None], cancelled: Callable[[], bool]
) -> DuplicateScan:
    """The duplicate groups of the whole registry (runs in the background); UserError when cancelled."""
    progress(0, 2)
    with database.read_session() as session:
        groups = find_all_duplicates(session)
        if cancelled():
            raise UserError("Die Suche nach Dubletten wurde abgebrochen.")
        progress(1, 2)
        rows = PersonList().rows(session, [g.person_ids[0] for g in groups])
        org_groups = find_all_organisation_duplicates(session)
        org_rows = OrganisationList().rows(session, [g.person_ids[0] for g in org_groups])
    org_heads = {oid: " – ".join(str(v) for v in row[:2] if v) for oid, row in org_rows.items()}
    heads = {}
    for pid, row in rows.items():
        name, first = str(row[0]), str(row[1])
        heads[pid] = f"{first} {name}".strip()
    progress(2, 2)
    return DuplicateScan(groups, heads, org_groups, org_heads)


def merge_proposal(
    database: Database, kind: Literal["person", "organisation"], keep_id: int, drop_id: int
) -> merge.MergeProposal:
    """Both records side by side (``merge.merge_proposal`` / ``merge.organisation_merge_proposal``)."""
    with database.read_session() as session:
        if kind == "person":
            return merge.merge_proposal(session, keep_id, drop_id)
        return merge.organisation_merge_proposal(session, keep_id, drop_id)
