"""The demo data generator: content, determinism, all-or-nothing, integrity, on both backends."""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from konferenz.demo.builder import generate_demo
from konferenz.demo.world import DEMO_TODAY
from konferenz.enums import (
    AgendaItemType,
    ConsentPurpose,
    InvitationStatus,
    LegalBasis,
    RecommendationStatus,
)
from konferenz.errors import UserError
from konferenz.registry.search_keys import organisation_search_text, person_search_text
from konferenz.storage.db import Database, open_database
from konferenz.storage.models import (
    ALL_TABLES,
    AgendaItem,
    Category,
    Conference,
    ConsentRecord,
    Forum,
    Invitation,
    MinutesEntry,
    Municipality,
    Organisation,
    Person,
    Recommendation,
    RecommendationUpdate,
    Role,
    Tag,
)
from konferenz.storage.reference import DEFAULT_CATEGORIES, MUNICIPALITIES
from konferenz.text import ascii_name


def _count(database: Database, model: Any) -> int:
    with database.read_session() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def _dump(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, ordered by primary key."""
    dump = {}
    with database.engine.connect() as conn:
        for table in ALL_TABLES:
            rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
            dump[table.name] = [tuple(row) for row in rows]
    return dump


@pytest.fixture
def second_db(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    """Another fresh database on the same backend (on SQLite ``db_url`` is the file ``db`` already uses)."""
    if backend == "sqlite":
        database = open_database(tmp_path / "second.sqlite")
    else:
        database = open_database(request.getfixturevalue("db_url"))
    yield database
    database.dispose()


@pytest.fixture
def demo(db: Database) -> Database:
    generate_demo(db, persons=300, seed=1)
    return db


# --------------------------------------------------------------------------------------------------------
# content


def test_the_17_municipalities_are_organisations_of_category_kommune_with_their_mayor(demo: Database) -> None:
    with demo.read_session() as session:
        orgs = session.scalars(
            sa.select(Organisation)
            .join(Category)
            .where(Category.name == "Kommune")
            .options(selectinload(Organisation.roles).selectinload(Role.person))
        ).all()
        assert len(orgs) == 17
        by_municipality = {}
        for org in orgs:
            assert org.municipality is not None
            by_municipality[org.municipality.name] = org
        for mun in MUNICIPALITIES:
            org = by_municipality[mun.name]
            kind = "Stadt" if mun.kind.value == "city" else "Gemeinde"
            assert org.name == f"{kind} {mun.name}"
            assert org.postal_code in mun.postal_codes
            assert org.city == mun.name
            assert org.street
            mayors = [
                r for r in org.roles if r.is_primary and r.function in ("Bürgermeister", "Bürgermeisterin")
            ]
            assert len(mayors) == 1
    assert set(by_municipality) == {m.name for m in MUNICIPALITIES}


def test_every_invitation_status_appears(demo: Database) -> None:
    with demo.read_session() as session:
        statuses = set(session.scalars(sa.select(Invitation.status).distinct()))
    assert statuses == set(InvitationStatus)


def test_every_recommendation_status_appears_with_history(demo: Database) -> None:
    with demo.read_session() as session:
        recs = session.scalars(sa.select(Recommendation).options(selectinload(Recommendation.history))).all()
        assert {r.status for r in recs} == set(RecommendationStatus)
        for rec in recs:
            assert rec.history, rec.text
            assert rec.history[-1].status == rec.status
            assert rec.history[0].status is RecommendationStatus.OPEN
        overdue = [
            r
            for r in recs
            if r.status in (RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)
            and r.due_date is not None
            and r.due_date < DEMO_TODAY
        ]
        assert overdue
        # follow-up notes recorded in a later conference's "Sachstand" item point at its minutes
        linked = session.scalars(
            sa.select(MinutesEntry)
            .join(RecommendationUpdate, RecommendationUpdate.minutes_entry_id == MinutesEntry.id)
            .join(AgendaItem, AgendaItem.id == MinutesEntry.agenda_item_id)
            .where(AgendaItem.item_type == AgendaItemType.STATUS_REPORT)
        ).all()
        assert linked


def test_every_category_is_used(demo: Database) -> None:
    with demo.read_session() as session:
        used = set(
            session.scalars(
                sa.select(Category.name).join(Organisation, Organisation.category_id == Category.id)
            )
        )
    assert used == {c.name for c in DEFAULT_CATEGORIES}


@pytest.mark.parametrize("persons", [0, 5, 300])
def test_persons_is_the_exact_number_of_person_rows(db: Database, persons: int) -> None:
    summary = generate_demo(db, persons=persons)
    assert summary.persons == persons
    assert _count(db, Person) == persons
    assert _count(db, Organisation) == summary.organisations
    assert _count(db, Invitation) == summary.invitations
    assert summary.conferences == 4
    if persons == 0:
        # without persons only organisations are invited, still in every status
        with db.read_session() as session:
            assert set(session.scalars(sa.select(Invitation.status).distinct())) == set(InvitationStatus)
            assert session.scalar(sa.select(sa.func.count()).where(Invitation.person_id.is_not(None))) == 0


def test_names_in_other_scripts_survive(demo: Database) -> None:
    with demo.read_session() as session:
        names = {
            (first, last) for first, last in session.execute(sa.select(Person.first_name, Person.last_name))
        }
        org_names = set(session.scalars(sa.select(Organisation.name)))
    for expected in [
        ("Ольга", "Иванова"),
        ("Олександр", "Шевченко"),
        ("Thị Lan", "Nguyễn"),
        ("Ayşe", "Yılmaz"),
        ("Şeyma", "Çelik"),
        ("Łukasz", "Wiśniewski"),
        ("يوسف", "منصور"),
        ("ليلى", "خليل"),
    ]:
        assert expected in names
    assert "Russischsprachiger Elternverein „Радуга“ e. V." in org_names


def test_particles_titles_genders_and_salutations(demo: Database) -> None:
    with demo.read_session() as session:
        von_stein = session.scalars(sa.select(Person).where(Person.last_name == "Stein")).first()
        assert von_stein is not None
        assert von_stein.name_prefix == "von"
        assert session.scalars(sa.select(Person).where(Person.name_prefix == "van der")).first() is not None
        titles = set(session.scalars(sa.select(Person.title).distinct()))
        assert {"Dr.", "Prof. Dr.", "Dipl.-Päd."} <= titles
        genders = {g.value for g in session.scalars(sa.select(Person.gender).distinct())}
        assert genders == {"female", "male", "diverse", "unknown"}
        assert "Liebe Ayşe," in set(session.scalars(sa.select(Person.custom_salutation)))
        emails = [e for e in session.scalars(sa.select(Person.email)) if e]
        assert emails
        assert all(e.isascii() and e == e.lower() and "@" in e for e in emails)
        basis = set(session.scalars(sa.select(Person.legal_basis).distinct()))
        assert basis == set(LegalBasis)
        consents = session.scalars(sa.select(ConsentRecord)).all()
        assert {c.purpose for c in consents} >= {ConsentPurpose.INVITATION, ConsentPurpose.PARTICIPANT_LIST}
        assert any(c.withdrawn_on is not None for c in consents)
        assert set(session.scalars(sa.select(Tag.name))) >= {"Newsletter", "Integrationsrat", "Presse"}


def test_organisations_outside_the_kreis_keep_their_postal_code(demo: Database) -> None:
    with demo.read_session() as session:
        dresden = session.scalars(sa.select(Organisation).where(Organisation.city == "Dresden")).one()
        abroad = session.scalars(sa.select(Organisation).where(Organisation.country != "")).all()
    assert dresden.postal_code == "01067"
    assert dresden.municipality_id is None
    assert abroad


def test_conferences_agenda_forums_and_planning(demo: Database) -> None:
    with demo.read_session() as session:
        conferences = session.scalars(
            sa.select(Conference)
            .order_by(Conference.year)
            .options(selectinload(Conference.agenda_items), selectinload(Conference.forums))
        ).all()
        assert [c.year for c in conferences] == [2023, 2024, 2025, 2026]
        for conf in conferences:
            assert conf.date is not None
            assert conf.date.month in (9, 10, 11, 12)
            assert conf.capacity and conf.reply_deadline and conf.start_time and conf.end_time
            assert conf.venue_name and conf.venue_street and conf.venue_postal_code
            types = [item.item_type for item in conf.agenda_items]
            assert [item.position for item in conf.agenda_items] == list(range(1, len(types) + 1))
            assert AgendaItemType.FORUM_PHASE in types
            assert AgendaItemType.BREAK in types
            phase = next(i for i in conf.agenda_items if i.item_type is AgendaItemType.FORUM_PHASE)
            assert 3 <= len(conf.forums) <= 4
            assert all(f.agenda_item_id == phase.id and f.room and f.capacity for f in conf.forums)
            reports = [i for i in conf.agenda_items if i.item_type is AgendaItemType.STATUS_REPORT]
            if conf.year >= 2024:
                assert [r.title for r in reports] == [f"Sachstand der Empfehlungen aus {conf.year - 1}"]
            else:
                assert reports == []
        planning = conferences[-1]
        assert planning.date is not None and planning.date > dt.date(2026, 11, 25)
        planned_statuses = set(
            session.scalars(sa.select(Invitation.status).where(Invitation.conference_id == planning.id))
        )
        assert planned_statuses >= {
            InvitationStatus.PLANNED,
            InvitationStatus.INVITED,
            InvitationStatus.ACCEPTED,
            InvitationStatus.DECLINED,
            InvitationStatus.NO_REPLY,
            InvitationStatus.WAITLIST,
        }
        assert InvitationStatus.ATTENDED not in planned_statuses
        assert (
            session.scalar(sa.select(sa.func.count()).where(MinutesEntry.conference_id == planning.id)) == 0
        )
        held = [c.id for c in conferences[:-1]]
        minutes = session.scalar(sa.select(sa.func.count()).where(MinutesEntry.conference_id.in_(held)))
        assert minutes


def test_invitation_details(demo: Database) -> None:
    with demo.read_session() as session:
        invitations = session.scalars(sa.select(Invitation)).all()
        forums = {f.id: f for f in session.scalars(sa.select(Forum))}
        primary = {
            person_id: org_id
            for person_id, org_id in session.execute(
                sa.select(Role.person_id, Role.organisation_id).where(Role.is_primary)
            )
        }
    assert any(i.person_id is None and i.organisation_id is not None for i in invitations)
    assert any(i.substitute_name for i in invitations if i.status is InvitationStatus.SUBSTITUTED)
    assert all(i.substitute_name for i in invitations if i.status is InvitationStatus.SUBSTITUTED)
    assert any(i.companions > 0 for i in invitations)
    assert {"vegetarisch", "halal"} <= {i.needs_diet for i in invitations}
    assert any(i.needs_accessibility.startswith("Rollstuhl") for i in invitations)
    assert {i.entered_by for i in invitations} >= {"mueller.k"}
    per_forum: dict[int, int] = {}
    for inv in invitations:
        if inv.person_id is not None:
            assert inv.organisation_id == primary.get(inv.person_id)
        if inv.status is InvitationStatus.ATTENDED:
            assert inv.checked_in_at is not None
        if inv.status is InvitationStatus.PLANNED:
            assert inv.invited_on is None
        else:
            assert inv.invited_on is not None and inv.invitation_channel is not None
        if inv.replied_on is not None:
            assert inv.invited_on is not None and inv.replied_on > inv.invited_on
        if inv.reminded_on is not None:
            assert inv.invited_on is not None and inv.reminded_on > inv.invited_on
        assert (inv.waitlist_position is not None) == (inv.status is InvitationStatus.WAITLIST)
        if inv.forum_id is not None:
            assert forums[inv.forum_id].conference_id == inv.conference_id
            per_forum[inv.forum_id] = per_forum.get(inv.forum_id, 0) + 1
    assert per_forum
    for forum_id, count in per_forum.items():
        assert count <= (forums[forum_id].capacity or 0)
    by_conference: dict[int, list[int]] = {}
    for inv in invitations:
        if inv.waitlist_position is not None:
            by_conference.setdefault(inv.conference_id, []).append(inv.waitlist_position)
    for positions in by_conference.values():
        assert sorted(positions) == list(range(1, len(positions) + 1))


def test_search_text_is_filled_and_recomputable(demo: Database) -> None:
    with demo.read_session() as session:
        assert session.scalar(sa.select(sa.func.count()).where(Person.search_text == "")) == 0
        assert session.scalar(sa.select(sa.func.count()).where(Organisation.search_text == "")) == 0
        municipalities = {m.id: m.name for m in session.scalars(sa.select(Municipality))}
        for org in session.scalars(sa.select(Organisation)):
            assert org.search_text == organisation_search_text(
                name=org.name,
                department=org.department,
                short_name=org.short_name,
                city=org.city,
                email=org.email,
                municipality_name=municipalities.get(org.municipality_id or 0),
            )
        persons = session.scalars(
            sa.select(Person)
            .where(Person.id % 7 == 1)
            .options(selectinload(Person.roles).selectinload(Role.organisation))
        ).all()
        assert len(persons) > 30
        for person in persons:
            roles = sorted(person.roles, key=lambda r: r.id)
            assert person.search_text == person_search_text(
                first_name=person.first_name,
                name_prefix=person.name_prefix,
                last_name=person.last_name,
                title=person.title,
                function=person.function,
                email=person.email,
                city=person.city,
                organisation_names=[r.organisation.name for r in roles],
                municipality_name=municipalities.get(person.municipality_id or 0),
            )
        # found by the usual spellings
        hit = session.scalars(sa.select(Person).where(Person.search_text.contains("ozturk"))).first()
        assert hit is not None and hit.last_name == "Öztürk"


def test_ascii_name() -> None:
    assert ascii_name("Öztürk") == "oeztuerk"
    assert ascii_name("Ольга") == "olga"
    assert ascii_name("Олександр Шевченко") == "oleksandr-shevchenko"
    assert ascii_name("Thị Lan") == "thi-lan"
    assert ascii_name("Łukasz Wiśniewski") == "lukasz-wisniewski"
    assert ascii_name("Große-Venhaus") == "grosse-venhaus"
    assert ascii_name("İbrahim Yıldırım") == "ibrahim-yildirim"


# --------------------------------------------------------------------------------------------------------
# determinism


def test_same_seed_gives_identical_databases(db: Database, second_db: Database) -> None:
    generate_demo(db, persons=400, seed=7)
    # timestamps have whole seconds: a clock value sneaking in must differ between the two runs
    time.sleep(1.1)
    generate_demo(second_db, persons=400, seed=7)
    first, second = _dump(db), _dump(second_db)
    for table in ("person", "organisation", "role", "invitation", "recommendation", "consent_record"):
        assert first[table], table
    assert first == second


def test_different_seed_gives_different_persons(db: Database, second_db: Database) -> None:
    generate_demo(db, persons=300, seed=1)
    generate_demo(second_db, persons=300, seed=2)
    first, second = _dump(db), _dump(second_db)
    assert first["person"] != second["person"]
    assert first["invitation"] != second["invitation"]


# --------------------------------------------------------------------------------------------------------
# refusals and all-or-nothing


@pytest.mark.parametrize("existing", ["person", "organisation", "conference"])
def test_non_empty_database_is_refused_and_left_unchanged(db: Database, existing: str) -> None:
    with db.session() as session:
        if existing == "person":
            session.add(Person(last_name="Vorhanden"))
        elif existing == "organisation":
            session.add(Organisation(name="Vorhanden e. V."))
        else:
            session.add(Conference(year=2020, title="Alt"))
    before = _dump(db)
    with pytest.raises(
        UserError, match="enthält bereits Daten; Demodaten werden nur in eine leere Datenbank"
    ):
        generate_demo(db, persons=10)
    assert _dump(db) == before


def test_negative_person_count_is_refused(db: Database) -> None:
    with pytest.raises(UserError, match="Personen"):
        generate_demo(db, persons=-1)
    assert _count(db, Organisation) == 0


@functools.cache
def _checks_needed(persons: int) -> int:
    """How often ``generate_demo`` asks ``cancelled()`` for ``persons`` (a run in a scratch SQLite file)."""
    calls = 0

    def never() -> bool:
        nonlocal calls
        calls += 1
        return False

    with tempfile.TemporaryDirectory() as folder:
        scratch = open_database(Path(folder) / "scratch.sqlite")
        try:
            generate_demo(scratch, persons=persons, cancelled=never)
        finally:
            scratch.dispose()
    return calls


@pytest.mark.parametrize("when", ["first", "middle", "last"])
def test_cancel_stores_nothing(db: Database, when: str) -> None:
    persons = 6_000
    needed = _checks_needed(persons)
    assert needed > 4
    # "last" cancels at the final check, after every row has been written
    stop_at = {"first": 1, "middle": needed // 2, "last": needed}[when]
    seen = 0

    def cancelled() -> bool:
        nonlocal seen
        seen += 1
        return seen >= stop_at

    before = _dump(db)
    with pytest.raises(UserError, match="Abgebrochen"):
        generate_demo(db, persons=persons, cancelled=cancelled)
    assert seen == stop_at
    assert _dump(db) == before
    assert _count(db, Person) == 0


def test_progress_is_reported_up_to_the_total(db: Database) -> None:
    reports: list[tuple[int, int]] = []
    generate_demo(db, persons=12_000, progress=lambda done, total: reports.append((done, total)))
    assert len(reports) > 3
    totals = {total for _, total in reports}
    assert len(totals) == 1
    done = [d for d, _ in reports]
    assert done == sorted(done)
    assert reports[-1][0] == reports[-1][1]


# --------------------------------------------------------------------------------------------------------
# integrity


def test_generated_database_is_consistent(demo: Database) -> None:
    with demo.engine.connect() as conn:
        if demo.backend == "sqlite":
            assert conn.execute(sa.text("PRAGMA foreign_key_check")).all() == []
            assert conn.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"
        orphans = conn.execute(
            sa.text(
                "SELECT COUNT(*) FROM role r LEFT JOIN person p ON p.id = r.person_id "
                "LEFT JOIN organisation o ON o.id = r.organisation_id WHERE p.id IS NULL OR o.id IS NULL"
            )
        ).scalar()
        assert orphans == 0
        primaries = conn.execute(
            sa.text(
                "SELECT person_id, SUM(CASE WHEN is_primary THEN 1 ELSE 0 END) FROM role GROUP BY person_id"
            )
        ).all()
        assert primaries
        assert all(count == 1 for _, count in primaries)
        assert conn.execute(sa.text("SELECT COUNT(*) FROM person WHERE version <> 1")).scalar() == 0


def test_records_can_be_added_after_the_demo(demo: Database) -> None:
    """The id sequences (PostgreSQL) continue after the ids the generator assigned."""
    with demo.session() as session:
        person = Person(last_name="Neu")
        tag = Tag(name="Neu nach Demo")
        org = Organisation(name="Neu e. V.")
        session.add_all([person, tag, org])
        session.flush()
        conference = session.scalars(sa.select(Conference).where(Conference.year == 2026)).one()
        session.add(Invitation(conference_id=conference.id, person_id=person.id))
        session.add(Role(person=person, organisation=org, is_primary=True))
        session.flush()
    assert _count(demo, Person) == 301


@pytest.mark.slow
def test_twenty_thousand_persons(db: Database) -> None:
    summary = generate_demo(db, persons=20_000)
    assert _count(db, Person) == 20_000
    assert summary.organisations > 100  # generated schools, Kitas, clubs and associations on top
    with db.read_session() as session:
        per_conference = session.execute(
            sa.select(Invitation.conference_id, sa.func.count()).group_by(Invitation.conference_id)
        ).all()
        assert all(250 <= count <= 600 for _, count in per_conference)
        assert set(session.scalars(sa.select(Invitation.status).distinct())) == set(InvitationStatus)
