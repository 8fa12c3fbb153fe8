"""Status badges in the lists: a small icon beside the status text, with colour **and** a shape of its own,
so that nothing is told by colour alone (BITV / EN 301 549 11.1.4.1; the text stays beside it).

``status_badge(text)`` gives the icon for a status as the lists show it ("zugesagt", "abgesagt",
"Warteliste", "überfällig" …), or None for a status without one. The statuses' German texts come from
``konferenz.enums.label``, so a badge never disagrees with the text next to it.

The shapes: ✓ in a circle (said yes, came, done), ✗ in a circle (declined, did not come, dropped), a
clock face (waiting list, in progress), "!" in a triangle (overdue, no reply), "?" in a circle (invited,
waiting for the reply). Each is drawn with a dark outline, which stays visible in high-contrast themes and
at 150 % scaling (the icon is painted for the device pixel ratio).
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from konferenz.enums import InvitationStatus, RecommendationStatus, label

#: shape and colour per status text
_YES, _NO, _WAIT, _WARN, _ASK = "yes", "no", "wait", "warn", "ask"
_COLOURS = {
    _YES: "#1b7a3a",
    _NO: "#b3261e",
    _WAIT: "#b26a00",
    _WARN: "#c2410c",
    _ASK: "#1f5fa8",
}
_SHAPES: dict[str, str] = {
    label(InvitationStatus.ACCEPTED): _YES,
    label(InvitationStatus.SUBSTITUTED): _YES,
    label(InvitationStatus.ATTENDED): _YES,
    label(InvitationStatus.DECLINED): _NO,
    label(InvitationStatus.NO_SHOW): _NO,
    label(InvitationStatus.WAITLIST): _WAIT,
    label(InvitationStatus.NO_REPLY): _WARN,
    label(InvitationStatus.INVITED): _ASK,
    label(RecommendationStatus.DONE): _YES,
    label(RecommendationStatus.REJECTED): _NO,
    label(RecommendationStatus.IN_PROGRESS): _WAIT,
    "überfällig": _WARN,
}
#: the size the icon is painted for (logical pixels; the list's icon size)
SIZE = 16


def badge_kind(text: str) -> str | None:
    """The badge of a status text ("zugesagt" → "yes"), None for none. A text that mentions "überfällig"
    (a recommendation past its date) is a warning whatever its status."""
    if "überfällig" in text:
        return _WARN
    return _SHAPES.get(text.split(",", maxsplit=1)[0].strip())


def badge_colours() -> dict[str, str]:
    """The fill of each kind of badge ("yes" → "#1b7a3a"), for the check that each stands out from a light
    and a black list and from its white sign."""
    return dict(_COLOURS)


def status_badge(text: str) -> QIcon | None:
    kind = badge_kind(text)
    return _icon(kind) if kind is not None else None


@cache
def _icon(kind: str) -> QIcon:
    icon = QIcon()
    for ratio in (1.0, 1.5, 2.0):  # crisp at 100 %, 150 % and 200 % scaling
        icon.addPixmap(_pixmap(kind, ratio))
    return icon


def _pixmap(kind: str, ratio: float) -> QPixmap:
    side = round(SIZE * ratio)
    pixmap = QPixmap(side, side)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(_COLOURS[kind])
    outline = QPen(QColor("#202020"), 1.0)
    box = QRectF(1.5, 1.5, SIZE - 3, SIZE - 3)
    painter.setPen(outline)
    painter.setBrush(colour)
    if kind == _WARN:
        painter.drawPolygon(
            QPolygonF([QPointF(SIZE / 2, 1.0), QPointF(SIZE - 1.0, SIZE - 1.5), QPointF(1.0, SIZE - 1.5)])
        )
    else:
        painter.drawEllipse(box)
    mark = QPen(QColor("white"), 2.0)
    mark.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(mark)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    c = SIZE / 2
    if kind == _YES:
        path = QPainterPath(QPointF(c - 3.5, c))
        path.lineTo(c - 1, c + 3)
        path.lineTo(c + 4, c - 3)
        painter.drawPath(path)
    elif kind == _NO:
        painter.drawLine(QPointF(c - 3, c - 3), QPointF(c + 3, c + 3))
        painter.drawLine(QPointF(c + 3, c - 3), QPointF(c - 3, c + 3))
    elif kind == _WAIT:
        painter.drawLine(QPointF(c, c), QPointF(c, c - 4))
        painter.drawLine(QPointF(c, c), QPointF(c + 3, c + 1.5))
    elif kind == _WARN:
        painter.drawLine(QPointF(c, c - 2.5), QPointF(c, c + 2))
        painter.drawPoint(QPointF(c, c + 4.5))
    else:  # _ASK
        path = QPainterPath(QPointF(c - 2.5, c - 2))
        path.quadTo(QPointF(c - 2.5, c - 5), QPointF(c, c - 5))
        path.quadTo(QPointF(c + 2.8, c - 5), QPointF(c + 2.5, c - 2))
        path.quadTo(QPointF(c + 2.2, c), QPointF(c, c + 1))
        path.lineTo(c, c + 2)
        painter.drawPath(path)
        painter.drawPoint(QPointF(c, c + 4.5))
    painter.end()
    return pixmap
