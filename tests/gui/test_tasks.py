"""The progress of long work (``ui.widgets.tasks.run_task``): the dialog says how far it is as "12 von 81",
not only as a percentage."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressBar, QProgressDialog, QWidget

from ui.widgets.tasks import run_task


def test_the_progress_says_how_many_of_how_many(qtbot: Any) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    seen: list[str] = []
    checked = threading.Event()

    def work(progress: Any, _cancelled: Any) -> str:
        progress(12, 81)
        checked.wait(10)
        return "fertig"

    def look() -> None:
        dialogs = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()
        ]
        if not dialogs or dialogs[0].value() != 12:
            QTimer.singleShot(50, look)
            return
        bar = dialogs[0].findChild(QProgressBar)
        seen.append(bar.text())
        checked.set()

    QTimer.singleShot(50, look)
    assert run_task(parent, "Senden", work, minimum_duration_ms=0) == "fertig"
    assert seen == ["12 von 81"]
