"""The automatic audit log (storage.recording writes, audit.history reads): entries for every change, readable
history — both backends."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import sqlalchemy as sa

from konferenz import paths
from konferenz.audit import history as audit
from konferenz.enums import AuditAction, Gender, InvitationStatus, RecommendationStatus
from konferenz.registry import merge, organisations, persons
from konferenz.registry.validation import OrganisationData, PersonData, RoleData
from konferenz.storage import recording
from konferenz.storage.db import Database
from konferenz.storage.models import AuditEntry, Conference, Invitation, Municipality, Person, Recommendation


def entries(db: Database, entity_type: str | None = None, entity_id: int | None = None) -> list[AuditEntry]:
    with db.read_session() as s:
        stmt = sa.select(AuditEntry).order_by(AuditEntry.id)
        if entity_type is not None:
            stmt = stmt.where(AuditEntry.entity_type == entity_type)
        if entity_id is not None:
            stmt = stmt.where(AuditEntry.entity_id == entity_id)
        return list(s.scalars(stmt))


def test_create_writes_one_entry_per_filled_field(db: Database) -> None:
    pid = persons.create_person(
        db,
        PersonData(gender=Gender.FEMALE, first_name="Ayşe", last_name="Öztürk", postal_code="1067", notes=""),
    )
    found = entries(db, "person", pid)
    assert {(e.action, e.field, e.old_value, e.new_value) for e in found} == {
        (AuditAction.CREATE, "gender", None, "female"),
        (AuditAction.CREATE, "first_name", None, "Ayşe"),
        (AuditAction.CREATE, "last_name", None, "Öztürk"),
        (AuditAction.CREATE, "postal_code", None, "01067"),
    }
    assert {e.os_user for e in found} == {paths.os_user()}
    assert {e.host for e in found} == {paths.host_name()}
    assert len({e.change_set for e in found}) == 1
    assert found[0].change_set
    assert all(isinstance(e.timestamp, dt.datetime) for e in found)


def test_update_logs_old_and_new_value_but_no_bookkeeping(db: Database) -> None:
    pid = persons.create_person(db, PersonData(first_name="Ayşe", last_name="Öztürk", email="a@example.org"))
    first = {e.change_set for e in entries(db)}
    rec = persons.get_person(db, pid)
    persons.update_person(
        db, pid, dataclasses.replace(rec.data, last_name="Öztürk-Yılmaz", email=""), rec.version
    )
    updates = [e for e in entries(db, "person", pid) if e.action is AuditAction.UPDATE]
    assert {(e.field, e.old_value, e.new_value) for e in updates} == {
        ("last_name", "Öztürk", "Öztürk-Yılmaz"),
        ("email", "a@example.org", ""),
    }
    assert len({e.change_set for e in updates}) == 1
    assert not {e.change_set for e in updates} & first
    logged = {e.field for e in entries(db)}
    assert not logged & {"updated_at", "version", "search_text", "created_at"}


def test_roles_tags_and_consent_are_changes_of_the_person(db: Database) -> None:
    a = organisations.create_organisation(db, OrganisationData(name="Caritasverband Bocholt"))
    b = organisations.create_organisation(db, OrganisationData(name="AWO Borken"))
    pid = persons.create_person(
        db, PersonData(last_name="Weber", roles=[RoleData(a, "Beratung")], tags=["Presse"])
    )
    rec = persons.get_person(db, pid)
    persons.update_person(
        db,
        pid,
        dataclasses.replace(rec.data, roles=[RoleData(b, "Leitung")], tags=[], participant_list_consent=True),
        rec.version,
    )
    found = [(e.action, e.field, e.old_value, e.new_value) for e in entries(db, "person", pid)]
    assert (AuditAction.CREATE, "role", None, "Caritasverband Bocholt – Beratung (Hauptrolle)") in found
    assert (AuditAction.CREATE, "tags", None, "Presse") in found
    assert (AuditAction.UPDATE, "role", "Caritasverband Bocholt – Beratung (Hauptrolle)", None) in found
    assert (AuditAction.UPDATE, "role", None, "AWO Borken – Leitung (Hauptrolle)") in found
    assert (AuditAction.UPDATE, "tags", "Presse", None) in found
    consent = [f for f in found if f[1] == "consent"]
    assert len(consent) == 1
    assert consent[0][3] is not None and consent[0][3].startswith("Nennung in der Teilnehmerliste, erteilt")


def test_delete_logs_one_entry_with_the_name(db: Database) -> None:
    a = organisations.create_organisation(db, OrganisationData(name="Verein"))
    pid = persons.create_person(
        db, PersonData(title="Dr.", first_name="Ayşe", last_name="Öztürk", roles=[RoleData(a)])
    )
    persons.delete_person(db, pid)
    last = [e for e in entries(db, "person", pid) if e.action is AuditAction.DELETE]
    assert [(e.field, e.old_value, e.new_value) for e in last] == [("", "Dr. Ayşe Öztürk", None)]
    # the roles went with the person: no separate entries for them
    assert not [e for e in entries(db, "person", pid) if e.action is AuditAction.DELETE and e.field == "role"]


def test_undo_of_delete_is_logged(db: Database) -> None:
    pid = persons.create_person(db, PersonData(first_name="Ivan", last_name="Petrov"))
    snap = persons.delete_person(db, pid)
    persons.restore_person(db, snap)
    last = entries(db, "person", pid)[-2:]
    assert {(e.action, e.field, e.new_value) for e in last} == {
        (AuditAction.CREATE, "first_name", "Ivan"),
        (AuditAction.CREATE, "last_name", "Petrov"),
    }


def test_rolled_back_unit_of_work_leaves_no_entries(db: Database) -> None:
    with pytest.raises(RuntimeError), db.session() as s:
        s.add(Person(last_name="Niemand"))
        s.flush()
        raise RuntimeError("abgebrochen")
    assert entries(db) == []


def test_change_context_names_the_action_and_change_set(db: Database) -> None:
    pid = persons.create_person(db, PersonData(last_name="Kaya"))
    with db.session() as s:
        cs = recording.set_change_context(s, action=AuditAction.IMPORT, change_set="import-7")
        assert cs == "import-7"
        person = s.get(Person, pid)
        assert person is not None
        person.city = "Vreden"
        s.add(Person(last_name="Neu"))
        s.flush()
        recording.log_action(s, "person", pid, AuditAction.IMPORT, new_value="Liste 2025.xlsx")
    found = [e for e in entries(db) if e.change_set == "import-7"]
    assert {(e.action, e.field) for e in found} == {
        (AuditAction.IMPORT, "city"),  # a change is logged as the named action …
        (AuditAction.CREATE, "last_name"),  # … a creation stays a creation
        (AuditAction.IMPORT, ""),
    }


def test_invitations_and_recommendations_have_their_own_history(db: Database) -> None:
    pid = persons.create_person(db, PersonData(last_name="Kaya"))
    with db.session() as s:
        conf = Conference(year=2025, title="Integrationskonferenz")
        s.add(conf)
        s.flush()
        inv = Invitation(conference_id=conf.id, person_id=pid)
        rec = Recommendation(conference_id=conf.id, text="Sprachkurse ausbauen")
        s.add_all([inv, rec])
        s.flush()
        inv_id, rec_id = inv.id, rec.id
    with db.session() as s:
        inv = s.get(Invitation, inv_id)
        rec = s.get(Recommendation, rec_id)
        assert inv is not None and rec is not None
        inv.status = InvitationStatus.ACCEPTED
        inv.replied_on = dt.date(2025, 3, 4)
        rec.status = RecommendationStatus.DONE
    inv_entries = {(e.action, e.field, e.old_value, e.new_value) for e in entries(db, "invitation", inv_id)}
    assert (AuditAction.UPDATE, "status", "planned", "accepted") in inv_entries
    assert (AuditAction.UPDATE, "replied_on", None, "2025-03-04") in inv_entries
    assert (AuditAction.CREATE, "person_id", None, str(pid)) in inv_entries
    with db.read_session() as s:
        lines = {(h.field_label, h.old, h.new) for h in audit.history(s, "invitation", inv_id)}
        rec_lines = {(h.field_label, h.old, h.new) for h in audit.history(s, "recommendation", rec_id)}
    assert ("Status", "vorgemerkt", "zugesagt") in lines
    assert ("Antwort am", "", "04.03.2025") in lines
    assert ("Person", "", "Kaya") in lines
    assert ("Konferenz", "", "2025 Integrationskonferenz") in lines
    assert ("Status", "offen", "umgesetzt") in rec_lines


def test_bulk_core_inserts_are_not_seen(db: Database) -> None:
    with db.session() as s:
        s.execute(sa.insert(Person), [{"last_name": f"P{i}"} for i in range(3)])
    assert entries(db) == []


def test_history_is_readable(db: Database) -> None:
    with db.read_session() as s:
        (bocholt,) = s.scalars(sa.select(Municipality.id).where(Municipality.name == "Bocholt"))
    pid = persons.create_person(db, PersonData(last_name="Öztürk", postal_code="46395"))
    rec = persons.get_person(db, pid)
    assert rec.data.municipality_id == bocholt
    persons.update_person(
        db, pid, dataclasses.replace(rec.data, gender=Gender.FEMALE, last_name="Oeztürk"), rec.version
    )
    with db.read_session() as s:
        lines = audit.history(s, "person", pid)
    newest = {(h.field_label, h.old, h.new, h.action_label) for h in lines[:2]}
    assert newest == {
        ("Nachname", "Öztürk", "Oeztürk", "geändert"),
        ("Geschlecht", "keine Angabe", "weiblich", "geändert"),
    }
    assert ("Kommune", "", "Bocholt", "angelegt") in {
        (h.field_label, h.old, h.new, h.action_label) for h in lines
    }
    assert lines[0].os_user == paths.os_user()
    assert lines[0].timestamp >= lines[-1].timestamp
    summaries = {h.summary for h in lines}
    assert "Nachname geändert: „Öztürk“ → „Oeztürk“" in summaries
    assert "PLZ eingetragen: „46395“" in summaries


def test_field_labels_cover_every_edited_field() -> None:
    fields = {f.name for f in dataclasses.fields(PersonData)} | {
        f.name for f in dataclasses.fields(OrganisationData)
    }
    missing = fields - set(recording.FIELD_LABELS)
    assert not missing
    assert recording.FIELD_LABELS["last_name"] == "Nachname"


def test_listener_is_installed_once(db: Database) -> None:
    recording.install_audit(db._sessions)
    persons.create_person(db, PersonData(last_name="Einmal"))
    assert len(entries(db)) == 1


def test_history_summaries_of_whole_record_entries(db: Database) -> None:
    keep = persons.create_person(db, PersonData(first_name="Jan", last_name="Jansen"))
    drop = persons.create_person(db, PersonData(first_name="Jan", last_name="Janssen"))
    merge.merge_persons(db, keep, drop)
    with db.read_session() as s:
        summaries = [h.summary for h in audit.history(s, "person", keep)]
    assert f"Zusammengeführt mit Nr. {drop} (Jan Janssen)" in summaries
    assert "Datensatz gelöscht: Jan Janssen" in summaries  # the dropped record's own history
