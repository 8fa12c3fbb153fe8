"""Address block and salutation by DIN 5008 and DOMAIN.md: every rule, on plain values and on ORM rows."""

from __future__ import annotations

import pytest

from konferenz.enums import Gender
from konferenz.registry.addressing import (
    MAX_ADDRESS_LINES,
    Addressee,
    address_lines,
    is_abroad,
    salutation,
    salutation_title,
)
from konferenz.storage.models import Organisation, Person, Role

F, M, D, U = Gender.FEMALE, Gender.MALE, Gender.DIVERSE, Gender.UNKNOWN


def person(gender: Gender = U, last: str = "Müller", **kw: str) -> Addressee:
    return Addressee(gender=gender, last_name=last, **kw)  # type: ignore[arg-type]


# --- salutation ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("addressee", "expected"),
    [
        # rule 1: a stored salutation wins over everything
        (person(F, title="Dr.", custom_salutation="Liebe Ayşe,"), "Liebe Ayşe,"),
        (person(M, custom_salutation="Hallo Jan"), "Hallo Jan,"),
        (person(D, custom_salutation="Moin!"), "Moin!"),
        # rule 2: no person
        (Addressee(has_person=False, organisation="Caritas"), "Sehr geehrte Damen und Herren,"),
        # rule 3: female / male with the highest title only
        (person(F), "Sehr geehrte Frau Müller,"),
        (person(F, title="Dr."), "Sehr geehrte Frau Dr. Müller,"),
        (
            person(M, title="Prof. Dr.", first_name="Mohammed", last="Al-Hassan"),
            "Sehr geehrter Herr Professor Al-Hassan,",
        ),
        (person(M, title="Prof."), "Sehr geehrter Herr Professor Müller,"),
        (person(F, title="Prof. Dr."), "Sehr geehrte Frau Professorin Müller,"),
        (person(M, title="Dr. med."), "Sehr geehrter Herr Dr. Müller,"),
        (person(M, title="Dr. Dr."), "Sehr geehrter Herr Dr. Müller,"),
        (person(F, title="Dr.-Ing."), "Sehr geehrte Frau Dr. Müller,"),
        (person(M, title="Dipl.-Ing."), "Sehr geehrter Herr Müller,"),
        (person(F, title="Dipl.-Soz.-Päd. Dr. phil."), "Sehr geehrte Frau Dr. Müller,"),
        (person(M, title="Jun.-Prof. Dr."), "Sehr geehrter Herr Professor Müller,"),
        (person(F, title="M. A."), "Sehr geehrte Frau Müller,"),
        # particles stay with the last name
        (person(M, first_name="Karl", name_prefix="von", last="Stein"), "Sehr geehrter Herr von Stein,"),
        (person(F, title="Dr.", name_prefix="van der", last="Berg"), "Sehr geehrte Frau Dr. van der Berg,"),
        # rule 4: diverse or unknown, first and last name, no title
        (person(D, first_name="Alex", last="Schmidt"), "Guten Tag Alex Schmidt,"),
        (person(U, title="Dr.", first_name="Kim", name_prefix="de", last="Vries"), "Guten Tag Kim de Vries,"),
        (person(U, first_name="", last="Nguyễn"), "Guten Tag Nguyễn,"),
        # other scripts survive unchanged
        (person(F, first_name="Наталья", last="Иванова"), "Sehr geehrte Frau Иванова,"),
        (person(M, first_name="محمد", last="الحسن"), "Sehr geehrter Herr الحسن,"),
        (person(D, first_name="Thị Lan", last="Nguyễn"), "Guten Tag Thị Lan Nguyễn,"),
        (person(F, first_name="Gülşen", last="Yıldız"), "Sehr geehrte Frau Yıldız,"),
    ],
)
def test_salutation_rules(addressee: Addressee, expected: str) -> None:
    assert addressee.salutation() == expected


def test_salutation_title_only_professor_and_doctor() -> None:
    assert salutation_title("Prof. Dr. Dr. h. c.", M) == "Professor"
    assert salutation_title("PD Dr.", F) == "Dr."
    assert salutation_title("Dipl.-Kfm.", M) == ""
    assert salutation_title("", F) == ""


def test_salutation_from_orm_rows_without_database() -> None:
    p = Person(gender=Gender.FEMALE, title="Dr.", first_name="Ayşe", last_name="Yılmaz")
    assert salutation(p) == "Sehr geehrte Frau Dr. Yılmaz,"
    assert salutation(None) == "Sehr geehrte Damen und Herren,"
    # a transient row without gender counts as unknown
    assert salutation(Person(first_name="Sam", last_name="Berger")) == "Guten Tag Sam Berger,"


