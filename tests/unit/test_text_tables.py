"""Text tables as staff receive them: long notes, NUL bytes and control characters, error values and lost
letters ("?????") from other programs' exports, UTF-16 without byte order mark – flagged, cleaned, never
stored as data, and never a crash."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from konferenz.errors import UserError
from konferenz.spreadsheets.reader import read_table

HEADER = "Vorname;Nachname;Organisation;E-Mail;Notiz"


def _csv(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes("\r\n".join([HEADER, *lines]).encode(encoding))
    return path


def test_a_note_longer_than_the_csv_modules_limit(tmp_path: Path) -> None:
    note = "Lange Notiz. " * 20_000  # 260 KB in one field (the csv module's default limit is 128 KiB)
    table = read_table(_csv(tmp_path / "lang.csv", [f'Ayşe;Öztürk;MSO e. V.;a@example.org;"{note}"']))
    assert table.rows[0].values[4] == note


def test_nul_and_control_characters_are_removed_with_a_note(tmp_path: Path) -> None:
    table = read_table(_csv(tmp_path / "steuer.csv", ["Ay\x00şe;Öz\x07türk;MSO\x1b e. V.;a@example.org;"]))
    row = table.rows[0]
    assert list(row.values[:3]) == ["Ayşe", "Öztürk", "MSO e. V."]
    assert row.notes == (
        "Spalte A („Vorname“): Steuerzeichen entfernt.",
        "Spalte B („Nachname“): Steuerzeichen entfernt.",
        "Spalte C („Organisation“): Steuerzeichen entfernt.",
    )


def test_error_values_from_a_german_or_english_excel_are_left_empty(tmp_path: Path) -> None:
    table = read_table(
        _csv(tmp_path / "fehler.csv", ["#NV;Becker;#BEZUG!;t@example.org;", "Anna;#N/A;;;Err:502"])
    )
    first, second = table.rows
    assert (first.values[0], first.values[2]) == (None, None)
    assert first.notes == (
        "Spalte A („Vorname“): Fehlerwert „#NV“ der Tabelle – leer gelassen.",
        "Spalte C („Organisation“): Fehlerwert „#BEZUG!“ der Tabelle – leer gelassen.",
    )
    assert second.values[1] is None and second.values[4] is None
    assert len(second.notes) == 2


def test_lost_letters_are_flagged(tmp_path: Path) -> None:
    table = read_table(
        _csv(tmp_path / "verlust.csv", ["?????;??????;MSO;;", "Ay?e;?zt?rk;Verein;;Wer? Wie?"])
    )
    lost, partly = table.rows
    assert lost.values[0] is None and lost.values[1] is None
    assert "die Schriftzeichen sind beim Export verloren gegangen" in lost.notes[0]
    assert partly.values[0] == "Ay?e"  # kept, but flagged
    assert [n.split(":")[0] for n in partly.notes] == ["Spalte A („Vorname“)", "Spalte B („Nachname“)"]


def test_utf16_without_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes("Vorname\tNachname\r\nОльга\tИванова\r\n".encode("utf-16-le"))
    table = read_table(path)
    assert table.encoding == "utf-16"
    assert list(table.rows[0].values) == ["Ольга", "Иванова"]


def test_a_binary_file_named_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(UserError, match="keine Tabelle"):
        read_table(path)


def test_broken_pipe_and_a_huge_field_on_the_command_line(tmp_path: Path) -> None:
    """`konferenz import --dry-run -v liste.csv | head -1`: no traceback when the reader goes away."""
    lines = [f"Vorname{i};Nachname{i};Org;;{'x' * 200_000 if i == 0 else ''}" for i in range(3000)]
    path = _csv(tmp_path / "viele.csv", lines)
    command = f"{sys.executable} -m ui import {path} --dry-run -v --db {tmp_path / 'k.sqlite'} | head -1"
    result = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=300, check=False)
    assert result.stderr == ""
    assert result.stdout.count("\n") == 1
