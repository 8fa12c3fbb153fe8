"""The registry services (konferenz.registry): validation, saving, search keys, undo, filters — both backends."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa

from konferenz.enums import Channel, ConsentPurpose, Gender, InvitationStatus
from konferenz.errors import ConflictError, UserError
from konferenz.lists import facets
from konferenz.lists.facets import RegistryFilter
from konferenz.registry import filters, organisations, persons, validation
from konferenz.registry import tags as registry_tags
from konferenz.registry.validation import OrganisationData, PersonData, RoleData
from konferenz.storage import snapshot
from konferenz.storage.db import Database
from konferenz.storage.models import (
    AgendaItem,
    AgendaPerson,
    ArchivedDocument,
    Category,
    Conference,
    ConsentRecord,
    Invitation,
    Municipality,
    Organisation,
    Person,
    Recommendation,
    Role,
)

#: every table but the audit log, which records undo and redo as well and so only grows
COMPARED = [t for t in snapshot.TABLES if t != "audit_entry"]


def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    with db.read_session() as s:
        return snapshot.dump(s, COMPARED)


def ids(db: Database, model: type[Category] | type[Municipality], *names: str) -> list[int]:
    with db.read_session() as s:
        found = dict(s.execute(sa.select(model.name, model.id).where(model.name.in_(names))).all())
    return [found[n] for n in names]


def org(db: Database, name: str, category: str = "Migrantenselbstorganisation", **kw: Any) -> int:
    (cat,) = ids(db, Category, category)
    return organisations.create_organisation(db, OrganisationData(name=name, category_id=cat, **kw))


def conference(db: Database, year: int) -> int:
    with db.session() as s:
        conf = Conference(year=year, title=f"Integrationskonferenz {year}")
        s.add(conf)
        s.flush()
        return conf.id


def invite(db: Database, conf: int, person: int | None, status: InvitationStatus, **kw: Any) -> int:
    with db.session() as s:
        inv = Invitation(conference_id=conf, person_id=person, status=status, **kw)
        s.add(inv)
        s.flush()
        return inv.id


# --- validation --------------------------------------------------------------------------------------------


def test_person_needs_a_last_name_and_nothing_is_saved(db: Database) -> None:
    with pytest.raises(validation.ValidationError) as err:
        persons.create_person(db, PersonData(first_name="Ayşe", last_name="  "))
    assert [e.field for e in err.value.errors] == ["last_name"]
    assert "Nachname" in str(err.value)
    assert isinstance(err.value, UserError)
    with db.read_session() as s:
        assert s.scalar(sa.select(sa.func.count(Person.id))) == 0


def test_organisation_needs_a_name() -> None:
    errors = validation.validate_organisation(OrganisationData(name=""))
    assert [(e.field, "Name" in e.message) for e in errors] == [("name", True)]


@pytest.mark.parametrize(
    "email", ["ayse oeztuerk@example.org", "ayse.example.org", "ayse@example", "a@@b.de", "@b.de"]
)
def test_invalid_email_is_rejected_naming_the_field(email: str) -> None:
    errors = validation.validate_person(PersonData(last_name="Öztürk", email=email))
    assert [e.field for e in errors] == ["email"]
    assert errors[0].message.startswith("E-Mail:")


@pytest.mark.parametrize("email", ["a.oeztuerk@example.org", "info@müller-verein.de", "x+y@kreis-borken.de"])
def test_valid_email_passes(email: str) -> None:
    assert validation.validate_person(PersonData(last_name="Öztürk", email=email)) == []


def test_german_postal_codes() -> None:
    assert validation.normalise_postal_code("1067") == "01067"
    assert validation.normalise_postal_code(" 46 395 ") == "46395"
    assert validation.normalise_postal_code("1067", "Deutschland") == "01067"
    errors = validation.validate_person(PersonData(last_name="Müller", postal_code="123"))
    assert [e.field for e in errors] == ["postal_code"]
    assert "PLZ" in errors[0].message and "Ausland" in errors[0].message
    assert (
        validation.validate_person(
            PersonData(last_name="Müller", postal_code="7500 AB", country="Niederlande")
        )
        == []
    )
    assert validation.normalise_person(PersonData(last_name="M", country="Deutschland")).country == ""


def test_too_long_values_name_the_field() -> None:
    errors = validation.validate_person(PersonData(last_name="x" * 101))
    assert [e.field for e in errors] == ["last_name"]
    assert "höchstens 100 Zeichen" in errors[0].message


def test_roles_primary_rules() -> None:
    two = PersonData(last_name="M", roles=[RoleData(1, is_primary=True), RoleData(2, is_primary=True)])
    assert [e.field for e in validation.validate_person(two)] == ["roles"]
    none = validation.normalise_person(PersonData(last_name="M", roles=[RoleData(1), RoleData(2)]))
    assert [r.is_primary for r in none.roles] == [True, False]
    twice = PersonData(last_name="M", roles=[RoleData(1), RoleData(1)])
    assert "mehrfach" in validation.validate_person(twice)[0].message


def test_unknown_organisation_in_role_is_refused(db: Database) -> None:
    with pytest.raises(validation.ValidationError, match=r"Organisation Nr\. 999"):
        persons.create_person(db, PersonData(last_name="M", roles=[RoleData(999)]))


# --- saving and reading ------------------------------------------------------------------------------------


def test_create_and_get_round_trip(db: Database) -> None:
    verein = org(db, "Türkischer Elternverein Bocholt", postal_code="46395", city="Bocholt")
    (bocholt,) = ids(db, Municipality, "Bocholt")
    data = PersonData(
        gender=Gender.FEMALE,
        title="Dr.",
        first_name=" Ayşe ",
        last_name="Öztürk",
        postal_code="1067",
        city="Dresden",
        email="a.oeztuerk@example.org",
        tags=["Presse", "presse", "Beirat"],
        roles=[RoleData(verein, function="Vorsitzende")],
        participant_list_consent=True,
    )
    pid = persons.create_person(db, data)
    rec = persons.get_person(db, pid)
    assert rec.version == 1
    assert rec.data.first_name == "Ayşe"
    assert rec.data.postal_code == "01067"
    assert rec.data.municipality_id is None  # Dresden is not in the Kreis
    assert rec.data.tags == ["Beirat", "Presse"]
    assert rec.data.roles == [RoleData(verein, "Vorsitzende", "", True)]
    assert rec.data.roles[0].organisation_name == "Türkischer Elternverein Bocholt"
    assert rec.data.participant_list_consent is True
    assert rec.display_name == "Dr. Ayşe Öztürk"
    with db.read_session() as s:
        person = s.get(Person, pid)
        assert person is not None
        assert "turkischer elternverein bocholt" in person.search_text
        assert "ozturk" in person.search_text
        consent = s.scalars(sa.select(ConsentRecord)).one()
        assert consent.purpose is ConsentPurpose.PARTICIPANT_LIST and consent.withdrawn_on is None
    # the municipality follows the PLZ when none is chosen
    pid2 = persons.create_person(db, PersonData(last_name="Jansen", postal_code="46399"))
    assert persons.get_person(db, pid2).data.municipality_id == bocholt


def test_municipality_follows_a_new_postal_code(db: Database) -> None:
    bocholt, rhede = ids(db, Municipality, "Bocholt", "Rhede")
    pid = persons.create_person(db, PersonData(last_name="Jansen", postal_code="46395"))
    rec = persons.get_person(db, pid)
    assert rec.data.municipality_id == bocholt
    persons.update_person(db, pid, dataclasses.replace(rec.data, postal_code="46414"), rec.version)
    assert persons.get_person(db, pid).data.municipality_id == rhede


def test_update_changes_version_and_stale_version_conflicts(db: Database) -> None:
    pid = persons.create_person(db, PersonData(first_name="Ivan", last_name="Petrov"))
    rec = persons.get_person(db, pid)
    new_version = persons.update_person(db, pid, dataclasses.replace(rec.data, city="Borken"), rec.version)
    assert new_version == rec.version + 1
    # unchanged data: no new version
    assert (
        persons.update_person(db, pid, dataclasses.replace(rec.data, city="Borken"), new_version)
        == new_version
    )
    with pytest.raises(validation.VersionConflictError) as err:
        persons.update_person(db, pid, dataclasses.replace(rec.data, city="Ahaus"), rec.version)
    assert isinstance(err.value, ConflictError)
    assert (err.value.expected_version, err.value.stored_version) == (rec.version, new_version)
    assert "anderen Arbeitsplatz" in str(err.value)
    assert isinstance(err.value.current, validation.PersonRecord)
    assert persons.get_person(db, pid).data.city == "Borken"


def test_tag_or_role_change_alone_makes_a_new_version(db: Database) -> None:
    a = org(db, "Verein A")
    pid = persons.create_person(db, PersonData(last_name="Weber"))
    rec = persons.get_person(db, pid)
    v2 = persons.update_person(db, pid, dataclasses.replace(rec.data, roles=[RoleData(a)]), rec.version)
    assert v2 == rec.version + 1
    registry_tags.set_tags(db, "person", pid, ["Sprachmittlung"])
    assert persons.get_person(db, pid).version == v2 + 1
    assert persons.get_person(db, pid).data.tags == ["Sprachmittlung"]


def test_renaming_an_organisation_refreshes_its_persons(db: Database) -> None:
    verein = org(db, "Elternverein")
    pid = persons.create_person(db, PersonData(last_name="Yılmaz", roles=[RoleData(verein)]))
    rec = organisations.get_organisation(db, verein)
    assert rec.person_count == 1
    organisations.update_organisation(
        db, verein, dataclasses.replace(rec.data, name="Deutsch-Türkischer Kulturverein"), rec.version
    )
    with db.read_session() as s:
        text = s.scalar(sa.select(Person.search_text).where(Person.id == pid))
    assert text is not None and "deutsch-turkischer kulturverein" in text
    assert "elternverein" not in text
    flt = RegistryFilter(search="kulturverein yilmaz")
    with db.read_session() as s:
        assert filters.filter_person_ids(s, flt) == [pid]


def test_name_in_another_script_is_found_in_latin(db: Database) -> None:
    pid = persons.create_person(db, PersonData(first_name="Ольга", last_name="Иванова"))
    with db.read_session() as s:
        assert filters.filter_person_ids(s, RegistryFilter(search="Ivanova")) == [pid]
        assert filters.filter_person_ids(s, RegistryFilter(search="Иванова")) == [pid]


# --- undo and redo -------------------------------------------------------------------------------------------


def test_undo_and_redo_of_create(db: Database) -> None:
    verein = org(db, "Verein")
    registry_tags.set_tags(db, "organisation", verein, ["Presse"])  # the tag exists before: tags are shared
    before = dump(db)
    pid = persons.create_person(
        db,
        PersonData(last_name="Nguyễn", first_name="Thị Lan", roles=[RoleData(verein)], tags=["Presse"]),
    )
    after_create = dump(db)
    snap = persons.delete_person(db, pid)  # undo
    assert dump(db) == before
    persons.restore_person(db, snap)  # redo: same id, same rows
    assert dump(db) == after_create


def test_undo_and_redo_of_edit(db: Database) -> None:
    a, b = org(db, "Verein A"), org(db, "Verein B")
    pid = persons.create_person(
        db,
        PersonData(
            last_name="Schmidt",
            roles=[RoleData(a, "Kassenwart")],
            tags=["Alt"],
            participant_list_consent=True,
        ),
    )
    rec = persons.get_person(db, pid)
    before = dump(db)
    undo = persons.capture_person(db, pid, record_only=True)
    changed = dataclasses.replace(
        rec.data,
        last_name="Schmitt",
        roles=[RoleData(b, "Vorstand")],
        tags=["Neu"],
        participant_list_consent=False,
    )
    version = persons.update_person(db, pid, changed, rec.version)
    after = dump(db)
    assert after != before
    persons.restore_person(db, undo, expected_version=version)
    after_undo = dump(db)
    # the tag "Neu" created by the edit stays in the shared vocabulary; everything else is as before
    assert {k: v for k, v in after_undo.items() if k != "tag"} == {
        k: v for k, v in before.items() if k != "tag"
    }
    # redo
    persons.update_person(db, pid, changed, undo.row("person", pid)["version"])  # type: ignore[index]
    assert persons.get_person(db, pid).data.last_name == "Schmitt"


def test_undo_of_edit_refuses_when_changed_meanwhile(db: Database) -> None:
    pid = persons.create_person(db, PersonData(last_name="Schmidt"))
    rec = persons.get_person(db, pid)
    undo = persons.capture_person(db, pid, record_only=True)
    version = persons.update_person(db, pid, dataclasses.replace(rec.data, city="Ahaus"), rec.version)
    persons.update_person(db, pid, dataclasses.replace(rec.data, city="Heek"), version)  # someone else
    with pytest.raises(validation.VersionConflictError):
        persons.restore_person(db, undo, expected_version=version)
    assert persons.get_person(db, pid).data.city == "Heek"


def _person_with_everything(db: Database) -> tuple[int, int, int]:
    """A person with roles, tags, consent, invitations (one with an archived letter), an agenda part, a
    substitute reference on someone else's invitation and a recommendation naming them responsible."""
    verein = org(db, "Verein")
    pid = persons.create_person(
        db,
        PersonData(
            first_name="Mohammed",
            last_name="Al-Hassan",
            title="Prof. Dr.",
            roles=[RoleData(verein, "Vorsitzender")],
            tags=["Podium"],
            participant_list_consent=True,
        ),
    )
    other = persons.create_person(db, PersonData(first_name="Anna", last_name="Weber"))
    c24, c25 = conference(db, 2024), conference(db, 2025)
    inv = invite(
        db, c24, pid, InvitationStatus.ATTENDED, organisation_id=verein, invited_on=dt.date(2024, 3, 1)
    )
    invite(db, c25, pid, InvitationStatus.ACCEPTED, invitation_channel=Channel.EMAIL)
    invite(
        db,
        c25,
        other,
        InvitationStatus.SUBSTITUTED,
        substitute_person_id=pid,
        substitute_name="Prof. Al-Hassan",
    )
    with db.session() as s:
        s.add(
            ArchivedDocument(
                conference_id=c24, invitation_id=inv, kind="letter", file_name="a.pdf", content=b"%PDF"
            )
        )
        item = AgendaItem(conference_id=c25, title="Podium")
        s.add(item)
        s.flush()
        s.add(AgendaPerson(agenda_item_id=item.id, person_id=pid, part="speaker"))
        s.add(Recommendation(conference_id=c24, text="Elterncafés ausbauen", responsible_person_id=pid))
    return pid, other, verein


