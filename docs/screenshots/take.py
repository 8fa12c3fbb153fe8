"""Redraw the README's and the handbook's pictures of the main window (offscreen, the demo database).

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/take.py

Writes docs/screenshots/{adressen,konferenzen}-{1280x800,1920x1080}.png, the older names the README and
the handbook use for the same views, and the handbook's area images (960 pixels wide).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from konferenz.demo.builder import generate_demo
from konferenz.storage.db import open_database
from ui.settings import settings
from ui.shell.application import create_application
from ui.shell.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
HANDBOOK = ROOT / "resources" / "handbook" / "img"


def _settle(app: QApplication, seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def main() -> None:
    app = create_application([])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "konferenz-demo.sqlite"
        database = open_database(path, create=True)
        generate_demo(database, seed=1)
        for width, height in ((1280, 800), (1920, 1080)):
            settings().clear()
            window = MainWindow(database)
            loaded: list[bool] = []
            window.lists_loaded.connect(lambda done=loaded: done.append(True))
            window.show()
            while not loaded:
                app.processEvents()
            window.showNormal()
            window.resize(width, height)
            _settle(app)
            shots = {}
            window.show_area(0)
            window.current_panel().table.selectRow(1)
            _settle(app, 0.6)
            shots["adressen"] = window.grab()
            window.show_area(1)
            window.areas["Konferenzen"].invitations.list_panel.table.selectRow(1)
            _settle(app, 0.6)
            shots["konferenzen"] = window.grab()
            for index, name in ((2, "programm"), (3, "protokoll"), (4, "ergebnisse")):
                window.show_area(index)
                window.current_panel().table.selectRow(0)
                _settle(app, 0.4)
                shots[name] = window.grab()
            size = f"{width}x{height}"
            for name in ("adressen", "konferenzen"):
                shots[name].save(str(SHOTS / f"{name}-{size}.png"))
            if width == 1280:
                shots["adressen"].save(str(ROOT / "docs" / "screenshot-main.png"))
                shots["konferenzen"].save(str(ROOT / "docs" / "screenshot-konferenzen.png"))
                shots["ergebnisse"].save(str(ROOT / "docs" / "screenshot-ergebnisse.png"))
                for name, image in (
                    ("adressen", shots["adressen"]),
                    ("einladungen", shots["konferenzen"]),
                    ("programm", shots["programm"]),
                    ("protokoll", shots["protokoll"]),
                    ("ergebnisse", shots["ergebnisse"]),
                ):
                    image.scaledToWidth(960, Qt.TransformationMode.SmoothTransformation).save(
                        str(HANDBOOK / f"{name}.png")
                    )
            else:
                shots["adressen"].save(str(ROOT / "docs" / "screenshot-adressen-personen.png"))
                shots["konferenzen"].save(str(ROOT / "docs" / "screenshot-konferenzen-einladungen.png"))
            window.close()
            window.deleteLater()
            _settle(app, 0.1)
        database.dispose()


if __name__ == "__main__":
    main()
