"""Datei → Sicherung anlegen / Sicherung zurückspielen / Auf Server umziehen, and the offer to restore a
damaged database file on start. All long work runs in the background with progress (ui.widgets.tasks)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from konferenz.errors import UserError
from konferenz.storage import backups
from konferenz.storage.db import Database, open_database, server_url
from ui.widgets.dialog_tools import choose_open_path, choose_save_path
from ui.widgets.tasks import run_task

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from konferenz.storage import transfer
    from ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)
BACKUP_FILTER = "SQLite-Sicherungen (*.sqlite);;Alle Dateien (*)"
#: the folder of the last backup made or chosen (the first backup goes next to the database)
BACKUP_FOLDER_KEY = "Sicherung/folder"


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("DataSafety", text)


def make_backup(window: MainWindow) -> Path | None:
    """Datei → Sicherung anlegen …"""
    from konferenz.storage import transfer  # late: copying imports the ORM models

    database = window.ctx.database
    stamp = dt.date.today().isoformat()
    folder = (
        Path(database.url.database).parent
        if database.backend == "sqlite" and database.url.database
        else Path.home()
    )
    path = choose_save_path(
        window,
        _tr("Sicherung anlegen"),
        f"konferenz-sicherung-{stamp}.sqlite",
        _tr(BACKUP_FILTER),
        folder_key=BACKUP_FOLDER_KEY,
        start=folder,
        keep_suffix=True,
    )
    if path is None:
        return None
    try:
        result = run_task(
            window,
            _tr("Sicherung anlegen"),
            lambda progress, _c: transfer.backup(database, path, progress=progress),
        )
    except UserError as exc:
        QMessageBox.warning(window, _tr("Sicherung anlegen"), exc.message)
        return None
    window.statusBar().showMessage(
        _tr("Sicherung geschrieben: {0} ({1} Zeilen)").format(result.target, result.total_rows), 8000
    )
    return Path(result.target)


class BackupChooser(QDialog):
    """The automatic backups of the open file, newest first, plus "Andere Datei …"."""

    def __init__(self, db_path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("Sicherung zurückspielen"))
        self.chosen: Path | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                _tr(
                    "Welche Sicherung soll zurückgespielt werden? Der jetzige Stand wird vorher neben der "
                    "Datenbank gesichert."
                )
            )
        )
        self.list = QListWidget()
        self.list.setAccessibleName(_tr("Automatische Sicherungen"))
        for info in backups.list_backups(db_path) if db_path else []:
            item = QListWidgetItem(f"{info.modified:%d.%m.%Y %H:%M} – {info.kind} – {info.path.name}")
            item.setData(256, str(info.path))
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        other = buttons.addButton(_tr("Andere Datei …"), QDialogButtonBox.ButtonRole.ActionRole)
        other.clicked.connect(self._other)
        buttons.accepted.connect(self._take_selected)
        buttons.rejected.connect(self.reject)
        self.list.itemActivated.connect(lambda _item: self._take_selected())
        layout.addWidget(buttons)

    def _take_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.chosen = Path(item.data(256))
            self.accept()

    def _other(self) -> None:
        path = choose_open_path(
            self, _tr("Sicherung wählen"), _tr(BACKUP_FILTER), folder_key=BACKUP_FOLDER_KEY, start=Path.home()
        )
        if path is not None:
            self.chosen = path
            self.accept()


def restore_backup(window: MainWindow, chosen: Path | None = None) -> bool:
    """Datei → Sicherung zurückspielen …"""
    from konferenz.storage import transfer  # late: copying imports the ORM models

    database = window.ctx.database
    db_path = Path(database.url.database) if database.backend == "sqlite" and database.url.database else None
    if chosen is None:
        chooser = BackupChooser(db_path, window)
        if chooser.exec() != QDialog.DialogCode.Accepted or chooser.chosen is None:
            return False
        chosen = chooser.chosen
    answer = QMessageBox.question(
        window,
        _tr("Sicherung zurückspielen"),
        _tr("Den Stand aus „{0}“ zurückspielen? Alle Änderungen seit dieser Sicherung gehen verloren "
            "(der jetzige Stand wird vorher gesichert).").format(chosen.name),
    )  # fmt: skip
    if answer != QMessageBox.StandardButton.Yes:
        return False
    try:
        result = run_task(
            window,
            _tr("Sicherung zurückspielen"),
            lambda p, _c: transfer.restore(chosen, database, progress=p),
        )
    except UserError as exc:
        QMessageBox.warning(window, _tr("Sicherung zurückspielen"), exc.message)
        return False
    window.ctx.undo_stack.clear()
    window.load_lists()
    window.statusBar().showMessage(
        _tr("Zurückgespielt: {0} ({1} Zeilen)").format(chosen.name, result.total_rows), 8000
    )
    return True


class ServerDialog(QDialog):
    """Where the PostgreSQL database is. The password is used for this move only and never stored."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("Auf Server umziehen"))
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                _tr(
                    "Die ganze Datenbank wird in eine leere PostgreSQL-Datenbank kopiert; danach werden die "
                    "Zeilenzahlen verglichen. Die Datei bleibt unverändert. Das Passwort wird nicht "
                    "gespeichert – für den Alltag gehört es in die Passwortdatei (pgpass.conf)."
                )
            )
        )
        form = QFormLayout()
        self.host = QLineEdit()
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("konferenz")
        self.user = QLineEdit("ki_konferenz")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        for label, widget in (
            (_tr("&Server:"), self.host),
            (_tr("&Port:"), self.port),
            (_tr("&Datenbank:"), self.database),
            (_tr("&Benutzer:"), self.user),
            (_tr("Pass&wort (optional):"), self.password),
        ):
            widget.setAccessibleName(label.replace("&", "").rstrip(":"))
            form.addRow(label, widget)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def url(self) -> URL:
        return server_url(
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            username=self.user.text().strip(),
            password=self.password.text(),
        )


