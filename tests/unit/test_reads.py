"""The read functions the windows call instead of opening a session (``read_*`` of konferenz.programme.reads,
the read helpers of konferenz.lists, konferenz.registry.reads, konferenz.privacy.reads, audit.record_history):
each opens its own read-only session or connection and answers with plain data, the same as the session-level
core functions and independent queries on the demo data."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from konferenz.audit import history as audit
from konferenz.demo.builder import generate_demo
from konferenz.enums import AgendaItemType
from konferenz.errors import UserError
from konferenz.lists import invitations as invitation_lists
from konferenz.lists import registry as registry_lists
from konferenz.lists.source import read_matches, read_rows
from konferenz.privacy import access, review
from konferenz.privacy import reads as privacy_reads
from konferenz.programme import reads as programme_reads
from konferenz.programme import service as programme
from konferenz.registry import duplicates, merge
from konferenz.registry import reads as registry_reads
from konferenz.storage.db import Database
from konferenz.storage.models import (
    AgendaItem,
    Conference,
    MinutesEntry,
    Organisation,
    Person,
    Recommendation,
    RecommendationUpdate,
    Role,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def demo(db: Database) -> Database:
    generate_demo(db, persons=80, seed=3)
    return db


def _conference(db: Database, year: int) -> Conference:
    with db.read_session() as s:
        conf = s.scalar(sa.select(Conference).where(Conference.year == year))
        assert conf is not None
        return conf


def _held(db: Database) -> Conference:
    """The newest conference that has minutes."""
    with db.read_session() as s:
        year = s.scalar(
            sa.select(sa.func.max(Conference.year)).join(
                MinutesEntry, MinutesEntry.conference_id == Conference.id
            )
        )
    assert year is not None
    return _conference(db, year)


# --- programme ------------------------------------------------------------------------------------------


def test_programme_reads_equal_the_session_functions(demo: Database) -> None:
    """``konferenz.programme.reads.read_*``: the session-level reads (tests/unit/test_programme_reads.py) in a
    read-only session of their own."""
    conf = _held(demo)
    with demo.read_session() as s:
        item_ids = list(
            s.scalars(
                sa.select(Recommendation.agenda_item_id).where(Recommendation.agenda_item_id.is_not(None))
            )
        )
        forum_id = s.scalar(sa.select(MinutesEntry.forum_id).where(MinutesEntry.forum_id.is_not(None)))
        report = s.scalar(
            sa.select(AgendaItem.id).where(
                AgendaItem.item_type == AgendaItemType.STATUS_REPORT, AgendaItem.conference_id == conf.id
            )
        )
        rec_id = s.scalar(sa.select(RecommendationUpdate.recommendation_id))
        assert item_ids and forum_id is not None and rec_id is not None
        flt = programme.RecommendationFilter(years=[conf.year])
        assert programme_reads.read_agenda(demo, conf.id) == (
            programme_reads.agenda_conference(s, conf.id),
            programme_reads.agenda_of(s, conf.id),
        )
        assert programme_reads.read_agenda(demo, conf.id)[1].items
        assert programme_reads.read_agenda(demo, None) == (None, programme_reads.agenda_of(s, None))
        assert programme_reads.read_forums(demo, conf.id) == programme_reads.conference_forums(s, conf.id)
        assert programme_reads.read_item_recommendation_count(demo, item_ids[0]) == item_ids.count(
            item_ids[0]
        )
        assert programme_reads.read_attendance(demo, conf.year) == programme.attendance_by_category(
            s, conf.year
        )
        assert programme_reads.read_attendance(demo, conf.year, forum_id) == programme.attendance_by_category(
            s, conf.year, forum_id
        )
        for item_id, forum, status_report in (
            (item_ids[0], None, False),
            (None, forum_id, False),
            (report, None, True),
        ):
            assert programme_reads.read_node_minutes(
                demo, conf.year, item_id=item_id, forum_id=forum, status_report=status_report
            ) == programme_reads.node_minutes(
                s, conf.year, item_id=item_id, forum_id=forum, status_report=status_report
            )
        assert programme_reads.read_recommendation_history(
            demo, rec_id
        ) == programme_reads.recommendation_history(s, rec_id)
        assert programme_reads.read_recommendation_list(demo, flt) == (
            programme.recommendations(s, flt),
            programme_reads.conference_years(s),
            programme_reads.recommendation_count(s),
        )
        assert programme_reads.read_recommendation_list(demo, None)[0] == []
        assert programme_reads.read_recommendations(demo) == programme.recommendations(s)
        assert programme_reads.read_recommendations(demo, flt) == programme.recommendations(s, flt)
        assert programme_reads.read_agenda_rows(demo, conf.year) == programme.agenda(s, conf.year)


# --- lists ----------------------------------------------------------------------------------------------


def test_list_reads_equal_the_session_functions(demo: Database) -> None:
    conf = _held(demo)
    source = invitation_lists.InvitationList(conf.id)
    persons = registry_lists.PersonList()
    with demo.read_session() as s:
        ids = source.ids(s)
        assert read_rows(demo, source, ids) == source.rows(s, ids)
        person_ids = persons.ids(s, search="a")
        org_id = s.scalar(sa.select(Role.organisation_id))
        assert org_id is not None
        assert read_rows(demo, persons, person_ids[:7]) == persons.rows(s, person_ids[:7])
        assert read_matches(demo, persons, "a", 4) == (person_ids[:4], persons.rows(s, person_ids[:4]))
        choices = registry_lists.registry_choices(demo)
        assert choices == registry_lists.RegistryChoices(
            registry_lists.category_choices(s),
            registry_lists.municipality_choices(s),
            registry_lists.tag_choices(s),
        )
        assert registry_lists.organisations_to_choose(demo) == registry_lists.organisation_choices(s)
        assert registry_lists.contacts_of(demo, org_id) == registry_lists.organisation_contacts(s, org_id)
    assert choices.categories and choices.municipalities


# --- registry, privacy, audit ---------------------------------------------------------------------------


def test_duplicate_scan_and_merge_proposal(demo: Database) -> None:
    steps: list[tuple[int, int]] = []
    scan = registry_reads.scan_registry(demo, lambda done, total: steps.append((done, total)), lambda: False)
    assert steps == [(0, 2), (1, 2), (2, 2)]
    assert set(scan.heads) == {g.person_ids[0] for g in scan.groups}
    with pytest.raises(UserError, match="abgebrochen"):
        registry_reads.scan_registry(demo, lambda _d, _t: None, lambda: True)
    with demo.read_session() as s:
        a, b = s.scalars(sa.select(Person.id).order_by(Person.id).limit(2)).all()
        o, p = s.scalars(sa.select(Organisation.id).order_by(Organisation.id).limit(2)).all()
        assert registry_reads.merge_proposal(demo, "person", a, b) == merge.merge_proposal(s, a, b)
        assert registry_reads.merge_proposal(demo, "organisation", o, p) == merge.organisation_merge_proposal(
            s, o, p
        )


def test_check_organisation_finds_the_stored_one(demo: Database) -> None:
    with demo.read_session() as s:
        org = s.scalars(sa.select(Organisation).order_by(Organisation.id)).first()
        assert org is not None
        found = duplicates.find_organisation_duplicates_for(s, org)
        assert duplicates.check_organisation(demo, org) == found
        assert duplicates.check_organisation(
            demo, org, exclude_id=org.id
        ) == duplicates.find_organisation_duplicates_for(s, org, org.id)
    assert any(c.organisation_id == org.id for c in found)


def test_privacy_reads(demo: Database) -> None:
    with demo.read_session() as s:
        person = (
            s.scalars(sa.select(Person).where(Person.title != "").order_by(Person.id)).first()
            or s.scalars(sa.select(Person).order_by(Person.id)).first()
        )
        assert person is not None
        # "erstellt" is the clock at the moment of the export; two exports may straddle a second
        via_reads = privacy_reads.person_export(demo, person.id)
        direct = access.export_person(s, person.id)
        assert via_reads.pop("erstellt") <= direct.pop("erstellt")
        assert via_reads == direct
        assert privacy_reads.review_rows(demo, 1) == review.review(s, 1)
    parts = (person.title, person.first_name, person.name_prefix, person.last_name)
    assert (
        privacy_reads.person_display(demo, person.id)
        == f"{' '.join(p for p in parts if p)} (Nr. {person.id})"
    )
    with pytest.raises(UserError, match="Eine Person mit der ID 99999999 gibt es nicht"):
        privacy_reads.person_display(demo, 99_999_999)


def test_record_history(demo: Database) -> None:
    with demo.read_session() as s:
        pid = s.scalar(sa.select(sa.func.min(Person.id)))
        assert pid is not None
        assert audit.record_history(demo, "person", pid) == audit.history(s, "person", pid)
