"""startup: time until the main window is shown with its lists loaded on a 10,000-person database,
divided by the time a bare script needs to import PySide6 and SQLAlchemy and show a QMainWindow with a
QTableView. Both are whole processes (interpreter start included), measured alternately in one run."""

from __future__ import annotations

import subprocess
import sys
import tempfile

from common import BenchContext, Result, median_alternating

BARE = """
import sqlalchemy
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication([])
w = QMainWindow()
w.setCentralWidget(QTableView())
w.resize(1200, 800)
w.show()
app.processEvents()
print("shown")
"""


def run(ctx: BenchContext) -> list[Result]:
    db = ctx.demo_db(10_000)
    # An installed program starts from bytecode (pip compiles on install, Python caches on first start);
    # with PYTHONDONTWRITEBYTECODE set (as on the CI machines) every measured start would compile our
    # hundred modules from source again, which the bare script (site-packages only) never does.
    subprocess.run([sys.executable, "-m", "compileall", "-q", "konferenz", "ui"], cwd=ctx.root, check=True)
    ours = [sys.executable, "-m", "ui", "--check", "--db", str(db)]
    bare = [sys.executable, "-c", BARE]
    # a first start (no remembered window state: the Adressen area), the same for every run of the benchmark
    with tempfile.TemporaryDirectory(prefix="konferenz-bench-") as config:
        t_ours, t_bare = median_alternating(
            ours, bare, cwd=ctx.root, rounds=11, env={"XDG_CONFIG_HOME": config}
        )
    print(f"  konferenz --check: {t_ours:.3f} s, bare Qt window: {t_bare:.3f} s")
    return [Result("startup", t_ours / t_bare, "ratio", 1.5)]
