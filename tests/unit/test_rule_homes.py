"""Every consumer of a domain rule gives the same answer on the same data, on both backends: the filing
order of persons and organisations (``konferenz.sorting``, ``schema.person_order`` …), the category and
municipality an invitation counts under (statistics = invitation export), a person's name forms
(``konferenz.names``) and the status groups (``InvitationStatus``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from konferenz import names
from konferenz.conferences import statistics
from konferenz.enums import Gender, InvitationStatus
from konferenz.exports import workbooks as exporter
from konferenz.letters import content, sheets
from konferenz.lists import facets
from konferenz.lists import invitations as invitation_lists
from konferenz.lists import registry as lists
from konferenz.privacy import review
from konferenz.registry import filters as registry_filters
from konferenz.sorting import invitee_key, organisation_key, person_key, person_sort_name
from konferenz.storage import schema, transfer
from konferenz.storage.db import Database, open_database
from konferenz.storage.models import (
    Category,
    Conference,
    Invitation,
    Municipality,
    Organisation,
    Person,
    Role,
)
from konferenz.text import fold

YEAR = 2020
TODAY = dt.date(2026, 11, 25)

#: (last name, first name, name particle, title, gender); Weiß and Weiss file alike (ß = ss) and are told
#: apart by their id; the particle is not part of the filing word
PERSONS: tuple[tuple[str, str, str, str, Gender], ...] = (
    ("Weiß", "Anna", "", "Dr.", Gender.FEMALE),
    ("Zimmermann", "Klaus", "", "", Gender.MALE),
    ("Öztürk", "Ayşe", "", "", Gender.FEMALE),
    ("Lia", "Maria", "", "", Gender.FEMALE),
    ("Çelik", "Mehmet", "", "", Gender.MALE),
    ("Иванова", "Ольга", "", "", Gender.FEMALE),
    ("Vries", "Jan", "de", "", Gender.MALE),
    ("Şahin", "Zeynep", "", "", Gender.FEMALE),
    ("الحسن", "محمد", "", "Prof. Dr.", Gender.MALE),
    ("Weiss", "Anna", "", "", Gender.FEMALE),
    ("İnce", "Emre", "", "", Gender.DIVERSE),
    ("Berg", "Pieter", "van der", "", Gender.MALE),
    ("Li", "Wei", "", "", Gender.UNKNOWN),
    ("Özkan", "Elif", "", "", Gender.FEMALE),
)
#: the order DIN 5007-1 files them in (by last name; Weiß before Weiss: the smaller id)
FILED = (
    "Berg",
    "Çelik",
    "İnce",
    "Li",
    "Lia",
    "Özkan",
    "Öztürk",
    "Şahin",
    "Vries",
    "Weiß",
    "Weiss",
    "Zimmermann",
    "Иванова",
    "الحسن",
)
ORGANISATIONS = (
    "Zentrum für Integration",
    "Jugendhaus Ostwind",
    "Jugendhaus Ölberg",
    "Ökumenisches Netzwerk Borken",
    "caritasverband Bocholt",
    "Integrationsrat Kreis Borken",
    "Ärztekammer Westfalen",
)
STATUSES = (
    InvitationStatus.ATTENDED,
    InvitationStatus.ACCEPTED,
    InvitationStatus.SUBSTITUTED,
    InvitationStatus.NO_SHOW,
    InvitationStatus.DECLINED,
    InvitationStatus.INVITED,
    InvitationStatus.NO_REPLY,
)


@dataclass
class World:
    persons: dict[str, int]  # last name → id
    organisations: dict[str, int]  # name → id
    invitations: dict[int, int | str]  # invitation id → person id, or the organisation's name
    council: int  # the organisation every person has a (secondary) role in


def build(db: Database) -> World:
    with db.session() as s:
        # the categories and municipalities the schema is created with
        cats = {c.name: c for c in s.scalars(sa.select(Category))}
        muns = {m.name: m for m in s.scalars(sa.select(Municipality))}
        mso = cats.get("Migrantenselbstorganisation") or Category(name="Migrantenselbstorganisation")
        welfare = cats.get("Wohlfahrtsverband") or Category(name="Wohlfahrtsverband")
        politics = cats.get("Politik") or Category(name="Politik")
        borken = muns.get("Borken") or Municipality(name="Borken", kind="city")
        bocholt = muns.get("Bocholt") or Municipality(name="Bocholt", kind="city")
        s.add_all([mso, welfare, politics, borken, bocholt])
        s.flush()
        setup = {
            "Zentrum für Integration": (mso.id, None),
            "Ökumenisches Netzwerk Borken": (welfare.id, borken.id),
            "caritasverband Bocholt": (welfare.id, bocholt.id),
            "Integrationsrat Kreis Borken": (politics.id, borken.id),
            "Ärztekammer Westfalen": (None, None),
            "Jugendhaus Ostwind": (None, bocholt.id),
            "Jugendhaus Ölberg": (welfare.id, None),
        }
        orgs = {
            name: Organisation(name=name, category_id=c, municipality_id=m) for name, (c, m) in setup.items()
        }
        s.add_all(orgs.values())
        people = {
            last: Person(last_name=last, first_name=first, name_prefix=prefix, title=title, gender=gender)
            for last, first, prefix, title, gender in PERSONS
        }
        s.add_all(people.values())
        s.flush()
        council = orgs["Integrationsrat Kreis Borken"]
        primary_orgs = [o for name, o in orgs.items() if name != "Integrationsrat Kreis Borken"]
        conf = Conference(year=YEAR, title=f"Integrationskonferenz {YEAR}", date=dt.date(YEAR, 11, 5))
        s.add(conf)
        s.flush()
        invitations: dict[int, int | str] = {}
        for n, p in enumerate(people.values()):
            primary = primary_orgs[n % len(primary_orgs)]
            s.add(Role(person_id=p.id, organisation_id=primary.id, is_primary=True, function="Referentin"))
            s.add(Role(person_id=p.id, organisation_id=council.id, is_primary=False))
            if n % 3 == 0:  # an own category and municipality win over the organisation's
                p.category_id, p.municipality_id = politics.id, bocholt.id
            inv = Invitation(
                conference_id=conf.id,
                person_id=p.id,
                # every other invitation names the organisation the person is invited for; the others
                # count under the person's primary organisation
                organisation_id=council.id if n % 2 == 0 else None,
                status=STATUSES[n % len(STATUSES)],
                invited_on=dt.date(YEAR, 9, 1),
            )
            s.add(inv)
            s.flush()
            invitations[inv.id] = p.id
        alone = Invitation(
            conference_id=conf.id,
            organisation_id=orgs["caritasverband Bocholt"].id,
            status=InvitationStatus.ACCEPTED,
            invited_on=dt.date(YEAR, 9, 1),
        )
        s.add(alone)
        s.flush()
        invitations[alone.id] = "caritasverband Bocholt"
        return World(
            persons={last: p.id for last, p in people.items()},
            organisations={name: o.id for name, o in orgs.items()},
            invitations=invitations,
            council=council.id,
        )


@pytest.fixture
def world(db: Database) -> World:
    return build(db)


def expected_persons(world: World) -> list[int]:
    by_id = {world.persons[last]: (last, first) for last, first, *_ in PERSONS}
    return sorted(by_id, key=lambda pid: person_key(*by_id[pid], pid))


def expected_organisations(world: World) -> list[int]:
    return sorted(world.organisations.values(), key=lambda oid: organisation_key(_org_name(world, oid), oid))


def expected_invitations(world: World) -> list[int]:
    first = {last: first for last, first, *_ in PERSONS}
    last_of = {pid: last for last, pid in world.persons.items()}

    def key(inv_id: int) -> tuple[bytes, int]:
        who = world.invitations[inv_id]
        if isinstance(who, str):
            return invitee_key(None, None, who, inv_id)
        return invitee_key(last_of[who], first[last_of[who]], None, inv_id)

    return sorted(world.invitations, key=key)


def _org_name(world: World, oid: int) -> str:
    return next(name for name, i in world.organisations.items() if i == oid)


def in_order(seen: Sequence[object], expected: Sequence[object], *, at_least: int) -> None:
    """``seen`` lists its members in the order of ``expected`` (and is not trivially short)."""
    members = set(seen)
    assert len(seen) == len(members) >= at_least
    assert list(seen) == [x for x in expected if x in members]


# --- the rule itself -----------------------------------------------------------------------------------------


def test_the_filing_order_is_din_5007_1(world: World) -> None:
    last_of = {pid: last for last, pid in world.persons.items()}
    assert [last_of[pid] for pid in expected_persons(world)] == list(FILED)
    assert person_sort_name("Li", "Wei") < person_sort_name("Lia", "Anna")
    assert [_org_name(world, o) for o in expected_organisations(world)] == [
        "Ärztekammer Westfalen",
        "caritasverband Bocholt",
        "Integrationsrat Kreis Borken",
        "Jugendhaus Ölberg",
        "Jugendhaus Ostwind",
        "Ökumenisches Netzwerk Borken",
        "Zentrum für Integration",
    ]


def test_sql_order_equals_the_python_key(db: Database, world: World) -> None:
    with db.read_session() as s:
        persons = s.scalars(sa.select(schema.person.c.id).order_by(*schema.person_order())).all()
        orgs = s.scalars(sa.select(schema.organisation.c.id).order_by(*schema.organisation_order())).all()
        invs = s.scalars(
            sa.select(schema.invitation.c.id)
            .outerjoin(schema.person, schema.person.c.id == schema.invitation.c.person_id)
            .outerjoin(schema.organisation, schema.organisation.c.id == schema.invitation.c.organisation_id)
            .order_by(*schema.invitee_order())
        ).all()
    assert persons == expected_persons(world)
    assert orgs == expected_organisations(world)
    assert invs == expected_invitations(world)


def test_stored_keys_follow_renames(db: Database, world: World) -> None:
    with db.session() as s:
        s.get_one(Organisation, world.organisations["Zentrum für Integration"]).name = "Ägäis-Verein"
        s.get_one(Person, world.persons["Zimmermann"]).last_name = "Aydın"
    with db.read_session() as s:
        assert (
            s.scalar(
                sa.select(Organisation.sort_name).where(
                    Organisation.id == world.organisations["Zentrum für Integration"]
                )
            )
            == "agais-verein"
        )
        assert (
            s.scalar(sa.select(Person.sort_name).where(Person.id == world.persons["Zimmermann"]))
            == "aydin klaus"
        )
    with db.session() as s:  # a Core update (an import, its undo) too
        s.execute(
            sa.update(schema.organisation)
            .where(schema.organisation.c.id == world.organisations["Jugendhaus Ostwind"])
            .values(name="Jugendhaus Süd")
        )
        assert (
            s.scalar(
                sa.select(Organisation.sort_name).where(
                    Organisation.id == world.organisations["Jugendhaus Ostwind"]
                )
            )
            == "jugendhaus sud"
        )
    with db.session() as s:  # a Core bulk insert gets its key too
        s.execute(sa.insert(schema.organisation), [{"name": "Über den Tellerrand e. V.", "sort_name": ""}])
        assert (
            s.scalar(
                sa.select(Organisation.sort_name).where(Organisation.name == "Über den Tellerrand e. V.")
            )
            == "uber den tellerrand e. v."
        )


# --- every consumer of the person order ------------------------------------------------------------------------


def _window_person_list(db: Database, world: World) -> list[int]:
    with db.read_connection() as conn:
        return lists.PersonList().ids(conn)


def _registry_export(db: Database, world: World) -> list[int]:
    with db.read_session() as s:
        return [int(r[0]) for r in exporter.person_rows(s)]  # type: ignore[arg-type]


def _organisation_contacts(db: Database, world: World) -> list[int]:
    with db.read_session() as s:
        return [c.person_id for c in lists.organisation_contacts(s, world.council)]


def _saved_filter_invite(db: Database, world: World) -> list[int]:
    with db.read_session() as s:
        return registry_filters.filter_person_ids(s, facets.RegistryFilter())


def _privacy_review(db: Database, world: World) -> list[int]:
    with db.read_session() as s:
        return [r.person_id for r in review.review(s, years=3, today=TODAY)]


PERSON_CONSUMERS: list[object] = [
    pytest.param(_window_person_list, id="window-person-list"),
    pytest.param(_registry_export, id="registry-export"),
    pytest.param(_organisation_contacts, id="organisation-contacts"),
    pytest.param(_saved_filter_invite, id="saved-filter-invite"),
    pytest.param(_privacy_review, id="privacy-review"),
]


@pytest.mark.parametrize("consumer", PERSON_CONSUMERS)
def test_every_person_list_is_in_the_filing_order(
    db: Database, world: World, consumer: Callable[[Database, World], list[int]]
) -> None:
    in_order(consumer(db, world), expected_persons(world), at_least=len(PERSONS))


# --- every consumer of the invitee order -----------------------------------------------------------------------


def _invitation_export(db: Database, world: World) -> list[int]:
    with db.read_session() as s:
        return [d["invitation"].id for d in exporter.invitation_rows(s, YEAR)]


def _attendee_export(db: Database, world: World) -> list[int]:
    with db.read_session() as s:
        sheet = exporter.attendee_sheet(s, YEAR, frozenset(InvitationStatus))
    by_name = _invitations_by(world, lambda last, first, prefix, title: (first, names.surname(prefix, last)))
    return [by_name[(row[3], row[4])] for row in sheet.rows if row[4]]  # type: ignore[index]


def _window_invitation_list(db: Database, world: World) -> list[int]:
    with db.read_connection() as conn:
        conf = conn.execute(sa.select(schema.conference.c.id)).scalar_one()
        return invitation_lists.InvitationList(conf).ids(conn)


def _template_editor_sample(db: Database, world: World) -> list[int]:
    from konferenz.letters.reads import sample_recipients

    with db.read_session() as s:
        conf = s.scalar(sa.select(Conference.id))
        assert conf is not None
        return [inv_id for _name, inv_id in sample_recipients(s, conf)]


def _letters(db: Database, world: World) -> list[int]:
    return [c.invitation_id for c in content.letter_contents(db, YEAR, today=TODAY) if c.invitation_id]


def _labels(db: Database, world: World) -> list[int]:
    by_line = _invitations_by(
        world, lambda last, first, prefix, title: names.name_line(_gender(last), title, first, prefix, last)
    )
    org_only = {who: inv for inv, who in world.invitations.items() if isinstance(who, str)}
    found = []
    for lines in sheets.label_addresses(db, YEAR):
        hit = next((by_line[line] for line in lines if line in by_line), None)
        found.append(hit if hit is not None else org_only[lines[0]])
    return found


def _badges(db: Database, world: World) -> list[int]:
    by_name = _invitations_by(
        world, lambda last, first, prefix, title: names.name_with_title(title, first, prefix, last)
    )
    return [by_name[a.name] for a in sheets.badge_entries(db, YEAR) if a.name]


def _signin_sheet(db: Database, world: World) -> list[int]:
    by_name = _invitations_by(
        world, lambda last, first, prefix, title: names.name_with_title(title, first, prefix, last)
    )
    return [by_name[a.name] for a in sheets.signin_sheet(db, YEAR).rows if a.name]


def _gender(last: str) -> Gender:
    return next(g for la, _f, _p, _t, g in PERSONS if la == last)


def _invitations_by(world: World, form: Callable[[str, str, str, str], object]) -> dict[object, int]:
    inv_of = {who: inv for inv, who in world.invitations.items()}
    return {
        form(last, first, prefix, title): inv_of[world.persons[last]]
        for last, first, prefix, title, _g in PERSONS
    }


INVITEE_CONSUMERS: list[object] = [
    pytest.param(_invitation_export, id="invitation-export"),
    pytest.param(_attendee_export, id="attendee-export"),
    pytest.param(_template_editor_sample, id="template-editor-sample"),
    pytest.param(_window_invitation_list, id="window-invitation-list"),
    pytest.param(_letters, id="letters"),
    pytest.param(_labels, id="labels"),
    pytest.param(_badges, id="badges"),
    pytest.param(_signin_sheet, id="sign-in-sheet"),
]


@pytest.mark.parametrize("consumer", INVITEE_CONSUMERS)
def test_every_invitee_list_is_in_the_filing_order(
    db: Database, world: World, consumer: Callable[[Database, World], list[int]]
) -> None:
    in_order(consumer(db, world), expected_invitations(world), at_least=5)


# --- every consumer of the organisation order ------------------------------------------------------------------


def _organisation_export(db: Database, world: World) -> list[int]:
    with db.read_session() as s:
        return [int(r[0]) for r in exporter.organisation_rows(s)]  # type: ignore[arg-type]


def _window_organisation_list(db: Database, world: World) -> list[int]:
    with db.read_connection() as conn:
        return lists.OrganisationList().ids(conn)


def _organisation_choices(db: Database, world: World) -> list[int]:
    with db.read_session() as s:
        return [oid for oid, _name in lists.organisation_choices(s)]


def _organisation_filter(db: Database, world: World) -> list[int]:
    with db.read_session() as s:
        return registry_filters.filter_organisation_ids(s, facets.RegistryFilter(kind="organisations"))


ORGANISATION_CONSUMERS: list[object] = [
    pytest.param(_organisation_export, id="organisation-export"),
    pytest.param(_window_organisation_list, id="window-organisation-list"),
    pytest.param(_organisation_choices, id="organisation-choices"),
    pytest.param(_organisation_filter, id="saved-filter-organisations"),
]


@pytest.mark.parametrize("consumer", ORGANISATION_CONSUMERS)
def test_every_organisation_list_is_in_the_filing_order(
    db: Database, world: World, consumer: Callable[[Database, World], list[int]]
) -> None:
    in_order(consumer(db, world), expected_organisations(world), at_least=len(ORGANISATIONS))


# --- counted under: statistics = invitation export --------------------------------------------------------------


def _export_counts(db: Database) -> tuple[Counter[str], Counter[str]]:
    with db.read_session() as s:
        rows = exporter.invitation_rows(s, YEAR)
    sent = [d for d in rows if d["invitation"].status in InvitationStatus.sent()]
    return (
        Counter(d["category"] or statistics.NO_CATEGORY for d in sent),
        Counter(d["municipality"] or statistics.OUTSIDE for d in sent),
    )


def test_the_export_counts_under_own_else_invited_for_else_primary_organisation(
    db: Database, world: World
) -> None:
    by_category, by_municipality = _export_counts(db)
    with db.read_session() as s:
        rows = {d["invitation"].person_id: d for d in exporter.invitation_rows(s, YEAR)}
    # Zimmermann (n=1) is invited without an organisation: counted under the primary one
    # (Ökumenisches Netzwerk: Wohlfahrtsverband, Borken)
    zimmermann = rows[world.persons["Zimmermann"]]
    assert (zimmermann["category"], zimmermann["municipality"]) == ("Wohlfahrtsverband", "Borken")
    weiss = rows[world.persons["Weiß"]]  # own category and municipality win
    assert (weiss["category"], weiss["municipality"]) == ("Politik", "Bocholt")
    # Vries (n=6) is invited for the Integrationsrat (Politik, Borken), his primary organisation is
    # Zentrum für Integration (MSO, no municipality)
    vries = rows[world.persons["Vries"]]
    assert (vries["category"], vries["municipality"]) == ("Politik", "Bocholt")
    assert sum(by_category.values()) == sum(by_municipality.values()) == len(world.invitations)


def test_statistics_equal_the_invitation_export(db: Database, world: World) -> None:
    by_category, by_municipality = _export_counts(db)
    with db.read_session() as s:
        stats = statistics.conference_stats(s, YEAR)
    assert {r.name: r.invited for r in stats.by_category if r.invited} == dict(by_category)
    assert {r.name: r.invited for r in stats.by_municipality if r.invited} == dict(by_municipality)


# --- status groups ----------------------------------------------------------------------------------------------


def test_status_groups_are_named_and_consistent() -> None:
    st = InvitationStatus
    assert st.expected() < st.seated() < st.said_yes() < st.replied() < st.sent()
    assert st.reply_choices() < st.replied()
    assert st.awaiting_reply() == st.sent() - st.replied()
    assert st.attended() == {st.ATTENDED} and st.attended() < st.seated()
    assert st.PLANNED not in st.sent()


def test_no_module_keeps_its_own_status_set() -> None:
    """Status sets are spelled out only in konferenz/enums.py; everyone else names a group."""
    root = Path(__file__).resolve().parents[2]
    spelled = re.compile(r"frozenset\(\s*\{\s*InvitationStatus\.|in_\(\s*\[\s*InvitationStatus\.")
    copies = [
        str(path.relative_to(root))
        for folder in ("konferenz", "ui")
        for path in sorted((root / folder).rglob("*.py"))
        if path.name != "enums.py" and spelled.search(path.read_text(encoding="utf-8"))
    ]
    assert copies == []


# --- names ------------------------------------------------------------------------------------------------------


def test_name_forms() -> None:
    assert names.list_name("de", "Vries", "Jan", "Dr.") == "de Vries, Dr. Jan"
    assert names.list_name("", "Çelik", "", "") == "Çelik"
    assert names.invitee_name(None, None, None, None, "Caritas") == "Caritas"
    assert names.name_with_title("Prof. Dr.", "Mohammed", "", "Al-Hassan") == "Prof. Dr. Mohammed Al-Hassan"
    assert names.name_line(Gender.MALE, "", "Karl", "von", "Stein") == "Herrn Karl von Stein"
    assert names.name_line(Gender.DIVERSE, "", "Kim", "", "Lee") == "Kim Lee"
    assert names.record_name("", " ", "", "", 17) == "Person Nr. 17"
    assert names.surname("van der", "Berg") == "van der Berg"


def test_every_name_form_agrees_with_konferenz_names() -> None:
    from konferenz.registry.addressing import Addressee
    from konferenz.storage import recording

    for last, first, prefix, title, gender in PERSONS:
        person = Person(last_name=last, first_name=first, name_prefix=prefix, title=title, gender=gender)
        row = {"id": 1, "title": title, "first_name": first, "name_prefix": prefix, "last_name": last}
        addressee = Addressee.from_rows(person, None)
        assert addressee.surname == names.surname(prefix, last)
        assert addressee.name_with_title == names.name_with_title(title, first, prefix, last)
        assert addressee.name_line == names.name_line(gender, title, first, prefix, last)
        assert addressee.full_name == names.full_name(first, prefix, last)
        assert recording.person_display_name(row) == names.record_name(title, first, prefix, last, 1)


def test_every_name_consumer_shows_the_konferenz_names_form(db: Database, world: World) -> None:
    """The lists, the check-in, the invitation details, the contacts, the audit trail, the privacy review
    and the minutes letter name every person of ``PERSONS`` as ``konferenz.names`` does."""
    from konferenz.storage.models import Recommendation
    from konferenz.storage.recording import Names

    parts = {world.persons[last]: (last, first, prefix, title) for last, first, prefix, title, _ in PERSONS}
    with db.session() as s:
        conf = s.scalars(sa.select(Conference).where(Conference.year == YEAR)).one()
        for pid in parts:
            s.add(Recommendation(conference_id=conf.id, text=f"Empfehlung {pid}", responsible_person_id=pid))
        s.flush()
        _minutes, recommendations = content._minutes_context(s, conf)
        responsible = [r["responsible"] for r in recommendations]
    assert responsible == [names.full_name(first, prefix, last) for last, first, prefix, _ in parts.values()]
    with db.read_session() as s:
        person_rows = lists.PersonList().rows(s, list(parts))
        contacts = {c.person_id: c.name for c in lists.organisation_contacts(s, world.council)}
        invitation_rows = invitation_lists.InvitationList(conf.id).rows(s, list(world.invitations))
        check_in_rows = invitation_lists.CheckInList(conf.id).rows(s, list(world.invitations))
        invitees = invitation_lists.invitee_names(s, list(world.invitations))
        details = {inv: invitation_lists.invitation_details(s, inv) for inv in world.invitations}
        recorded = {pid: Names(s).name("person", pid) for pid in parts}
        reviewed = {r.person_id: r.name for r in review.review(s, years=3, today=TODAY)}
    for pid, (last, first, prefix, title) in parts.items():
        assert person_rows[pid][0] == names.surname(prefix, last)
        assert contacts[pid] == names.name_with_title(title, first, prefix, last)
        assert recorded[pid] == names.record_name(title, first, prefix, last, pid)
        assert reviewed[pid] == names.list_name(prefix, last, first, title)
    for inv, who in world.invitations.items():
        if isinstance(who, str):
            expected = names.invitee_name(None, None, None, None, who)
        else:
            last, first, prefix, title = parts[who]
            expected = names.invitee_name(prefix, last, first, title, None)
        assert invitation_rows[inv][0] == check_in_rows[inv][0] == invitees[inv] == expected
        detail = details[inv]
        assert detail is not None and detail.name == expected


# --- one order on every backend: SQLite file and, after migrate-to, the server ---------------------------------


def test_registry_export_is_equal_row_for_row_after_migrate_to(db_url: str, tmp_path: Path) -> None:
    source = open_database(tmp_path / "quelle.sqlite")
    world = build(source)
    target = open_database(db_url)
    try:
        transfer.copy_database(source, target)
        with source.read_session() as s:
            before = exporter.registry_sheets(s)
            invitations_before = exporter.invitation_sheet(s, YEAR)
        with target.read_session() as s:
            after = exporter.registry_sheets(s)
            invitations_after = exporter.invitation_sheet(s, YEAR)
        for old, new in zip(before, after, strict=True):
            assert list(old.rows) == list(new.rows)
        assert list(invitations_before.rows) == list(invitations_after.rows)
        assert [r[0] for r in before[0].rows] == expected_persons(world)
    finally:
        target.dispose()
        source.dispose()


def test_fold_is_the_filing_fold() -> None:
    """The filing key is ``fold`` of the name (so the search key and the sort key cannot drift apart)."""
    assert person_sort_name("Weiß", "Anna") == f"{fold('Weiss')} {fold('Anna')}"
