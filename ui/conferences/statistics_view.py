"""Statistik: participation of one conference (by category, by municipality, share of migrant
self-organisations) and of all years side by side, as tables and bar charts, and as an Excel file.

The figures come from ``konferenz.conferences.statistics.conference_stats`` / ``all_years_stats``, the Excel
file from ``konferenz.conferences.statistics.write_excel``. The bar chart is painted with QPainter (only the Essentials
wheel of PySide6 is installed, without QtCharts). Each series has its own colour *and* hatching, and the
figures stand in the tables next to the chart, so nothing depends on telling colours apart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from konferenz.conferences import statistics
from konferenz.conferences.reads import conference_titles
from konferenz.conferences.statistics import (
    SHARE_ATTENDED_HEADER,
    SHARE_HEADER,
    STAT_COLUMNS,
    ConferenceStats,
    StatRow,
    percent,
    write_excel,
)
from konferenz.errors import UserError
from konferenz.lists.source import format_count
from ui.context import AppContext
from ui.widgets.dialog_tools import SPREADSHEET_FILTER, choose_save_path
from ui.widgets.geometry import remember_geometry
from ui.widgets.tasks import run_task

log = logging.getLogger(__name__)

#: colour and hatching of each series (colour-blind safe palette by Okabe and Ito)
SERIES_STYLE: tuple[tuple[str, Qt.BrushStyle], ...] = (
    ("#0072B2", Qt.BrushStyle.SolidPattern),
    ("#E69F00", Qt.BrushStyle.BDiagPattern),
    ("#009E73", Qt.BrushStyle.Dense3Pattern),
    ("#D55E00", Qt.BrushStyle.CrossPattern),
    ("#56B4E9", Qt.BrushStyle.FDiagPattern),
)


class BarChart(QWidget):
    """Grouped vertical bars: one group per label (a category, a year), one bar per series."""

    def __init__(self, parent: QWidget | None = None, *, title: str = "") -> None:
        super().__init__(parent)
        self.title = title
        self.groups: list[str] = []
        self.series: list[str] = []
        #: values[group][series]
        self.values: list[list[int]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(220)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setAccessibleName(title or self.tr("Balkendiagramm"))

    def set_data(self, groups: Sequence[str], series: Sequence[str], values: Sequence[Sequence[int]]) -> None:
        self.groups = list(groups)
        self.series = list(series)
        self.values = [list(v) for v in values]
        # the same figures as text, for screen readers
        lines = [
            f"{g}: " + ", ".join(f"{s} {format_count(v)}" for s, v in zip(self.series, vals, strict=False))
            for g, vals in zip(self.groups, self.values, strict=False)
        ]
        self.setAccessibleDescription("; ".join(lines))
        self.setToolTip("\n".join(lines))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(720, 320)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        try:
            self._paint(painter)
            if self.hasFocus():  # reached by Tab: the focus shows as a frame in the highlight colour
                painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(self.rect().adjusted(1, 1, -1, -1))
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        palette = self.palette()
        # text on Base is the scheme's pair (WindowText belongs to Window, which may differ from Base)
        text_color = palette.color(QPalette.ColorRole.Text)
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        metrics = self.fontMetrics()
        line = metrics.height()
        margin = line
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.85))
        painter.setPen(text_color)
        top = margin // 2
        if self.title:
            bold = QFont(self.font())
            bold.setBold(True)
            painter.setFont(bold)
            painter.drawText(QRectF(margin, top, self.width() - 2 * margin, line), self.title)
            painter.setFont(self.font())
            top += line + 4
        # legend
        x = float(margin)
        for index, name in enumerate(self.series):
            swatch = QRectF(x, top + 2, line - 4, line - 4)
            self._fill_bar(painter, swatch, index)
            painter.setPen(text_color)
            painter.drawText(QPointF(x + line, top + metrics.ascent()), name)
            x += line + metrics.horizontalAdvance(name) + line
        top += line + 6
        if not self.groups or not self.series:
            painter.drawText(QRectF(margin, top, self.width() - 2 * margin, line), self.tr("Keine Daten"))
            return
        maximum = max([1, *(v for values in self.values for v in values)])
        scale_width = metrics.horizontalAdvance(format_count(maximum)) + 8
        left = margin + scale_width
        bottom = self.height() - margin - 2 * line
        right = self.width() - margin
        height = max(10.0, bottom - top - line)
        axis_pen = QPen(text_color)
        axis_pen.setWidth(1)
        painter.setPen(axis_pen)
        painter.drawLine(QPointF(left, bottom), QPointF(right, bottom))
        painter.drawLine(QPointF(left, bottom), QPointF(left, bottom - height))
        # grid lines and scale at nice steps
        step = _nice_step(maximum)
        grid = QColor(text_color)
        grid.setAlpha(50)
        value = step
        while value <= maximum:
            y = bottom - height * value / maximum
            painter.setPen(QPen(grid))
            painter.drawLine(QPointF(left, y), QPointF(right, y))
            painter.setPen(text_color)
            painter.drawText(
                QRectF(margin, y - line / 2, scale_width - 6, line),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                format_count(value),
            )
            value += step
        group_width = (right - left) / len(self.groups)
        bar_width = group_width * 0.8 / len(self.series)
        painter.setFont(small)
        small_metrics = painter.fontMetrics()
        for g, (group, values) in enumerate(zip(self.groups, self.values, strict=False)):
            gx = left + g * group_width + group_width * 0.1
            for s, val in enumerate(values):
                bar_height = height * val / maximum
                rect = QRectF(gx + s * bar_width, bottom - bar_height, bar_width - 2, bar_height)
                self._fill_bar(painter, rect, s)
                label = format_count(val)
                if small_metrics.horizontalAdvance(label) <= bar_width + 2:
                    painter.setPen(text_color)
                    painter.drawText(
                        QRectF(
                            rect.left() - 4,
                            rect.top() - small_metrics.height(),
                            bar_width + 6,
                            small_metrics.height(),
                        ),
                        int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
                        label,
                    )
            painter.setPen(text_color)
            name = small_metrics.elidedText(group, Qt.TextElideMode.ElideRight, int(group_width - 4))
            painter.drawText(
                QRectF(left + g * group_width, bottom + 4, group_width, 2 * small_metrics.height()),
                int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                name,
            )
        painter.setFont(self.font())

    @staticmethod
    def _fill_bar(painter: QPainter, rect: QRectF, series: int) -> None:
        color, pattern = SERIES_STYLE[series % len(SERIES_STYLE)]
        base = QColor(color)
        painter.setPen(QPen(base.darker(140)))
        if pattern == Qt.BrushStyle.SolidPattern:
            painter.setBrush(QBrush(base))
            painter.drawRect(rect)
        else:
            painter.setBrush(QBrush(base.lighter(150)))
            painter.drawRect(rect)
            painter.setBrush(QBrush(base.darker(130), pattern))
            painter.drawRect(rect)
        painter.setBrush(Qt.BrushStyle.NoBrush)


def _nice_step(maximum: int) -> int:
    """A step of 1, 2 or 5 times a power of ten giving 3 to 10 grid lines."""
    step = 1
    while maximum / step > 10:
        for factor in (2, 5, 10):
            if maximum / (step * factor) <= 10:
                return step * factor
        step *= 10
    return step


def _table(parent: QWidget, name: str, headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setTabKeyNavigation(False)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[object]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            text = format_count(value) if isinstance(value, int) else str(value)
            item = QTableWidgetItem(text)
            if isinstance(value, int) or (c > 0 and text.endswith("%")):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if r == 0 and isinstance(row[0], str) and row[0] == "Gesamt":
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            table.setItem(r, c, item)


def stat_rows(rows: Sequence[StatRow]) -> list[list[object]]:
    return [[r.name, *r.values()] for r in rows]


class StatisticsDialog(QDialog):
    """Tabs "Konferenz" (one year in detail) and "Alle Jahre" (side by side)."""

    def __init__(
        self, ctx: AppContext, conference_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Statistik"))
        self.setAccessibleName(self.windowTitle())
        self.stats: ConferenceStats | None = None
        self.all_stats: list[ConferenceStats] = []

        with ctx.database.read_session() as s:
            years = conference_titles(s)
        self.conference = QComboBox(self)
        self.conference.setAccessibleName(self.tr("Konferenz"))
        for conf in years:
            self.conference.addItem(f"{conf.year} – {conf.title}", conf.year)
            if conf.id == conference_id:
                self.conference.setCurrentIndex(self.conference.count() - 1)
        conference_label = QLabel(self.tr("&Konferenz:"), self)
        conference_label.setBuddy(self.conference)

        # -- one conference
        single = QWidget(self)
        self.summary = QLabel(single)
        self.summary.setAccessibleName(self.tr("Zusammenfassung"))
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        headers = [self.tr(c) for c in STAT_COLUMNS]
        self.category_table = _table(single, self.tr("Nach Kategorie"), [self.tr("Kategorie"), *headers])
        self.municipality_table = _table(single, self.tr("Nach Kommune"), [self.tr("Kommune"), *headers])
        self.category_chart = BarChart(single, title=self.tr("Nach Kategorie"))
        tables = QTabWidget(single)
        tables.setAccessibleName(self.tr("Tabellen"))
        tables.addTab(self.category_table, self.tr("Nach Kate&gorie"))
        tables.addTab(self.municipality_table, self.tr("Nach Ko&mmune"))
        split = QSplitter(Qt.Orientation.Vertical, single)
        split.addWidget(tables)
        split.addWidget(self.category_chart)
        split.setChildrenCollapsible(False)
        top = QHBoxLayout()
        top.addWidget(conference_label)
        top.addWidget(self.conference, 1)
        single_layout = QVBoxLayout(single)
        single_layout.addLayout(top)
        single_layout.addWidget(self.summary)
        single_layout.addWidget(split, 1)

        # -- all years
        years_widget = QWidget(self)
        self.years_table = _table(
            years_widget,
            self.tr("Alle Jahre"),
            [self.tr("Jahr"), *headers, self.tr(SHARE_HEADER), self.tr(SHARE_ATTENDED_HEADER)],
        )
        self.years_chart = BarChart(years_widget, title=self.tr("Alle Jahre"))
        years_split = QSplitter(Qt.Orientation.Vertical, years_widget)
        years_split.addWidget(self.years_table)
        years_split.addWidget(self.years_chart)
        years_split.setChildrenCollapsible(False)
        years_layout = QVBoxLayout(years_widget)
        years_layout.addWidget(years_split)

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(self.tr("Statistik"))
        self.tabs.addTab(single, self.tr("&Eine Konferenz"))
        self.tabs.addTab(years_widget, self.tr("&Alle Jahre"))

        self.export_button = QPushButton(self.tr("Als E&xcel speichern …"), self)
        self.export_button.setAccessibleName(self.tr("Als Excel speichern"))
        self.export_button.setToolTip(
            self.tr("Die angezeigte Statistik (eine Konferenz oder alle Jahre) als Excel-Datei speichern")
        )
        self.export_button.clicked.connect(lambda _c=False: self.export_excel())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Schließen"))
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.export_button)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

        self.conference.currentIndexChanged.connect(self.load_conference)
        self.resize(1000, 720)
        remember_geometry(self, "StatisticsDialog")
        self.load_all_years()
        self.load_conference()

    def year(self) -> int | None:
        value = self.conference.currentData()
        return int(value) if value is not None else None

    def load_conference(self, _index: int = 0) -> None:
        year = self.year()
        if year is None:
            self.summary.setText(self.tr("Noch keine Konferenz angelegt."))
            return
        with self.ctx.database.read_session() as s:
            self.stats = statistics.conference_stats(s, year)
        st = self.stats
        total = st.total
        self.summary.setText(
            self.tr(
                "<b>{0}</b>: eingeladen {1}, Rückmeldung {2}, zugesagt {3}, abgesagt {4}, teilgenommen {5}. "
                "Anteil der Migrantenselbstorganisationen: {6} der Eingeladenen, {7} der Teilnehmenden."
            ).format(
                st.title,
                format_count(total.invited),
                format_count(total.replied),
                format_count(total.accepted),
                format_count(total.declined),
                format_count(total.attended),
                percent(st.mso_share_invited),
                percent(st.mso_share_attended),
            )
        )
        _fill(self.category_table, stat_rows([total, *st.by_category]))
        _fill(self.municipality_table, stat_rows([total, *st.by_municipality]))
        self.category_chart.title = self.tr("{0}: nach Kategorie").format(st.year)
        self.category_chart.set_data(
            [r.name for r in st.by_category],
            [self.tr(c) for c in STAT_COLUMNS],
            [r.values() for r in st.by_category],
        )

    def load_all_years(self) -> None:
        with self.ctx.database.read_session() as s:
            self.all_stats = statistics.all_years_stats(s)
        rows = [
            [str(st.year), *st.total.values(), percent(st.mso_share_invited), percent(st.mso_share_attended)]
            for st in self.all_stats
        ]
        _fill(self.years_table, rows)
        self.years_chart.set_data(
            [str(st.year) for st in self.all_stats],
            [self.tr(c) for c in STAT_COLUMNS],
            [st.total.values() for st in self.all_stats],
        )

    def export_excel(self, path: str | Path | None = None) -> Path | None:
        """The statistics shown (this conference, or all years) as an Excel workbook."""
        title = self.tr("Statistik als Excel speichern")
        all_years = self.tabs.currentIndex() == 1
        stats = self.all_stats if all_years else ([self.stats] if self.stats else [])
        if not stats:
            return None
        if path is None:
            name = "Statistik-alle-Jahre.xlsx" if all_years else f"Statistik-{stats[0].year}.xlsx"
            path = choose_save_path(self, title, name, self.tr(SPREADSHEET_FILTER))
            if path is None:
                return None
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(".xlsx")

        def work(_progress: Callable[[int, int], None], _cancelled: Callable[[], bool]) -> Path:
            return write_excel(stats, target)

        try:
            written = run_task(self, title, work)
        except UserError as exc:
            log.info("Statistik nicht gespeichert: %s", exc)
            QMessageBox.warning(self, title, exc.message)
            return None
        QMessageBox.information(self, title, self.tr("Gespeichert: {0}").format(written))
        return written
