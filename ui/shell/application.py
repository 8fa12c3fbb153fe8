"""The QApplication of the window: its names, the German locale, Qt's German texts for the standard dialogs,
and the filter for the offscreen platform's noise. A leaf: the main window, the data-safety dialogs and the
start code all create the application here without importing each other.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from PySide6.QtCore import (
    QLibraryInfo,
    QLocale,
    QMessageLogContext,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

APPLICATION_NAME = "Konferenz"
ORGANISATION_NAME = "Kreis Borken"

#: the translators must live as long as the application
_translators: list[QTranslator] = []
#: Qt messages of the offscreen platform (``--check`` without a display) that say nothing to a user
_OFFSCREEN_NOISE = ("This plugin does not support propagateSizeHints()",)
_message_handlers: list[object] = []


def _install_offscreen_message_filter() -> None:
    """Drop the offscreen plugin's notes about window features it lacks; pass everything else on."""

    def handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if message in _OFFSCREEN_NOISE:
            return
        if previous is not None:
            previous(mode, context, message)
        else:
            sys.stderr.write(message + "\n")

    previous = qInstallMessageHandler(handler)
    _message_handlers.append(handler)


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication (created once): names, German locale, Qt's German texts for standard dialogs."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    app.setApplicationName(APPLICATION_NAME)
    app.setApplicationDisplayName(APPLICATION_NAME)
    app.setOrganizationName(ORGANISATION_NAME)
    app.setOrganizationDomain("kreis-borken.de")
    import konferenz

    app.setApplicationVersion(konferenz.__version__)
    from PySide6.QtGui import QIcon

    from konferenz import paths

    app.setWindowIcon(QIcon(str(paths.resources_dir() / "icons" / "konferenz.png")))
    if app.platformName() == "offscreen":
        _install_offscreen_message_filter()
    german = QLocale(QLocale.Language.German, QLocale.Country.Germany)
    QLocale.setDefault(german)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for catalogue in ("qtbase", "qt"):
        translator = QTranslator(app)
        if translator.load(german, catalogue, "_", folder):
            app.installTranslator(translator)
            _translators.append(translator)
            break
    else:
        log.info("Keine deutschen Qt-Übersetzungen in %s gefunden", folder)
    from ui.widgets.focus import install_focus_frames

    install_focus_frames(app)
    return app