def move_to_server(window: MainWindow, url: URL | None = None) -> bool:
    """Datei → Auf Server umziehen …: copy the open SQLite file into an empty PostgreSQL database."""
    from konferenz.storage import transfer  # late: copying imports the ORM models

    source = window.ctx.database
    if source.backend != "sqlite":
        QMessageBox.information(
            window, _tr("Auf Server umziehen"), _tr("Die Datenbank liegt bereits auf einem Server.")
        )
        return False
    if url is None:
        dialog = ServerDialog(window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        url = dialog.url()

    def work(
        progress: transfer.Progress, cancelled: transfer.Cancelled
    ) -> tuple[transfer.CopyResult, Database]:
        target = open_database(url)
        try:
            return transfer.copy_database(source, target, progress=progress, cancelled=cancelled), target
        except BaseException:
            target.dispose()
            raise

    try:
        result, target = run_task(window, _tr("Auf Server umziehen"), work)
    except UserError as exc:
        QMessageBox.warning(window, _tr("Auf Server umziehen"), exc.message)
        return False
    answer = QMessageBox.question(
        window,
        _tr("Auf Server umziehen"),
        _tr("Umzug fertig: {0} Zeilen in {1} Tabellen kopiert und geprüft. Jetzt mit der Server-Datenbank "
            "weiterarbeiten?").format(result.total_rows, len(result.counts)),
    )  # fmt: skip
    if answer == QMessageBox.StandardButton.Yes:
        window.set_database(target)
    else:
        target.dispose()
    return True


def install_menu(window: MainWindow, menu: QMenu) -> list[QAction]:
    """Add the data-safety entries to the Datei menu."""
    entries = [
        (
            _tr("Sicherung &anlegen …"),
            _tr("Eine vollständige Kopie der Datenbank als Datei speichern"),
            make_backup,
        ),
        (
            _tr("Sicherung &zurückspielen …"),
            _tr("Einen früheren Stand aus einer Sicherung wiederherstellen"),
            restore_backup,
        ),
        (
            _tr("Auf &Server umziehen …"),
            _tr("Die Datenbank-Datei in eine PostgreSQL-Datenbank kopieren"),
            move_to_server,
        ),
    ]
    actions = []
    for text, tip, handler in entries:
        action = QAction(text, window)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False, h=handler: h(window))
        menu.addAction(action)
        actions.append(action)
    return actions


def offer_restore(exc: backups.DamagedDatabaseError) -> bool:
    """On start with a damaged file: offer to restore the newest good backup. True when restored."""
    from konferenz.storage import transfer  # late: copying imports the ORM models
    from ui.shell.application import create_application

    create_application()
    title = _tr("Datenbank beschädigt")
    if not exc.backups:
        QMessageBox.critical(None, title, exc.message)
        return False
    newest = exc.backups[0]
    answer = QMessageBox.question(
        None,
        title,
        _tr("Die Datenbankdatei „{0}“ ist beschädigt.\n\nDie neueste unbeschädigte Sicherung ist vom {1} "
            "({2}). Soll sie zurückgespielt werden? Die beschädigte Datei wird vorher daneben abgelegt.").format(
            exc.db_path, f"{newest.modified:%d.%m.%Y %H:%M}", newest.path.name),
    )  # fmt: skip
    if answer != QMessageBox.StandardButton.Yes:
        return False
    target = open_database(exc.db_path, check=False, migrate=False)
    try:
        transfer.restore(newest.path, target)
    finally:
        target.dispose()
    return True
