"""Spreadsheets: import and export of 10,000 rows against the raw openpyxl cost measured in the same run.

- ``import_dry_run_ratio``: the whole process ``konferenz import --dry-run`` (start, read, map, row rules,
  duplicate check, summary) of a generated 10,000-row list, divided by a bare process that only reads the
  same file with openpyxl in read-only mode (target 1.0, issue 15).
- ``import_100k_peak_mib``: peak resident memory of the process ``konferenz import`` committing a
  100,000-row list into an empty database (target 400 MiB).
- ``wizard_preview_10k_s``: seconds from choosing the 10,000-row file in the import wizard until its
  preview is shown (one offscreen process; target 2 s).
- ``xls_read_ratio``, ``ods_read_ratio``: ``read_table`` of the same 10,000 rows saved as .xls / .ods,
  divided by openpyxl read-only iterating the .xlsx (reported; target 1.0).
- ``import_commit_ratio``: planning and committing the same file into an empty database (SQLite), divided
  by the same openpyxl time (target 2.0).
- ``export_ratio``: ``export_registry`` of the 10,000 persons just imported, divided by openpyxl
  write-only writing the same values (target 1.5).

Each measurement is the median of several alternating rounds, so machine load hits both sides alike.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import BenchContext, Result, median_alternating
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


BARE_READ = """
import sys
from openpyxl import load_workbook
wb = load_workbook(sys.argv[1], read_only=True, data_only=True)
n = sum(1 for row in wb.worksheets[0].iter_rows(values_only=True) for _ in row)
wb.close()
"""

PEAK = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""

WIZARD = """
import sys, time
from PySide6.QtWidgets import QApplication
app = QApplication([])
from konferenz.storage.db import open_database
from ui.context import AppContext
from ui.spreadsheets.import_wizard import ImportWizard
database = open_database(sys.argv[1])
ctx = AppContext(database)
wizard = ImportWizard(ctx)
wizard.show()
app.processEvents()
started = time.perf_counter()
assert wizard.open_file(sys.argv[2])
wizard.next()  # to the column mapping
wizard.next()  # to the preview
app.processEvents()
print(time.perf_counter() - started)
"""


def _copy_as(source: Path, xls: Path, ods: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import workbook_files as wf

    wb = load_workbook(source, read_only=True, data_only=True)
    rows = [[v for v in row] for row in wb.worksheets[0].iter_rows(values_only=True)]
    wb.close()
    wf.write_xls(xls, rows)  # type: ignore[arg-type]
    wf.write_ods(ods, rows=rows)  # type: ignore[arg-type]


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

        empty.dispose()
        cli = [sys.executable, "-m", "ui"]
        t_dry, t_read = median_alternating(
            [*cli, "import", str(source), "--dry-run", "--db", str(template)],
            [sys.executable, "-c", BARE_READ, str(source)],
            cwd=ctx.root,
            rounds=ROUNDS,
        )
        print(f"  konferenz import --dry-run: {t_dry:.3f} s, bare openpyxl read-only process: {t_read:.3f} s")

        big = work / "gross.xlsx"
        make_file(big, rows=100_000)
        target_db = work / "gross.sqlite"
        shutil.copy(template, target_db)
        out = subprocess.run(
            [sys.executable, "-c", PEAK, *cli, "import", str(big), "--db", str(target_db)],
            check=True, capture_output=True, text=True, cwd=ctx.root,
        )  # fmt: skip
        peak_mib = float(out.stdout.strip().splitlines()[-1])
        print(f"  100,000 rows imported: peak {peak_mib:.0f} MiB")

        shutil.copy(template, work / "wizard.sqlite")
        out = subprocess.run(
            [sys.executable, "-c", WIZARD, str(work / "wizard.sqlite"), str(source)],
            check=True, capture_output=True, text=True, cwd=ctx.root,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )  # fmt: skip
        wizard_s = float(out.stdout.strip().splitlines()[-1])
        print(f"  wizard preview of 10,000 rows: {wizard_s:.2f} s")

        from konferenz.spreadsheets.reader import read_table

        xls, ods = work / "liste.xls", work / "liste.ods"
        _copy_as(source, xls, ods)
        t_xls, t_read_x = _median_pair(lambda: read_table(xls), lambda: openpyxl_read(source))
        t_ods, t_read_o = _median_pair(lambda: read_table(ods), lambda: openpyxl_read(source))
        print(f"  read .xls: {t_xls:.3f} s, .ods: {t_ods:.3f} s, openpyxl read-only .xlsx: {t_read_x:.3f} s")

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
        Result("import_dry_run_ratio", t_dry / t_read, "ratio", 1.0),
        Result("import_100k_peak_mib", peak_mib, "MiB", 400),
        Result("wizard_preview_10k_s", wizard_s, "s", 2.0),
        Result("xls_read_ratio", t_xls / t_read_x, "ratio", 1.0),
        Result("ods_read_ratio", t_ods / t_read_o, "ratio", 1.0),
        Result("import_commit_ratio", t_commit / t_read2, "ratio", 2.0),
        Result("export_ratio", t_export / t_write, "ratio", 1.5),
    ]
