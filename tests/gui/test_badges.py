"""Status badges: colour and a shape of its own beside the status text (issue 17: nothing by colour alone)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from konferenz.enums import InvitationStatus, RecommendationStatus, label
from ui.widgets.badges import SIZE, badge_kind, status_badge


def _image(text: str, ratio: float = 1.0) -> QImage:
    icon = status_badge(text)
    assert icon is not None, text
    image = icon.pixmap(SIZE, SIZE).toImage()
    assert not image.isNull()
    return image


def _grey_shape(image: QImage) -> list[bool]:
    """Where the badge has ink, whatever its colour (the shape a colour-blind reader sees)."""
    return [image.pixelColor(x, y).alpha() > 128 for y in range(image.height()) for x in range(image.width())]


def test_every_reply_status_has_a_badge_whose_shape_differs_by_meaning(qapp) -> None:
    yes, no = label(InvitationStatus.ACCEPTED), label(InvitationStatus.DECLINED)
    wait, warn = label(InvitationStatus.WAITLIST), label(InvitationStatus.NO_REPLY)
    kinds = {text: badge_kind(text) for text in (yes, no, wait, warn, label(InvitationStatus.INVITED))}
    assert len(set(kinds.values())) == 5
    assert badge_kind(label(InvitationStatus.ATTENDED)) == badge_kind(yes)
    assert badge_kind(label(RecommendationStatus.DONE)) == badge_kind(yes)
    assert badge_kind("offen, überfällig") == badge_kind(warn)
    assert status_badge(label(InvitationStatus.PLANNED)) is None  # nothing to say yet
    # the shapes differ without colour: the warning is a triangle, the others circles with another mark
    assert _grey_shape(_image(warn)) != _grey_shape(_image(yes))  # a triangle, not a circle
    ask = label(InvitationStatus.INVITED)
    marks = {
        text: [_image(text).pixelColor(x, y).lightness() > 200 for y in range(SIZE) for x in range(SIZE)]
        for text in (yes, no, wait, ask)
    }
    assert len({tuple(m) for m in marks.values()}) == 4  # ✓, ✗, the clock hands and "?" are other marks


def test_the_invitation_list_shows_the_badge_beside_the_text(qtbot, demo_db_for_badges) -> None:
    from konferenz.lists.invitations import InvitationList
    from ui.widgets.table_model import LazyTableModel

    database, conference_id = demo_db_for_badges
    model = LazyTableModel(database, InvitationList(conference_id))
    model.refresh()
    column = [c.key for c in model.source.columns].index("status")
    seen = {}
    for row in range(model.rowCount()):
        index = model.index(row, column)
        text = model.data(index, Qt.ItemDataRole.DisplayRole)
        seen[text] = model.data(index, Qt.ItemDataRole.DecorationRole)
    assert label(InvitationStatus.ACCEPTED) in seen and seen[label(InvitationStatus.ACCEPTED)] is not None
    name_column = model.data(model.index(0, 0), Qt.ItemDataRole.DecorationRole)
    assert name_column is None  # only the status column carries one


import pytest  # noqa: E402


@pytest.fixture
def demo_db_for_badges(sqlite_db):  # type: ignore[no-untyped-def]
    from konferenz.demo.builder import generate_demo
    from konferenz.letters.selection import find_conference

    generate_demo(sqlite_db, persons=60, seed=4)
    with sqlite_db.read_session() as s:
        return sqlite_db, find_conference(s, 2026).id


def test_the_results_list_shows_the_status_badge_and_overdue_by_its_date(qapp) -> None:
    """Issue 17: the Ergebnisse area has a model of its own; it showed its statuses and "überfällig" as
    plain text and bold type only, without the badges of the other lists."""
    import datetime as dt

    from konferenz.programme.service import RecommendationRow
    from ui.programme.results_area import COLUMNS, RecommendationModel

    def row(status: RecommendationStatus, due: dt.date) -> RecommendationRow:
        return RecommendationRow(
            1, 2025, "Forum 1", "Beratung einrichten", "Kreis Borken", due, status, "", None
        )

    model = RecommendationModel(today=lambda: dt.date(2026, 12, 7))
    model.set_rows(
        [
            row(RecommendationStatus.DONE, dt.date(2026, 1, 1)),
            row(RecommendationStatus.OPEN, dt.date(2026, 6, 30)),
        ]
    )
    status, due = COLUMNS.index("Status"), COLUMNS.index("Fällig")
    decoration = Qt.ItemDataRole.DecorationRole
    assert model.data(model.index(0, status), decoration) is status_badge(label(RecommendationStatus.DONE))
    assert model.data(model.index(0, due), decoration) is None  # done: not overdue
    assert model.data(model.index(1, due), Qt.ItemDataRole.DisplayRole) == "30.06.2026 (überfällig)"
    assert model.data(model.index(1, due), decoration) is status_badge("überfällig")
    assert model.data(model.index(1, 2), decoration) is None