def test_undo_of_delete_restores_everything(db: Database) -> None:
    pid, other, _ = _person_with_everything(db)
    impact = persons.deletion_impact(db, pid)
    assert (impact.invitations, impact.attended, impact.roles, impact.consents) == (2, 1, 1, 1)
    assert (
        impact.agenda_items,
        impact.archived_documents,
        impact.substitute_for,
        impact.recommendations,
    ) == (
        1,
        1,
        1,
        1,
    )
    assert "2 Einladungen (davon 1× teilgenommen)" in impact.text
    assert "anonymisiert" in impact.text
    before = dump(db)
    snap = persons.delete_person(db, pid)
    with db.read_session() as s:
        assert s.get(Person, pid) is None
        assert s.scalar(sa.select(sa.func.count(Invitation.id))) == 1
        assert (
            s.scalar(sa.select(Invitation.substitute_person_id).where(Invitation.person_id == other)) is None
        )
        assert s.scalar(sa.select(Recommendation.responsible_person_id)) is None
        assert s.scalar(sa.select(sa.func.count(ArchivedDocument.id))) == 0
    persons.restore_person(db, snap)
    assert dump(db) == before
    # redo and undo once more
    snap = persons.delete_person(db, pid)
    persons.restore_person(db, snap)
    assert dump(db) == before


