"""Spreadsheets: import and export of 10,000 rows against the raw openpyxl cost measured in the same run.

- ``import_dry_run_ratio``: ``plan_import`` (read, map, row rules, duplicate check) of a generated
  10,000-row list, divided by openpyxl read-only iterating the same file's values (target 1.5).
- ``import_commit_ratio``: planning and committing the same file into an empty database (SQLite), divided
  by the same openpyxl time (target 2.0).
- ``export_ratio``: ``export_registry`` of the 10,000 persons just imported, divided by openpyxl
  write-only writing the same values (target 1.5).

Each measurement is the median of several alternating rounds, so machine load hits both sides alike.
"""

from __future__ import annotations

import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import BenchContext, Result
from openpyxl import Workbook, load_workbook

ROWS = 10_000
ROUNDS = 5

_FIRST = (
    "Anna",
    "Mehmet",
    "Ayşe",
    "Thi Lan",
    "Олена",
    "Ahmad",
    "Maria",
    "Jan",
    "Fatma",
    "Dmitri",
    "Lea",
    "Yusuf",
)
_LAST = (
    "Müller",
    "Öztürk",
    "Nguyễn",
    "Шевченко",
    "Al-Hassan",
    "Schulte",
    "Kowalski",
    "van der Berg",
    "Demir",
)
_TOWNS = (
    ("46325", "Borken"),
    ("46395", "Bocholt"),
    ("48683", "Ahaus"),
    ("1067", "Dresden"),
    ("48143", "Münster"),
)
HEADERS = ["Anrede", "Titel", "Vorname", "Nachname", "Institution", "Funktion", "Straße", "PLZ", "Ort"]
HEADERS += ["E-Mail", "Telefon", "Gruppe", "Bemerkung"]
_CATEGORIES = ("MSO", "Freie Träger", "Politik", "Schule", "Wohlfahrtsverband", "Kommune", "Sportverein")


def make_file(path: Path, rows: int = ROWS, seed: int = 4) -> None:
    """A list as staff keep it: title rows, a "Stand:" line, then the table (every row a new person)."""
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Adressen")
    ws.append(["Einladungsliste Integrationskonferenz"])
    ws.append(["Stand: 01.03.2025"])
    ws.append([])
    ws.append(HEADERS)
    for i in range(rows):
        code, town = rng.choice(_TOWNS)
        ws.append(
            [
                rng.choice(("Frau", "Herr", "Hr.", "Fr.", "", "divers")),
                rng.choice(("", "", "", "Dr.", "Prof. Dr.")),
                rng.choice(_FIRST),
                f"{rng.choice(_LAST)}-{i}",
                f"Organisation {i % 700}",
                rng.choice(("Leitung", "Vorsitz", "Beratung", "")),
                f"Hauptstraße {i % 120 + 1}",
                int(code) if rng.random() < 0.3 else code,
                town,
                f"person{i}@example.org" if rng.random() < 0.9 else f"person{i}(at)example.org",
                f"02861 {rng.randrange(100, 999)}-{rng.randrange(0, 99)}",
                rng.choice(_CATEGORIES),
                "" if rng.random() < 0.8 else "kommt mit Dolmetscherin",
            ]
        )
    wb.save(path)


def openpyxl_read(path: Path) -> int:
    wb = load_workbook(path, read_only=True, data_only=True)
    n = 0
    for row in wb.worksheets[0].iter_rows(values_only=True):
        for _value in row:
            n += 1
    wb.close()
    return n


def openpyxl_write(path: Path, headers: list[str], rows: list[list[object]]) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Personen")
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)


def _median_pair(
    ours: Callable[[], object], base: Callable[[], object], *, warm: bool = True
) -> tuple[float, float]:
    ours_t: list[float] = []
    base_t: list[float] = []
    base()  # warm the file cache and imports
    if warm:
        ours()
    for _ in range(ROUNDS):
        started = time.perf_counter()
        base()
        base_t.append(time.perf_counter() - started)
        started = time.perf_counter()
        ours()
        ours_t.append(time.perf_counter() - started)
    return statistics.median(ours_t), statistics.median(base_t)


def run(ctx: BenchContext) -> list[Result]:
    from konferenz.exports import workbooks as exporter
    from konferenz.importing import service as importing
    from konferenz.storage.db import open_database

    work = Path(tempfile.mkdtemp(prefix="bench-spreadsheets-", dir=ctx.work))
    try:
        source = work / "liste.xlsx"
        make_file(source)
        template = work / "template.sqlite"
        open_database(template).dispose()
        empty = open_database(template)

        def dry_run() -> object:
            return importing.plan_import(empty, source)

        t_dry, t_read = _median_pair(dry_run, lambda: openpyxl_read(source))
        print(f"  plan_import: {t_dry:.3f} s, openpyxl read-only: {t_read:.3f} s")
        empty.dispose()

        copies = []
        for i in range(ROUNDS):
            target = work / f"commit-{i}.sqlite"
            shutil.copy(template, target)
            copies.append(open_database(target))
        pending = iter(copies)

        def commit() -> object:
            report = importing.import_file(next(pending), source)
            assert report.created + report.rejected + report.duplicate + report.updated == ROWS
            return report

        t_commit, t_read2 = _median_pair(commit, lambda: openpyxl_read(source), warm=False)
        print(f"  import into an empty database: {t_commit:.3f} s, openpyxl read-only: {t_read2:.3f} s")
        for database in copies:
            database.dispose()

        filled = open_database(work / "commit-0.sqlite")
        with filled.read_session() as s:
            sheet = exporter.registry_sheets(s)[0]
        values = [list(r) for r in sheet.rows]
        headers = list(sheet.headers)

        def export() -> object:
            return exporter.export_registry(filled, work / "export.xlsx")

        t_export, t_write = _median_pair(export, lambda: openpyxl_write(work / "raw.xlsx", headers, values))
        print(
            f"  export_registry ({len(values)} Personen): {t_export:.3f} s, openpyxl write-only: {t_write:.3f} s"
        )
        filled.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return [
        Result("import_dry_run_ratio", t_dry / t_read, "ratio", 1.5),
        Result("import_commit_ratio", t_commit / t_read2, "ratio", 2.0),
        Result("export_ratio", t_export / t_write, "ratio", 1.5),
    ]
