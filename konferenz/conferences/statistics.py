"""Statistics of conferences: the counts (totals, by category, by municipality, by status, the share of migrant
self-organisations), as a text table (command line) and as an Excel workbook (reports)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.conferences.editing import conference_id
from konferenz.enums import InvitationStatus, label
from konferenz.spreadsheets.xlsx import Sheet, write_workbook
from konferenz.storage import schema
from konferenz.storage.models import (
    Category,
    Conference,
    Municipality,
)

STAT_COLUMNS = ("eingeladen", "Rückmeldung", "zugesagt", "abgesagt", "teilgenommen")
NO_CATEGORY = "ohne Kategorie"
OUTSIDE = "außerhalb des Kreises / ohne Angabe"


@dataclass
class StatRow:
    name: str
    invited: int = 0
    replied: int = 0
    accepted: int = 0
    declined: int = 0
    attended: int = 0

    def add(self, status: InvitationStatus) -> None:
        self.invited += status in InvitationStatus.sent()
        self.replied += status in InvitationStatus.replied()
        self.accepted += status in InvitationStatus.said_yes()
        self.declined += status is InvitationStatus.DECLINED
        self.attended += status in InvitationStatus.attended()

    def values(self) -> tuple[int, int, int, int, int]:
        return (self.invited, self.replied, self.accepted, self.declined, self.attended)


@dataclass
class ConferenceStats:
    year: int
    title: str
    total: StatRow
    by_category: list[StatRow]
    by_municipality: list[StatRow]
    by_status: dict[str, int]
    #: share of migrant self-organisations among the invited and among those who attended (0..1)
    mso_share_invited: float
    mso_share_attended: float


def conference_stats(session: Session, year: int) -> ConferenceStats:
    """Counts of one conference: totals, by category, by municipality and by status.

    An invitation counts under the category and municipality of ``schema.counted_category_id`` and
    ``schema.counted_municipality_id`` (the person's own, else the organisation's the person was invited
    for, else the person's primary organisation's), the rule the invitation export uses too.
    """
    conf = session.get_one(Conference, conference_id(session, year))
    inv = schema.invitation
    rows = session.execute(
        sa.select(inv.c.status, schema.counted_category_id(inv), schema.counted_municipality_id(inv)).where(
            inv.c.conference_id == conf.id
        )
    ).all()
    categories = {c.id: c for c in session.scalars(sa.select(Category))}
    municipalities = {m.id: m.name for m in session.scalars(sa.select(Municipality))}
    total = StatRow("Gesamt")
    by_cat: dict[str, StatRow] = {}
    by_mun: dict[str, StatRow] = {}
    by_status = {label(s): 0 for s in InvitationStatus}
    mso_invited = mso_attended = 0
    for status, cat_id, mun_id in rows:
        total.add(status)
        by_status[label(status)] += 1
        cat = categories.get(cat_id) if cat_id is not None else None
        cat_name = cat.name if cat else NO_CATEGORY
        by_cat.setdefault(cat_name, StatRow(cat_name)).add(status)
        mun_name = municipalities.get(mun_id, OUTSIDE) if mun_id is not None else OUTSIDE
        by_mun.setdefault(mun_name, StatRow(mun_name)).add(status)
        if cat is not None and cat.is_migrant_organisation:
            mso_invited += status in InvitationStatus.sent()
            mso_attended += status in InvitationStatus.attended()
    order = {c.name: c.sort_order for c in categories.values()}
    return ConferenceStats(
        year=conf.year,
        title=conf.title,
        total=total,
        by_category=sorted(by_cat.values(), key=lambda r: (order.get(r.name, 999), r.name)),
        by_municipality=sorted(by_mun.values(), key=lambda r: (r.name == OUTSIDE, r.name)),
        by_status=by_status,
        mso_share_invited=mso_invited / total.invited if total.invited else 0.0,
        mso_share_attended=mso_attended / total.attended if total.attended else 0.0,
    )


def all_years_stats(session: Session) -> list[ConferenceStats]:
    years = session.scalars(sa.select(Conference.year).order_by(Conference.year)).all()
    return [conference_stats(session, y) for y in years]


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