def test_restoring_twice_is_harmless(db: Database) -> None:
    pid = persons.create_person(db, PersonData(last_name="Kaya"))
    snap = persons.delete_person(db, pid)
    persons.restore_person(db, snap)
    before = dump(db)
    persons.restore_person(db, snap)
    assert dump(db) == before


def test_delete_and_restore_organisation(db: Database) -> None:
    a, b = org(db, "Verein A"), org(db, "Verein B")
    p1 = persons.create_person(
        db, PersonData(last_name="Demir", roles=[RoleData(a, is_primary=True), RoleData(b)])
    )
    p2 = persons.create_person(db, PersonData(last_name="Schulz", roles=[RoleData(a)]))
    c = conference(db, 2025)
    invite(db, c, p1, InvitationStatus.INVITED, organisation_id=a)
    own = invite(db, c, None, InvitationStatus.INVITED, organisation_id=a)
    with db.session() as s:
        s.add(
            ArchivedDocument(
                conference_id=c, invitation_id=own, kind="letter", file_name="v.pdf", content=b"x"
            )
        )
        s.add(Recommendation(conference_id=c, text="Räume bereitstellen", responsible_organisation_id=a))
    impact = organisations.organisation_deletion_impact(db, a)
    assert (impact.roles, impact.persons_losing_primary, impact.invitations_unlinked) == (2, 2, 1)
    assert (impact.invitations_deleted, impact.recommendations, impact.archived_documents) == (1, 1, 1)
    assert "ohne Ansprechperson werden gelöscht" in impact.text
    before = dump(db)
    snap = organisations.delete_organisation(db, a)
    with db.read_session() as s:
        assert s.get(Organisation, a) is None
        roles = s.execute(sa.select(Role.person_id, Role.organisation_id, Role.is_primary)).all()
        assert roles == [(p1, b, True)]  # the next role became primary
        inv = s.scalars(sa.select(Invitation)).one()
        assert (inv.person_id, inv.organisation_id) == (p1, None)
        text = s.scalar(sa.select(Person.search_text).where(Person.id == p1))
        assert text is not None and "verein a" not in text
        assert s.scalar(sa.select(Recommendation.responsible_organisation_id)) is None
    organisations.restore_organisation(db, snap)
    assert dump(db) == before
    assert persons.get_person(db, p2).data.roles[0].organisation_id == a


