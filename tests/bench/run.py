"""Run every benchmark in tests/bench/ (modules named bench_*.py), print a table, write .bench/results.json.

Each module has ``run(ctx: BenchContext) -> list[Result]``. Results are ratios (or sizes) against the raw
library cost measured in the same run, so they mean the same on a fast and a slow machine.
Usage: python tests/bench/run.py [NAME_FRAGMENT ...]
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from common import BenchContext, Result  # noqa: E402


def main(argv: list[str]) -> int:
    ctx = BenchContext(root=ROOT, work=ROOT / ".bench")
    ctx.work.mkdir(exist_ok=True)
    results: list[Result] = []
    for path in sorted(HERE.glob("bench_*.py")):
        if argv and not any(fragment in path.stem for fragment in argv):
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        started = time.perf_counter()
        print(f"… {path.stem}", flush=True)
        results.extend(module.run(ctx))
        print(f"  ({time.perf_counter() - started:.1f} s)", flush=True)
    print()
    print(f"{'name':<28} {'value':>10} {'unit':<8} {'target':>8}  ok")
    for r in results:
        ok = "ja" if r.ok else "NEIN"
        print(f"{r.name:<28} {r.value:>10.3f} {r.unit:<8} {r.target:>8.2f}  {ok}")
    out = ctx.work / "results.json"
    entries = [r.as_json() for r in results]
    if argv and out.exists():  # a partial run updates its entries and keeps the others
        fresh = {e["name"] for e in entries}
        kept = [e for e in json.loads(out.read_text(encoding="utf-8")) if e.get("name") not in fresh]
        entries = kept + entries
    out.write_text(json.dumps(entries, indent=2), encoding="utf-8")
    print(f"\n→ {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
