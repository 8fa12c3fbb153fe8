"""Duplicate rules, the check on save, the whole-registry scan and merging (konferenz.registry: keys, duplicates, scan, merge)."""

from __future__ import annotations

import dataclasses
import random
import time
from typing import Any

import pytest
import sqlalchemy as sa

from konferenz.audit import history as audit
from konferenz.enums import AuditAction, Gender, InvitationStatus
from konferenz.errors import UserError
from konferenz.registry import duplicates, keys, merge, organisations, persons, scan
from konferenz.registry.validation import OrganisationData, PersonData, RoleData
from konferenz.storage import snapshot
from konferenz.storage.db import Database
from konferenz.storage.models import (
    AgendaItem,
    AgendaPerson,
    ArchivedDocument,
    AuditEntry,
    ConsentRecord,
    Invitation,
    Person,
    Recommendation,
    Role,
)

COMPARED = [t for t in snapshot.TABLES if t != "audit_entry"]


def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    with db.read_session() as s:
        return snapshot.dump(s, COMPARED)


def person(db: Database, first: str, last: str, **kw: Any) -> int:
    return persons.create_person(db, PersonData(first_name=first, last_name=last, **kw))


def candidates(db: Database, first: str, last: str, **kw: Any) -> list[duplicates.Candidate]:
    with db.read_session() as s:
        return duplicates.find_duplicates_for(s, PersonData(first_name=first, last_name=last, **kw))


# --- keys ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("Ayşe", "", "Öztürk"), ("Ayse", "", "Oeztuerk")),
        (("Ayşe", "", "Öztürk"), ("AYSE", "", "OZTURK")),
        (("Jürgen", "", "Groß"), ("Juergen", "", "Gross")),
        (("José", "", "García"), ("Jose", "", "Garcia")),
        (("Thị Lan", "", "Nguyễn"), ("Thi Lan", "", "Nguyen")),
        (("Karl", "von", "Stein"), ("Karl", "", "von Stein")),
        (("Anna-Lena", "", "Meyer"), ("Anna Lena", "", "Meyer")),
    ],
)
def test_name_key_meets_spellings(a: tuple[str, str, str], b: tuple[str, str, str]) -> None:
    assert keys.name_key(*a) == keys.name_key(*b)


def test_name_key_keeps_different_names_apart() -> None:
    assert keys.name_key("Anna", "", "Müller") != keys.name_key("Anna", "", "Miller")
    assert keys.name_key("Olga", "", "Ivanova") != keys.name_key("Ольга", "", "Иванова")


def test_email_key_ignores_case_and_spaces() -> None:
    assert keys.email_key(" A.Oeztuerk@Example.ORG ") == keys.email_key("a.oeztuerk@example.org")
    assert keys.email_key("a.oeztuerk @example.org") == "a.oeztuerk@example.org"
    assert keys.email_key("") == ""


def test_cyrillic_transliteration() -> None:
    assert keys.to_latin("Иванова") == "ivanova"
    assert keys.to_latin("Юлия Щукина") == "julija shchukina"
    assert keys.latin_key("Ольга", "", "Иванова") == keys.latin_key("Olga", "", "Ivanova")
    assert keys.to_latin("Öztürk") == "ozturk"


@pytest.mark.parametrize(
    "name",
    [("Muhammad", "Alhassan"), ("Mohamed", "Al Hassan"), ("Mohammed", "al-Hassan"), ("Muhammed", "Hassan")],
)
def test_loose_key_meets_arabic_transliterations(name: tuple[str, str]) -> None:
    assert keys.loose_key(name[0], "", name[1]) == keys.loose_key("Mohammed", "", "Al-Hassan")


def test_loose_key_other_variants() -> None:
    assert keys.loose_key("Youssef", "", "Haddad") == keys.loose_key("Yusuf", "", "Hadad")
    assert keys.loose_key("Olga", "", "Iwanowa") == keys.loose_key("Ольга", "", "Иванова")
    assert keys.loose_key("Anna", "", "Schmidt") != keys.loose_key("Anna", "", "Becker")


# --- the check on save ---------------------------------------------------------------------------------------


def test_same_email_is_certain(db: Database) -> None:
    pid = person(db, "Ayşe", "Öztürk", email="A.Oeztuerk@example.org")
    found = candidates(db, "Ayla", "Yılmaz", email=" a.oeztuerk@EXAMPLE.org")
    assert [(c.person_id, c.certain, c.reason) for c in found] == [(pid, True, "gleiche E-Mail-Adresse")]
    assert "Ayşe Öztürk" in found[0].label


