"""bundle: the self-contained build (make dist) against the venv: its size on disk, and the start time of
`konferenz --check` on a 10,000-person database from the bundle divided by the same from the venv (whole
processes, measured alternately). Skipped with a note when dist/konferenz has not been built."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from common import BenchContext, Result, median_alternating


def _size_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def run(ctx: BenchContext) -> list[Result]:
    bundle = ctx.root / "dist" / "konferenz"
    program = bundle / ("konferenz.exe" if sys.platform == "win32" else "konferenz")
    if not program.exists():
        print("  kein Programmpaket in dist/konferenz (erst make dist) – übersprungen")
        return []
    db = ctx.demo_db(10_000)
    subprocess.run([sys.executable, "-m", "compileall", "-q", "konferenz", "ui"], cwd=ctx.root, check=True)
    venv = [sys.executable, "-m", "ui", "--check", "--db", str(db)]
    frozen = [str(program), "--check", "--db", str(db)]
    with tempfile.TemporaryDirectory(prefix="konferenz-bench-") as config:
        t_frozen, t_venv = median_alternating(
            frozen, venv, cwd=ctx.root, rounds=7, env={"XDG_CONFIG_HOME": config}
        )
    size = _size_mib(bundle)
    print(f"  bundle --check: {t_frozen:.3f} s, venv --check: {t_venv:.3f} s, bundle {size:.0f} MiB")
    return [
        Result("bundle_start_ratio", t_frozen / t_venv, "ratio", 1.0),
        Result("bundle_size_mib", size, "MiB", 300.0),
    ]
