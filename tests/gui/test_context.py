"""AppContext.run and the undo stack announce what the core wrote: the widgets name no kinds."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from konferenz.registry import persons as registry_persons
from konferenz.registry.validation import PersonData
from konferenz.storage.changes import PERSONS
from konferenz.storage.db import Database
from ui.context import AppContext


def test_run_announces_what_the_service_wrote(qtbot: QtBot, db: Database) -> None:
    ctx = AppContext(db)
    with qtbot.waitSignal(ctx.data_changed) as signal:
        person_id = ctx.run(lambda: registry_persons.create_person(db, PersonData(last_name="Nguyễn")))
    assert signal.args == [frozenset({PERSONS})]
    assert registry_persons.get_person(db, person_id).data.last_name == "Nguyễn"


def test_a_failed_action_announces_only_what_was_committed(qtbot: QtBot, db: Database) -> None:
    ctx = AppContext(db)
    seen: list[frozenset[str]] = []
    ctx.data_changed.connect(seen.append)

    def half_done() -> None:
        registry_persons.create_person(db, PersonData(last_name="Erster"))
        raise RuntimeError("Netzwerk weg")

    with pytest.raises(RuntimeError):
        ctx.run(half_done)
    with pytest.raises(RuntimeError):
        ctx.run(lambda: (_ for _ in ()).throw(RuntimeError("vor jeder Änderung")))
    assert seen == [frozenset({PERSONS})]


def test_undo_and_redo_announce_what_they_wrote(qtbot: QtBot, db: Database) -> None:
    ctx = AppContext(db)
    created: list[int] = []

    def redo() -> None:
        created.append(registry_persons.create_person(db, PersonData(last_name="Şahin")))

    def undo() -> None:
        registry_persons.delete_person(db, created.pop())

    with qtbot.waitSignal(ctx.data_changed) as signal:
        ctx.push_change("Person anlegen", redo, undo, already_done=False)
    assert signal.args == [frozenset({PERSONS})] and len(created) == 1
    with qtbot.waitSignal(ctx.data_changed) as signal:
        ctx.undo_stack.undo()
    # persons, and what the foreign keys of a deleted person touch
    assert PERSONS in signal.args[0] and created == []
