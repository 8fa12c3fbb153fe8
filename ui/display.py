"""Choosing a Qt platform when there is no screen: the command line renders PDFs offscreen."""

from __future__ import annotations

import os
import sys


def ensure_display() -> None:
    """Without a display (SSH, CI), Qt renders offscreen instead of aborting."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