@pytest.mark.parametrize("spelling", [("Ayse", "Oeztuerk"), ("AYSE", "Ozturk"), ("Ayşe", "Öztürk")])
def test_umlaut_spellings_are_certain(db: Database, spelling: tuple[str, str]) -> None:
    pid = person(db, "Ayşe", "Öztürk")
    found = candidates(db, *spelling)
    assert [(c.person_id, c.certain) for c in found] == [(pid, True)]


def test_vietnamese_with_and_without_diacritics(db: Database) -> None:
    pid = person(db, "Thị Lan", "Nguyễn")
    assert [(c.person_id, c.certain) for c in candidates(db, "Thi Lan", "Nguyen")] == [(pid, True)]


def test_same_name_at_other_organisation_is_only_a_candidate(db: Database) -> None:
    a = organisations.create_organisation(db, OrganisationData(name="Caritas"))
    b = organisations.create_organisation(db, OrganisationData(name="AWO"))
    pid = person(db, "Thomas", "Müller", roles=[RoleData(a)])
    same_org = candidates(db, "Thomas", "Mueller", roles=[RoleData(a), RoleData(b)])
    assert [(c.person_id, c.certain, c.reason) for c in same_org] == [
        (pid, True, "gleicher Name und gleiche Organisation")
    ]
    other_org = candidates(db, "Thomas", "Müller", roles=[RoleData(b)])
    assert [(c.person_id, c.certain) for c in other_org] == [(pid, False)]
    assert "andere Organisation" in other_org[0].reason
    no_org = candidates(db, "Thomas", "Müller")
    assert [(c.person_id, c.certain) for c in no_org] == [(pid, True)]


def test_cyrillic_and_latin_are_candidates_both_ways(db: Database) -> None:
    cyrillic = person(db, "Ольга", "Иванова")
    found = candidates(db, "Olga", "Ivanova")
    assert [(c.person_id, c.certain, c.reason) for c in found] == [
        (cyrillic, False, "gleicher Name in anderer Schrift")
    ]
    latin = person(db, "Olga", "Ivanova")
    found = {c.person_id: c.certain for c in candidates(db, "Ольга", "Иванова")}
    assert found == {cyrillic: True, latin: False}


def test_arabic_transliteration_variants_are_candidates(db: Database) -> None:
    pid = person(db, "Mohammed", "Al-Hassan", title="Prof. Dr.")
    found = candidates(db, "Muhammad", "Alhassan")
    assert [(c.person_id, c.certain, c.reason) for c in found] == [
        (pid, False, "ähnliche Schreibweise des Namens")
    ]
    assert found[0].label.startswith("Prof. Dr. Mohammed Al-Hassan")


def test_typo_is_a_candidate_with_score(db: Database) -> None:
    pid = person(db, "Katharina", "Schmidt")
    found = candidates(db, "Katharina", "Schmitt")
    assert [c.person_id for c in found] == [pid]
    assert not found[0].certain
    assert 0.5 <= found[0].score < 1  # the weight of a near name (konferenz.registry.evidence)
    assert found[0].reason.startswith("ähnlicher Name (")


def test_unrelated_and_excluded_persons_are_not_candidates(db: Database) -> None:
    pid = person(db, "Anna", "Becker", email="anna@example.org")
    person(db, "Peter", "Schulz")
    assert candidates(db, "Jan", "Bäcker") == []
    with db.read_session() as s:
        data = persons.get_person(db, pid).data
        assert duplicates.find_duplicates_for(s, data, exclude_id=pid) == []
    assert duplicates.check_person(db, dataclasses.replace(data, first_name="Anne")) != []


# --- whole registry ------------------------------------------------------------------------------------------


