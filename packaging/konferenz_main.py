"""Entry point of the self-contained build (PyInstaller): the same command as ``konferenz`` from Python."""

import os
import sys


def _utf8_locale() -> None:
    # Started with an empty environment (a service, `env -i`), Linux has the "C" locale and Qt prints an English
    # warning before switching to UTF-8 itself; say UTF-8 first. Windows has no such locale variables.
    if sys.platform != "win32" and not any(os.environ.get(k) for k in ("LC_ALL", "LC_CTYPE", "LANG")):
        os.environ["LC_CTYPE"] = "C.UTF-8"


if __name__ == "__main__":
    _utf8_locale()
    from ui.commands.cli import main

    sys.exit(main())