# --- address block ---------------------------------------------------------------------------------------


def test_full_business_address() -> None:
    a = Addressee(
        gender=M,
        title="Prof. Dr.",
        first_name="Mohammed",
        last_name="Al-Hassan",
        organisation="Universität Münster",
        department="Institut für Soziologie",
        street="Scharnhorststraße 121",
        postal_code="48151",
        city="Münster",
    )
    assert a.address_lines() == [
        "Universität Münster",
        "Institut für Soziologie",
        "Herrn Prof. Dr. Mohammed Al-Hassan",
        "Scharnhorststraße 121",
        "48151 Münster",
    ]


@pytest.mark.parametrize(
    ("gender", "name_line"),
    [
        (F, "Frau Dr. Anna von Stein"),
        (M, "Herrn Dr. Anna von Stein"),
        (D, "Dr. Anna von Stein"),
        (U, "Dr. Anna von Stein"),
    ],
)
def test_name_line_prefix_by_gender(gender: Gender, name_line: str) -> None:
    a = person(
        gender,
        title="Dr.",
        first_name="Anna",
        name_prefix="von",
        last="Stein",
        street="Markt 1",
        postal_code="46325",
        city="Borken",
    )
    assert a.address_lines() == [name_line, "Markt 1", "46325 Borken"]


def test_organisation_only() -> None:
    a = Addressee(
        has_person=False,
        organisation="Stadt Borken",
        department="Fachbereich Soziales",
        street="Im Piepershagen 17",
        postal_code="46325",
        city="Borken",
    )
    assert a.address_lines() == ["Stadt Borken", "Fachbereich Soziales", "Im Piepershagen 17", "46325 Borken"]
    assert a.salutation() == "Sehr geehrte Damen und Herren,"


def test_po_box_instead_of_street() -> None:
    a = person(F, first_name="Eva", po_box="12 34", street="Markt 1", postal_code="46322", city="Borken")
    assert a.address_lines() == ["Frau Eva Müller", "Postfach 12 34", "46322 Borken"]
    b = person(F, first_name="Eva", po_box="Postfach 1234", postal_code="46322", city="Borken")
    assert b.address_lines()[1] == "Postfach 1234"


def test_abroad_adds_country_in_capitals() -> None:
    a = person(
        M,
        first_name="Frank",
        last="Becker",
        organisation="Gemeente Enschede",
        street="Langestraat 24",
        postal_code="7511 HC",
        city="Enschede",
        country="Niederlande",
    )
    assert a.address_lines() == [
        "Gemeente Enschede",
        "Herrn Frank Becker",
        "Langestraat 24",
        "7511 HC Enschede",
        "NIEDERLANDE",
    ]


@pytest.mark.parametrize("country", ["", "Deutschland", "germany", "DE", " D ", "Bundesrepublik Deutschland"])
def test_germany_is_not_abroad(country: str) -> None:
    assert not is_abroad(country)
    assert (
        person(F, street="A 1", postal_code="46325", city="Borken", country=country).address_lines()[-1]
        == "46325 Borken"
    )


def test_no_blank_lines_and_spaces_collapsed() -> None:
    a = person(
        F,
        title="  Dr. ",
        first_name=" Eva  ",
        last="  Meier ",
        organisation=" ",
        department="",
        street="",
        postal_code="46325",
        city="Borken",
    )
    assert a.address_lines() == ["Frau Dr. Eva Meier", "46325 Borken"]
    assert all(line.strip() == line and line for line in a.address_lines())


def test_six_line_limit_drops_department_first() -> None:
    a = Addressee(
        gender=F,
        first_name="Lea",
        last_name="Koch",
        organisation="Ministerium für Kinder, Jugend, Familie\nGleichstellung, Flucht und Integration",
        department="Abteilung 5",
        street="Rue de la Loi 16",
        postal_code="1000",
        city="Brüssel",
        country="Belgien",
    )
    lines = a.address_lines()
    assert len(lines) == MAX_ADDRESS_LINES
    assert "Abteilung 5" not in lines
    assert lines[-2:] == ["1000 Brüssel", "BELGIEN"]
    assert lines[:2] == ["Ministerium für Kinder, Jugend, Familie", "Gleichstellung, Flucht und Integration"]
    assert "Frau Lea Koch" in lines


def test_exactly_six_lines_keep_the_department() -> None:
    a = Addressee(
        gender=F,
        first_name="Lea",
        last_name="Koch",
        organisation="Ministerium\nfür Integration",
        department="Abteilung 5",
        street="Völklinger Straße 49",
        postal_code="40221",
        city="Düsseldorf",
    )
    assert a.address_lines() == [
        "Ministerium",
        "für Integration",
        "Abteilung 5",
        "Frau Lea Koch",
        "Völklinger Straße 49",
        "40221 Düsseldorf",
    ]


