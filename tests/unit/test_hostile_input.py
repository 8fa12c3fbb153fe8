"""Hostile input (property-based): random and corrupted spreadsheets, CSVs and templates never give a
traceback (only a UserError with a German message) and never leave the database half-changed."""

from __future__ import annotations

import io
import random
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from konferenz.errors import UserError
from konferenz.importing import service as importing
from konferenz.letters import content, templates
from konferenz.storage.db import Database, open_database
from konferenz.storage.transfer import table_counts

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
#: what a worksheet cell can hold at all (openpyxl refuses control characters)
CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Database:
    return open_database(tmp_path_factory.mktemp("hostile") / "hostile.sqlite")


def counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        return table_counts(conn)


def try_import(db: Database, path: Path) -> None:
    """Import ``path``: a UserError is fine; any other exception fails the test. The database afterwards
    holds exactly what the report says was created (all or nothing)."""
    before = counts(db)
    try:
        importing.import_file(db, path, dry_run=True)
        report = importing.import_file(db, path)
    except UserError as exc:
        assert exc.message.strip()
        assert counts(db) == before
        return
    after = counts(db)
    added = (after["person"] - before["person"]) + (after["organisation"] - before["organisation"])
    assert added <= report.created + report.created_organisations
    assert report.created + report.updated + report.duplicate + report.rejected == report.rows_read


@SETTINGS
@given(data=st.binary(max_size=4000), suffix=st.sampled_from([".xlsx", ".csv", ".xlsm", ".txt"]))
def test_random_bytes(
    database: Database, tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("b") / f"liste{suffix}"
    path.write_bytes(data)
    try_import(database, path)


def _workbook_bytes(rows: list[list[str]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Anrede", "Vorname", "Nachname", "Organisation", "PLZ", "Ort", "E-Mail"])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@SETTINGS
@given(
    rows=st.lists(st.lists(CELL, min_size=0, max_size=8), max_size=12),
    flips=st.lists(st.integers(min_value=0, max_value=10**9), max_size=6),
)
def test_corrupted_workbooks(
    database: Database, tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]], flips: list[int]
) -> None:
    data = bytearray(_workbook_bytes(rows))
    for flip in flips:
        data[flip % len(data)] ^= 0xFF
    path = tmp_path_factory.mktemp("x") / "liste.xlsx"
    path.write_bytes(bytes(data))
    try_import(database, path)


@SETTINGS
@given(
    lines=st.lists(st.lists(TEXT, max_size=8), max_size=15),
    delimiter=st.sampled_from([";", ",", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_random_csv(
    database: Database,
    tmp_path_factory: pytest.TempPathFactory,
    lines: list[list[str]],
    delimiter: str,
    encoding: str,
) -> None:
    header = delimiter.join(["Name", "Vorname", "Institution", "PLZ / Ort", "Mail"])
    body = "\n".join(delimiter.join(cells) for cells in lines)
    path = tmp_path_factory.mktemp("c") / "liste.csv"
    path.write_bytes(f"{header}\n{body}".encode(encoding, errors="replace"))
    try_import(database, path)


JINJA_PIECES = ["{{", "}}", "{%", "%}", "{#", "#}", "person", ".", "__class__", "|", "e", "for", "in", "if",
                "endif", "endfor", "(", ")", "[", "]", "'", '"', "range(10**9)", "set", "=", " ", "x", "\n",
                "conference.title", "lipsum", "cycler", "self", "import", "include", "'../etc/passwd'"]  # fmt: skip


@SETTINGS
@given(source=st.lists(st.sampled_from(JINJA_PIECES), max_size=30).map("".join))
def test_random_templates(source: str) -> None:
    context = content.sample_context()
    try:
        result = templates.render_body(source, context)
    except UserError as exc:
        assert exc.message.strip()
        return
    assert isinstance(result, str)


def test_hostile_template_cannot_reach_python() -> None:
    for source in (
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ person.__class__.__init__.__globals__ }}",
        "{% include '../../etc/passwd' %}",
    ):
        with pytest.raises(UserError):
            templates.render_body(source, content.sample_context())


def test_seeded_corruption_of_a_real_list(database: Database, tmp_path: Path) -> None:
    """A fixed sample of heavier corruption of a 200-row workbook (reproducible)."""
    rng = random.Random(8)
    rows = [[rng.choice(["Herr", "Frau", ""]), f"Ayşe{i}", f"Öztürk{i}", "MSO e. V.", "46325", "Borken",
             f"a{i}@example.org"] for i in range(200)]  # fmt: skip
    clean = _workbook_bytes(rows)
    for n in range(10):
        data = bytearray(clean)
        for _ in range(rng.randrange(1, 40)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path = tmp_path / f"kaputt-{n}.xlsx"
        path.write_bytes(bytes(data))
        try_import(database, path)