def test_undo_and_redo_of_organisation_edit(db: Database) -> None:
    a = org(db, "Verein", postal_code="46325")
    pid = persons.create_person(db, PersonData(last_name="Demir", roles=[RoleData(a)]))
    rec = organisations.get_organisation(db, a)
    before = dump(db)
    undo = organisations.capture_organisation(db, a, record_only=True)
    version = organisations.update_organisation(
        db, a, dataclasses.replace(rec.data, name="Verein neu"), rec.version
    )
    with db.read_session() as s:
        assert "verein neu" in (s.scalar(sa.select(Person.search_text).where(Person.id == pid)) or "")
    organisations.restore_organisation(db, undo, expected_version=version)
    assert dump(db) == before


# --- summaries ----------------------------------------------------------------------------------------------


def test_invitation_summary(db: Database) -> None:
    pid = persons.create_person(db, PersonData(last_name="Kaya"))
    assert persons.invitation_summary(db, pid).text == "noch nie eingeladen"
    statuses = [
        InvitationStatus.ATTENDED,
        InvitationStatus.ATTENDED,
        InvitationStatus.DECLINED,
        InvitationStatus.ATTENDED,
        InvitationStatus.NO_REPLY,
        InvitationStatus.PLANNED,
    ]
    for year, status in zip(range(2020, 2026), statuses, strict=True):
        invite(db, conference(db, year), pid, status)
    summary = persons.invitation_summary(db, pid)
    assert summary.text == "5× eingeladen, 3× teilgenommen, 1× vorgemerkt"
    assert [(p.year, p.status_label) for p in summary.per_conference][:2] == [
        (2025, "vorgemerkt"),
        (2024, "keine Rückmeldung"),
    ]


