"""What a resolution decides and the writer writes: the records still to be created (categories,
organisations, persons; their ids are set once written), the changes collected for existing records
(``Update``), and one ``RowPlan`` per row (``Resolution``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, Literal

from konferenz.importing.context import Context
from konferenz.importing.plan import RowPlan
from konferenz.registry import evidence
from konferenz.registry import keys as registry_keys


@dataclass(eq=False)
class NewCategory:
    name: str
    id: int | None = None


CategoryRef = int | NewCategory | None


@dataclass(eq=False)
class NewOrg:
    values: dict[str, Any]
    excel_row: int
    municipality_id: int | None = None
    category: CategoryRef = None
    tags: list[str] = field(default_factory=list)
    id: int | None = None


OrgRef = int | NewOrg | None


@dataclass(eq=False, slots=True)
class NewPerson:
    values: dict[str, Any]
    excel_row: int
    org: OrgRef
    role_function: str
    role_department: str
    category: CategoryRef
    municipality_id: int | None
    tags: list[str]
    keys: registry_keys.NameKeys
    orgs: Collection[int]
    #: what the duplicate rules weigh of the row (``konferenz.registry.evidence``)
    facts: evidence.PersonFacts
    id: int | None = None


@dataclass(eq=False)
class Update:
    """Changes to one existing record, collected over the rows that update it, then compared with the
    stored record (``konferenz.importing.updates.finish_updates``)."""

    table: Literal["person", "organisation"]
    id: int
    #: record field → value from the file
    values: dict[str, Any] = field(default_factory=dict)
    notes_add: str = ""
    #: the ``Kommune`` cell when the row gave one (None: not given)
    municipality_name: str | None = None
    category: CategoryRef = None
    set_category: bool = False
    tags: list[str] = field(default_factory=list)
    #: "", "add" (update of a duplicate) or "replace" (update by ID)
    tags_mode: str = ""
    #: True for an update by ID (the file's values as they are); False for a duplicate (a value that is
    #: the same ignoring case, accents and spelling keeps the stored spelling)
    by_id: bool = False
    #: person: the organisation that becomes the primary one
    org: OrgRef = None
    role_function: str | None = None
    role_department: str | None = None
    #: indexes into the resolution's rows
    rows: list[int] = field(default_factory=list)
    # the comparison with the stored record
    version: int = 0
    updated_at: dt.datetime | None = None
    diff: dict[str, Any] = field(default_factory=dict)
    old: dict[str, Any] = field(default_factory=dict)
    tags_after: list[str] = field(default_factory=list)
    tag_change: bool = False
    role_change: bool = False
    rejected: bool = False

    @property
    def changed(self) -> bool:
        return not self.rejected and bool(self.diff or self.tag_change or self.role_change)


@dataclass
class Resolution:
    rows: list[RowPlan]
    new_orgs: list[NewOrg]
    new_persons: list[NewPerson]
    new_categories: list[NewCategory]
    updates: list[Update]
    #: index into ``rows`` → the new record whose id the row reports once written
    pending_ids: dict[int, NewOrg | NewPerson]
    context: Context
    #: notes on the whole import (e.g. an ID column that is the list's own numbering)
    notes: list[str] = field(default_factory=list)
