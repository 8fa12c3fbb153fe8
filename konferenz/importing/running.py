"""What every long step of an import shares: the progress and cancel callbacks, the paused cyclic garbage
collector, and the chunk sizes of its queries and inserts.

The cyclic garbage collector is paused while an import runs (``without_cyclic_gc``): the rows of the file
stay alive until the end, and collecting over them again and again cost a quarter of the time
(tests/bench/bench_spreadsheets.py).
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar, cast

from konferenz.errors import UserError

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

#: rows per Core statement when writing
CHUNK = 2000
#: ids per ``IN (…)`` query
IN_CHUNK = 500


def check_cancelled(cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise UserError("Import abgebrochen – es wurde nichts gespeichert.")


def chunks(values: Sequence[Any], size: int = IN_CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


# --- the cyclic garbage collector ------------------------------------------------------------------------


class _GcPause:
    """How many paused calls are running, and whether the collector ran before the first."""

    lock = threading.Lock()
    depth = 0
    was_enabled = True


_F = TypeVar("_F", bound=Callable[..., Any])


def without_cyclic_gc(function: _F) -> _F:
    """Run ``function`` with CPython's cyclic garbage collector paused.

    An import keeps every row of the file alive (tens of thousands of small dicts and lists); the collector
    would walk all of them again and again while they are built, which costs a quarter of a 10,000-row
    import (measured: tests/bench/bench_spreadsheets.py). Reference counting still frees everything as
    usual; the collector resumes when the outermost paused call returns (calls nest and may run in
    several threads: a counter under a lock decides)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _GcPause.lock:
            if _GcPause.depth == 0:
                _GcPause.was_enabled = gc.isenabled()
                gc.disable()
            _GcPause.depth += 1
        try:
            return function(*args, **kwargs)
        finally:
            with _GcPause.lock:
                _GcPause.depth -= 1
                if _GcPause.depth == 0 and _GcPause.was_enabled:
                    gc.enable()

    return cast(_F, wrapper)
