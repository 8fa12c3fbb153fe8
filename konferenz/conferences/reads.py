"""What the conference windows and the command line read about conferences, as plain rows: the conferences
of all years for a chooser, one conference's header with its forums, the next one to come, who is still
expected at the entrance, and categories named on the command line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.enums import InvitationStatus
from konferenz.errors import UserError
from konferenz.storage.models import Category, Conference, Forum, Invitation
from konferenz.text import fold


@dataclass(frozen=True)
class ConferenceTitle:
    """A conference in a chooser: "2025 – Titel"."""

    id: int
    year: int
    title: str


def conference_titles(session: Session, *, except_year: int | None = None) -> list[ConferenceTitle]:
    """Every conference (but the one of ``except_year``), newest first."""
    stmt = sa.select(Conference.id, Conference.year, Conference.title).order_by(Conference.year.desc())
    if except_year is not None:
        stmt = stmt.where(Conference.year != except_year)
    return [ConferenceTitle(int(cid), int(year), title) for cid, year, title in session.execute(stmt)]


def conference_title(session: Session, year: int) -> str | None:
    """The title of the conference of ``year`` (None if there is none)."""
    return session.scalar(sa.select(Conference.title).where(Conference.year == year))


def conference_year(session: Session, conf_id: int) -> int | None:
    """The year of the conference ``conf_id`` (None if it is gone)."""
    return session.scalar(sa.select(Conference.year).where(Conference.id == conf_id))


@dataclass(frozen=True)
class ForumSummary:
    id: int
    title: str
    capacity: int | None


@dataclass(frozen=True)
class ConferenceSummary:
    """What a window shows about one conference in its heading, and its forums in their order."""

    id: int
    year: int
    title: str
    date: dt.date | None
    venue_name: str
    reply_deadline: dt.date | None
    forums: tuple[ForumSummary, ...]


def conference_summary(session: Session, conf_id: int) -> ConferenceSummary | None:
    """The heading data and forums of the conference ``conf_id`` (None if it is gone)."""
    conf = session.get(Conference, conf_id)
    if conf is None:
        return None
    forums = session.execute(
        sa.select(Forum.id, Forum.title, Forum.capacity)
        .where(Forum.conference_id == conf_id)
        .order_by(Forum.sort_order, Forum.id)
    )
    return ConferenceSummary(
        id=conf.id,
        year=conf.year,
        title=conf.title,
        date=conf.date,
        venue_name=conf.venue_name,
        reply_deadline=conf.reply_deadline,
        forums=tuple(ForumSummary(fid, title, capacity) for fid, title, capacity in forums),
    )


def next_conference_id(session: Session, today: dt.date) -> int | None:
    """The next conference to come (on or after ``today``, or without a date), the earliest year first."""
    return session.scalar(
        sa.select(Conference.id)
        .where((Conference.date >= today) | Conference.date.is_(None))
        .order_by(Conference.year)
        .limit(1)
    )


def expected_invitation_ids(session: Session, conf_id: int) -> list[int]:
    """The invitations of ``conf_id`` still expected at the entrance (said yes, not checked in)."""
    return list(
        session.scalars(
            sa.select(Invitation.id).where(
                Invitation.conference_id == conf_id,
                Invitation.status.in_(sorted(InvitationStatus.expected())),
            )
        )
    )


def invitation_forum_title(session: Session, invitation_id: int) -> str:
    """The title of the forum an invitation chose ("" without one, or if the invitation is gone)."""
    title = session.scalar(
        sa.select(Forum.title)
        .join(Invitation, Invitation.forum_id == Forum.id)
        .where(Invitation.id == invitation_id)
    )
    return title or ""


def category_ids(session: Session, names: Sequence[str]) -> list[int]:
    """Category ids for names or synonyms (case and spaces ignored); UserError naming the unknown one."""
    categories = session.execute(sa.select(Category.id, Category.name, Category.synonyms)).all()
    index: dict[str, int] = {}
    for cid, name, synonyms in categories:
        index[fold(name)] = cid
        for synonym in synonyms.split(","):
            if synonym.strip():
                index.setdefault(fold(synonym), cid)
    ids = []
    for name in names:
        found = index.get(fold(name))
        if found is None:
            known = ", ".join(c.name for c in categories)
            raise UserError(f"Die Kategorie „{name}“ gibt es nicht. Vorhanden: {known}")
        ids.append(found)
    return ids
