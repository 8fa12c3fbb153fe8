"""``konferenz letters`` says on stderr when the letters would ask for a reply by a day gone already (the
warning line of the Serienbrief dialog); the letters are written all the same and the exit code stays 0."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from test_cli import run_cli

from konferenz.letters.dates import german_date
from konferenz.storage.db import open_database
from konferenz.storage.models import Conference

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("deadline") / "demo.sqlite"
    result = run_cli("demo", "--db", str(path), "--persons", "40", "--seed", "5")
    assert result.returncode == 0, result.stderr
    return path


def _demo_with_deadline(template: Path, tmp_path: Path, deadline: dt.date) -> Path:
    path = tmp_path / "demo.sqlite"
    shutil.copy(template, path)
    database = open_database(path)
    try:
        with database.session() as s:
            s.scalars(sa.select(Conference).where(Conference.year == 2026)).one().reply_deadline = deadline
    finally:
        database.dispose()
    return path


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_a_deadline_gone_is_warned_on_stderr(demo_template: Path, tmp_path: Path, suffix: str) -> None:
    deadline = dt.date.today() - dt.timedelta(days=2)
    demo = _demo_with_deadline(demo_template, tmp_path, deadline)
    out = tmp_path / f"briefe{suffix}"
    result = run_cli("letters", "--db", str(demo), "--conference", "2026", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.is_file() and out.stat().st_size > 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [
        f"Warnung: Die Rückmeldefrist ({german_date(deadline)}) liegt vor dem Briefdatum "
        f"({german_date(dt.date.today())}): der Brief bäte um Antwort bis zu einem vergangenen Tag. "
        "Bitte die Frist der Konferenz ändern (Konferenz bearbeiten …)."
    ]
    assert "Rückmeldefrist" not in result.stdout  # stdout stays the result line for scripts
    assert "Briefe geschrieben" in result.stdout


@pytest.mark.parametrize(("days", "template"), [(0, "einladung"), (30, "erinnerung"), (-2, "dank")])
def test_no_warning_while_the_deadline_is_open_or_for_thanks(
    demo_template: Path, tmp_path: Path, days: int, template: str
) -> None:
    demo = _demo_with_deadline(demo_template, tmp_path, dt.date.today() + dt.timedelta(days=days))
    out = tmp_path / "briefe.docx"
    args = ["letters", "--db", str(demo), "--conference", "2026", "--template", template, "-o", str(out)]
    if template == "dank":
        args += ["--status", "eingeladen"]  # 2026 has not taken place: thank those invited
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    assert "Rückmeldefrist" not in result.stderr
    assert "Warnung" not in result.stderr