def test_find_all_duplicates(db: Database) -> None:
    a = organisations.create_organisation(db, OrganisationData(name="Caritas"))
    b = organisations.create_organisation(db, OrganisationData(name="AWO"))
    oez = [person(db, "Ayşe", "Öztürk"), person(db, "Ayse", "Oeztuerk"), person(db, "AYSE", "OZTURK")]
    mail = [
        person(db, "Peter", "Schulz", email="p.schulz@example.org"),
        person(db, "P.", "Schulz", email="P.Schulz@Example.org "),
    ]
    ivan = [person(db, "Olga", "Ivanova"), person(db, "Ольга", "Иванова")]
    arab = [person(db, "Mohammed", "Al-Hassan"), person(db, "Muhammad", "Alhassan")]
    typo = [person(db, "Katharina", "Schmidt"), person(db, "Katharina", "Schmitt")]
    first_typo = [person(db, "Jennifer", "Lopez"), person(db, "Jenifer", "Lopez")]
    orgs = [
        person(db, "Thomas", "Müller", roles=[RoleData(a)]),
        person(db, "Thomas", "Müller", roles=[RoleData(b)]),
    ]
    person(db, "Anna", "Becker")
    person(db, "Jan", "Weber")
    with db.read_session() as s:
        groups = scan.find_all_duplicates(s)
    by_members = {tuple(g.person_ids): g for g in groups}
    assert set(by_members) == {tuple(x) for x in (oez, mail, ivan, arab, typo, first_typo, orgs)}
    assert by_members[tuple(oez)].certain and by_members[tuple(mail)].certain
    assert by_members[tuple(mail)].reason == "gleiche E-Mail-Adresse"
    for uncertain in (ivan, arab, typo, first_typo, orgs):
        assert not by_members[tuple(uncertain)].certain
    assert by_members[tuple(ivan)].reason == "gleicher Name in anderer Schrift"
    assert by_members[tuple(arab)].reason == "ähnliche Schreibweise des Namens"
    assert by_members[tuple(typo)].reason.startswith("ähnlicher Name")
    assert groups[0].certain and not groups[-1].certain


@pytest.mark.slow
def test_scan_of_100000_persons(sqlite_db: Database) -> None:
    rnd = random.Random(2025)
    firsts = [
        "Anna",
        "Maria",
        "Ayşe",
        "Mehmet",
        "Mohammed",
        "Muhammad",
        "Fatma",
        "Ivan",
        "Olga",
        "Ольга",
        "Thị",
        "Lan",
        "Jan",
        "Jana",
        "Peter",
        "Petra",
        "Hans",
        "Klaus",
        "Sabine",
        "Monika",
        "Ali",
        "Ahmed",
        "Yusuf",
        "Youssef",
        "Elif",
        "Emre",
        "Can",
        "Zeynep",
        "Lukas",
        "Leon",
        "Mia",
        "Emma",
        "Sofia",
        "Dmitri",
        "Sergej",
        "Natalia",
        "Tatjana",
        "Katharina",
        "Thomas",
        "Michael",
        "Andrea",
        "Stefan",
        "Julia",
        "Olena",
        "Mykola",
        "Aleksandra",
        "Piotr",
    ]
    common = [
        "Müller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Becker",
        "Schulz",
        "Hoffmann",
        "Öztürk",
        "Yılmaz",
        "Kaya",
        "Demir",
        "Şahin",
        "Çelik",
        "Nguyễn",
        "Trần",
        "Иванова",
        "Petrov",
        "Al-Hassan",
        "Haddad",
        "Nowak",
        "Kowalski",
        "Jansen",
        "Terhorst",
    ]
    syllables = [
        "ba",
        "be",
        "bo",
        "ka",
        "ke",
        "ki",
        "ko",
        "ma",
        "me",
        "mi",
        "mo",
        "na",
        "ne",
        "no",
        "ra",
        "re",
        "ri",
        "ro",
        "sa",
        "se",
        "so",
        "ta",
        "te",
        "to",
        "la",
        "le",
        "lo",
        "man",
        "er",
        "el",
        "en",
        "ski",
        "ow",
    ]

    def last_name() -> str:
        if rnd.random() < 0.3:
            return rnd.choice(common)
        return "".join(rnd.choice(syllables) for _ in range(rnd.randint(2, 4))).capitalize()

    rows = []
    for i in range(100_000):
        first, last = rnd.choice(firsts), last_name()
        email = f"{first}.{last}{i % 95_000}@example.org".lower() if rnd.random() < 0.7 else ""
        rows.append({"first_name": first, "last_name": last, "email": email})
    with sqlite_db.session() as s:
        s.execute(sa.insert(Person), rows)
    with sqlite_db.read_session() as s:
        start = time.perf_counter()
        groups = scan.find_all_duplicates(s)
        seconds = time.perf_counter() - start
    print(f"\nfind_all_duplicates: 100.000 Personen in {seconds:.1f} s, {len(groups)} Gruppen")
    assert groups
    assert any(g.certain for g in groups)
    assert seconds < 60  # a generous bound against hangs; the printed time is the measurement


