"""The address lists of the Adressen area: the stored sort key (migration 0003) and the filters
(category, municipality, tag) of ``PersonList`` / ``OrganisationList``, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa

from konferenz.enums import InvitationStatus
from konferenz.lists.facets import RegistryFilter
from konferenz.lists.registry import (
    OrganisationList,
    PersonList,
    category_choices,
    municipality_choices,
    organisation_choices,
    organisation_contacts,
    tag_choices,
)
from konferenz.privacy.erasure import erase_person
from konferenz.registry import filters, organisations, persons
from konferenz.registry.validation import OrganisationData, PersonData, RoleData
from konferenz.sorting import person_sort_name
from konferenz.storage import migrations
from konferenz.storage.db import Database, open_database
from konferenz.storage.models import Conference, Invitation, Person


def _sort_names(db: Database) -> dict[int, str]:
    with db.read_session() as s:
        return dict(s.execute(sa.select(Person.id, Person.sort_name)).all())


def test_sort_key_rule() -> None:
    assert person_sort_name("Öztürk", "Ayşe") == "ozturk ayse"
    assert person_sort_name("Oeztuerk", "Ayse") == "ozturk ayse"
    assert person_sort_name("Li", "") == "li"
    assert person_sort_name("Li", "") < person_sort_name("Li", "Anna") < person_sort_name("Lia", "Anna")
    assert person_sort_name("Иванова", "Ольга") == "иванова ольга"
    assert len(person_sort_name("ß" * 100, "x" * 100)) <= 400


def test_sort_key_is_kept_current_by_every_writer(db: Database) -> None:
    # services (ORM)
    pid = persons.create_person(db, PersonData(first_name="Ayşe", last_name="Öztürk"))
    assert _sort_names(db)[pid] == "ozturk ayse"
    record = persons.get_person(db, pid)
    record.data.last_name = "Yılmaz"
    persons.update_person(db, pid, record.data, record.version)
    assert _sort_names(db)[pid] == "yilmaz ayse"
    # Core bulk inserts as the demo data and the import write them (a template with an empty key)
    with db.session() as s:
        s.execute(
            sa.insert(Person),
            [
                {"last_name": "Çelik", "first_name": "Mehmet", "sort_name": ""},
                {"last_name": "Şahin", "first_name": "Emre", "sort_name": None},
                {"last_name": "Ng", "first_name": "Anh"},
            ],
        )
    keys = set(_sort_names(db).values())
    assert {"celik mehmet", "sahin emre", "ng anh"} <= keys
    # erasure (Art. 17 DSGVO) leaves no name in the key
    erase_person(db, pid, "Antrag vom 03.11.2026")
    assert _sort_names(db)[pid] == "anonymisiert"
    # undo of a delete puts the key back with the row
    other = persons.create_person(db, PersonData(first_name="Olga", last_name="Иванова"))
    snap = persons.delete_person(db, other)
    persons.restore_person(db, snap)
    assert _sort_names(db)[other] == "иванова olga"


def test_migration_0003_fills_the_key_of_existing_persons(db_url: str) -> None:
    database = open_database(db_url)
    try:
        with database.session() as s:
            s.add(Person(last_name="Müller", first_name="Hans"))
        migrations.downgrade(database.engine, "0002")
        with database.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO person (last_name, first_name, gender, title, name_prefix, "
                    "custom_salutation, function, mobile, notes, legal_basis, search_text, version, "
                    "street, po_box, postal_code, city, country, email, phone, created_at, updated_at) "
                    "VALUES ('Öztürk', 'Ayşe', 'female', '', '', '', '', '', '', 'public_task', '', 1, "
                    "'', '', '', '', '', '', '', '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
                )
            )
        migrations.upgrade(database.engine)
        assert sorted(_sort_names(database).values()) == ["muller hans", "ozturk ayse"]
        with database.engine.connect() as conn:
            indexes = {ix["name"] for ix in sa.inspect(conn).get_indexes("person")}
        expected = "ix_person_sort_search" if database.backend == "sqlite" else "ix_person_sort_name"
        assert expected in indexes
    finally:
        database.dispose()


def test_default_order_uses_the_folded_names(db: Database) -> None:
    for last, first in (
        ("Zimmermann", "Petra"),
        ("Öztürk", "Ayşe"),
        ("Oberhofer", "Klaus"),
        ("ozturk", "Zeynep"),
        ("Peters", "Jana"),
        ("al-Hassan", "Mohammed"),
        ("Vries", "Anke"),
        ("Müller", "Hans"),
        ("Mueller", "Anna"),
    ):
        persons.create_person(db, PersonData(first_name=first, last_name=last))
    with db.read_session() as s:
        ids = PersonList().ids(s)
        rows = PersonList().rows(s, ids)
        names = [f"{rows[i][0]}, {rows[i][1]}" for i in ids]
        backwards = PersonList().ids(s, sort_key="name", descending=True)
    assert names == [
        "al-Hassan, Mohammed",
        "Mueller, Anna",
        "Müller, Hans",
        "Oberhofer, Klaus",
        "Öztürk, Ayşe",
        "ozturk, Zeynep",
        "Peters, Jana",
        "Vries, Anke",
        "Zimmermann, Petra",
    ]
    assert backwards == list(reversed(ids))


@pytest.fixture
def registry_sample(db: Database) -> dict[str, int]:
    """Persons and organisations with categories, municipalities (own or the organisation's), tags."""
    with db.read_session() as s:
        cats = {name: cid for cid, name in category_choices(s)}
    ids: dict[str, int] = {}
    ids["mso"] = organisations.create_organisation(
        db,
        OrganisationData(
            name="Türkisch-Islamische Gemeinde Bocholt",
            category_id=cats["Migrantenselbstorganisation"],
            postal_code="46395",
            tags=["Presse"],
        ),
    )
    ids["awo"] = organisations.create_organisation(
        db, OrganisationData(name="AWO Rhede", category_id=cats["Wohlfahrtsverband"], postal_code="46414")
    )
    ids["at_mso"] = persons.create_person(
        db,
        PersonData(
            first_name="Ayşe",
            last_name="Öztürk",
            postal_code="46325",  # lives in Borken, works in Bocholt
            roles=[RoleData(ids["mso"], is_primary=True), RoleData(ids["awo"])],
        ),
    )
    ids["own_category"] = persons.create_person(
        db,
        PersonData(
            first_name="Hans",
            last_name="Müller",
            category_id=cats["Fachleute"],
            roles=[RoleData(ids["mso"], is_primary=True)],
            tags=["Newsletter"],
        ),
    )
    ids["at_awo"] = persons.create_person(
        db, PersonData(first_name="Mehmet", last_name="Çelik", roles=[RoleData(ids["awo"], is_primary=True)])
    )
    ids["alone"] = persons.create_person(
        db, PersonData(first_name="Olga", last_name="Иванова", postal_code="46414", tags=["Presse"])
    )
    ids["erased"] = persons.create_person(
        db,
        PersonData(first_name="Emre", last_name="Şahin", postal_code="46414", category_id=cats["Fachleute"]),
    )
    with db.session() as s:
        conference = Conference(year=2025, title="Teilhabe")
        s.add(conference)
        s.flush()
        s.add(
            Invitation(conference_id=conference.id, person_id=ids["erased"], status=InvitationStatus.ATTENDED)
        )
    erase_person(db, ids["erased"], "Antrag")
    return ids


def test_person_facets_mean_what_the_saved_filters_mean(
    db: Database, registry_sample: dict[str, int]
) -> None:
    with db.read_session() as s:
        cats = [cid for cid, _ in category_choices(s)]
        muns = [mid for mid, _ in municipality_choices(s)]
        tags = [tid for tid, _ in tag_choices(s)]
        facet_values = [
            [(), *((c,) for c in cats[:5]), tuple(cats[1:3])],
            [(), *((m,) for m in muns[:17:3]), tuple(muns[1:3]), tuple(muns)],
            [(), *((t,) for t in tags), tuple(tags)],
        ]
        checked = 0
        for categories, municipalities, tag_ids in itertools.product(*facet_values):
            if not (categories or municipalities or tag_ids):
                continue
            for search in ("", "o"):
                source = PersonList(category_ids=categories, municipality_ids=municipalities, tag_ids=tag_ids)
                listed = source.ids(s, search=search)
                # the facets read once (as a table keeps them while the user types): the same ids, in order
                assert source.ids(s, search=search, within=source.facet_ids(s)) == listed
                expected = filters.filter_person_ids(
                    s, RegistryFilter("persons", search, categories, municipalities, tag_ids)
                )
                assert sorted(listed) == sorted(expected), (categories, municipalities, tag_ids, search)
                assert registry_sample["erased"] not in listed
                checked += 1
        assert checked > 100


def test_person_facets_examples(db: Database, registry_sample: dict[str, int]) -> None:
    ids = registry_sample
    with db.read_session() as s:
        cats = {name: cid for cid, name in category_choices(s)}
        muns = {name: mid for mid, name in municipality_choices(s)}
        tags = {name: tid for tid, name in tag_choices(s)}

        def listed(**facets: list[int]) -> set[int]:
            return set(PersonList(**facets).ids(s))  # type: ignore[arg-type]

        # the organisation's category counts unless the person has an own one
        assert listed(category_ids=[cats["Migrantenselbstorganisation"]]) == {ids["at_mso"]}
        assert listed(category_ids=[cats["Fachleute"]]) == {ids["own_category"]}
        # "alle in Bocholt und Rhede": own municipality or the primary organisation's
        assert listed(municipality_ids=[muns["Bocholt"], muns["Rhede"]]) == {
            ids["at_mso"],
            ids["own_category"],
            ids["at_awo"],
            ids["alone"],
        }
        assert listed(municipality_ids=[muns["Borken"]]) == {ids["at_mso"]}
        assert listed(tag_ids=[tags["Presse"]]) == {ids["at_mso"], ids["own_category"], ids["alone"]}
        assert listed(
            category_ids=[cats["Migrantenselbstorganisation"]], municipality_ids=[muns["Bocholt"]]
        ) == {ids["at_mso"]}
        # without facets the list shows everybody, the anonymised person too (as before)
        assert len(PersonList().ids(s)) == 5
        assert not PersonList().filtered and PersonList(tag_ids=[1]).filtered
        assert PersonList(tag_ids=[2, 1, 2]) == PersonList(tag_ids=[1, 2])
        assert PersonList(tag_ids=[1]) != OrganisationList(tag_ids=[1])


def test_organisation_facets(db: Database, registry_sample: dict[str, int]) -> None:
    with db.read_session() as s:
        cats = [cid for cid, _ in category_choices(s)]
        muns = [mid for mid, _ in municipality_choices(s)]
        tags = [tid for tid, _ in tag_choices(s)]
        for categories, municipalities, tag_ids in itertools.product(
            [(), tuple(cats[:3])], [(), tuple(muns[1:2]), tuple(muns)], [(), tuple(tags[:1])]
        ):
            listed = OrganisationList(
                category_ids=categories, municipality_ids=municipalities, tag_ids=tag_ids
            ).ids(s)
            expected = filters.filter_organisation_ids(
                s, RegistryFilter("organisations", "", categories, municipalities, tag_ids)
            )
            assert sorted(listed) == sorted(expected)


def test_a_saved_filter_invites_what_its_list_shows(db: Database, registry_sample: dict[str, int]) -> None:
    """The two consumers of ``konferenz.lists.facets``: the address list a Verteiler shows and the ids
    ``filters.filter_ids`` invites, for saved filters of both kinds with searches and facets."""
    with db.read_session() as s:
        cats = {name: cid for cid, name in category_choices(s)}
        muns = {name: mid for mid, name in municipality_choices(s)}
        tags = {name: tid for tid, name in tag_choices(s)}
    wanted = {
        "MSO": RegistryFilter("persons", "", (cats["Migrantenselbstorganisation"],)),
        "Bocholt und Rhede": RegistryFilter("persons", "", (), (muns["Bocholt"], muns["Rhede"])),
        "Presse Öztürk": RegistryFilter("persons", "Oeztuerk", (), (), (tags["Presse"],)),
        "Fachleute in Bocholt": RegistryFilter(
            "persons", "hans", (cats["Fachleute"],), (muns["Bocholt"],), (tags["Newsletter"],)
        ),
        "Organisationen": RegistryFilter("organisations", "bocholt"),
        "Organisationen Presse": RegistryFilter("organisations", "", (), (), (tags["Presse"],)),
        "Verbände in Rhede": RegistryFilter(
            "organisations", "awo", (cats["Wohlfahrtsverband"],), (muns["Rhede"],)
        ),
    }
    for name, flt in wanted.items():
        filters.save_filter(db, name, flt)
    saved = {info.name: info.filter for info in filters.list_filters(db)}
    assert saved == wanted
    found: dict[str, set[int]] = {}
    with db.read_session() as s:
        for name, flt in saved.items():
            source = PersonList if flt.kind == "persons" else OrganisationList
            facets = source(
                category_ids=flt.category_ids, municipality_ids=flt.municipality_ids, tag_ids=flt.tag_ids
            )
            listed = facets.ids(s, search=flt.search)
            invited = filters.filter_ids(s, flt)
            assert sorted(listed) == sorted(invited), name
            assert len(set(invited)) == len(invited)
            found[name] = set(invited)
    ids = registry_sample
    assert found["MSO"] == {ids["at_mso"]}
    assert found["Bocholt und Rhede"] == {ids["at_mso"], ids["own_category"], ids["at_awo"], ids["alone"]}
    assert found["Presse Öztürk"] == {ids["at_mso"]}
    assert found["Fachleute in Bocholt"] == {ids["own_category"]}
    assert found["Organisationen"] == {ids["mso"]}
    assert found["Organisationen Presse"] == {ids["mso"]}
    assert found["Verbände in Rhede"] == {ids["awo"]}


def test_choices_and_contacts(db: Database, registry_sample: dict[str, int]) -> None:
    ids = registry_sample
    with db.read_session() as s:
        assert [name for _id, name in municipality_choices(s)][:3] == ["Ahaus", "Bocholt", "Borken"]
        assert [name for _id, name in tag_choices(s)] == ["Newsletter", "Presse"]
        assert [name for _id, name in organisation_choices(s)] == [
            "AWO Rhede",
            "Türkisch-Islamische Gemeinde Bocholt",
        ]
        contacts = organisation_contacts(s, ids["awo"])
    assert [(c.name, c.is_primary) for c in contacts] == [("Mehmet Çelik", True), ("Ayşe Öztürk", False)]
