"""Finding mnemonic clashes (two Alt+letter keys that mean the same letter) in what a window shows.

``clashes(window)`` looks at the visible buttons, check boxes, radio buttons, tool buttons, labels with a
buddy, group boxes, tab bars and (for a main window) the menu bar's top-level menus; ``menu_clashes(window)``
at every menu of the menu bar and their submenus, entry by entry. Both return German-free, readable lines
("Alt+D: button „&Durchsuchen …“, menu „&Datei“") so a failing test says what to rename.
"""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMenu,
    QTabBar,
    QWidget,
)


def mnemonic(text: str) -> str | None:
    """The letter after a single "&" (lower case), None without one ("&&" is a literal ampersand)."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] == "&":
                i += 2
                continue
            return text[i + 1].lower()
        i += 1
    return None


def _visible(widget: QWidget, window: QWidget) -> bool:
    return widget.isVisibleTo(window) and widget.isVisible()


def owners(window: QWidget) -> dict[str, list[str]]:
    """Letter → the visible controls of ``window`` that own it."""
    found: dict[str, list[str]] = defaultdict(list)

    def add(text: str, what: str) -> None:
        key = mnemonic(text)
        if key is not None and key.strip():
            found[key].append(f"{what} „{text}“")

    for widget in window.findChildren(QWidget):
        if widget.window() is not window or not _visible(widget, window):
            continue
        if isinstance(widget, QAbstractButton):
            add(widget.text(), type(widget).__name__)
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            add(widget.text(), "QLabel")
        elif isinstance(widget, QGroupBox):
            add(widget.title(), "QGroupBox")
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                if widget.isTabVisible(index):
                    add(widget.tabText(index), "tab")
    if isinstance(window, QMainWindow):
        for action in window.menuBar().actions():
            if action.isVisible() and action.menu() is not None:
                add(action.text(), "menu")
    return found


def clashes(window: QWidget) -> list[str]:
    """The letters two or more visible controls of ``window`` share, each with its owners."""
    return [
        f"Alt+{key.upper()}: " + ", ".join(sorted(names))
        for key, names in sorted(owners(window).items())
        if len(names) > 1
    ]


def _menu_clashes(menu: QMenu, path: str) -> list[str]:
    found: dict[str, list[str]] = defaultdict(list)
    lines: list[str] = []
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible():
            continue
        key = mnemonic(action.text())
        if key is not None:
            found[key].append(f"„{action.text()}“")
        sub = action.menu()
        if isinstance(sub, QMenu):
            lines += _menu_clashes(sub, f"{path} → {action.text()}")
    lines += [
        f"{path}: {key.upper()}: " + ", ".join(names)
        for key, names in sorted(found.items())
        if len(names) > 1
    ]
    return lines


def menu_clashes(window: QMainWindow) -> list[str]:
    """Within each menu (and submenu) of the menu bar: entries that share a letter."""
    lines: list[str] = []
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            lines += _menu_clashes(menu, action.text())
    return lines
