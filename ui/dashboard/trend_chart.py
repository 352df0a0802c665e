"""The trend of the four rates over the last 12 months / 8 quarters / 5 years (QtCharts).

Charts do not inherit the application font everywhere (titles, axes and the legend have their
own), so every text part is given the app's font explicitly: Chinese then renders with the
shipped CJK font instead of boxes.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QApplication, QWidget

from app.domain.bureau_rules import KpiKey
from app.i18n import tr
from app.services.kpi_views import TrendPoint

COLOURS = {
    KpiKey.FULFILMENT: "#2b6cb0",
    KpiKey.START: "#2f855a",
    KpiKey.FUNDING: "#c05621",
    KpiKey.PRODUCTION: "#6b46c1",
}


class TrendChart(QChartView):
    """A line per rate; a period whose rate has no denominator leaves a gap in its line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        chart = QChart()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.setChart(chart)
        self._x_axis = QBarCategoryAxis()
        self._y_axis = QValueAxis()
        self._y_axis.setLabelFormat("%.0f%%")
        self._y_axis.setTitleText(tr("比率（%）"))
        chart.addAxis(self._x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self._y_axis, Qt.AlignmentFlag.AlignLeft)
        self.series: dict[KpiKey, list[QLineSeries]] = {}
        self._apply_font()

    def show_trend(self, points: Sequence[TrendPoint]) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        self.series = {}
        self._x_axis.clear()
        self._x_axis.append([point.period.short_label for point in points])
        chart.setTitle(
            tr(
                "各项比率走势（{first} — {last}）",
                first=points[0].period.label,
                last=points[-1].period.label,
            )
            if points
            else ""
        )
        highest = 100.0
        for key in KpiKey:
            pieces = self._lines(key, points)
            self.series[key] = pieces
            for piece in pieces:
                chart.addSeries(piece)
                piece.attachAxis(self._x_axis)
                piece.attachAxis(self._y_axis)
                highest = max([highest, *(p.y() for p in piece.points())])
        self._y_axis.setRange(0, highest if highest <= 100 else (int(highest) // 20 + 1) * 20)
        self._y_axis.setTickCount(6)
        self._hide_duplicate_legend_entries()
        self._apply_font()

    def _lines(self, key: KpiKey, points: Sequence[TrendPoint]) -> list[QLineSeries]:
        """One series per unbroken run of defined rates (so an empty period shows a gap)."""
        pieces: list[QLineSeries] = []
        current: QLineSeries | None = None
        for index, point in enumerate(points):
            rate = point.rate(key)
            if rate is None:
                current = None
                continue
            if current is None:
                current = QLineSeries()
                current.setName(key.label)
                current.setPen(QPen(QColor(COLOURS[key]), 2))
                current.setPointsVisible(True)
                pieces.append(current)
            current.append(index, float(rate * 100))
        if not pieces:  # keep the rate in the legend even when it has no point at all
            empty = QLineSeries()
            empty.setName(key.label)
            empty.setPen(QPen(QColor(COLOURS[key]), 2))
            pieces.append(empty)
        return pieces

    def _hide_duplicate_legend_entries(self) -> None:
        legend = self.chart().legend()
        for pieces in self.series.values():
            for piece in pieces[1:]:
                for marker in legend.markers(piece):
                    marker.setVisible(False)

    def _apply_font(self) -> None:
        font = QFont(QApplication.font())
        small = QFont(font)
        small.setPointSizeF(max(7.0, font.pointSizeF() - 1))
        title = QFont(font)
        title.setBold(True)
        chart = self.chart()
        chart.setTitleFont(title)
        chart.legend().setFont(small)
        for axis in (self._x_axis, self._y_axis):
            axis.setLabelsFont(small)
            axis.setTitleFont(small)