# --- merging -----------------------------------------------------------------------------------------------


def _two_records(db: Database) -> dict[str, int]:
    """Two records of one person with overlapping and separate data everywhere."""
    from konferenz.storage.models import Conference

    verein = organisations.create_organisation(db, OrganisationData(name="Türkischer Elternverein"))
    schule = organisations.create_organisation(db, OrganisationData(name="Gesamtschule Bocholt"))
    awo = organisations.create_organisation(db, OrganisationData(name="AWO"))
    keep = person(
        db,
        "Ayşe",
        "Öztürk",
        email="",
        city="Bocholt",
        roles=[RoleData(verein, "Vorsitzende", is_primary=True)],
        tags=["Elternarbeit"],
    )
    drop = person(
        db,
        "Ayse",
        "Oeztuerk",
        gender=Gender.FEMALE,
        email="a.oeztuerk@example.org",
        city="Rhede",
        roles=[RoleData(verein, "", "Vorstand", is_primary=True), RoleData(schule, "Elternvertreterin")],
        tags=["Presse", "Elternarbeit"],
        participant_list_consent=True,
    )
    other = person(db, "Anna", "Weber", roles=[RoleData(awo)])
    with db.session() as s:
        confs = [Conference(year=y, title=f"Integrationskonferenz {y}") for y in (2023, 2024, 2025)]
        s.add_all(confs)
        s.flush()
        c23, c24, c25 = (c.id for c in confs)
        k24 = Invitation(conference_id=c24, person_id=keep, status=InvitationStatus.INVITED)
        d24 = Invitation(conference_id=c24, person_id=drop, status=InvitationStatus.ATTENDED)
        k25 = Invitation(conference_id=c25, person_id=keep, status=InvitationStatus.ACCEPTED)
        d25 = Invitation(conference_id=c25, person_id=drop, status=InvitationStatus.DECLINED)
        d23 = Invitation(conference_id=c23, person_id=drop, status=InvitationStatus.ATTENDED)
        sub = Invitation(
            conference_id=c25, person_id=other, status=InvitationStatus.SUBSTITUTED, substitute_person_id=drop
        )
        s.add_all([k24, d24, k25, d25, d23, sub])
        s.flush()
        s.add(
            ArchivedDocument(
                conference_id=c24, invitation_id=k24.id, kind="letter", file_name="k.pdf", content=b"k"
            )
        )
        s.add(
            ArchivedDocument(
                conference_id=c25, invitation_id=d25.id, kind="letter", file_name="d.pdf", content=b"d"
            )
        )
        item = AgendaItem(conference_id=c25, title="Podium")
        s.add(item)
        s.flush()
        s.add_all(
            [
                AgendaPerson(agenda_item_id=item.id, person_id=keep, part="speaker"),
                AgendaPerson(agenda_item_id=item.id, person_id=drop, part="speaker"),
                AgendaPerson(agenda_item_id=item.id, person_id=drop, part="moderation"),
                Recommendation(conference_id=c24, text="Elterncafés", responsible_person_id=drop),
            ]
        )
        ids = {"k24": k24.id, "d24": d24.id, "k25": k25.id, "d25": d25.id, "d23": d23.id, "sub": sub.id}
    return {"keep": keep, "drop": drop, "verein": verein, "schule": schule, "c24": c24, "c25": c25, **ids}


def test_merge_proposal_defaults(db: Database) -> None:
    r = _two_records(db)
    with db.read_session() as s:
        proposal = merge.merge_proposal(s, r["keep"], r["drop"])
    fields = {f.field: f for f in proposal.fields}
    assert fields["email"].default == "drop"  # empty on the survivor: the other value wins
    assert fields["gender"].default == "drop"  # "keine Angabe" counts as empty
    assert fields["gender"].drop_value == "weiblich"
    assert fields["city"].default == "keep"  # conflict: the survivor wins
    assert fields["city"].differs and not fields["street"].differs
    assert fields["last_name"].label == "Nachname"
    assert proposal.roles_moved == ["Gesamtschule Bocholt"]
    assert proposal.roles_combined == ["Türkischer Elternverein"]
    assert proposal.invitations_moved == 1
    assert {(c.conference, c.winner) for c in proposal.invitation_conflicts} == {
        ("2024", "drop"),
        ("2025", "keep"),
    }
    assert proposal.tags_added == ["Presse"]
    assert any("teilgenommen" in n for n in proposal.notes)