def test_six_line_limit_then_joins_organisation_and_keeps_name_and_place() -> None:
    a = Addressee(
        gender=M,
        first_name="Jan",
        last_name="de Vries",
        organisation="Gemeente\nAfdeling Integratie\nTeam Zuid",
        department="Kamer 3",
        street="Markt 1",
        postal_code="7141 AB",
        city="Groenlo",
        country="Niederlande",
    )
    lines = a.address_lines()
    assert len(lines) <= MAX_ADDRESS_LINES
    assert lines[0] == "Gemeente Afdeling Integratie Team Zuid"
    assert "Herrn Jan de Vries" in lines
    assert "7141 AB Groenlo" in lines
    assert lines[-1] == "NIEDERLANDE"


@pytest.mark.parametrize("extra_org_lines", [3, 6, 10])
def test_never_more_than_six_lines_and_never_without_name_or_place(extra_org_lines: int) -> None:
    a = Addressee(
        gender=F,
        first_name="Eva",
        last_name="Meier",
        organisation="\n".join(f"Zeile {i}" for i in range(extra_org_lines)),
        department="A\nB\nC",
        street="Weg 1\nHinterhaus",
        postal_code="46325",
        city="Borken",
        country="Österreich",
    )
    lines = a.address_lines()
    assert len(lines) <= MAX_ADDRESS_LINES
    assert "Frau Eva Meier" in lines
    assert "46325 Borken" in lines


def test_scripts_survive_in_the_address() -> None:
    a = person(
        F, first_name="Наталья", last="Иванова", street="Hauptstraße 1", postal_code="48683", city="Ahaus"
    )
    assert a.address_lines()[0] == "Frau Наталья Иванова"
    b = person(M, first_name="محمد", last="الحسن", street="Markt 1", postal_code="46395", city="Bocholt")
    assert b.address_lines()[0] == "Herrn محمد الحسن"
    c = person(
        U,
        first_name="Nguyễn Thị",
        last="Đào",
        street="Kerkstraat 5",
        postal_code="7141 AB",
        city="Groenlo",
        country="Niederlande",
    )
    assert c.address_lines() == ["Nguyễn Thị Đào", "Kerkstraat 5", "7141 AB Groenlo", "NIEDERLANDE"]


# --- from ORM rows ---------------------------------------------------------------------------------------


def _org(**kw: object) -> Organisation:
    values: dict[str, object] = {
        "id": 7,
        "name": "Caritasverband für das Dekanat Borken e. V.",
        "department": "Migrationsdienst",
        "street": "Heidener Straße 4",
        "po_box": "",
        "postal_code": "46325",
        "city": "Borken",
        "country": "",
    }
    values.update(kw)
    return Organisation(**values)


def _person(**kw: object) -> Person:
    values: dict[str, object] = {
        "id": 3,
        "gender": Gender.FEMALE,
        "title": "Dr.",
        "first_name": "Ayşe",
        "name_prefix": "",
        "last_name": "Yılmaz",
        "street": "Privatweg 9",
        "po_box": "",
        "postal_code": "46395",
        "city": "Bocholt",
        "country": "",
    }
    values.update(kw)
    return Person(**values)


def test_person_at_organisation_gets_the_organisation_address() -> None:
    assert address_lines(_person(), _org()) == [
        "Caritasverband für das Dekanat Borken e. V.",
        "Migrationsdienst",
        "Frau Dr. Ayşe Yılmaz",
        "Heidener Straße 4",
        "46325 Borken",
    ]


def test_role_department_overrides_organisation_department() -> None:
    org = _org()
    role = Role(person_id=3, organisation_id=7, department="Integrationsagentur")
    assert address_lines(_person(), org, role)[1] == "Integrationsagentur"


def test_person_without_organisation_gets_the_private_address() -> None:
    assert address_lines(_person(), None) == ["Frau Dr. Ayşe Yılmaz", "Privatweg 9", "46395 Bocholt"]


def test_organisation_without_address_falls_back_to_the_person() -> None:
    org = _org(street="", postal_code="", city="")
    assert address_lines(_person(), org)[-2:] == ["Privatweg 9", "46395 Bocholt"]


def test_organisation_alone() -> None:
    assert address_lines(None, _org()) == [
        "Caritasverband für das Dekanat Borken e. V.",
        "Migrationsdienst",
        "Heidener Straße 4",
        "46325 Borken",
    ]
