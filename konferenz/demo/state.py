"""The state one demo run shares between its parts: the session, a seeded random stream per part, the ids
handed out, the rows written per kind, progress and cancelling, and the ids later parts look up.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.demo.world import CONFERENCES
from konferenz.enums import AgendaItemType
from konferenz.errors import UserError
from konferenz.storage.bulk import insert_rows
from konferenz.storage.models import Base, Category, Municipality

_TABLES = Base.metadata.tables


@dataclass
class DemoSummary:
    """How many rows ``generate_demo`` wrote, per kind."""

    persons: int = 0
    organisations: int = 0
    roles: int = 0
    tags: int = 0
    person_tags: int = 0
    organisation_tags: int = 0
    consent_records: int = 0
    conferences: int = 0
    agenda_items: int = 0
    agenda_persons: int = 0
    forums: int = 0
    invitations: int = 0
    minutes_entries: int = 0
    recommendations: int = 0
    recommendation_updates: int = 0


@dataclass
class Org:
    """An organisation written, as the persons and conferences need it."""

    id: int
    name: str
    category: str
    municipality: str | None
    phone: str
    domain: str
    department: str


@dataclass
class ConferenceIds:
    """The ids of a conference written, for the recommendations and the later conferences."""

    conference_id: int
    agenda: dict[AgendaItemType, int]
    forums: list[int]
    minutes_by_item: dict[int, int] = field(default_factory=dict)
    minutes_by_forum: dict[int, int] = field(default_factory=dict)


@dataclass
class PersonChunk:
    """The rows of the persons not written yet."""

    persons: list[dict[str, Any]] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)
    tags: list[dict[str, Any]] = field(default_factory=list)
    consents: list[dict[str, Any]] = field(default_factory=list)


class DemoRun:
    """The plumbing and the shared state of one run; the parts (``konferenz.demo.registry``,
    ``konferenz.demo.conferences``) are mixins over it."""

    def __init__(
        self,
        session: Session,
        *,
        persons: int,
        seed: int,
        progress: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        self.session = session
        self.n = persons
        self.seed = seed
        self.progress = progress
        self.cancelled = cancelled
        self.summary = DemoSummary()
        self.done = 0
        self.total_work = 100 + persons + 100 * len(CONFERENCES)
        self.tables_with_ids: list[str] = []
        self._next_id: dict[str, int] = {}
        self.categories = {name: id_ for id_, name in session.execute(sa.select(Category.id, Category.name))}
        self.municipalities = {
            name: id_ for id_, name in session.execute(sa.select(Municipality.id, Municipality.name))
        }
        self.tags: dict[str, int] = {}
        self.orgs: list[Org] = []
        self.org_by_key: dict[str, Org] = {}
        self.primary_org: list[int | None] = []
        #: persons who withdrew their consent to be invited
        self.not_invitable: set[int] = set()
        self.showcase_ids: dict[str, int] = {}
        self.first_person_of_org: dict[int, int] = {}
        self.conference_ids: dict[int, ConferenceIds] = {}
        self.first_person_id = 1

    # -- plumbing ------------------------------------------------------------------------------------

    def rng(self, part: str) -> random.Random:
        """An independent, seeded random stream per part, so the organisations do not depend on ``n``."""
        return random.Random(f"konferenz-demo:{self.seed}:{part}")

    def check_cancelled(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise UserError("Abgebrochen – es wurden keine Demodaten gespeichert.")

    def step(self, work: int) -> None:
        self.done += work
        self.check_cancelled()
        if self.progress is not None:
            self.progress(min(self.done, self.total_work), self.total_work)

    def peek_id(self, table: str) -> int:
        """The id the next row of ``table`` gets (one above the highest id in the database)."""
        if table not in self._next_id:
            highest = self.session.execute(sa.text(f"SELECT MAX(id) FROM {table}")).scalar()
            self._next_id[table] = int(highest or 0) + 1
            self.tables_with_ids.append(table)
        return self._next_id[table]

    def new_id(self, table: str) -> int:
        value = self.peek_id(table)
        self._next_id[table] = value + 1
        return value

    def insert(self, table_name: str, rows: Sequence[dict[str, Any]]) -> None:
        """Write ``rows`` (each naming some columns; the others get their defaults)."""
        insert_rows(self.session.connection(), _TABLES[table_name], rows, fill_defaults=True)
