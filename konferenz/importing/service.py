"""Importing persons and organisations from the spreadsheets staff hand over: preview, commit (and, in
``konferenz.importing.undo``, undo). The window's wizard and ``konferenz import`` make these calls:

1. ``plan = plan_import(database, path, sheet=None, mapping=None)`` reads the file
   (``konferenz.spreadsheets.reader``), applies the row rules (``konferenz.importing.rows``) and checks every
   row against the database and the rows above it (``konferenz.importing.resolver``). The plan holds the
   detected sheet and header row, the column mapping (``plan.columns``, editable:
   ``remap(database, plan, mapping)`` applies a changed one without reading the file again) and one
   :class:`RowPlan` per data row with its outcome and messages. Nothing is written. ``plan.report()`` is
   the report of a dry run.
2. ``report = commit_import(database, plan, choices_per_row, update, progress, cancelled)`` resolves the
   rows again inside one unit of work (the database may have changed since the preview) and writes them
   (``konferenz.importing.writer``). ``cancelled()`` returning True, or any error, rolls everything back:
   an interrupted import changes nothing.
3. ``undo_import(database, batch_id)`` (``konferenz.importing.undo``) takes a committed import back as a
   whole, as long as none of its records was edited since.

``import_file`` does 1 and 2 in one call (the command line without preview).

Speed (tests/bench/bench_spreadsheets.py): reading is openpyxl's read-only, values-only iteration; the
row rules cache what repeats (salutations, PLZ, categories, the name keys of name parts); the database is
loaded once per resolution (``konferenz.importing.context``); the cyclic garbage collector is paused while
an import runs (``konferenz.importing.running.without_cyclic_gc``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import sqlalchemy as sa

from konferenz.errors import UserError
from konferenz.importing.plan import ImportPlan, ImportReport, Outcome, RowChoice
from konferenz.importing.resolver import Resolver
from konferenz.importing.rows import id_target, parse_rows
from konferenz.importing.running import Cancelled, Progress, check_cancelled, without_cyclic_gc
from konferenz.importing.writer import Writer
from konferenz.spreadsheets.columns import (
    Column,
    apply_mapping,
    column_usage,
    header_key,
    resolve_name_columns,
)
from konferenz.spreadsheets.reader import read_table
from konferenz.spreadsheets.table import Table
from konferenz.storage.db import Database
from konferenz.storage.models import Category


def _category_checker(database: Database) -> Callable[[str], bool]:
    with database.read_session() as s:
        keys: set[str] = set()
        for name, synonyms in s.execute(sa.select(Category.name, Category.synonyms)):
            keys.add(header_key(name))
            keys.update(header_key(x) for x in (synonyms or "").split(",") if x.strip())
    return lambda text: header_key(text) in keys


@without_cyclic_gc
def plan_import(
    database: Database,
    path: Path | str,
    sheet: str | None = None,
    mapping: Sequence[str | None] | Mapping[str, str | None] | None = None,
    *,
    header_row: int | None = None,
    update: bool = False,
    choices_per_row: Mapping[int, RowChoice] | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    preview: bool = True,
) -> ImportPlan:
    """Read ``path`` and preview the import (see module docstring); writes nothing.

    ``mapping`` replaces the detected column mapping: a list with one field (or None) per column, or a
    profile's header text → field. Without ``preview`` the rows are only parsed, for a commit that follows
    at once (``konferenz import``): no preview rows, and the table lets go of its cells (``plan.rows`` is
    empty; ``commit_import`` resolves the rows). Raises ``UserError`` for a file that cannot be read as a
    table.
    """
    table = read_table(
        Path(path),
        sheet,
        header_row=header_row,
        progress=progress,
        cancelled=cancelled,
        category_names=_category_checker(database),
        known_headers=mapping if isinstance(mapping, Mapping) else None,
    )
    return _plan(
        database,
        table,
        mapping=mapping,
        update=update,
        choices_per_row=choices_per_row,
        progress=progress,
        cancelled=cancelled,
        preview=preview,
    )


@without_cyclic_gc
def remap(
    database: Database,
    plan: ImportPlan,
    mapping: Sequence[str | None] | Mapping[str, str | None],
    *,
    update: bool | None = None,
    choices_per_row: Mapping[int, RowChoice] | None = None,
) -> ImportPlan:
    """The plan again with another column mapping (the file is not read again)."""
    return _plan(
        database,
        plan.table,
        mapping=mapping,
        update=plan.update if update is None else update,
        choices_per_row=choices_per_row,
        progress=None,
        cancelled=None,
    )


def _plan(
    database: Database,
    table: Table,
    *,
    mapping: Sequence[str | None] | Mapping[str, str | None] | None,
    update: bool,
    choices_per_row: Mapping[int, RowChoice] | None,
    progress: Progress | None,
    cancelled: Cancelled | None,
    preview: bool = True,
) -> ImportPlan:
    """The plan; without ``preview`` the rows are only parsed (the commit resolves them anyway)."""
    columns = [Column(c.index, c.header, c.field) for c in table.columns]
    if mapping is not None:
        columns = apply_mapping(columns, dict(mapping) if isinstance(mapping, Mapping) else list(mapping))
        if isinstance(mapping, Mapping):
            columns = resolve_name_columns(columns)
    if not any(c.field for c in columns):
        raise UserError(f"„{table.file_name}“: keine Spalte ist einem Feld zugeordnet.")
    column_lines = column_usage(columns, [r.values for r in table.rows])
    # without a preview the file is read for one commit: the rows let go of their cells as they are parsed
    parsed = parse_rows(table, columns, progress, cancelled, display=preview, consume=not preview)
    if not preview:
        return ImportPlan(table, columns, [], parsed, update, id_target(columns), column_lines=column_lines)
    with database.read_session() as s:
        resolution = Resolver(
            s, parsed, update=update, choices=choices_per_row or {}, cancelled=cancelled
        ).run()
    return ImportPlan(
        table=table,
        columns=columns,
        rows=resolution.rows,
        parsed=parsed,
        update=update,
        id_target=id_target(columns),
        new_categories=[c.name for c in resolution.new_categories],
        new_organisations=[o.values["name"] for o in resolution.new_orgs],
        notes=resolution.notes,
        column_lines=column_lines,
    )


@without_cyclic_gc
def commit_import(  # noqa: PLR0917 (the signature agreed for the window's wizard: positional as in the issue)
    database: Database,
    plan: ImportPlan,
    choices_per_row: Mapping[int, RowChoice] | None = None,
    update: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    *,
    file_name: str | None = None,
) -> ImportReport:
    """Write the plan's rows in one unit of work and return the report (see module docstring).

    The rows are resolved again against the database as it is now. ``choices_per_row`` (excel row →
    choice) overrides the default per row: a duplicate is skipped unless ``update``; ``progress(done,
    total)`` is called as the work proceeds; ``cancelled()`` returning True raises ``UserError`` and the
    database stays unchanged.
    """
    rows_total = max(len(plan.parsed), 1)
    total = 2 * rows_total

    def resolve_progress(done: int, _total: int) -> None:
        if progress is not None:
            progress(done, total)

    def write_progress(done: int) -> None:
        if progress is not None:
            progress(rows_total + min(done, rows_total), total)

    name = file_name if file_name is not None else str(plan.table.path)
    with database.session() as s:
        res = Resolver(
            s,
            plan.parsed,
            update=update,
            choices=choices_per_row or {},
            cancelled=cancelled,
            progress=resolve_progress,
        ).run()
        batch_id = Writer(s, res, name, write_progress, cancelled).write()
        check_cancelled(cancelled)
        for index, pending in res.pending_ids.items():
            res.rows[index].id = pending.id
        for row in res.rows:
            if row.outcome is Outcome.REJECTED:
                row.id = None
    if progress is not None:
        progress(total, total)
    return ImportReport(
        file=name,
        rows=res.rows,
        batch_id=batch_id,
        created_categories=[c.name for c in res.new_categories],
        created_organisations=len(res.new_orgs),
        skipped_rows=[(r.excel_row, r.reason) for r in plan.table.skipped],
        column_lines=plan.column_summary(),
        notes=res.notes,
    )


@without_cyclic_gc
def import_file(
    database: Database,
    path: Path | str,
    sheet: str | None = None,
    *,
    update: bool = False,
    dry_run: bool = False,
    mapping: Sequence[str | None] | Mapping[str, str | None] | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportReport:
    """Read and import a file in one call (what ``konferenz import`` does): with ``dry_run`` the preview's
    report, otherwise the commit's (the rows are resolved once, inside the unit of work)."""
    table = read_table(
        Path(path),
        sheet,
        cancelled=cancelled,
        category_names=_category_checker(database),
        known_headers=mapping if isinstance(mapping, Mapping) else None,
    )
    plan = _plan(
        database,
        table,
        mapping=mapping,
        update=update,
        choices_per_row=None,
        progress=None,
        cancelled=cancelled,
        preview=dry_run,
    )
    if dry_run:
        return plan.report(str(path))
    return commit_import(
        database, plan, update=update, progress=progress, cancelled=cancelled, file_name=str(path)
    )