def test_merge_moves_everything_and_undo_restores_it(db: Database) -> None:
    r = _two_records(db)
    keep, drop = r["keep"], r["drop"]
    before = dump(db)
    result = merge.merge_persons(db, keep, drop, {"city": "drop"})
    with db.read_session() as s:
        assert s.get(Person, drop) is None
        survivor = persons.get_person(db, keep)
        d = survivor.data
        assert (d.email, d.gender, d.city, d.last_name) == (
            "a.oeztuerk@example.org",
            Gender.FEMALE,
            "Rhede",
            "Öztürk",
        )
        assert d.tags == ["Elternarbeit", "Presse"]
        assert [(x.organisation_id, x.function, x.department, x.is_primary) for x in d.roles] == [
            (r["verein"], "Vorsitzende", "Vorstand", True),
            (r["schule"], "Elternvertreterin", "", False),
        ]
        assert d.participant_list_consent
        assert (
            s.scalar(sa.select(sa.func.count(ConsentRecord.id)).where(ConsentRecord.person_id == keep)) == 1
        )
        invs = dict(
            s.execute(
                sa.select(Invitation.conference_id, Invitation.id).where(Invitation.person_id == keep)
            ).all()
        )
        # 2024: the dropped record attended, so its invitation survives; 2025: the survivor's "zugesagt"
        assert invs[r["c24"]] == r["d24"] and invs[r["c25"]] == r["k25"]
        assert r["d23"] in invs.values()
        assert s.get(Invitation, r["k24"]) is None and s.get(Invitation, r["d25"]) is None
        letters = dict(s.execute(sa.select(ArchivedDocument.file_name, ArchivedDocument.invitation_id)).all())
        assert letters == {"k.pdf": r["d24"], "d.pdf": r["k25"]}  # archived letters follow the survivor
        assert s.scalar(sa.select(Invitation.substitute_person_id).where(Invitation.id == r["sub"])) == keep
        assert s.scalar(sa.select(Recommendation.responsible_person_id)) == keep
        parts = s.execute(
            sa.select(AgendaPerson.person_id, AgendaPerson.part).order_by(AgendaPerson.part)
        ).all()
        assert [tuple(p) for p in parts] == [(keep, "moderation"), (keep, "speaker")]
        assert s.scalar(sa.select(sa.func.count(Role.id)).where(Role.person_id == keep)) == 2
        text = s.scalar(sa.select(Person.search_text).where(Person.id == keep))
        assert text is not None and "gesamtschule bocholt" in text
        merge_entries = s.scalars(
            sa.select(AuditEntry).where(
                AuditEntry.change_set == result.change_set, AuditEntry.action == AuditAction.MERGE
            )
        ).all()
        assert {(e.entity_id, e.field) for e in merge_entries} >= {
            (keep, "merged_from"),
            (drop, "merged_into"),
            (keep, "city"),
        }
        # the survivor's history shows the dropped record's history too
        lines = audit.history(s, "person", keep)
        assert any(h.merged_from == drop and h.field == "email" for h in lines)
        assert any(h.field == "merged_from" and "Oeztuerk" in h.new for h in lines)
    assert survivor.version == result.keep_version
    assert result.notes

    merge.undo_merge(db, result)
    assert dump(db) == before
    with db.read_session() as s:
        assert not any(h.merged_from for h in audit.history(s, "person", keep))
    with pytest.raises(UserError, match="schon rückgängig"):
        merge.undo_merge(db, result)
    # redo, then undo again
    again = merge.merge_persons(db, keep, drop, {"city": "drop"})
    merge.undo_merge(db, again)
    assert dump(db) == before


def test_undo_merge_refuses_after_a_later_edit(db: Database) -> None:
    keep, drop = person(db, "Jan", "Jansen"), person(db, "Jan", "Janssen")
    result = merge.merge_persons(db, keep, drop)
    rec = persons.get_person(db, keep)
    persons.update_person(db, keep, dataclasses.replace(rec.data, city="Vreden"), rec.version)
    with pytest.raises(UserError, match="nicht mehr rückgängig"):
        merge.undo_merge(db, result)


