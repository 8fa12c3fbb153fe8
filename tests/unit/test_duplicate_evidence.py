"""The duplicate rule table (konferenz.registry.evidence) row by row, through the real import service and
the real database: what was created, what was reported as a duplicate, which row is flagged as a possible
duplicate naming its candidate, and that Dubletten suchen finds the flagged pair again.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).parent.parent))
import fixtures_spreadsheets as fx

from konferenz.importing import service as importing
from konferenz.importing.plan import Outcome, RowPlan
from konferenz.registry import evidence, organisations, scan, validation
from konferenz.registry import keys as registry_keys
from konferenz.registry import persons as registry_persons
from konferenz.storage.db import Database
from konferenz.storage.models import Person

HEADER = ["Vorname", "Nachname", "Organisation", "E-Mail", "Straße", "PLZ", "Ort"]


def seed(db: Database, org: int | None = None, **values: Any) -> int:
    roles = [validation.RoleData(org, is_primary=True)] if org else []
    return registry_persons.create_person(db, validation.PersonData(roles=roles, **values))


def org(db: Database, name: str) -> int:
    return organisations.create_organisation(db, validation.OrganisationData(name=name))


def import_rows(db: Database, tmp_path: Path, *rows: list[str]) -> list[RowPlan]:
    path = fx.write_xlsx(tmp_path / "liste.xlsx", [HEADER, *rows])
    preview = importing.plan_import(db, path).rows
    report = importing.import_file(db, path)
    # the preview gives the same outcome and the same reason as the commit
    assert [(r.outcome, r.messages) for r in preview] == [(r.outcome, r.messages) for r in report.rows]
    return report.rows


def persons_named(db: Database, last: str) -> list[int]:
    with db.read_session() as s:
        return list(s.scalars(sa.select(Person.id).where(Person.last_name == last).order_by(Person.id)))


def scanned_pair(db: Database, a: int, b: int) -> scan.DuplicateLink | None:
    with db.read_session() as s:
        groups = scan.find_all_duplicates(s)
    return next((lk for g in groups for lk in g.links if {lk.a, lk.b} == {a, b}), None)


# --- the table itself ----------------------------------------------------------------------------------------


def test_the_rule_table() -> None:
    rules = evidence.PERSON_RULES
    assert rules[evidence.Kind.EMAIL_SAME].weight >= evidence.CERTAIN
    same_name = rules[evidence.Kind.NAME_SAME].weight
    assert evidence.POSSIBLE <= same_name < evidence.CERTAIN  # a name alone is never enough
    for support in (evidence.Kind.ORGANISATION_SAME, evidence.Kind.ADDRESS_SAME, evidence.Kind.NOTHING_ELSE):
        assert same_name + rules[support].weight >= evidence.CERTAIN
    near = rules[evidence.Kind.NAME_NEAR].weight
    assert near + rules[evidence.Kind.ORGANISATION_SAME].weight < evidence.CERTAIN
    assert rules[evidence.Kind.EMAIL_CONFLICT].veto
    assert all(r.label and r.meaning for r in rules.values())
    assert all(r.label for r in evidence.ORGANISATION_RULES.values())


def _facts(first: str, last: str, email: str = "", orgs: tuple[int, ...] = (), **address: str) -> Any:
    return evidence.person_facts(registry_keys.keys_of(first, "", last, email), frozenset(orgs), **address)


@pytest.mark.parametrize(
    ("a", "b", "certain", "reason"),
    [
        (("Anna", "Neu", "neu@x.de"), ("Bernd", "Alt", "NEU@x.de "), True, "gleiche E-Mail-Adresse"),
        (
            ("Anna", "Neu", "", (1,)),
            ("Anna", "Neu", "", (1, 2)),
            True,
            "gleicher Name und gleiche Organisation",
        ),
        (("Anna", "Neu", "", (1,)), ("Anna", "Neu", "", (2,)), False, "gleicher Name, andere Organisation"),
        (("Anna", "Neu", "a@x.de"), ("Anna", "Neu", "b@y.de"), False, "gleicher Name, andere E-Mail-Adresse"),
        (("Anna", "Neu", "a@x.de", (1,)), ("Anna", "Neu", "b@y.de", (1,)), False, None),
        (("Anna", "Neu"), ("Anna", "Neu", "a@x.de", (3,)), True, "gleicher Name und sonst keine Angaben"),
        (("Anna", "Neu", "", (4,)), ("Anna", "Neu", "a@x.de"), False, "gleicher Name"),
    ],
)
def test_each_row_of_the_table(
    a: tuple[Any, ...], b: tuple[Any, ...], certain: bool, reason: str | None
) -> None:
    verdict = evidence.assess_persons(_facts(*a), _facts(*b))
    assert verdict is not None
    assert verdict.certain is certain
    if reason is not None:
        assert verdict.reason == reason


def test_address_evidence() -> None:
    here = {"street": "Burloer Straße 93", "postal_code": "46325", "city": "Borken"}
    also = {"street": "Burloer Str. 93", "postal_code": "46325", "city": "Borken"}
    there = {"street": "Markt 1", "postal_code": "48683", "city": "Ahaus"}
    same = evidence.assess_persons(
        _facts("Jan", "Berg", "", (1,), **here), _facts("Jan", "Berg", "", (2,), **also)
    )
    assert same is not None and same.certain and "gleiche Anschrift" in same.reason
    both = evidence.assess_persons(
        _facts("Jan", "Berg", "", (1,), **here), _facts("Jan", "Berg", "", (2,), **there)
    )
    assert both is not None and not both.certain
    assert both.reason == "gleicher Name, andere Organisation, andere Anschrift"
    assert evidence.assess_persons(_facts("Jan", "Berg"), _facts("Eva", "Stein")) is None


def test_organisation_rules() -> None:
    def facts(name: str, **kw: str) -> evidence.OrganisationFacts:
        return evidence.organisation_facts(name, **kw)

    same = evidence.assess_organisations(facts("Caritas Bocholt e.V."), facts("CARITAS-BOCHOLT"))
    assert same is not None and same.certain and same.reason == "gleicher Name"
    ggmbh = evidence.assess_organisations(facts("Lebenshilfe Borken gGmbH"), facts("Lebenshilfe Borken"))
    assert ggmbh is not None and ggmbh.certain
    web = evidence.assess_organisations(
        facts("Flüchtlingshilfe", website="https://www.fh-rhede.de/"),
        facts("FH Rhede", website="fh-rhede.de"),
    )
    assert web is not None and web.certain and web.reason == "gleiche Website"
    near = evidence.assess_organisations(
        facts("Flüchtlingshilfe Rhede", city="Rhede"), facts("Fluechtlingshilfe Rhedee", city="Rhede")
    )
    assert near is not None and not near.certain and "ähnlicher Name" in near.reason
    elsewhere = evidence.assess_organisations(
        facts("Flüchtlingshilfe Rhede", city="Rhede"), facts("Fluechtlingshilfe Rhedee", city="Borken")
    )
    assert elsewhere is None
    branch = evidence.assess_organisations(facts("Caritas", city="Bocholt"), facts("Caritas", city="Borken"))
    assert branch is not None and not branch.certain and "anderer Ort" in branch.reason


# --- through the import --------------------------------------------------------------------------------------


def test_the_namesake_is_created_as_a_possible_duplicate(db: Database, tmp_path: Path) -> None:
    stored = seed(db, first_name="Thomas", last_name="Becker", email="thomas.becker@web.de", city="Ahaus")
    path = fx.write_xlsx(
        tmp_path / "bamf.xlsx",
        [
            ["Anrede", "Titel", "Vorname", "Nachname", "Organisation", "E-Mail"],
            ["Herr", "Dr.", "Thomas", "Becker", "BAMF", "t.becker@bamf.example"],
        ],
    )
    preview = importing.plan_import(db, path).rows[0]
    expected = (
        f"mögliche Dublette von Person Nr. {stored} (gleicher Name, andere E-Mail-Adresse) – neu angelegt."
    )
    assert preview.outcome is Outcome.CREATED and expected in preview.messages
    row = importing.import_file(db, path).rows[0]
    assert row.outcome is Outcome.CREATED and expected in row.messages
    assert persons_named(db, "Becker") == [stored, row.id]
    with db.read_session() as s:
        created = s.get(Person, row.id)
        assert created is not None and (created.email, created.title) == ("t.becker@bamf.example", "Dr.")
    # Bearbeiten → Dubletten suchen finds the pair again, as possible, with the reason
    link = scanned_pair(db, stored, row.id or 0)
    assert link is not None and not link.certain and link.reason == "gleicher Name, andere E-Mail-Adresse"


def test_true_duplicates_are_still_caught(db: Database, tmp_path: Path) -> None:
    caritas = org(db, "Caritasverband Bocholt")
    mail = seed(db, first_name="Anna", last_name="Schmidt", email="Anna.Schmidt@example.org")
    at_org = seed(db, caritas, first_name="Ayşe", last_name="Öztürk")
    peter = seed(db, caritas, first_name="Peter", last_name="Lange")
    rows = import_rows(
        db,
        tmp_path,
        ["Anna", "Schmidt", "", "ANNA.SCHMIDT@example.org", "", "", ""],  # same e-mail, other case
        ["Ayse", "Ozturk", "Caritasverband Bocholt", "", "", "", ""],  # transliterated, same organisation
        ["Peter", "Lange", "Caritasverband Bocholt e.V.", "", "", "", ""],  # same name, same organisation
    )
    assert [(r.outcome, r.id) for r in rows] == [
        (Outcome.DUPLICATE, mail),
        (Outcome.DUPLICATE, at_org),
        (Outcome.DUPLICATE, peter),
    ]
    assert "gleiche E-Mail-Adresse" in rows[0].messages[0]
    assert "gleicher Name und gleiche Organisation" in rows[1].messages[0]
    assert persons_named(db, "Öztürk") == [at_org] and persons_named(db, "Lange") == [peter]


def test_same_name_at_the_same_address_is_certain(db: Database, tmp_path: Path) -> None:
    stored = seed(
        db, first_name="Jan", last_name="Berg", street="Burloer Straße 93", postal_code="46325", city="Borken"
    )
    rows = import_rows(
        db, tmp_path, ["Jan", "Berg", "Kreis Borken", "", "Burloer Str. 93", "46325", "Borken"]
    )
    assert (rows[0].outcome, rows[0].id) == (Outcome.DUPLICATE, stored)
    assert "gleiche Anschrift" in rows[0].messages[0]


def test_conflicting_organisation_and_address_is_never_certain(db: Database, tmp_path: Path) -> None:
    awo = org(db, "AWO Kreisverband")
    stored = seed(
        db, awo, first_name="Jan", last_name="Berg", street="Markt 1", postal_code="48683", city="Ahaus"
    )
    same_org_other_mail = seed(db, awo, first_name="Eva", last_name="Stein", email="eva@awo.example")
    rows = import_rows(
        db,
        tmp_path,
        ["Jan", "Berg", "Stadt Vreden", "", "Burgstraße 14", "48691", "Vreden"],
        ["Eva", "Stein", "AWO Kreisverband", "e.stein@privat.example", "", "", ""],
    )
    assert [r.outcome for r in rows] == [Outcome.CREATED, Outcome.CREATED]
    assert (
        f"mögliche Dublette von Person Nr. {stored} (gleicher Name, andere Organisation, andere Anschrift)"
        " – neu angelegt." in rows[0].messages
    )
    assert any(
        f"Person Nr. {same_org_other_mail} (gleicher Name und gleiche Organisation, andere E-Mail-Adresse)"
        in m
        for m in rows[1].messages
    )
    assert len(persons_named(db, "Berg")) == 2 and len(persons_named(db, "Stein")) == 2
    assert scanned_pair(db, same_org_other_mail, rows[1].id or 0) is not None


def test_a_near_name_at_the_same_organisation_is_flagged(db: Database, tmp_path: Path) -> None:
    tig = org(db, "Türkisch-Islamische Gemeinde Bocholt")
    stored = seed(db, tig, first_name="Mohammed", last_name="Yılmaz")
    rows = import_rows(
        db, tmp_path, ["Mohamed", "Yilmaz", "Türkisch-Islamische Gemeinde Bocholt", "", "", "", ""]
    )
    assert rows[0].outcome is Outcome.CREATED
    assert any(
        f"Person Nr. {stored} (ähnlicher Name (" in m and "gleiche Organisation" in m
        for m in rows[0].messages
    )


def test_a_row_with_nothing_but_the_name_is_a_duplicate(db: Database, tmp_path: Path) -> None:
    stored = seed(db, first_name="Kim", last_name="Weber", email="kim@example.org", city="Legden")
    rows = import_rows(db, tmp_path, ["Kim", "Weber", "", "", "", "", ""])
    assert (rows[0].outcome, rows[0].id) == (Outcome.DUPLICATE, stored)
    assert "sonst keine Angaben" in rows[0].messages[0]


def test_rows_of_one_file_are_weighed_alike(db: Database, tmp_path: Path) -> None:
    rows = import_rows(
        db,
        tmp_path,
        ["Lea", "Neumann", "", "lea@a.example", "", "", ""],
        ["Lea", "Neumann", "", "lea@b.example", "", "", ""],  # namesake in the same file
        ["Lea", "Neumann", "", "LEA@a.example", "", "", ""],  # the first row again
    )
    assert [r.outcome for r in rows] == [Outcome.CREATED, Outcome.CREATED, Outcome.DUPLICATE]
    assert any(
        "mögliche Dublette von Zeile 2 (gleicher Name, andere E-Mail-Adresse)" in m for m in rows[1].messages
    )
    assert rows[2].duplicate_of_row == 2
    assert len(persons_named(db, "Neumann")) == 2
