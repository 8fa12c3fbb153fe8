"""Statistics of conferences as a text table (command line) and as an Excel workbook (reports)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from konferenz.conferences.service import STAT_COLUMNS, ConferenceStats, StatRow
from konferenz.spreadsheets.xlsx import Sheet, write_workbook

SHARE_HEADER = "Anteil MSO (eingeladen)"
SHARE_ATTENDED_HEADER = "Anteil MSO (teilgenommen)"


def percent(share: float) -> str:
    return f"{share * 100:.1f} %".replace(".", ",")


def _table(title: str, first: str, rows: Sequence[StatRow]) -> list[str]:
    width = max([len(first), *(len(r.name) for r in rows)]) + 2
    lines = [title, f"{first:<{width}}" + "".join(f"{c:>14}" for c in STAT_COLUMNS)]
    lines += [f"{r.name:<{width}}" + "".join(f"{v:>14}" for v in r.values()) for r in rows]
    return lines


def text_table(stats: Sequence[ConferenceStats]) -> str:
    """One conference in detail, or several side by side (one row per year)."""
    if len(stats) == 1:
        st = stats[0]
        lines = [f"{st.title} ({st.year})", ""]
        lines += _table("Gesamt", "", [st.total])[1:]
        lines += ["", *_table("Nach Kategorie", "Kategorie", st.by_category)]
        lines += ["", *_table("Nach Kommune", "Kommune", st.by_municipality)]
        lines += [
            "",
            f"{SHARE_HEADER}: {percent(st.mso_share_invited)}",
            f"{SHARE_ATTENDED_HEADER}: {percent(st.mso_share_attended)}",
        ]
        return "\n".join(lines)
    rows = [StatRow(str(st.year), *st.total.values()) for st in stats]
    lines = _table("Alle Konferenzen", "Jahr", rows)
    lines[1] += f"{'MSO-Anteil':>14}"
    for i, st in enumerate(stats, start=2):
        lines[i] += f"{percent(st.mso_share_invited):>14}"
    return "\n".join(lines)


def write_excel(stats: Sequence[ConferenceStats], path: Path) -> Path:
    """Sheets Übersicht (one row per year), Kategorien and Kommunen (one row per year and group)."""
    overview = Sheet(
        "Übersicht",
        ["Jahr", "Titel", *STAT_COLUMNS, SHARE_HEADER, SHARE_ATTENDED_HEADER],
        [
            [
                st.year,
                st.title,
                *st.total.values(),
                round(st.mso_share_invited, 4),
                round(st.mso_share_attended, 4),
            ]
            for st in stats
        ],
    )
    categories = Sheet(
        "Kategorien",
        ["Jahr", "Kategorie", *STAT_COLUMNS],
        [[st.year, r.name, *r.values()] for st in stats for r in st.by_category],
    )
    municipalities = Sheet(
        "Kommunen",
        ["Jahr", "Kommune", *STAT_COLUMNS],
        [[st.year, r.name, *r.values()] for st in stats for r in st.by_municipality],
    )
    return write_workbook(path, [overview, categories, municipalities])
