"""Every format through the import wizard, as staff use it: choose the file, check the mapping and the
preview (names in every script), import, and find the people in the database."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).parent.parent))
import contact_files as cf
import workbook_files as wf

from konferenz.storage.db import Database
from konferenz.storage.models import Organisation, Person
from ui.context import AppContext
from ui.spreadsheets.import_wizard import ImportWizard

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")

BUILDERS: dict[str, Callable[[Path], Path]] = {
    "xls": lambda d: wf.write_xls(d / "liste.xls", wf.people_rows()),
    "xlsb": lambda d: wf.write_xlsb(d / "liste.xlsb", wf.people_rows()),
    "ods": lambda d: wf.write_ods(d / "liste.ods", rows=wf.people_rows()),
}


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_workbook_formats_through_the_wizard(
    qtbot: Any, sqlite_db: Database, tmp_path: Path, kind: str
) -> None:
    path = BUILDERS[kind](tmp_path)
    wizard = ImportWizard(AppContext(sqlite_db))
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    assert wizard.open_file(path)
    assert "Blatt „Adressen“, Kopfzeile 1" in wizard.file_page.info_label.text()
    wizard.next()
    wizard.next()
    preview = wizard.preview_page
    assert wizard.currentPage() is preview
    assert preview.model.rowCount() == len(wf.PEOPLE)
    shown = " ".join(
        str(preview.model.index(r, c).data() or "")
        for r in range(preview.model.rowCount())
        for c in range(preview.model.columnCount())
    )
    for person in wf.PEOPLE:
        assert str(person[2]) in shown  # Öztürk, العلي, Иванова, Minh
    wizard.next()
    assert wizard.report is not None and wizard.report.created == len(wf.PEOPLE)
    with sqlite_db.read_session() as s:
        names = sorted((p.first_name, p.last_name) for p in s.scalars(sa.select(Person)))
    assert names == sorted((str(p[1]), str(p[2])) for p in wf.PEOPLE)


def test_a_vcard_file_through_the_wizard(qtbot: Any, sqlite_db: Database, tmp_path: Path) -> None:
    path = cf.apple_vcf(tmp_path)
    wizard = ImportWizard(AppContext(sqlite_db))
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    assert wizard.open_file(path)
    assert "vCard-Datei" in wizard.file_page.info_label.text()
    wizard.next()
    wizard.next()
    wizard.next()
    report = wizard.report
    assert report is not None and report.created + report.created_organisations > 0
    with sqlite_db.read_session() as s:
        persons = s.scalar(sa.select(sa.func.count(Person.id)))
        organisations = s.scalar(sa.select(sa.func.count(Organisation.id)))
    assert (persons or 0) + (organisations or 0) > 0