# --- tags and saved filters ------------------------------------------------------------------------------------


def test_tags(db: Database) -> None:
    a = org(db, "Verein")
    p = persons.create_person(db, PersonData(last_name="Kaya", tags=["Presse"]))
    registry_tags.set_tags(db, "organisation", a, ["presse", "Netzwerk"])
    tags = {t.name: (t.persons, t.organisations) for t in registry_tags.list_tags(db)}
    assert tags == {"Presse": (1, 1), "Netzwerk": (0, 1)}
    presse = next(t.id for t in registry_tags.list_tags(db) if t.name == "Presse")
    registry_tags.delete_tag(db, presse)
    assert persons.get_person(db, p).data.tags == []
    assert [t.name for t in registry_tags.list_tags(db)] == ["Netzwerk"]


def test_saved_filter_round_trip(db: Database) -> None:
    (mso,) = ids(db, Category, "Migrantenselbstorganisation")
    bocholt, rhede = ids(db, Municipality, "Bocholt", "Rhede")
    flt = RegistryFilter(category_ids=(mso,), municipality_ids=(bocholt, rhede))
    fid = filters.save_filter(db, "Alle MSO in Bocholt und Rhede", flt)
    assert filters.list_filters(db) == [facets.SavedFilterInfo(fid, "Alle MSO in Bocholt und Rhede", flt)]
    # saving under the same name replaces the definition
    wider = dataclasses.replace(flt, search="verein")
    assert filters.save_filter(db, "Alle MSO in Bocholt und Rhede", wider) == fid
    assert filters.list_filters(db)[0].filter == wider
    with pytest.raises(validation.ValidationError, match="Name"):
        filters.save_filter(db, "  ", flt)
    filters.delete_filter(db, fid)
    assert filters.list_filters(db) == []


