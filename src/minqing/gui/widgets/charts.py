"""Small QtCharts pictures for the statistics panel: bars, a pie and a line, from plain pairs."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter

BLUE = QColor("#3A78B5")
PIE_COLOURS = [QColor("#2E8B57"), QColor("#8FBC8F"), QColor("#C0392B"), QColor("#AAAAAA")]


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.legend().setVisible(False)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


class ChartView(QChartView):
    def __init__(self, object_name: str) -> None:
        super().__init__()
        self.setObjectName(object_name)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        self.setChart(_chart(""))

    def show_bars(self, title: str, items: Sequence[tuple[str, int]], limit: int = 12) -> None:
        """Horizontal bars, largest on top; zero rows left out."""
        shown = [(k, v) for k, v in items if v][:limit]
        chart = _chart(title)
        bars = QBarSet("件数")
        bars.setColor(BLUE)
        bars.setLabelColor(QColor("#222222"))
        for _, value in reversed(shown):
            bars.append(value)
        series = QHorizontalBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
        chart.addSeries(series)
        axis_y = QBarCategoryAxis()
        axis_y.append([k for k, _ in reversed(shown)] or ["（无）"])
        axis_x = QValueAxis()
        axis_x.setRange(0, max([v for _, v in shown] + [1]) * 1.15)
        axis_x.applyNiceNumbers()
        axis_x.setLabelFormat("%d")
        axis_y.setTruncateLabels(False)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_y)
        series.attachAxis(axis_x)
        self._set(chart)

    def show_pie(self, title: str, items: Sequence[tuple[str, int]]) -> None:
        chart = _chart(title)
        chart.legend().setVisible(True)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        series = QPieSeries()
        total = sum(v for _, v in items) or 1
        for i, (label, value) in enumerate(items):
            if not value:
                continue
            part = series.append(f"{label} {value}（{value * 100 / total:.1f}%）", value)
            part.setColor(PIE_COLOURS[i % len(PIE_COLOURS)])
        chart.addSeries(series)
        self._set(chart)

    def show_line(self, title: str, items: Sequence[tuple[str, int]]) -> None:
        """Counts over time: a column per day or month, the labels thinned to stay readable."""
        chart = _chart(title)
        bars = QBarSet("件数")
        bars.setColor(BLUE)
        for _, value in items:
            bars.append(value)
        series = QBarSeries()
        series.append(bars)
        series.setBarWidth(0.8)
        chart.addSeries(series)
        step = max(1, len(items) // 8)
        axis_x = QBarCategoryAxis()
        axis_x.append(
            [k if i % step == 0 else " " * (i % 50 + 1) for i, (k, _) in enumerate(items)]
        )
        axis_y = QValueAxis()
        axis_y.setRange(0, max([v for _, v in items] + [1]) * 1.1)
        axis_y.applyNiceNumbers()
        axis_y.setLabelFormat("%d")
        axis_x.setTruncateLabels(False)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        self._set(chart)

    def _set(self, chart: QChart) -> None:
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()
