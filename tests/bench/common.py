"""Shared pieces of the benchmarks: results, timing of whole processes, cached demo databases."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Result:
    name: str
    value: float
    unit: str
    target: float
    #: True when a smaller value is better (ratios, times, memory)
    lower_is_better: bool = True

    @property
    def ok(self) -> bool:
        return self.value <= self.target if self.lower_is_better else self.value >= self.target

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "value": round(self.value, 4), "unit": self.unit, "target": self.target}


@dataclass
class BenchContext:
    root: Path
    work: Path

    def demo_db(self, persons: int, seed: int = 1) -> Path:
        """A demo SQLite database with ``persons`` persons, generated once and kept in .bench/."""
        path = self.work / f"demo-{persons}-{seed}.sqlite"
        if not path.exists():
            tmp = path.with_suffix(".tmp")
            tmp.unlink(missing_ok=True)
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "ui",
                    "demo",
                    "--db",
                    str(tmp),
                    "--persons",
                    str(persons),
                    "--seed",
                    str(seed),
                ],
                check=True,
                cwd=self.root,
            )
            tmp.rename(path)
        return path


def run_script(ctx: BenchContext, name: str, script: str, *args: str) -> dict[str, Any]:
    """Run a benchmark's script in its own offscreen process; its last line of output is JSON."""
    out = subprocess.run(
        [sys.executable, "-c", script, *args],
        check=False,
        cwd=ctx.root,
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    if out.returncode != 0:
        raise RuntimeError(f"{name} failed:\n{out.stderr}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def time_process(args: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> float:
    """Wall time of one process run, in seconds; fails on a non-zero exit."""
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    started = time.perf_counter()
    subprocess.run(args, check=True, cwd=cwd, env=full_env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def median_alternating(
    a: list[str], b: list[str], *, cwd: Path, rounds: int = 7, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """Median wall times of two commands, run alternately so machine load hits both alike."""
    times_a: list[float] = []
    times_b: list[float] = []
    time_process(a, cwd=cwd, env=env)  # warm the file cache for both
    time_process(b, cwd=cwd, env=env)
    for _ in range(rounds):
        times_a.append(time_process(a, cwd=cwd, env=env))
        times_b.append(time_process(b, cwd=cwd, env=env))
    return statistics.median(times_a), statistics.median(times_b)
