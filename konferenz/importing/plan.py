"""The preview and the report of an import: one ``RowPlan`` per data row with its outcome and messages, the
``ImportPlan`` the window's wizard shows (and remaps, ``konferenz.importing.service.remap``), and the
``ImportReport`` of a dry run or a commit; the per-row choices (``RowChoice``) the window offers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from konferenz.importing.rows import ParsedRow
from konferenz.spreadsheets.columns import Column
from konferenz.spreadsheets.table import Table


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.CREATED: "angelegt",
    Outcome.UPDATED: "aktualisiert",
    Outcome.DUPLICATE: "Dublette",
    Outcome.REJECTED: "abgelehnt",
}


class RowChoice(StrEnum):
    """What to do with a row that matches an existing record (the wizard's per-row choice)."""

    SKIP = "skip"
    UPDATE = "update"
    CREATE = "create"


CHOICE_LABELS: dict[RowChoice, str] = {
    RowChoice.SKIP: "überspringen",
    RowChoice.UPDATE: "aktualisieren",
    RowChoice.CREATE: "trotzdem anlegen",
}


@dataclass(slots=True)
class RowPlan:
    """One data row in the preview (and in the report after the commit)."""

    excel_row: int
    outcome: Outcome
    messages: list[str]
    #: the record the row created, updated or matched (None in a preview for records still to be created)
    id: int | None
    #: "person" or "organisation" (None for a rejected row)
    kind: str | None
    #: the choices the window offers for this row (empty: no choice)
    choices: tuple[RowChoice, ...] = ()
    #: the choice applied by default
    choice: RowChoice | None = None
    #: the excel row of an earlier row this one duplicates
    duplicate_of_row: int | None = None
    values: dict[str, str] = field(default_factory=dict)

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.outcome]

    def as_json(self) -> dict[str, Any]:
        return {
            "excel_row": self.excel_row,
            "outcome": self.outcome.value,
            "messages": self.messages,
            "id": self.id,
        }


@dataclass
class ImportReport:
    """What an import did (or, for a preview, would do) with every row."""

    file: str
    rows: list[RowPlan]
    #: the committed import (None for a preview)
    batch_id: int | None = None
    dry_run: bool = False
    created_categories: list[str] = field(default_factory=list)
    created_organisations: int = 0
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)
    #: which columns were used for what and which were ignored (``ImportPlan.column_summary``)
    column_lines: list[str] = field(default_factory=list)
    #: notes on the whole import (an ID column that is the list's own numbering …)
    notes: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.rows if r.outcome is outcome)

    @property
    def rows_read(self) -> int:
        return len(self.rows)

    @property
    def created(self) -> int:
        return self.count(Outcome.CREATED)

    @property
    def updated(self) -> int:
        return self.count(Outcome.UPDATED)

    @property
    def duplicate(self) -> int:
        return self.count(Outcome.DUPLICATE)

    @property
    def rejected(self) -> int:
        return self.count(Outcome.REJECTED)

    def to_json(self) -> dict[str, Any]:
        """The report format of ``konferenz import --report``."""
        return {
            "file": self.file,
            "rows_read": self.rows_read,
            "created": self.created,
            "updated": self.updated,
            "duplicate": self.duplicate,
            "rejected": self.rejected,
            "rows": [r.as_json() for r in self.rows],
        }

    def summary(self) -> str:
        """German summary lines for the command line and the wizard's last page."""
        verb = "Probelauf (nichts gespeichert)" if self.dry_run else "Import"
        lines = [
            f"{verb}: {self.file}",
            f"{self.rows_read} Zeilen gelesen: {self.created} angelegt, {self.updated} aktualisiert, "
            f"{self.duplicate} Dubletten, {self.rejected} abgelehnt.",
        ]
        lines.extend(self.column_lines)
        lines += self.notes
        if self.created_organisations:
            lines.append(f"Neue Organisationen: {self.created_organisations}")
        if self.created_categories:
            lines.append("Neue Kategorien: " + ", ".join(self.created_categories))
        if self.skipped_rows:
            lines.append(
                f"{len(self.skipped_rows)} Zeilen ohne Daten übersprungen (Zwischenüberschriften, Fußzeilen …)."
            )
            # what was skipped because it could not be read (a damaged vCard) is named row by row
            lines.extend(
                f"  Zeile {row}: {reason}"
                for row, reason in self.skipped_rows
                if reason.startswith("Visitenkarte")
            )
        if self.batch_id is not None:
            lines.append(
                f"Importnummer {self.batch_id} (rückgängig: konferenz import --undo {self.batch_id})"
            )
        return "\n".join(lines)


@dataclass
class ImportPlan:
    """The preview of an import: the table, the column mapping and one ``RowPlan`` per data row."""

    table: Table
    columns: list[Column]
    rows: list[RowPlan]
    parsed: list[ParsedRow]
    update: bool
    #: "person" when an ID column names persons, "organisation" otherwise
    id_target: Literal["person", "organisation"]
    new_categories: list[str] = field(default_factory=list)
    new_organisations: list[str] = field(default_factory=list)
    #: notes on the whole import (``Resolution.notes``)
    notes: list[str] = field(default_factory=list)
    #: which columns were used for what and which were ignored (``columns.column_usage``), taken while the
    #: table still has its rows (a commit without preview lets go of them as they are parsed)
    column_lines: list[str] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.table.path

    @property
    def header_row(self) -> int:
        return self.table.header_row

    @property
    def sheet(self) -> str | None:
        return self.table.sheet

    def mapping(self) -> list[str | None]:
        return [c.field for c in self.columns]

    def mapping_by_header(self) -> dict[str, str | None]:
        """header text → field, as saved in a profile."""
        return {c.header: c.field for c in self.columns if c.header}

    def column_summary(self) -> list[str]:
        """The export recognised, the columns used for which field and the columns ignored (German lines)."""
        return self.column_lines

    def report(self, file: str | None = None) -> ImportReport:
        """The preview as a report (``--dry-run``)."""
        return ImportReport(
            file=file if file is not None else str(self.table.path),
            rows=self.rows,
            dry_run=True,
            created_categories=list(self.new_categories),
            created_organisations=len(self.new_organisations),
            skipped_rows=[(s.excel_row, s.reason) for s in self.table.skipped],
            column_lines=self.column_summary(),
            notes=list(self.notes),
        )