def test_filter_all_mso_in_bocholt_and_rhede(db: Database) -> None:
    (mso, traeger) = ids(db, Category, "Migrantenselbstorganisation", "Freier Träger")
    bocholt, rhede = ids(db, Municipality, "Bocholt", "Rhede")
    mso_bocholt = org(db, "Türkischer Elternverein", postal_code="46395")
    mso_rhede = org(db, "Polnischer Kulturverein", postal_code="46414")
    mso_borken = org(db, "Syrischer Verein", postal_code="46325")
    caritas_bocholt = org(db, "Caritas", category="Freier Träger", postal_code="46397")
    a = persons.create_person(
        db, PersonData(last_name="Arslan", roles=[RoleData(mso_bocholt)], postal_code="46325")
    )
    b = persons.create_person(db, PersonData(last_name="Nowak", roles=[RoleData(mso_rhede)]))
    persons.create_person(db, PersonData(last_name="Haddad", roles=[RoleData(mso_borken)]))
    persons.create_person(db, PersonData(last_name="Becker", roles=[RoleData(caritas_bocholt)]))
    # own category wins over the organisation's: counted as MSO although at the Caritas
    c = persons.create_person(
        db, PersonData(last_name="Celik", category_id=mso, roles=[RoleData(caritas_bocholt)])
    )
    # a secondary role at an MSO does not count
    persons.create_person(
        db,
        PersonData(last_name="Dahl", roles=[RoleData(caritas_bocholt, is_primary=True), RoleData(mso_rhede)]),
    )
    # no organisation: own category and own municipality
    d = persons.create_person(db, PersonData(last_name="Ebert", category_id=mso, postal_code="46414"))
    flt = RegistryFilter(category_ids=(mso,), municipality_ids=(bocholt, rhede))
    fid = filters.save_filter(db, "Alle MSO in Bocholt und Rhede", flt)
    (saved,) = [f for f in filters.list_filters(db) if f.id == fid]
    with db.read_session() as s:
        assert set(filters.filter_person_ids(s, saved.filter)) == {a, b, c, d}
        assert filters.filter_person_ids(s, dataclasses.replace(flt, search="elternverein")) == [a]
        orgs = filters.filter_organisation_ids(
            s, RegistryFilter(kind="organisations", category_ids=(mso,), municipality_ids=(bocholt, rhede))
        )
        assert set(orgs) == {mso_bocholt, mso_rhede}
        assert filters.filter_ids(s, RegistryFilter(kind="organisations", category_ids=(traeger,))) == [
            caritas_bocholt
        ]
    registry_tags.set_tags(db, "organisation", mso_rhede, ["Netzwerk Integration"])
    tag = next(t.id for t in registry_tags.list_tags(db) if t.name == "Netzwerk Integration")
    with db.read_session() as s:
        # tags: own or the primary organisation's
        assert filters.filter_person_ids(s, RegistryFilter(tag_ids=(tag,))) == [b]


def test_restore_fails_cleanly_when_a_referenced_record_is_gone(db: Database) -> None:
    verein = org(db, "Verein")
    pid = persons.create_person(db, PersonData(last_name="Kaya", roles=[RoleData(verein)]))
    snap = persons.delete_person(db, pid)
    organisations.delete_organisation(db, verein)
    before = dump(db)
    with pytest.raises(UserError, match="nicht wiederhergestellt"):
        persons.restore_person(db, snap)
    assert dump(db) == before
