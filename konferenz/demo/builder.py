"""Deterministic demo data: a realistic Kreis Borken with invitees, four conferences and their results.

``generate_demo()`` fills an empty database in one transaction: the 17 municipalities as organisations with
a mayor each, about fifty other organisations of every category (a few outside the Kreis and one abroad),
``persons`` people with names from the communities that live in the Kreis (German, Turkish, Arabic, Kurdish,
Polish, Russian and Ukrainian in Cyrillic, Vietnamese, Dutch …), the Integrationskonferenzen 2023–2025 with
agenda, forums, invitations, minutes and recommendations followed up over the years, and the conference
2026 in planning.

The fixed facts of that world (places, organisations, names, the named persons, the conferences) are data,
in ``konferenz/demo/data/*.json``, read by ``konferenz.demo.world``; the registry is written by
``konferenz.demo.registry``, the conferences by ``konferenz.demo.conferences``, both over the shared state
of a run (``konferenz.demo.state``). This module checks the database and runs the parts in order.

Everything is derived from ``random.Random`` seeded with ``seed`` and from fixed dates, so the same seed
gives the same database content, row for row. The demo world's "today" is ``world.DEMO_TODAY``.

Counts: ``persons`` is the exact number of Person rows written, including the named example persons
(``world.SHOWCASE``, created first) and the 17 mayors (created next); a smaller number keeps only the first
ones. Organisations: the 17 municipalities and the fixed list of ``organisations.json`` (51), plus one
generated organisation (school, Kita, club, association …) per 100 persons above 1,000, at most 884, so the
people of large demos spread over a realistic number of organisations.

Speed: the tables are written with Core ``executemany`` inserts and primary keys assigned here (never one
ORM object per row); 100,000 persons take well under two minutes. On PostgreSQL the id sequences are moved
past the inserted ids afterwards. Measured: 100,000 persons in about 8 s on SQLite and 15 s on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from konferenz.demo.conferences import ConferenceParts
from konferenz.demo.registry import RegistryParts
from konferenz.demo.state import DemoSummary
from konferenz.demo.world import CONFERENCES
from konferenz.errors import UserError
from konferenz.storage.bulk import reset_id_sequences
from konferenz.storage.db import Database
from konferenz.storage.models import Base, Conference, Organisation, Person
from konferenz.storage.reference import ensure_reference_data


def generate_demo(
    database: Database,
    *,
    persons: int = 300,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> DemoSummary:
    """Fill the empty ``database`` with demo data (see module docstring); all or nothing.

    Raises ``UserError`` when the database already holds persons, organisations or conferences, when
    ``persons`` is negative, and when ``cancelled()`` returns True (then nothing is stored).
    """
    if persons < 0:
        raise UserError(f"Die Anzahl der Demo-Personen muss 0 oder größer sein (angegeben: {persons}).")
    with database.session() as session:
        for model in (Person, Organisation, Conference):
            if session.scalar(sa.select(sa.func.count()).select_from(model)):
                raise UserError(
                    f"Die Datenbank „{database.display_name}“ enthält bereits Daten; "
                    "Demodaten werden nur in eine leere Datenbank geschrieben."
                )
        ensure_reference_data(session)
        session.flush()
        builder = _Builder(session, persons=persons, seed=seed, progress=progress, cancelled=cancelled)
        summary = builder.run()
        reset_id_sequences(session.connection(), [Base.metadata.tables[t] for t in builder.tables_with_ids])
        builder.check_cancelled()
    if progress is not None:
        progress(builder.total_work, builder.total_work)
    return summary


class _Builder(RegistryParts, ConferenceParts):
    def run(self) -> DemoSummary:
        self.check_cancelled()
        self.build_tags()
        self.build_organisations()
        self.step(100)
        self.build_persons()
        for conf in CONFERENCES:
            self.build_conference(conf)
            self.step(100)
        # after all conferences: follow-up notes link to the "Sachstand" minutes of later conferences
        for conf in CONFERENCES:
            if conf.held:
                self.build_recommendations(self.rng(f"recommendations-{conf.year}"), conf)
        return self.summary
