"""Logging: bugs go with their traceback into a log file in the user's log directory."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from konferenz import paths

LOG_FILE_NAME = "konferenz.log"


def log_file() -> Path:
    return paths.log_dir() / LOG_FILE_NAME


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Log to a rotating file in the user log directory; returns its path (None if it cannot be written).

    Python warnings (a library's English ``UserWarning`` about a file it reads) go to the log as well, never
    to the user's terminal."""
    root = logging.getLogger()
    root.setLevel(level)
    logging.captureWarnings(True)
    target = log_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            target, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        root.addHandler(logging.NullHandler())
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return target
