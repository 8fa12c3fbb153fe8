"""DSGVO: access, erasure that keeps statistics, review of old records — on both backends."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
import unicodedata
from pathlib import Path

import pytest
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).parent.parent))
import fixtures_spreadsheets as fx

from konferenz.conferences import editing, inviting, statistics
from konferenz.enums import AuditAction, Channel, ConsentPurpose, Gender, InvitationStatus
from konferenz.errors import UserError
from konferenz.importing import service as importing
from konferenz.importing import undo
from konferenz.privacy.access import export_person, write_export
from konferenz.privacy.erasure import ErasureResult, _scrub_strings, erase_person, erase_persons, id_hash
from konferenz.privacy.review import review
from konferenz.privacy.scrubber import Scrubber
from konferenz.programme import new_conference
from konferenz.registry import merge, organisations, persons, validation
from konferenz.storage.db import Database
from konferenz.storage.models import (
    AgendaItem,
    AgendaPerson,
    ArchivedDocument,
    AuditEntry,
    Category,
    Conference,
    ConsentRecord,
    DeletionLog,
    ImportBatch,
    Invitation,
    MinutesEntry,
    Organisation,
    Person,
    Recommendation,
    Role,
    Tag,
)

SECRETS = ("Ayşe", "Öztürk", "ayse.oeztuerk@example.org", "0171 2345678", "Rollstuhl", "Liebe Ayşe")


@pytest.fixture
def person(db: Database) -> int:
    with db.session() as s:
        mso = s.scalars(sa.select(Category.id).where(Category.name == "Migrantenselbstorganisation")).one()
        org = Organisation(name="Türkischer Elternverein Bocholt", category_id=mso)
        p = Person(
            first_name="Ayşe", last_name="Öztürk", gender=Gender.FEMALE, title="Dr.",
            email="ayse.oeztuerk@example.org", mobile="0171 2345678", street="Nordstraße 1",
            postal_code="46399", city="Bocholt", custom_salutation="Liebe Ayşe,",
            notes="kennt Frau Demir", search_text="ayse ozturk", created_at=dt.datetime(2020, 1, 1),
        )  # fmt: skip
        other = Person(first_name="Mehmet", last_name="Kaya", created_at=dt.datetime(2020, 1, 1))
        s.add_all([org, p, other, Tag(name="Presse")])
        s.flush()
        p.tags.append(s.scalars(sa.select(Tag)).one())
        s.add(Role(person_id=p.id, organisation_id=org.id, is_primary=True, function="Vorsitzende"))
        s.add(
            ConsentRecord(
                person_id=p.id,
                purpose=ConsentPurpose.PARTICIPANT_LIST,
                given_on=dt.date(2024, 5, 2),
                channel=Channel.EMAIL,
                text_version="2024-1",
            )
        )
        s.add(
            AuditEntry(
                entity_type="person",
                entity_id=p.id,
                action=AuditAction.UPDATE,
                field="email",
                old_value="ayse@alt.example",
                new_value="ayse.oeztuerk@example.org",
                os_user="mueller.k",
            )
        )
        pid, oid = p.id, other.id
    for year in (2023, 2024):
        new_conference.create_conference(
            db, editing.ConferenceData(year=year, title=f"Integrationskonferenz {year}")
        )
        inviting.invite(db, year, inviting.InviteeFilter(everyone=True))
    with db.session() as s:
        for inv in s.scalars(sa.select(Invitation).where(Invitation.person_id == pid)):
            inv.status = InvitationStatus.ATTENDED
            inv.needs_accessibility = "Rollstuhl"
        s.execute(
            sa.update(Invitation)
            .where(Invitation.person_id == oid)
            .values(substitute_person_id=pid, substitute_name="Ayşe Öztürk")
        )
    return pid


def test_export_contains_everything(db: Database, person: int, tmp_path: Path) -> None:
    with db.read_session() as s:
        path = write_export(s, person, tmp_path / "auskunft.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["person"]["first_name"] == "Ayşe"
    assert data["person"]["schlagworte"] == ["Presse"]
    assert data["rollen"][0]["organisation"] == "Türkischer Elternverein Bocholt"
    assert {i["konferenz"] for i in data["einladungen"]} == {2023, 2024}
    assert data["einwilligungen"][0]["zweck"] == "Nennung in der Teilnehmerliste"
    email_change = next(a for a in data["aenderungsprotokoll"] if a["old_value"] == "ayse@alt.example")
    assert email_change["new_value"] == "ayse.oeztuerk@example.org"


def test_export_names_the_agenda_items_the_person_takes_part_in(db: Database, person: int) -> None:
    with db.session() as s:
        conf_id = s.scalar(sa.select(Conference.id).where(Conference.year == 2024))
        item = AgendaItem(conference_id=conf_id, position=0, title="Podium: Teilhabe vor Ort")
        s.add(item)
        s.flush()
        s.add(AgendaPerson(agenda_item_id=item.id, person_id=person, part="moderation"))
    with db.read_session() as s:
        parts = export_person(s, person)["mitwirkung_programm"]
    assert [(p["jahr"], p["programmpunkt"], p["rolle"]) for p in parts] == [
        (2024, "Podium: Teilhabe vor Ort", "Moderation")
    ]


def test_erase_leaves_nothing_personal_and_keeps_statistics(
    db: Database, person: int, tmp_path: Path
) -> None:
    with db.read_session() as s:
        before = [statistics.conference_stats(s, y) for y in (2023, 2024)]
    result = erase_person(db, person, "Antrag vom 03.11.2026")
    assert result.invitations_kept == 2
    with db.read_session() as s:
        after = [statistics.conference_stats(s, y) for y in (2023, 2024)]
        text = json.dumps(export_person(s, person), ensure_ascii=False)
        log = s.scalars(sa.select(DeletionLog)).one()
        audit_values = s.execute(sa.select(AuditEntry.old_value, AuditEntry.new_value)).all()
        substitute_names = s.scalars(sa.select(Invitation.substitute_name)).all()
    assert [(a.total, a.by_category) for a in after] == [(b.total, b.by_category) for b in before]
    for secret in SECRETS:
        assert secret not in text
    assert "Anonymisiert" in text
    assert all(v is None or "ayse" not in v.lower() for pair in audit_values for v in pair)
    assert "Ayşe Öztürk" not in substitute_names
    assert log.reason == "Antrag vom 03.11.2026"
    assert len(log.id_hash) == 64
    # keyed: not the plain hash of the id, which anyone could recompute for small ids
    assert log.id_hash != hashlib.sha256(f"person:{person}".encode()).hexdigest()
    with db.session() as s:
        assert id_hash(s, person) == log.id_hash
    with pytest.raises(UserError, match="bereits anonymisiert"):
        erase_person(db, person, "noch einmal")


def test_erase_needs_reason_and_existing_person(db: Database, person: int) -> None:
    with pytest.raises(UserError, match="Grund"):
        erase_person(db, person, "  ")
    with pytest.raises(UserError, match="ID 999999"):
        erase_person(db, 999999, "Antrag")


def test_review_lists_persons_not_invited_for_n_years(db: Database, person: int) -> None:
    with db.session() as s:
        s.add(Person(last_name="Neu", created_at=dt.datetime(2026, 10, 1)))
        s.add(Person(last_name="Alt", created_at=dt.datetime(2019, 10, 1)))
    with db.read_session() as s:
        names = {r.name for r in review(s, 3, today=dt.date(2027, 6, 1))}
        recent = {r.name for r in review(s, 3, today=dt.date(2026, 6, 1))}
    # last invited 2024: three years before 2027 → listed; never invited and entered 2019 → listed
    assert names == {"Öztürk, Dr. Ayşe", "Kaya, Mehmet", "Alt"}
    assert recent == {"Alt"}


def _everything(db: Database) -> dict[str, object]:
    """Statistics of every year and the full text of the invitation and person tables."""
    with db.read_session() as s:
        return {
            "stats": statistics.text_table(statistics.all_years_stats(s)),
            "rows": [
                tuple(r)
                for r in s.execute(
                    sa.select(Person.id, Person.last_name, Person.email, Person.anonymised_at).order_by(
                        Person.id
                    )
                )
            ],
            "audit": s.scalar(sa.select(sa.func.count(AuditEntry.id))),
            "log": s.scalar(sa.select(sa.func.count(DeletionLog.id))),
        }


def test_erase_persons_in_one_transaction_keeps_statistics(db: Database, person: int) -> None:
    with db.session() as s:
        kaya = s.scalars(sa.select(Person.id).where(Person.last_name == "Kaya")).one()
    before = _everything(db)
    seen: list[tuple[int, int]] = []
    results = erase_persons(
        db, [person, kaya, person], "Überprüfung 2027", progress=lambda d, t: seen.append((d, t))
    )
    assert [r.person_id for r in results] == [person, kaya]
    assert seen == [(1, 2), (2, 2)]
    after = _everything(db)
    assert after["stats"] == before["stats"]
    assert after["log"] == 2
    with db.read_session() as s:
        names = s.scalars(sa.select(Person.last_name).where(Person.id.in_([person, kaya]))).all()
        reasons = s.scalars(sa.select(DeletionLog.reason)).all()
    assert names == ["Anonymisiert", "Anonymisiert"]
    assert reasons == ["Überprüfung 2027", "Überprüfung 2027"]


def test_erase_persons_is_all_or_nothing(db: Database, person: int) -> None:
    with db.session() as s:
        kaya = s.scalars(sa.select(Person.id).where(Person.last_name == "Kaya")).one()
    erase_person(db, kaya, "Antrag")
    before = _everything(db)
    # the second person is already anonymised: the first must not be erased either
    with pytest.raises(UserError, match="bereits anonymisiert"):
        erase_persons(db, [person, kaya], "Überprüfung")
    with pytest.raises(UserError, match="ID 999999"):
        erase_persons(db, [person, 999999], "Überprüfung")
    with pytest.raises(UserError, match="Grund"):
        erase_persons(db, [person], " ")
    with pytest.raises(UserError, match="keine Person"):
        erase_persons(db, [], "Überprüfung")
    assert _everything(db) == before


def test_erasure_from_the_review_rechecks_who_is_still_due(db: Database, person: int) -> None:
    """The review list may be old: a person invited since it was made is not erased, and nobody is."""
    today = dt.date(2030, 3, 1)
    with db.session() as s:
        kaya = s.scalars(sa.select(Person.id).where(Person.last_name == "Kaya")).one()
    with db.read_session() as s:
        assert {r.person_id for r in review(s, 3, today=today)} == {person, kaya}
    new_conference.create_conference(
        db, editing.ConferenceData(year=2029, title="Integrationskonferenz 2029")
    )
    inviting.invite(db, 2029, inviting.InviteeFilter(person_ids=[person]))
    before = _everything(db)
    with pytest.raises(UserError, match="Ayşe Öztürk") as raised:
        erase_persons(db, [kaya, person], "Überprüfung", review_years=3, today=today)
    assert "Mehmet Kaya" not in raised.value.message and "niemand" in raised.value.message
    with pytest.raises(UserError, match="ID 999999"):
        erase_persons(db, [kaya, 999999], "Überprüfung", review_years=3, today=today)
    assert _everything(db) == before
    results = erase_persons(db, [kaya], "Überprüfung", review_years=3, today=today)
    assert [r.person_id for r in results] == [kaya]
    with pytest.raises(UserError, match="Anonymisiert"):  # erased meanwhile
        erase_persons(db, [kaya], "Überprüfung", review_years=3, today=today)


def test_cancelled_bulk_erasure_changes_nothing(db: Database, person: int) -> None:
    with db.session() as s:
        kaya = s.scalars(sa.select(Person.id).where(Person.last_name == "Kaya")).one()
    before = _everything(db)
    calls: list[int] = []

    def cancel_after_first() -> bool:
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(UserError, match="Abgebrochen"):
        erase_persons(db, [person, kaya], "Überprüfung", cancelled=cancel_after_first)
    assert _everything(db) == before
    with db.read_session() as s:
        assert s.get_one(Person, person).first_name == "Ayşe"


def test_invitation_free_texts_and_letters_go_with_the_person(db: Database, person: int) -> None:
    with db.session() as s:
        inv = s.scalars(sa.select(Invitation).where(Invitation.person_id == person).limit(1)).one()
        inv.needs_diet = "vegetarisch, kein Schwein"
        inv.notes = "ruft Frau Öztürk zurück"
        s.add(
            ArchivedDocument(
                conference_id=inv.conference_id, invitation_id=inv.id, kind="letter",
                file_name="einladung-oeztuerk.pdf", content=b"%PDF Ayse Oeztuerk",
            )
        )  # fmt: skip
    with db.read_session() as s:
        export = json.dumps(export_person(s, person), ensure_ascii=False)
    assert "vegetarisch, kein Schwein" in export  # the invitation's audit entries belong to the access copy
    result = erase_person(db, person, "Antrag")
    assert result.documents_removed == 1
    with db.read_session() as s:
        values = [
            v for pair in s.execute(sa.select(AuditEntry.old_value, AuditEntry.new_value)) for v in pair if v
        ]
        documents = s.scalar(sa.select(sa.func.count(ArchivedDocument.id)))
        text = json.dumps(export_person(s, person), ensure_ascii=False)
    assert documents == 0
    for secret in ("vegetarisch", "Öztürk", "Rollstuhl"):
        assert not any(secret in v for v in values), secret
        assert secret not in text


def test_review_rows_name_the_organisation(db: Database, person: int) -> None:
    with db.read_session() as s:
        rows = {r.name: r for r in review(s, 3, today=dt.date(2027, 6, 1))}
    assert rows["Öztürk, Dr. Ayşe"].organisation == "Türkischer Elternverein Bocholt"
    assert rows["Öztürk, Dr. Ayşe"].last_year == 2024
    assert rows["Kaya, Mehmet"].organisation == ""


# --- the person's name and values elsewhere: free text, import journals, merged duplicates ---------------------


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (("Şükrü", "Yılmaz"), "Vortrag: Dr. Şükrü Yılmaz, Kaya", "Vortrag: [anonymisiert], Kaya"),
        (("Şükrü", "Yılmaz"), "ŞÜKRÜ YILMAZ / Sukru Yilmaz", "[anonymisiert] / [anonymisiert]"),
        (("Şükrü", "Yılmaz"), "Yılmaz, Şükrü (Moschee)", "[anonymisiert] (Moschee)"),
        (("Şükrü", "Yılmaz"), "Şükrü hilft; Şükrü Yılmazlar", "Şükrü hilft; Şükrü Yılmazlar"),
        (("محمد", "الحسن"), "كلمة محمد الحسن شكرا", "كلمة [anonymisiert] شكرا"),
        (("محمد", "الحسن"), "مُحَمَّد الحَسَن", "[anonymisiert]"),  # with vowel marks
        (("محمد", "الحسن"), "محمد وحده، محمد الحسنين", "محمد وحده، محمد الحسنين"),
        (("Ольга", "Петрова"), "Доклад: ОЛЬГА ПЕТРОВА", "Доклад: [anonymisiert]"),
        (("Ольга", "Петрова"), "Петрова, Ольга; Ольга Петровская", "[anonymisiert]; Ольга Петровская"),
        (("Ayşe", "Öztürk"), "Frau Ayse Oeztuerk berichtet", "[anonymisiert] berichtet"),
        (("Ayşe", "Öztürk"), unicodedata.normalize("NFD", "mit Ayşe Öztürk"), "mit [anonymisiert]"),
        (
            ("Ayşe", "Öztürk"),
            "Ayşe allein, Frau Öztürk, Ayşe Öztürkmen",
            "Ayşe allein, Frau Öztürk, Ayşe Öztürkmen",
        ),
        (
            ("Anna Maria", "Berg"),
            "Prof. Dr. Anna van der Berg; Berg, Anna Maria van der",
            "[anonymisiert]; [anonymisiert]",
        ),
        (("Anna Maria", "Berg"), "Maria Berg, Anna Bergmann", "Maria Berg, Anna Bergmann"),
    ],
)
def test_scrubber_replaces_whole_names_in_any_script(name: tuple[str, str], text: str, expected: str) -> None:
    prefix = "van der" if name[1] == "Berg" else ""
    scrubber = Scrubber.for_person(
        first_name=name[0],
        name_prefix=prefix,
        last_name=name[1],
        title="Dr.",
        emails=["x@example.org"],
        others=[("Ayşe", "Öztürkmen")],
    )
    assert scrubber.sub(text) == expected
    assert scrubber.sub("Post an X@Example.org.") == "Post an [anonymisiert]."
    # without a first name nothing but the e-mail address is a sure sign of the person
    alone = Scrubber.for_person(first_name="", name_prefix="", last_name=name[1], title="")
    assert alone.sub(text) == text


#: other persons in the register (their names tell a longer name from the person's)
REGISTER = [("Mohammed", "Yusuf"), ("Ayşe", "Demir"), ("Maria", "Garcia")]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        # part of a hyphenated name: someone else
        (("Anna", "Müller"), "Anna Müller-Schmidt spricht", "Anna Müller-Schmidt spricht"),
        (("Anna", "Müller"), "Schmidt-Müller, Anna", "Schmidt-Müller, Anna"),
        (("Anna", "Müller"), "Anna-Lena Müller; Müller, Anna-Lena", "Anna-Lena Müller; Müller, Anna-Lena"),
        (("Ali", "Hassan"), "Ali Hassan-Rahimi", "Ali Hassan-Rahimi"),
        # after a registered first name: a longer name of someone else
        (("Ali", "Hassan"), "Mohammed Ali Hassan", "Mohammed Ali Hassan"),
        (("Ali", "Hassan"), "Herr Mohammed Ali Hassan kommt", "Herr Mohammed Ali Hassan kommt"),
        (("Maria", "Lopez"), "Garcia Lopez, Maria; Lopez, Maria", "Garcia Lopez, Maria; [anonymisiert]"),
        # the person: titles and salutations belong to the name, a noun before it does not stop it
        (("Anna", "Müller"), "Frau Anna Müller, Dr. Anna Müller", "[anonymisiert], [anonymisiert]"),
        (("Anna", "Müller"), "Grußwort Anna Müller", "Grußwort [anonymisiert]"),
        (
            ("Anna", "Müller"),
            "Anna Müller - Jugendamt; Anna Müller-",
            "[anonymisiert] - Jugendamt; [anonymisiert]-",
        ),
        (("Anna", "Müller"), "Anna Müller – Schmidt (Moderation)", "[anonymisiert] – Schmidt (Moderation)"),
        (("Ali", "Hassan"), "Herr Ali Hassan; Ali Hassan.", "[anonymisiert]; [anonymisiert]."),
        (("Ali", "Hassan"), "Mohammed, Ali Hassan", "Mohammed, [anonymisiert]"),
    ],
)
def test_scrubber_leaves_longer_names_of_others_alone(
    name: tuple[str, str], text: str, expected: str
) -> None:
    scrubber = Scrubber.for_person(
        first_name=name[0], name_prefix="", last_name=name[1], title="", others=REGISTER
    )
    assert scrubber.sub(text) == expected
    assert _scrub_strings({"k": [text]}, scrubber) == {"k": [expected]}  # import journals alike


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the reversed form followed by a noun, a function or more text: the person
        (
            "Berichterstattung: Müller, Anna Jugendamt Borken",
            "Berichterstattung: [anonymisiert] Jugendamt Borken",
        ),
        ("Müller, Anna Vorsitzende", "[anonymisiert] Vorsitzende"),
        ("Rückfragen an Müller, Anna Telefon 123", "Rückfragen an [anonymisiert] Telefon 123"),
        ("MÜLLER, ANNA JUGENDAMT", "[anonymisiert] JUGENDAMT"),
        ("Müller, Anna Schmidt", "[anonymisiert] Schmidt"),  # no Anna Schmidt registered
        ("Müller, Anna lebt in Borken", "[anonymisiert] lebt in Borken"),
        # a list: the first name and the next word(s) are another registered person
        ("Müller, Anna Schulte; Müller, Anna", "Müller, Anna Schulte; [anonymisiert]"),
        ("Referenten: Müller, Anna Lena Berg", "Referenten: Müller, Anna Lena Berg"),
        ("Müller, Anna Lena Bergmann", "[anonymisiert] Lena Bergmann"),
        # a list: a capitalised word before the last name ends someone else's name
        ("Frau Müller, Anna Demir", "Frau Müller, Anna Demir"),
        ("Jonas Müller, Anna Bergmann", "Jonas Müller, Anna Bergmann"),
        ("Jonas Müller, Anna", "Jonas Müller, Anna"),  # Jonas registered: not the person
        ("Grußwort Müller, Anna kommt", "Grußwort [anonymisiert] kommt"),
    ],
)
def test_reversed_name_followed_by_words(text: str, expected: str) -> None:
    scrubber = Scrubber.for_person(
        first_name="Anna",
        name_prefix="",
        last_name="Müller",
        title="",
        others=[("Anna", "Schulte"), ("Anna Lena", "Berg"), ("Hans", "Schmidt"), ("Jonas", "Weber")],
    )
    assert scrubber.sub(text) == expected


@pytest.mark.parametrize(
    ("email", "text", "expected"),
    [
        ("mueller@stadt.de", "anna.mueller@stadt.de", "anna.mueller@stadt.de"),
        (
            "mueller@stadt.de",
            "a-mueller@stadt.de, a+mueller@stadt.de",
            "a-mueller@stadt.de, a+mueller@stadt.de",
        ),
        ("info@verein.de", "info@verein.de.example", "info@verein.de.example"),
        ("info@verein.de", "info@verein.de-online.org", "info@verein.de-online.org"),
        ("mueller@stadt.de", "Mail: mueller@stadt.de.", "Mail: [anonymisiert]."),
        (
            "mueller@stadt.de",
            "<MUELLER@stadt.de>, mailto:mueller@stadt.de",
            "<[anonymisiert]>, mailto:[anonymisiert]",
        ),
        ("info@verein.de", "(info@verein.de); info@verein.de", "([anonymisiert]); [anonymisiert]"),
    ],
)
def test_scrubber_takes_only_whole_email_addresses(email: str, text: str, expected: str) -> None:
    scrubber = Scrubber.for_person(
        first_name="Anna", name_prefix="", last_name="Müller", title="", emails=[email]
    )
    assert scrubber.sub(text) == expected
    assert _scrub_strings([{"old": {"notes": text}}], scrubber) == [{"old": {"notes": expected}}]


def test_erasure_knows_longer_names_from_the_register(db: Database) -> None:
    ali = persons.create_person(
        db, validation.PersonData(first_name="Ali", last_name="Hassan", email="info@verein.de")
    )
    persons.create_person(db, validation.PersonData(first_name="Mohammed", last_name="Yusuf"))
    text = "Mohammed Ali Hassan, Ali Hassan-Rahimi und Ali Hassan (info@verein.de, info@verein.de.example)"
    kept = (
        "Mohammed Ali Hassan, Ali Hassan-Rahimi und [anonymisiert] ([anonymisiert], info@verein.de.example)"
    )
    with db.session() as s:
        org = Organisation(name="Moscheegemeinde Gronau", notes=text)
        s.add(org)
        s.add(
            ImportBatch(
                file_name="liste.xlsx",
                undo_data={"updates": [{"table": "organisation", "old": {"notes": text}}]},
            )
        )
        s.flush()
        oid = org.id
    erase_person(db, ali, "Antrag")
    with db.read_session() as s:
        assert s.get_one(Organisation, oid).notes == kept
        journal = s.scalars(sa.select(ImportBatch.undo_data)).one()
    assert journal == {"updates": [{"table": "organisation", "old": {"notes": kept}}]}


def test_plain_text_names_elsewhere_are_replaced(db: Database, person: int) -> None:
    with db.session() as s:
        c2024 = s.scalars(sa.select(Conference.id).where(Conference.year == 2024)).one()
        org = s.scalars(sa.select(Organisation)).one()
        org.notes = "Ansprechpartnerin: Ayşe Öztürk, AYSE.OEZTUERK@example.org"
        hans = Person(first_name="Hans", last_name="Berg", notes="Ayşe hilft beim Aufbau")
        s.add(hans)
        s.flush()
        s.add_all(
            [
                AgendaItem(
                    conference_id=c2024, title="Grußwort", speakers="Dr. Ayşe Öztürk, Mehmet Kaya",
                    moderation="Öztürk, Ayşe", description="Ayşe stellt den Verein vor",
                ),
                MinutesEntry(
                    conference_id=c2024, rapporteur="AYŞE ÖZTÜRK",
                    notes="Frau Ayse Oeztuerk berichtet; Ayşe Öztürkmen fragt nach.",
                ),
                Recommendation(
                    conference_id=c2024, text="Sprachkurse ausbauen",
                    responsible_text="Ayşe Öztürk (Elternverein)",
                ),
                inv := Invitation(conference_id=c2024, person_id=hans.id, substitute_name="Dr. Ayşe Öztürk"),
            ]
        )  # fmt: skip
        s.flush()
        for number, slug in (
            (inv.id, "oeztuerk-ayse"),
            (inv.id + 1, "ozturk-ayse"),
            (inv.id + 2, "berg-hans"),
        ):
            s.add(
                ArchivedDocument(
                    conference_id=c2024, invitation_id=inv.id, kind="Brief",
                    file_name=f"2024-einladung-{number:05d}-{slug}.pdf", content=b"%PDF",
                )
            )  # fmt: skip
        hans_id, org_version = hans.id, org.version
    with db.read_session() as s:
        before = statistics.conference_stats(s, 2024)
    result = erase_person(db, person, "Antrag")
    assert result.texts_scrubbed == 5  # organisation, agenda item, minutes, recommendation, invitation
    with db.read_session() as s:
        item = s.scalars(sa.select(AgendaItem)).one()
        minutes = s.scalars(sa.select(MinutesEntry)).one()
        rec = s.scalars(sa.select(Recommendation)).one()
        inv = s.scalars(sa.select(Invitation).where(Invitation.person_id == hans_id)).one()
        org = s.scalars(sa.select(Organisation)).one()
        files = s.scalars(sa.select(ArchivedDocument.file_name)).all()
        audit_values = [
            v for pair in s.execute(sa.select(AuditEntry.old_value, AuditEntry.new_value)) for v in pair if v
        ]
        after = statistics.conference_stats(s, 2024)
        assert s.get_one(Person, hans_id).notes == "Ayşe hilft beim Aufbau"
    assert (item.speakers, item.moderation) == ("[anonymisiert], Mehmet Kaya", "[anonymisiert]")
    assert item.description == "Ayşe stellt den Verein vor"  # a first name alone is no one in particular
    assert minutes.rapporteur == "[anonymisiert]"
    assert minutes.notes == "[anonymisiert] berichtet; Ayşe Öztürkmen fragt nach."
    assert rec.responsible_text == "[anonymisiert] (Elternverein)"
    assert inv.substitute_name == "[anonymisiert]"
    assert org.notes == "Ansprechpartnerin: [anonymisiert], [anonymisiert]"
    assert org.version == org_version + 1  # an editor with the old text gets a conflict
    assert set(files) == {
        f"2024-einladung-{inv.id:05d}-anonymisiert.pdf",  # a namesake's letter: the name goes, the file stays
        f"2024-einladung-{inv.id + 1:05d}-anonymisiert.pdf",  # the older spelling of the names
        f"2024-einladung-{inv.id + 2:05d}-berg-hans.pdf",
    }
    assert "[anonymisiert] (Elternverein)" in audit_values  # the recommendation's history, scrubbed
    for secret in ("Öztürk,", "Ayşe Öztürk", "ÖZTÜRK", "Oeztuerk", "oeztuerk@"):
        assert not any(secret.lower() in v.lower() for v in audit_values), secret
    assert (after.total, after.by_category) == (before.total, before.by_category)


def test_scrubbed_text_keeps_its_tail_in_a_full_column(db: Database, person: int) -> None:
    """ "[anonymisiert]" is longer than "Ayşe Öztürk": in a full field a shorter placeholder, nothing cut off."""
    full = ("Ayşe Öztürk, Mehmet Kaya, Dr. Ayşe Öztürk und " + "Protokoll " * 20)[:196] + "Ende"
    fits = "Bericht: Ayşe Öztürk (Elternverein)"
    with db.session() as s:
        c2024 = s.scalars(sa.select(Conference.id).where(Conference.year == 2024)).one()
        s.add_all(
            [
                MinutesEntry(conference_id=c2024, rapporteur=full),
                MinutesEntry(conference_id=c2024, rapporteur=fits, notes=full),
            ]
        )
    assert len(full) == 200 == MinutesEntry.__table__.c.rapporteur.type.length
    erase_person(db, person, "Antrag")
    with db.read_session() as s:
        rows = s.execute(
            sa.select(MinutesEntry.rapporteur, MinutesEntry.notes).order_by(MinutesEntry.id)
        ).all()
    shortened = full.replace("Dr. Ayşe Öztürk", "[anon.]").replace("Ayşe Öztürk", "[anon.]")
    assert rows[0].rapporteur == shortened and shortened.endswith("Ende")
    assert rows[1].rapporteur == "Bericht: [anonymisiert] (Elternverein)"  # fits: the usual placeholder
    assert rows[1].notes.startswith("[anonymisiert], Mehmet Kaya, [anonymisiert] und ")  # text: no limit
    assert rows[1].notes.endswith("Ende")


def test_scrubber_placeholder_fits_the_column() -> None:
    scrubber = Scrubber.for_person(first_name="Al", name_prefix="", last_name="Li", title="")
    assert scrubber.sub_within("Al Li, Al Li", None) == "[anonymisiert], [anonymisiert]"
    assert scrubber.sub_within("Al Li, Al Li", 30) == "[anonymisiert], [anonymisiert]"
    assert scrubber.sub_within("Al Li, Al Li", 16) == "[anon.], [anon.]"
    assert scrubber.sub_within("Al Li, Al Li", 12) == "…, …"
    assert scrubber.sub_within("Ali", 1) == "Ali"


IMPORT_HEAD = ["Vorname", "Nachname", "Organisation", "Funktion", "Telefon", "E-Mail", "Notiz"]
#: what the person's rows in the two imports said
IMPORTED_SECRETS = (
    "Şükrü", "Yılmaz", "sukru", "02562 11111", "0171 9999999", "Dolmetscher", "Adresse folgt",
    "Vorsitzender", "Kassenwart",
)  # fmt: skip


def test_import_journals_lose_the_person_and_stay_undoable(db: Database, tmp_path: Path) -> None:
    """One import created the person, a second updated it; after the erasure neither journal holds
    anything of the person, and both imports can still be undone for their other rows."""
    kept_org = organisations.create_organisation(db, validation.OrganisationData(name="Kulturverein Ahaus"))
    emil = persons.create_person(
        db, validation.PersonData(first_name="Emil", last_name="Anders", email="emil.anders@example.org")
    )
    first = [
        IMPORT_HEAD,
        ["Şükrü", "Yılmaz", "Moscheegemeinde Gronau", "Vorsitzender", "02562 11111", "sukru.yilmaz@example.org",
         "kommt mit Dolmetscher"],
        ["Olga", "Petrowa", "Deutsch-Russischer Verein", "", "", "olga.petrowa@example.org", ""],
    ]  # fmt: skip
    second = [
        IMPORT_HEAD,
        ["Şükrü", "Yılmaz", "Kulturverein Ahaus", "Kassenwart", "0171 9999999", "sukru.yilmaz@example.org",
         "neue Adresse folgt"],
        ["Emil", "Anders", "Kulturverein Ahaus", "", "02871 5555", "emil.anders@example.org", ""],
        ["Jonas", "Neumann", "", "", "", "jonas.neumann@example.org", ""],
    ]  # fmt: skip
    one = importing.import_file(db, fx.write_xlsx(tmp_path / "anmeldungen.xlsx", first)).batch_id or 0
    two = (
        importing.import_file(db, fx.write_xlsx(tmp_path / "nachtrag.xlsx", second), update=True).batch_id
        or 0
    )
    with db.read_session() as s:
        sid = s.scalars(sa.select(Person.id).where(Person.email == "sukru.yilmaz@example.org")).one()
        olga = s.scalars(sa.select(Person.id).where(Person.last_name == "Petrowa")).one()
        assert s.get_one(Person, emil).phone == "02871 5555"
        journals = json.dumps([b.undo_data for b in s.scalars(sa.select(ImportBatch))], ensure_ascii=False)
    assert "02562 11111" in journals and "Vorsitzender" in journals  # the second journal had the old values
    new_conference.create_conference(
        db, editing.ConferenceData(year=2025, title="Integrationskonferenz 2025")
    )
    inviting.invite(db, 2025, inviting.InviteeFilter(person_ids=[sid]))
    with db.session() as s:
        s.scalars(
            sa.select(Invitation).where(Invitation.person_id == sid)
        ).one().status = InvitationStatus.ATTENDED
    with db.read_session() as s:
        stats = statistics.conference_stats(s, 2025)
        inv = s.scalars(sa.select(Invitation).where(Invitation.person_id == sid)).one()
        assert inv.organisation_id == kept_org

    result = erase_person(db, sid, "Antrag vom 01.12.2026")
    assert result.journals_scrubbed == 2

    with db.read_session() as s:
        batches = {b.id: b for b in s.scalars(sa.select(ImportBatch))}
        journals = json.dumps([b.undo_data for b in batches.values()], ensure_ascii=False)
        export = json.dumps(export_person(s, sid), ensure_ascii=False)
        audit_values = [
            v for pair in s.execute(sa.select(AuditEntry.old_value, AuditEntry.new_value)) for v in pair if v
        ]
        assert undo.undo_blockers(s, one) == []
        assert undo.undo_blockers(s, two) == []
    for secret in IMPORTED_SECRETS:
        assert secret.lower() not in journals.lower(), secret
        assert secret.lower() not in export.lower(), secret
        assert not any(secret.lower() in v.lower() for v in audit_values), secret
    assert batches[two].undo_data["updates"]  # Emil's old values are still there

    undone = undo.undo_import(db, two)
    assert (undone.persons_deleted, undone.records_restored) == (1, 1)
    with db.read_session() as s:
        assert s.get_one(Person, emil).phone == ""
        assert s.get_one(Person, sid).last_name == "Anonymisiert"
    undone = undo.undo_import(db, one)
    assert undone.persons_deleted == 1  # Olga; the anonymised row stays for the statistics
    with db.read_session() as s:
        assert s.get(Person, olga) is None
        erased = s.get_one(Person, sid)
        assert (erased.last_name, erased.import_batch_id) == ("Anonymisiert", None)
        after = statistics.conference_stats(s, 2025)
    assert (after.total, after.by_category) == (stats.total, stats.by_category)


def test_history_of_merged_duplicates_goes_too(db: Database, person: int) -> None:
    duplicate = persons.create_person(
        db, validation.PersonData(first_name="Ayse", last_name="Oeztuerk", email="a.oeztuerk@privat.example")
    )
    merge.merge_persons(db, person, duplicate)
    erase_person(db, person, "Antrag")
    with db.read_session() as s:
        values = [
            v
            for pair in s.execute(
                sa.select(AuditEntry.old_value, AuditEntry.new_value).where(
                    AuditEntry.entity_type == "person", AuditEntry.entity_id == duplicate
                )
            )
            for v in pair
            if v
        ]
    assert not any("oeztuerk" in v.lower() for v in values), values


def test_erasure_summary_names_what_was_removed() -> None:
    result = ErasureResult(
        person_id=7,
        id_hash="ab",
        invitations_kept=3,
        documents_removed=2,
        texts_scrubbed=4,
        journals_scrubbed=2,
    )
    assert result.summary("Ayşe Öztürk") == (
        "Ayşe Öztürk wurde anonymisiert; 3 Einladungen bleiben für die Statistik erhalten; "
        "2 archivierte Briefe gelöscht; der Name in 4 anderen Texten ersetzt; aus 2 Import-Journalen entfernt."
    )
    one = ErasureResult(
        person_id=7,
        id_hash="ab",
        invitations_kept=1,
        documents_removed=1,
        texts_scrubbed=1,
        journals_scrubbed=1,
    )
    assert one.summary("Ayşe Öztürk") == (
        "Ayşe Öztürk wurde anonymisiert; 1 Einladung bleibt für die Statistik erhalten; "
        "1 archivierter Brief gelöscht; der Name in 1 anderen Text ersetzt; aus 1 Import-Journal entfernt."
    )
    none = ErasureResult(person_id=7, id_hash="ab", invitations_kept=0)
    assert (
        none.summary("Person 7")
        == "Person 7 wurde anonymisiert; 0 Einladungen bleiben für die Statistik erhalten."
    )


def test_erase_removes_the_e_mails_to_the_person(db: Database, person: int) -> None:
    """The e-mails sent to the person (address, message with name and attachments) and a mail server's
    refusal of the address go with the erasure; other persons' e-mails of the same run stay."""
    from konferenz.mail import outbox
    from konferenz.storage.models import MailMessage

    with db.session() as s:
        conf = Conference(year=2031, title="Integrationskonferenz 2031")
        s.add(conf)
        s.flush()
        mine = Invitation(conference_id=conf.id, person_id=person)
        kaya = s.scalars(sa.select(Person.id).where(Person.last_name == "Kaya")).one()
        theirs = Invitation(conference_id=conf.id, person_id=kaya)
        s.add_all([mine, theirs])
        s.flush()
        ids, conf_id = (mine.id, theirs.id), conf.id
        p = s.get(Person, person)
        assert p is not None
        p.email_failing = "550 5.1.1 ayse.oeztuerk@example.org: user unknown"
    recipients = [
        outbox.Recipient(ids[0], "ayse.oeztuerk@example.org"),
        outbox.Recipient(ids[1], "m.kaya@example.org"),
    ]
    outbox.create_run(db, conf_id, "einladung", recipients, from_address="ki@kreis-borken.de")
    erase_person(db, person, "Widerspruch")
    with db.read_session() as s:
        left = s.execute(sa.select(MailMessage.invitation_id, MailMessage.address)).all()
        p = s.get(Person, person)
        assert p is not None and p.email_failing == "" and p.email_failing_at is None
    assert [tuple(r) for r in left] == [(ids[1], "m.kaya@example.org")]
