"""DSGVO: access, erasure that keeps statistics, review of old records — on both backends."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from konferenz import conferences as conf
from konferenz import privacy, statistics
from konferenz.db import Database
from konferenz.enums import AuditAction, Channel, ConsentPurpose, Gender, InvitationStatus
from konferenz.errors import UserError
from konferenz.models import (
    ArchivedDocument,
    AuditEntry,
    Category,
    ConsentRecord,
    DeletionLog,
    Invitation,
    Organisation,
    Person,
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
        conf.create_conference(db, conf.ConferenceData(year=year, title=f"Integrationskonferenz {year}"))
        conf.invite(db, year, conf.InviteeFilter(everyone=True))
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
        path = privacy.write_export(s, person, tmp_path / "auskunft.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["person"]["first_name"] == "Ayşe"
    assert data["person"]["schlagworte"] == ["Presse"]
    assert data["rollen"][0]["organisation"] == "Türkischer Elternverein Bocholt"
    assert {i["konferenz"] for i in data["einladungen"]} == {2023, 2024}
    assert data["einwilligungen"][0]["zweck"] == "Nennung in der Teilnehmerliste"
    email_change = next(a for a in data["aenderungsprotokoll"] if a["old_value"] == "ayse@alt.example")
    assert email_change["new_value"] == "ayse.oeztuerk@example.org"


def test_erase_leaves_nothing_personal_and_keeps_statistics(
    db: Database, person: int, tmp_path: Path
) -> None:
    with db.read_session() as s:
        before = [conf.conference_stats(s, y) for y in (2023, 2024)]
    result = privacy.erase_person(db, person, "Antrag vom 03.11.2026")
    assert result.invitations_kept == 2
    with db.read_session() as s:
        after = [conf.conference_stats(s, y) for y in (2023, 2024)]
        text = json.dumps(privacy.export_person(s, person), ensure_ascii=False)
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
        assert privacy.id_hash(s, person) == log.id_hash
    with pytest.raises(UserError, match="bereits anonymisiert"):
        privacy.erase_person(db, person, "noch einmal")


def test_erase_needs_reason_and_existing_person(db: Database, person: int) -> None:
    with pytest.raises(UserError, match="Grund"):
        privacy.erase_person(db, person, "  ")
    with pytest.raises(UserError, match="ID 999999"):
        privacy.erase_person(db, 999999, "Antrag")


def test_review_lists_persons_not_invited_for_n_years(db: Database, person: int) -> None:
    with db.session() as s:
        s.add(Person(last_name="Neu", created_at=dt.datetime(2026, 10, 1)))
        s.add(Person(last_name="Alt", created_at=dt.datetime(2019, 10, 1)))
    with db.read_session() as s:
        names = {r.name for r in privacy.review(s, 3, today=dt.date(2027, 6, 1))}
        recent = {r.name for r in privacy.review(s, 3, today=dt.date(2026, 6, 1))}
    # last invited 2024: three years before 2027 → listed; never invited and entered 2019 → listed
    assert names == {"Öztürk, Ayşe", "Kaya, Mehmet", "Alt"}
    assert recent == {"Alt"}


def _everything(db: Database) -> dict[str, object]:
    """Statistics of every year and the full text of the invitation and person tables."""
    with db.read_session() as s:
        return {
            "stats": statistics.text_table(conf.all_years_stats(s)),
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
    results = privacy.erase_persons(
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
    privacy.erase_person(db, kaya, "Antrag")
    before = _everything(db)
    # the second person is already anonymised: the first must not be erased either
    with pytest.raises(UserError, match="bereits anonymisiert"):
        privacy.erase_persons(db, [person, kaya], "Überprüfung")
    with pytest.raises(UserError, match="ID 999999"):
        privacy.erase_persons(db, [person, 999999], "Überprüfung")
    with pytest.raises(UserError, match="Grund"):
        privacy.erase_persons(db, [person], " ")
    with pytest.raises(UserError, match="keine Person"):
        privacy.erase_persons(db, [], "Überprüfung")
    assert _everything(db) == before


def test_cancelled_bulk_erasure_changes_nothing(db: Database, person: int) -> None:
    with db.session() as s:
        kaya = s.scalars(sa.select(Person.id).where(Person.last_name == "Kaya")).one()
    before = _everything(db)
    calls: list[int] = []

    def cancel_after_first() -> bool:
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(UserError, match="Abgebrochen"):
        privacy.erase_persons(db, [person, kaya], "Überprüfung", cancelled=cancel_after_first)
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
        export = json.dumps(privacy.export_person(s, person), ensure_ascii=False)
    assert "vegetarisch, kein Schwein" in export  # the invitation's audit entries belong to the access copy
    result = privacy.erase_person(db, person, "Antrag")
    assert result.documents_removed == 1
    with db.read_session() as s:
        values = [
            v for pair in s.execute(sa.select(AuditEntry.old_value, AuditEntry.new_value)) for v in pair if v
        ]
        documents = s.scalar(sa.select(sa.func.count(ArchivedDocument.id)))
        text = json.dumps(privacy.export_person(s, person), ensure_ascii=False)
    assert documents == 0
    for secret in ("vegetarisch", "Öztürk", "Rollstuhl"):
        assert not any(secret in v for v in values), secret
        assert secret not in text


def test_review_rows_name_the_organisation(db: Database, person: int) -> None:
    with db.read_session() as s:
        rows = {r.name: r for r in privacy.review(s, 3, today=dt.date(2027, 6, 1))}
    assert rows["Öztürk, Ayşe"].organisation == "Türkischer Elternverein Bocholt"
    assert rows["Öztürk, Ayşe"].last_year == 2024
    assert rows["Kaya, Mehmet"].organisation == ""
