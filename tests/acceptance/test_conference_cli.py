"""conference create, invite and stats on the command line, on both backends."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from test_cli import assert_one_line_error, run_cli

from konferenz.conferences import inviting
from konferenz.enums import InvitationStatus
from konferenz.storage.db import open_database
from konferenz.storage.models import Category, Conference, Invitation, Organisation, Person, Role


@pytest.fixture
def demo_db(db_url: str) -> str:
    result = run_cli("demo", "--db", db_url, "--persons", "150")
    assert result.returncode == 0, result.stderr
    return db_url


def test_create_invite_and_stats(demo_db: str, tmp_path: Path) -> None:
    result = run_cli(
        "conference",
        "create",
        "--year",
        "2027",
        "--title",
        "Integrationskonferenz 2027",
        "--date",
        "2027-11-04",
        "--venue",
        "Stadthalle Vreden",
        "--capacity",
        "180",
        "--db",
        demo_db,
    )
    assert result.returncode == 0, result.stderr
    assert_one_line_error(
        run_cli(
            "conference", "create", "--year", "2027", "--title", "x", "--date", "2027-11-04", "--db", demo_db
        ),
        "schon eine Konferenz",
    )

    result = run_cli("invite", "--conference", "2027", "--category", "MSO", "Politik", "--db", demo_db)
    assert result.returncode == 0, result.stderr
    first = int(result.stdout.split()[0].replace(".", ""))
    assert first > 0

    database = open_database(demo_db)
    try:
        with database.read_session() as s:
            conf_id = s.scalars(sa.select(Conference.id).where(Conference.year == 2027)).one()
            wanted = set(
                s.scalars(
                    sa.select(Category.id).where(
                        Category.name.in_(["Migrantenselbstorganisation", "Politik"])
                    )
                )
            )
            pairs = inviting.invitee_candidates(s, inviting.InviteeFilter(category_ids=list(wanted)))
            stored = s.execute(
                sa.select(Invitation.person_id, Invitation.organisation_id).where(
                    Invitation.conference_id == conf_id
                )
            ).all()
            # independent check: each invited person's own category, else the primary organisation's
            for person_id, org_id in stored:
                if person_id is None:
                    assert s.get_one(Organisation, org_id).category_id in wanted
                    continue
                person = s.get_one(Person, person_id)
                own = person.category_id
                primary = s.scalars(
                    sa.select(Role)
                    .where(Role.person_id == person_id)
                    .order_by(Role.is_primary.desc(), Role.id)
                ).first()
                category = own if own is not None else (primary.organisation.category_id if primary else None)
                assert category in wanted
        assert len(stored) == len(pairs) == first
    finally:
        database.dispose()

    again = run_cli("invite", "--conference", "2027", "--all", "--db", demo_db)
    assert again.returncode == 0, again.stderr
    assert f"{first} standen schon darauf" in again.stdout.replace(".", "")

    out = tmp_path / "statistik.xlsx"
    result = run_cli("stats", "-o", str(out), "--db", demo_db)
    assert result.returncode == 0, result.stderr
    assert "2027" in result.stdout and "2025" in result.stdout
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Übersicht", "Kategorien", "Kommunen"]
    years = [row[0] for row in wb["Übersicht"].iter_rows(min_row=2, values_only=True)]
    assert years == [2023, 2024, 2025, 2026, 2027]

    one = run_cli("stats", "--conference", "2025", "--db", demo_db)
    assert one.returncode == 0
    database = open_database(demo_db)
    try:
        with database.read_session() as s:
            cid = s.scalars(sa.select(Conference.id).where(Conference.year == 2025)).one()
            attended = s.scalar(
                sa.select(sa.func.count())
                .select_from(Invitation)
                .where(Invitation.conference_id == cid, Invitation.status == InvitationStatus.ATTENDED)
            )
    finally:
        database.dispose()
    total_line = next(line for line in one.stdout.splitlines() if line.strip() and line.split()[-1].isdigit())
    assert int(total_line.split()[-1]) == attended


def test_unknown_category_and_year(demo_db: str) -> None:
    assert_one_line_error(
        run_cli("invite", "--conference", "2025", "--category", "Gibtsnicht", "--db", demo_db),
        "Gibtsnicht",
        "Vorhanden",
    )
    assert_one_line_error(run_cli("invite", "--conference", "1999", "--all", "--db", demo_db), "1999")
    assert_one_line_error(run_cli("stats", "--conference", "1999", "--db", demo_db), "1999")