def test_merge_refuses_nonsense(db: Database) -> None:
    keep = person(db, "Jan", "Jansen")
    with pytest.raises(UserError, match="mit sich selbst"):
        merge.merge_persons(db, keep, keep)
    with pytest.raises(UserError, match="gibt es nicht"):
        merge.merge_persons(db, keep, 9999)
    drop = person(db, "Jan", "Janssen")
    with pytest.raises(UserError, match="Unbekannte Felder"):
        merge.merge_persons(db, keep, drop, {"shoe_size": "drop"})
    with db.read_session() as s:
        assert s.get(Person, drop) is not None


# --- organisations --------------------------------------------------------------------------------------------


def test_organisation_duplicates_for(db: Database) -> None:
    caritas = organisations.create_organisation(
        db,
        OrganisationData(
            name="Caritasverband Bocholt", department="Migrationsdienst", email="info@caritas.de"
        ),
    )
    awo = organisations.create_organisation(db, OrganisationData(name="AWO Kreisverband Borken"))
    with db.read_session() as s:

        def find(**kw: Any) -> list[tuple[int, bool]]:
            data = OrganisationData(**kw)
            return [
                (c.organisation_id, c.certain) for c in duplicates.find_organisation_duplicates_for(s, data)
            ]

        assert find(name="Caritasverband  Bocholt", department="Migrationsdienst") == [(caritas, True)]
        assert find(name="Caritas e. V.", email=" INFO@caritas.de") == [(caritas, True)]
        assert find(name="Caritasverband Bocholt", department="Schuldnerberatung") == [(caritas, False)]
        assert find(name="AWO Kreisverband Borkenn") == [(awo, False)]
        assert find(name="Volkshochschule Aalen") == []


def test_merge_organisations_and_undo(db: Database) -> None:
    from konferenz.storage.models import Conference, Organisation

    keep = organisations.create_organisation(db, OrganisationData(name="Kulturverein", tags=["MSO-Netz"]))
    drop = organisations.create_organisation(
        db, OrganisationData(name="Kulturverein e. V.", email="info@kulturverein.de", tags=["Presse"])
    )
    both = person(db, "Emre", "Kaya", roles=[RoleData(keep), RoleData(drop, "Kassierer", is_primary=True)])
    only_drop = person(db, "Elif", "Demir", roles=[RoleData(drop, "Vorsitzende")])
    with db.session() as s:
        confs = [Conference(year=y, title=f"Konferenz {y}") for y in (2024, 2025)]
        s.add_all(confs)
        s.flush()
        s.add_all(
            [
                Invitation(conference_id=confs[0].id, organisation_id=keep, status=InvitationStatus.INVITED),
                Invitation(conference_id=confs[0].id, organisation_id=drop, status=InvitationStatus.ACCEPTED),
                Invitation(conference_id=confs[1].id, organisation_id=drop, status=InvitationStatus.PLANNED),
                Invitation(
                    conference_id=confs[1].id,
                    person_id=only_drop,
                    organisation_id=drop,
                    status=InvitationStatus.INVITED,
                ),
                Recommendation(conference_id=confs[0].id, text="Räume", responsible_organisation_id=drop),
            ]
        )
    before = dump(db)
    with db.read_session() as s:
        proposal = merge.organisation_merge_proposal(s, keep, drop)
    assert {f.field: f.default for f in proposal.fields}["email"] == "drop"
    assert proposal.roles_moved == ["Elif Demir"] and proposal.roles_combined == ["Emre Kaya"]
    result = merge.merge_organisations(db, keep, drop)
    with db.read_session() as s:
        assert s.get(Organisation, drop) is None
        assert organisations.get_organisation(db, keep).data.email == "info@kulturverein.de"
        assert organisations.get_organisation(db, keep).data.tags == ["MSO-Netz", "Presse"]
        roles = s.execute(
            sa.select(Role.person_id, Role.organisation_id, Role.is_primary, Role.function)
        ).all()
        assert sorted(tuple(r) for r in roles) == sorted(
            [(both, keep, True, "Kassierer"), (only_drop, keep, True, "Vorsitzende")]
        )
        invs = s.execute(sa.select(Invitation.person_id, Invitation.organisation_id, Invitation.status)).all()
        assert sorted((tuple(i) for i in invs), key=str) == sorted(
            [
                (None, keep, InvitationStatus.ACCEPTED),
                (None, keep, InvitationStatus.PLANNED),
                (only_drop, keep, InvitationStatus.INVITED),
            ],
            key=str,
        )
        assert s.scalar(sa.select(Recommendation.responsible_organisation_id)) == keep
    merge.undo_merge(db, result)
    assert dump(db) == before
