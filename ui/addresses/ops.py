"""Undoable operations of the address register: create, edit, delete and merge persons and organisations.

Each function calls one service of ``konferenz.registry.persons`` / ``organisations`` / ``merge`` (one unit of work)
and puts the change on the window's undo stack (``AppContext.push_change``), following the undo recipes
of ``konferenz.registry.persons``. Each operation (and each undo and redo) announces what its units of work
wrote (``AppContext.announcing``), so every list refreshes; Strg+Z and Strg+Umschalt+Z then undo and redo
within the session.

An undo or redo can fail when the record was changed in the meantime (at another workplace, or by a later
step that is no longer on the stack): the user is told in German, nothing is changed, and the undo history
is cleared, because the steps below no longer fit the data.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from typing import Concatenate, ParamSpec, TypeVar

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from konferenz.errors import UserError
from konferenz.registry import merge, organisations, persons
from konferenz.registry.merge import Choice, MergeResult
from konferenz.registry.validation import OrganisationData, PersonData
from konferenz.storage.recording import person_display_name
from konferenz.storage.snapshot import Snapshot
from ui.context import AppContext

log = logging.getLogger(__name__)

#: what a change of a person touches in the window (organisations show their number of contacts)


P = ParamSpec("P")
R = TypeVar("R")


def _announced(operation: Callable[Concatenate[AppContext, P], R]) -> Callable[Concatenate[AppContext, P], R]:
    """The operation announces what its units of work wrote (``AppContext.announcing``), also when it
    fails halfway; its undo and redo do the same (``push_change`` without kinds)."""

    @functools.wraps(operation)
    def announced(ctx: AppContext, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with ctx.announcing():
            return operation(ctx, *args, **kwargs)

    return announced


def _tr(text: str) -> str:
    return QCoreApplication.translate("RegistryOps", text)


def person_name(data: PersonData) -> str:
    """ "Dr. Ayşe Öztürk" for undo texts and questions."""
    return person_display_name(
        {
            "title": data.title,
            "first_name": data.first_name,
            "name_prefix": data.name_prefix,
            "last_name": data.last_name,
        }
    )


def _guarded(ctx: AppContext, what: str, step: Callable[[], object]) -> Callable[[], None]:
    """``step`` for the undo stack: a UserError (record changed meanwhile) is reported, not raised."""

    def run() -> None:
        try:
            step()
        except UserError as exc:
            log.info("%s nicht möglich: %s", what, exc)
            _report_failed_step(ctx, what, exc.message)

    return run


def _report_failed_step(ctx: AppContext, what: str, message: str) -> None:
    # after the stack finished its step: clearing it inside undo() would delete the running command
    def later() -> None:
        ctx.undo_stack.clear()
        parent = ctx.parent()
        QMessageBox.warning(
            parent if isinstance(parent, QWidget) else None,
            what,
            _tr(
                "{0}\n\nEs wurde nichts geändert. Die Liste der Schritte, die rückgängig gemacht werden "
                "können, wurde geleert, weil sie nicht mehr zu den gespeicherten Daten passt."
            ).format(message),
        )

    QTimer.singleShot(0, later)


# --- persons ---------------------------------------------------------------------------------------------


@_announced
def create_person(ctx: AppContext, data: PersonData) -> int:
    """Save a new person (undo deletes it again, redo brings the same record back)."""
    person_id = persons.create_person(ctx.database, data)
    state: dict[str, Snapshot] = {}

    def undo() -> None:
        state["snap"] = persons.delete_person(ctx.database, person_id)

    def redo() -> None:
        persons.restore_person(ctx.database, state["snap"])

    ctx.push_change(
        _tr("Person „{0}“ anlegen").format(person_name(data)),
        _guarded(ctx, _tr("Wiederholen"), redo),
        _guarded(ctx, _tr("Rückgängig"), undo),
    )
    return person_id


@_announced
def update_person(ctx: AppContext, person_id: int, data: PersonData, expected_version: int | None) -> int:
    """Save changed data of a person; returns the new version. Raises ``ValidationError`` and
    ``VersionConflictError`` (nothing saved). A save that changes nothing is not put on the stack."""
    database = ctx.database
    before = persons.capture_person(database, person_id, record_only=True)
    before_row = before.row("person", person_id)
    before_version = int(before_row["version"]) if before_row else None
    version = persons.update_person(database, person_id, data, expected_version)
    if version == before_version:
        return version
    state = {"version": version}

    def undo() -> None:
        persons.restore_person(ctx.database, before, expected_version=state["version"])

    def redo() -> None:
        state["version"] = persons.update_person(ctx.database, person_id, data, before_version)

    ctx.push_change(
        _tr("Person „{0}“ ändern").format(person_name(data)),
        _guarded(ctx, _tr("Wiederholen"), redo),
        _guarded(ctx, _tr("Rückgängig"), undo),
    )
    return version


@_announced
def delete_person(ctx: AppContext, person_id: int, name: str) -> None:
    """Delete a person with everything on it (undo puts all of it back)."""
    state = {"snap": persons.delete_person(ctx.database, person_id)}

    def undo() -> None:
        persons.restore_person(ctx.database, state["snap"])

    def redo() -> None:
        state["snap"] = persons.delete_person(ctx.database, person_id)

    ctx.push_change(
        _tr("Person „{0}“ löschen").format(name),
        _guarded(ctx, _tr("Wiederholen"), redo),
        _guarded(ctx, _tr("Rückgängig"), undo),
    )


@_announced
def merge_persons(
    ctx: AppContext, keep_id: int, drop_id: int, choices: Mapping[str, Choice], text: str
) -> MergeResult:
    """Merge person ``drop_id`` into ``keep_id`` with the chosen field values (undo separates them)."""
    state = {"result": merge.merge_persons(ctx.database, keep_id, drop_id, choices)}

    def undo() -> None:
        merge.undo_merge(ctx.database, state["result"])

    def redo() -> None:
        state["result"] = merge.merge_persons(ctx.database, keep_id, drop_id, choices)

    ctx.push_change(
        text,
        _guarded(ctx, _tr("Wiederholen"), redo),
        _guarded(ctx, _tr("Rückgängig"), undo),
    )
    return state["result"]


# --- organisations -------------------------------------------------------------------------------------


@_announced
def create_organisation(ctx: AppContext, data: OrganisationData) -> int:
    organisation_id = organisations.create_organisation(ctx.database, data)
    state: dict[str, Snapshot] = {}

    def undo() -> None:
        state["snap"] = organisations.delete_organisation(ctx.database, organisation_id)

    def redo() -> None:
        organisations.restore_organisation(ctx.database, state["snap"])

    ctx.push_change(
        _tr("Organisation „{0}“ anlegen").format(data.name),
        _guarded(ctx, _tr("Wiederholen"), redo),
        _guarded(ctx, _tr("Rückgängig"), undo),
    )
    return organisation_id


@_announced
def update_organisation(
    ctx: AppContext, organisation_id: int, data: OrganisationData, expected_version: int | None
) -> int:
    database = ctx.database
    before = organisations.capture_organisation(database, organisation_id, record_only=True)
    before_row = before.row("organisation", organisation_id)
    before_version = int(before_row["version"]) if before_row else None
    version = organisations.update_organisation(database, organisation_id, data, expected_version)
    if version == before_version:
        return version
    state = {"version": version}

    def undo() -> None:
        organisations.restore_organisation(ctx.database, before, expected_version=state["version"])

    def redo() -> None:
        state["version"] = organisations.update_organisation(
            ctx.database, organisation_id, data, before_version
        )

    ctx.push_change(
        _tr("Organisation „{0}“ ändern").format(data.name),
        _guarded(ctx, _tr("Wiederholen"), redo),
        _guarded(ctx, _tr("Rückgängig"), undo),
    )
    return version


@_announced
def delete_organisation(ctx: AppContext, organisation_id: int, name: str) -> None:
    state = {"snap": organisations.delete_organisation(ctx.database, organisation_id)}

    def undo() -> None:
        organisations.restore_organisation(ctx.database, state["snap"])

    def redo() -> None:
        state["snap"] = organisations.delete_organisation(ctx.database, organisation_id)

    ctx.push_change(
        _tr("Organisation „{0}“ löschen").format(name),
        _guarded(ctx, _tr("Wiederholen"), redo),
        _guarded(ctx, _tr("Rückgängig"), undo),
    )


@_announced
def merge_organisations(
    ctx: AppContext, keep_id: int, drop_id: int, choices: Mapping[str, Choice], text: str
) -> MergeResult:
    state = {"result": merge.merge_organisations(ctx.database, keep_id, drop_id, choices)}

    def undo() -> None:
        merge.undo_merge(ctx.database, state["result"])

    def redo() -> None:
        state["result"] = merge.merge_organisations(ctx.database, keep_id, drop_id, choices)

    ctx.push_change(
        text,
        _guarded(ctx, _tr("Wiederholen"), redo),
        _guarded(ctx, _tr("Rückgängig"), undo),
    )
    return state["result"]
