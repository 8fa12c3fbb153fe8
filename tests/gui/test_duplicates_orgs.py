"""Bearbeiten → Dubletten suchen for organisations: a duplicate pair is listed with its reason (the rule table
of konferenz.registry.evidence) and merged with the merge dialog; the real database and the real window."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from konferenz.registry import organisations, persons
from konferenz.registry.validation import OrganisationData, PersonData, RoleData
from konferenz.storage.db import Database
from konferenz.storage.models import Organisation, Role
from ui.addresses.duplicates_dialog import DuplicatesDialog
from ui.addresses.merge_dialog import MergeDialog
from ui.shell.main_window import MainWindow


@pytest.fixture
def window(qtbot, sqlite_db: Database) -> MainWindow:
    win = MainWindow(sqlite_db)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.lists_loaded, timeout=10_000):
        win.show()
    return win


def test_duplicate_organisations_are_listed_with_the_reason_and_merged(
    qtbot, window: MainWindow, sqlite_db: Database
) -> None:
    first = organisations.create_organisation(
        sqlite_db, OrganisationData(name="Caritasverband Bocholt e.V.", postal_code="46395", city="Bocholt")
    )
    second = organisations.create_organisation(
        sqlite_db,
        OrganisationData(
            name="CARITASVERBAND  BOCHOLT", postal_code="46395", city="Bocholt", phone="02871 1"
        ),
    )
    other = organisations.create_organisation(
        sqlite_db, OrganisationData(name="AWO Kreisverband Borken", city="Borken")
    )
    contact = persons.create_person(
        sqlite_db, PersonData(first_name="Elif", last_name="Kaya", roles=[RoleData(second, is_primary=True)])
    )
    window.registry_actions.find_duplicates.trigger()
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, DuplicatesDialog) and w.isVisible()]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    assert dialog.shown_groups() == []  # no duplicate persons
    dialog.set_kind("organisation")
    groups = dialog.shown_groups()
    assert [g.person_ids for g in groups] == [[first, second]]  # AWO is not in any group
    text = dialog.groups.item(0).text()
    assert "2 Organisationen" in text and "gleicher Name und gleicher Ort" in text and "sicher" in text
    dialog.groups.setCurrentRow(0)
    assert set(dialog.selected_ids()) == {first, second}
    assert "gleicher Name" in dialog.pair_label.text()
    assert not dialog.show_button.isEnabled()
    merge = dialog.merge_selected()
    assert isinstance(merge, MergeDialog)
    merge.choose("phone", "B" if merge.ids[1] == second else "A")
    qtbot.mouseClick(merge.merge_button, Qt.MouseButton.LeftButton)

    with sqlite_db.read_session() as s:
        left = s.scalars(sa.select(Organisation.id).order_by(Organisation.id)).all()
        assert left == [merge.keep_id, other]
        kept = s.get(Organisation, merge.keep_id)
        assert kept is not None and kept.phone == "02871 1"
        assert s.scalars(sa.select(Role.organisation_id).where(Role.person_id == contact)).all() == [
            merge.keep_id
        ]
    assert dialog.shown_groups() == []
    dialog.set_kind("person")
    assert "Personen" in dialog.persons_label.text()
    dialog.close()
