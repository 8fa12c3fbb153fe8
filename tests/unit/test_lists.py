"""The list queries behind the window's tables (konferenz.lists), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa

from konferenz.enums import AgendaItemType, InvitationStatus, RecommendationStatus
from konferenz.lists import conferences as lists_conferences
from konferenz.lists import source as lists_source
from konferenz.lists.conferences import AgendaList, ConferenceList, MinutesList, RecommendationList
from konferenz.lists.registry import OrganisationList, PersonList
from konferenz.lists.source import ListSource
from konferenz.storage.db import Database
from konferenz.storage.models import (
    AgendaItem,
    Category,
    Conference,
    Forum,
    Invitation,
    MinutesEntry,
    Municipality,
    Organisation,
    Person,
    Recommendation,
    RecommendationUpdate,
    Role,
)
from konferenz.text import search_text


@dataclass
class Sample:
    persons: dict[str, int] = field(default_factory=dict)  # last name → id
    organisations: dict[str, int] = field(default_factory=dict)
    conferences: dict[int, int] = field(default_factory=dict)  # year → id
    agenda: dict[str, int] = field(default_factory=dict)  # title → id
    minutes: list[int] = field(default_factory=list)
    recommendations: dict[str, int] = field(default_factory=dict)


def _person(session, *, last, first="", prefix="", title="", email="", city="", function="", mun=None):
    person = Person(
        last_name=last,
        first_name=first,
        name_prefix=prefix,
        title=title,
        email=email,
        city=city,
        function=function,
        municipality=mun,
        search_text=search_text(title, first, prefix, last, email, city, function),
    )
    session.add(person)
    return person


def build_sample(database: Database) -> Sample:
    """A small register and two conferences with everything the lists show."""
    s = Sample()
    with database.session() as session:
        mun = {m.name: m for m in session.scalars(sa.select(Municipality))}
        cat = {c.name: c for c in session.scalars(sa.select(Category))}
        tig = Organisation(
            name="Türkisch-Islamische Gemeinde Borken",
            category=cat["Migrantenselbstorganisation"],
            municipality=mun["Borken"],
            city="Borken",
            email="info@tig-borken.de",
            search_text=search_text("Türkisch-Islamische Gemeinde Borken", "Borken"),
        )
        caritas = Organisation(
            name="Caritasverband für das Dekanat Borken",
            department="Fachdienst Integration",
            category=cat["Wohlfahrtsverband"],
            municipality=mun["Bocholt"],
            city="Bocholt",
            phone="02871 2513-0",
            search_text=search_text("Caritasverband für das Dekanat Borken", "Fachdienst Integration"),
        )
        jobcenter = Organisation(name="Jobcenter Kreis Borken", search_text=search_text("Jobcenter"))
        session.add_all([tig, caritas, jobcenter])
        people = {
            "Öztürk": _person(session, last="Öztürk", first="Ayşe", city="Borken", mun=mun["Borken"]),
            "Müller": _person(
                session, last="Müller", first="Hans", title="Dr.", email="h.mueller@caritas-borken.de"
            ),
            "Çelik": _person(session, last="Çelik", first="Mehmet", function="Vorsitzender"),
            "Vries": _person(session, last="Vries", first="Anke", prefix="de", city="Gronau (Westf.)"),
            "Zimmermann": _person(session, last="Zimmermann", first="Petra"),
            "Oberhofer": _person(session, last="Oberhofer", first="Klaus"),
            "Peters": _person(session, last="Peters", first="Jana"),
            "al-Hassan": _person(session, last="al-Hassan", first="Mohammed", title="Prof. Dr."),
            "Şahin": _person(session, last="Şahin", first="Emre"),
            "Иванов": _person(session, last="Иванов", first="Олег"),
        }
        session.flush()
        session.add_all(
            [
                Role(
                    person=people["Öztürk"], organisation=tig, function="Integrationslotsin", is_primary=True
                ),
                Role(
                    person=people["Müller"], organisation=caritas, function="Geschäftsführer", is_primary=True
                ),
                Role(person=people["Müller"], organisation=jobcenter, function="Beirat"),
                Role(person=people["Çelik"], organisation=tig, is_primary=True),
            ]
        )
        s.persons = {name: p.id for name, p in people.items()}
        s.organisations = {o.name: o.id for o in (tig, caritas, jobcenter)}

        old = Conference(year=2024, title="Vielfalt gestalten", date=dt.date(2024, 9, 12), venue_name="")
        new = Conference(
            year=2025,
            title="Teilhabe vor Ort",
            date=dt.date(2025, 9, 18),
            venue_name="Kreishaus Borken",
            venue_city="Borken",
            capacity=1200,
        )
        session.add_all([old, new])
        session.flush()
        s.conferences = {2024: old.id, 2025: new.id}
        agenda = [
            AgendaItem(
                conference=new,
                position=1,
                start_time=dt.time(9, 30),
                duration_minutes=15,
                title="Begrüßung durch den Landrat",
                item_type=AgendaItemType.WELCOME,
                room="Saal",
            ),
            AgendaItem(
                conference=new,
                position=2,
                start_time=dt.time(9, 45),
                duration_minutes=45,
                title="Teilhabe in der Einwanderungsgesellschaft",
                item_type=AgendaItemType.TALK,
                speakers="Prof. Dr. Mohammed al-Hassan",
                moderation="Ayşe Öztürk",
                room="Saal",
            ),
            AgendaItem(
                conference=new,
                position=3,
                start_time=dt.time(10, 30),
                duration_minutes=90,
                title="Forenphase",
                item_type=AgendaItemType.FORUM_PHASE,
            ),
            AgendaItem(conference=new, position=4, title="Abschluss", item_type=AgendaItemType.CLOSING),
            AgendaItem(conference=old, position=1, title="Begrüßung 2024", item_type=AgendaItemType.WELCOME),
        ]
        session.add_all(agenda)
        session.flush()
        s.agenda = {a.title: a.id for a in agenda}
        forum_a = Forum(conference=new, agenda_item=agenda[2], sort_order=1, title="Schule und Ausbildung")
        forum_b = Forum(conference=new, agenda_item=agenda[2], sort_order=2, title="Arbeit")
        session.add_all([forum_a, forum_b])
        minutes = [
            MinutesEntry(
                conference_id=new.id,
                forum=forum_b,
                results="Sprachkurse\nmit Kinderbetreuung",
                rapporteur="B",
            ),
            MinutesEntry(
                conference_id=new.id, agenda_item=agenda[1], results="Vortrag diskutiert", rapporteur="A"
            ),
            MinutesEntry(conference_id=new.id, forum=forum_a, notes="nur Notizen", rapporteur="Çelik"),
            MinutesEntry(conference_id=old.id, agenda_item=agenda[4], results="alt"),
        ]
        session.add_all(minutes)
        session.flush()
        s.minutes = [m.id for m in minutes]

        statuses = [
            (InvitationStatus.PLANNED, people["Peters"]),
            (InvitationStatus.INVITED, people["Zimmermann"]),
            (InvitationStatus.DECLINED, people["Oberhofer"]),
            (InvitationStatus.ACCEPTED, people["Öztürk"]),
            (InvitationStatus.SUBSTITUTED, people["Çelik"]),
            (InvitationStatus.ATTENDED, people["Müller"]),
            (InvitationStatus.NO_SHOW, people["Şahin"]),
        ]
        session.add_all([Invitation(conference=new, person=p, status=st) for st, p in statuses])
        session.add(Invitation(conference=old, organisation=jobcenter, status=InvitationStatus.ATTENDED))

        recs = {
            "Sprachkurse": Recommendation(
                conference=new,
                text="Sprachkurse mit Kinderbetreuung ausbauen",
                responsible_organisation=caritas,
                due_date=dt.date(2026, 6, 30),
                status=RecommendationStatus.IN_PROGRESS,
            ),
            "Lotsen": Recommendation(
                conference=new,
                text="Integrationslotsen in jeder Kommune",
                responsible_person=people["Öztürk"],
                status=RecommendationStatus.OPEN,
            ),
            "Schule": Recommendation(
                conference=old,
                text="Elternarbeit an Schulen stärken",
                responsible_text="Schulamt für den Kreis Borken",
                status=RecommendationStatus.DONE,
                due_date=dt.date(2025, 3, 1),
            ),
        }
        session.add_all(recs.values())
        session.flush()
        s.recommendations = {k: r.id for k, r in recs.items()}
        session.add_all(
            [
                RecommendationUpdate(
                    recommendation=recs["Schule"],
                    date=dt.date(2024, 11, 5),
                    status=RecommendationStatus.IN_PROGRESS,
                    note="Gespräch mit dem Schulamt",
                ),
                RecommendationUpdate(
                    recommendation=recs["Schule"],
                    date=dt.date(2025, 2, 20),
                    status=RecommendationStatus.DONE,
                    note="Elterncafés an\n drei Schulen",
                ),
                RecommendationUpdate(
                    recommendation=recs["Sprachkurse"],
                    date=dt.date(2025, 10, 1),
                    status=RecommendationStatus.IN_PROGRESS,
                ),
            ]
        )
    return s


@pytest.fixture
def sample(db: Database) -> Sample:
    return build_sample(db)


def _names(db: Database, ids: list[int]) -> list[str]:
    with db.read_session() as session:
        rows = PersonList().rows(session, ids)
    return [str(rows[i][0]) for i in ids]


def _ids(db: Database, source: ListSource, **kwargs) -> list[int]:
    with db.read_session() as session:
        return source.ids(session, **kwargs)


def _rows(db: Database, source: ListSource, ids: list[int]) -> list[tuple[object, ...]]:
    with db.read_session() as session:
        rows = source.rows(session, ids)
    return [rows[i] for i in ids]


# --- formatting --------------------------------------------------------------------------------------


def test_german_formats() -> None:
    assert lists_source.format_date(dt.date(2025, 3, 7)) == "07.03.2025"
    assert lists_source.format_date(None) == ""
    assert lists_source.format_time(dt.time(9, 5)) == "09:05"
    assert lists_source.format_count(10_000) == "10.000"
    assert lists_source.format_count(1_234_567) == "1.234.567"
    assert lists_source.format_count(58) == "58"
    assert lists_source.search_tokens("  Öztürk   AYŞE ") == ["ozturk", "ayse"]


# --- persons -----------------------------------------------------------------------------------------


def test_person_default_order_is_german_and_case_insensitive(db: Database, sample: Sample) -> None:
    names = _names(db, _ids(db, PersonList()))
    assert names == [
        "al-Hassan",
        "Çelik",
        "Müller",
        "Oberhofer",
        "Öztürk",
        "Peters",
        "Şahin",
        "de Vries",
        "Zimmermann",
        "Иванов",
    ]
    assert _ids(db, PersonList(), sort_key="name") == _ids(db, PersonList())


def test_descending_is_the_exact_reverse(db: Database, sample: Sample) -> None:
    ascending = _ids(db, PersonList(), sort_key="name")
    assert _ids(db, PersonList(), sort_key="name", descending=True) == ascending[::-1]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("ozturk", {"Öztürk"}),
        ("Oeztuerk", {"Öztürk"}),
        ("ÖZTÜRK", {"Öztürk"}),
        ("ayse ozt", {"Öztürk"}),
        ("ozturk mueller", set()),
        ("celik", {"Çelik"}),
        ("dr.", {"Müller", "al-Hassan"}),
        ("caritas-borken.de", {"Müller"}),
        ("иван", {"Иванов"}),
        ("%", set()),
        ("_", set()),
        ("", None),
    ],
)
def test_person_search(db: Database, sample: Sample, search: str, expected: set[str] | None) -> None:
    ids = _ids(db, PersonList(), search=search)
    found = {name for name, pid in sample.persons.items() if pid in ids}
    assert found == (set(sample.persons) if expected is None else expected)


def test_search_keeps_the_sort_order(db: Database, sample: Sample) -> None:
    ids = _ids(db, PersonList(), search="e", sort_key="name", descending=True)
    everyone = _ids(db, PersonList(), sort_key="name", descending=True)
    assert len(ids) >= 3
    assert ids == [i for i in everyone if i in ids]


def test_person_rows(db: Database, sample: Sample) -> None:
    p = sample.persons
    rows = dict(
        zip(
            ["Öztürk", "Müller", "Çelik", "Vries"],
            _rows(db, PersonList(), [p["Öztürk"], p["Müller"], p["Çelik"], p["Vries"]]),
            strict=True,
        )
    )
    assert rows["Öztürk"] == (
        "Öztürk",
        "Ayşe",
        "",
        "Türkisch-Islamische Gemeinde Borken",
        "Integrationslotsin",
        "Borken",
        "Borken",
        "",
        "",
    )
    # the primary role's organisation, not the second one
    assert rows["Müller"][3] == "Caritasverband für das Dekanat Borken"
    assert rows["Müller"][4] == "Geschäftsführer"
    # a role without function falls back to the person's own function
    assert rows["Çelik"][4] == "Vorsitzender"
    assert rows["Vries"][:2] == ("de Vries", "Anke")
    with db.read_session() as session:
        assert PersonList().rows(session, []) == {}
        assert PersonList().rows(session, [999_999]) == {}
        assert PersonList().count(session) == len(sample.persons)


def test_person_sort_by_organisation_puts_persons_without_one_last(db: Database, sample: Sample) -> None:
    ids = _ids(db, PersonList(), sort_key="organisation")
    orgs = [row[3] for row in _rows(db, PersonList(), ids)]
    assert orgs[:3] == [
        "Caritasverband für das Dekanat Borken",
        "Türkisch-Islamische Gemeinde Borken",
        "Türkisch-Islamische Gemeinde Borken",
    ]
    assert set(orgs[3:]) == {""}
    # empty values stay last when the direction is reversed
    desc = [
        row[3]
        for row in _rows(db, PersonList(), _ids(db, PersonList(), sort_key="organisation", descending=True))
    ]
    assert desc[:3] == orgs[2::-1]
    assert set(desc[3:]) == {""}


def test_person_with_two_primary_roles_is_listed_once(db: Database, sample: Sample) -> None:
    with db.session() as session:
        session.execute(sa.update(Role).values(is_primary=True))
    for key in (None, "organisation", "function"):
        ids = _ids(db, PersonList(), sort_key=key)
        assert len(ids) == len(set(ids)) == len(sample.persons)
    # the older role wins
    assert (
        _rows(db, PersonList(), [sample.persons["Müller"]])[0][3] == "Caritasverband für das Dekanat Borken"
    )


# --- every list, every column, both directions --------------------------------------------------------


def _sources(sample: Sample) -> list[ListSource]:
    conf = sample.conferences[2025]
    return [
        PersonList(),
        OrganisationList(),
        ConferenceList(),
        AgendaList(conf),
        MinutesList(conf),
        RecommendationList(),
    ]


def test_every_column_sorts_in_both_directions(db: Database, sample: Sample) -> None:
    for source in _sources(sample):
        everything = set(_ids(db, source))
        assert everything, source.name
        for column in source.columns:
            for descending in (False, True):
                ids = _ids(db, source, sort_key=column.key, descending=descending)
                assert len(ids) == len(everything), (source.name, column.key)
                assert set(ids) == everything, (source.name, column.key)
        rows = _rows(db, source, sorted(everything))
        assert all(len(r) == len(source.columns) for r in rows)
        with db.read_session() as session:
            assert source.count(session) == len(everything)


def test_unknown_sort_column_is_an_error(db: Database, sample: Sample) -> None:
    with pytest.raises(KeyError):
        _ids(db, PersonList(), sort_key="shoe_size")


# --- organisations ----------------------------------------------------------------------------------


def test_organisations(db: Database, sample: Sample) -> None:
    source = OrganisationList()
    ids = _ids(db, source)
    rows = _rows(db, source, ids)
    assert [r[0] for r in rows] == [
        "Caritasverband für das Dekanat Borken",
        "Jobcenter Kreis Borken",
        "Türkisch-Islamische Gemeinde Borken",
    ]
    assert rows[0] == (
        "Caritasverband für das Dekanat Borken",
        "Fachdienst Integration",
        "Wohlfahrtsverband",
        "Bocholt",
        "Bocholt",
        "",
        "02871 2513-0",
        1,
    )
    assert rows[2][7] == 2  # two contact persons
    assert _ids(db, source, search="turkisch") == [
        sample.organisations["Türkisch-Islamische Gemeinde Borken"]
    ]
    by_contacts = _rows(db, source, _ids(db, source, sort_key="contacts", descending=True))
    assert [r[7] for r in by_contacts] == [2, 1, 1]


# --- conferences ------------------------------------------------------------------------------------


def test_conferences(db: Database, sample: Sample) -> None:
    source = ConferenceList()
    ids = _ids(db, source)
    assert ids == [sample.conferences[2025], sample.conferences[2024]]
    new, old = _rows(db, source, ids)
    # eingeladen: all but "vorgemerkt"; Zusagen: accepted, substituted, attended, no-show
    assert new == ("2025", "Teilhabe vor Ort", "18.09.2025", "Kreishaus Borken, Borken", 1200, 6, 4, 1)
    assert old == ("2024", "Vielfalt gestalten", "12.09.2024", "", "", 1, 1, 1)
    assert _ids(db, source, search="vielfalt") == [sample.conferences[2024]]
    assert _ids(db, source, search="18.09.2025") == [sample.conferences[2025]]
    assert _ids(db, source, sort_key="year") == ids[::-1]
    with db.read_session() as session:
        assert lists_conferences.conference_choices(session) == [
            (sample.conferences[2025], "2025 – Teilhabe vor Ort"),
            (sample.conferences[2024], "2024 – Vielfalt gestalten"),
        ]


# --- programme and minutes -------------------------------------------------------------------------


def test_agenda(db: Database, sample: Sample) -> None:
    source = AgendaList(sample.conferences[2025])
    ids = _ids(db, source)
    rows = _rows(db, source, ids)
    assert [r[2] for r in rows] == [
        "Begrüßung durch den Landrat",
        "Teilhabe in der Einwanderungsgesellschaft",
        "Forenphase",
        "Abschluss",
    ]
    assert rows[1] == (
        "09:45",
        "45 Min.",
        "Teilhabe in der Einwanderungsgesellschaft",
        "Vortrag",
        "Saal",
        "Prof. Dr. Mohammed al-Hassan; Moderation: Ayşe Öztürk",
    )
    assert rows[3][:2] == ("", "")
    # searching finds German labels and folded names
    assert _ids(db, source, search="vortrag") == [sample.agenda["Teilhabe in der Einwanderungsgesellschaft"]]
    assert _ids(db, source, search="ozturk") == [sample.agenda["Teilhabe in der Einwanderungsgesellschaft"]]
    # sorting by start time puts the item without a time last
    by_start = _rows(db, source, _ids(db, source, sort_key="start", descending=True))
    assert [r[0] for r in by_start] == ["10:30", "09:45", "09:30", ""]
    by_type = _rows(db, source, _ids(db, source, sort_key="type"))
    assert [r[3] for r in by_type] == ["Abschluss", "Begrüßung", "Forenphase", "Vortrag"]
    assert _ids(db, AgendaList(None)) == []
    assert AgendaList(1) == AgendaList(1) != MinutesList(1)


def test_minutes(db: Database, sample: Sample) -> None:
    source = MinutesList(sample.conferences[2025])
    rows = _rows(db, source, _ids(db, source))
    assert rows == [
        ("Teilhabe in der Einwanderungsgesellschaft", "Vortrag diskutiert", "A"),
        ("Forum: Schule und Ausbildung", "nur Notizen", "Çelik"),
        ("Forum: Arbeit", "Sprachkurse mit Kinderbetreuung", "B"),
    ]
    assert len(_ids(db, source, search="forum")) == 2
    by_item = _rows(db, source, _ids(db, source, sort_key="item"))
    assert [r[0] for r in by_item] == [
        "Forum: Arbeit",
        "Forum: Schule und Ausbildung",
        "Teilhabe in der Einwanderungsgesellschaft",
    ]


def test_forum_titles_are_not_prefixed_twice(db: Database, sample: Sample) -> None:
    conference = sample.conferences[2025]
    with db.session() as session:
        forum = Forum(conference_id=conference, sort_order=3, title="Forum 3: Gesundheit")
        session.add(forum)
        session.flush()
        session.add(MinutesEntry(conference_id=conference, forum_id=forum.id, results="Lotsen"))
    source = MinutesList(conference)
    assert [r[0] for r in _rows(db, source, _ids(db, source, search="gesundheit"))] == ["Forum 3: Gesundheit"]


def test_newest_conference_with_minutes(db: Database, sample: Sample) -> None:
    with db.session() as session:
        session.add(Conference(year=2026, title="In Planung"))
    with db.read_session() as session:
        assert lists_conferences.newest_conference_with_minutes(session) == sample.conferences[2025]
        session.execute(sa.delete(MinutesEntry))
        assert lists_conferences.newest_conference_with_minutes(session) is None


# --- recommendations --------------------------------------------------------------------------------


def test_recommendations(db: Database, sample: Sample) -> None:
    source = RecommendationList()
    ids = _ids(db, source)
    r = sample.recommendations
    assert ids[2] == r["Schule"]  # newest conference first
    rows = dict(zip(ids, _rows(db, source, ids), strict=True))
    assert rows[r["Schule"]] == (
        "2024",
        "Elternarbeit an Schulen stärken",
        "Schulamt für den Kreis Borken",
        "01.03.2025",
        "umgesetzt",
        "20.02.2025: Elterncafés an drei Schulen",
    )
    assert rows[r["Sprachkurse"]][2] == "Caritasverband für das Dekanat Borken"
    assert rows[r["Sprachkurse"]][4:] == ("in Arbeit", "01.10.2025: in Arbeit")
    assert rows[r["Lotsen"]][2:] == ("Ayşe Öztürk", "", "offen", "")
    # status sorts in workflow order, not alphabetically
    assert _ids(db, source, sort_key="status") == [r["Lotsen"], r["Sprachkurse"], r["Schule"]]
    assert _ids(db, source, sort_key="last_note", descending=True) == [
        r["Sprachkurse"],
        r["Schule"],
        r["Lotsen"],
    ]
    assert _ids(db, source, search="schulamt") == [r["Schule"]]
    assert _ids(db, source, search="ozturk offen") == [r["Lotsen"]]
