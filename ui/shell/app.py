"""Running the window: the exception hook, and the two ways to run the main window (``run_window`` for the
user, ``check`` for a quick smoke test from the command line). The QApplication itself (names, German
locale and translations) is made by ``ui.shell.application``.

Logging itself is configured by the command line (``konferenz.logs.setup_logging``); this module only
logs through ``logging.getLogger(__name__)``.
"""

from __future__ import annotations

import gc
import logging
import sys
import time
import traceback
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from konferenz import paths
from konferenz.errors import UserError
from konferenz.lists.source import format_count
from konferenz.storage.db import Database
from ui.shell.application import create_application

if TYPE_CHECKING:
    from ui.shell.main_window import MainWindow

log = logging.getLogger(__name__)

_showing_error = False


# --- unexpected errors ----------------------------------------------------------------------------------


def error_message(exc: BaseException) -> str:
    """The German text shown for an exception that reached the hook."""
    if isinstance(exc, UserError):
        return exc.message
    return (
        "Ein unerwarteter Fehler ist aufgetreten. Details stehen in der Protokolldatei im Ordner "
        f"„{paths.log_dir()}“.\n\n{type(exc).__name__}: {exc}"
    )


def handle_exception(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Log an exception that nobody caught (with traceback) and tell the user instead of crashing."""
    global _showing_error  # noqa: PLW0603 (one flag against stacked dialogs)
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if isinstance(exc, UserError):
        log.warning("Nicht abgefangener Bedienfehler: %s", exc)
    else:
        log.error("Unerwarteter Fehler", exc_info=(exc_type, exc, tb))
    app = QApplication.instance()
    if not isinstance(app, QApplication) or _showing_error:
        if not log.hasHandlers():
            traceback.print_exception(exc_type, exc, tb)
        return
    _showing_error = True
    try:
        QMessageBox.critical(app.activeWindow(), "Konferenz – Fehler", error_message(exc))
    except Exception:  # the dialog must never turn one error into a crash
        log.exception("Fehlermeldung konnte nicht angezeigt werden")
    finally:
        _showing_error = False


def install_excepthook() -> None:
    """Route exceptions escaping Qt slots and event handlers to ``handle_exception``."""
    sys.excepthook = handle_exception


# --- running the window -----------------------------------------------------------------------------


def startup_finished() -> None:
    """The window shows its lists: the garbage collector (off while starting, see ``ui.commands.cli.main``) runs
    again, and what the start created is moved out of its way for good (``gc.freeze``)."""
    gc.freeze()
    gc.enable()


def run_window(database: Database) -> int:
    """Show the main window over ``database`` until the user closes it; the exit code."""
    app = create_application(sys.argv)
    install_excepthook()
    from ui.shell.main_window import MainWindow

    window = MainWindow(database)
    window.lists_loaded.connect(startup_finished)
    window.lists_loaded.connect(lambda: start_daily_backup(database))
    after_start(window)
    window.show()
    return int(app.exec())


def after_start(window: MainWindow) -> None:
    """Once the lists are shown: an e-mail run the program did not finish (killed, connection lost) is
    offered to continue (``ui.paper.dialogs.mail_sending.offer_open_runs``)."""
    from ui.paper.dialogs.mail_sending import offer_open_runs

    # ``lists_loaded`` is emitted once; the question waits until the first paint is done
    window.lists_loaded.connect(lambda: QTimer.singleShot(0, lambda: offer_open_runs(window.ctx, window)))


def start_daily_backup(database: Database) -> None:
    """Today's automatic backup of a SQLite file, in the background after the window is up."""
    if database.backend != "sqlite" or not database.url.database:
        return
    from pathlib import Path

    from PySide6.QtCore import QThreadPool

    from konferenz.storage.backups import daily_backup

    path = Path(database.url.database)

    def work() -> None:
        try:
            made = daily_backup(path)
        except OSError:  # a read-only share must not keep anyone from working
            log.warning("Tägliche Sicherung von %s nicht möglich", path, exc_info=True)
        else:
            if made is not None:
                log.info("Tägliche Sicherung: %s", made)

    QThreadPool.globalInstance().start(work)


def check(database: Database, timeout_s: float = 60.0) -> str:
    """Open the main window, wait until it is shown with the lists of its area loaded, close it; one
    German summary line with what the database holds.

    Raises ``UserError`` when the lists do not load within ``timeout_s`` seconds.
    """
    create_application()
    from konferenz.lists.source import database_counts
    from ui.shell.main_window import MainWindow

    started = time.perf_counter()
    window = MainWindow(database)
    loop = QEventLoop()
    window.lists_loaded.connect(loop.quit)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(int(timeout_s * 1000))
    window.show()
    if not window.is_loaded:
        loop.exec()
    timer.stop()
    startup_finished()
    loaded = window.is_loaded
    area = window.current_area_name()
    window.close()
    window.deleteLater()
    elapsed = time.perf_counter() - started
    if not loaded:
        raise UserError(
            f"Die Listen wurden nicht innerhalb von {timeout_s:g} Sekunden geladen "
            f"(Datenbank: {database.display_name})."
        )
    with database.read_connection() as session:
        counts = database_counts(session)
    log.info("Fenster geprüft in %.2f s (Bereich %s): %s", elapsed, area, counts)
    n = {name: format_count(value) for name, value in counts.items()}
    return (
        f"OK: {n['Personen']} Personen, {n['Organisationen']} Organisationen, "
        f"{n['Konferenzen']} Konferenzen, {n['Programm']} Programmpunkte, "
        f"{n['Protokoll']} Protokolleinträge, {n['Ergebnisse']} Empfehlungen; "
        f"Fenster mit Bereich {area} geladen "
        f"(Datenbank: {database.display_name})"
    )
