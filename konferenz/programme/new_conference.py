"""Creating a conference, new or copied from an earlier year, as one user action: the conference and its
forums (``konferenz.conferences``) and the first item of its agenda, the *Sachstand* of the recommendations
still open, in one unit of work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from konferenz.conferences import editing, inviting
from konferenz.conferences.editing import ConferenceData, ForumData
from konferenz.programme.service import status_report_item
from konferenz.storage.db import Database


def create_conference(database: Database, data: ConferenceData, forums: Sequence[ForumData] = ()) -> int:
    """A new conference with ``forums``; its agenda starts with the status of earlier recommendations."""
    with database.session() as s:
        conf_id = editing.add_conference(s, data, forums)
        status_report_item(s, conf_id)
        return conf_id


def copy_conference(
    database: Database,
    from_year: int,
    to_year: int,
    *,
    title: str | None = None,
    date: dt.date | None = None,
    copy_invitees: bool = False,
) -> int:
    """A new conference for ``to_year`` with last year's venue, times, capacity and forums.

    With ``copy_invitees`` everyone invited to ``from_year`` (not anonymised) is put on the new list as
    *vorgemerkt*. Its agenda starts with the status of earlier recommendations.
    """
    with database.session() as s:
        conf_id = editing.add_copy(s, from_year, to_year, title=title, date=date)
        if copy_invitees:
            inviting.copy_invitees(s, from_year, conf_id)
        status_report_item(s, conf_id)
        return conf_id
