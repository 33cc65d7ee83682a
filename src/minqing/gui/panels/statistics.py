"""统计: the rates with their formulas, counts, mediation, faults, recurring matters and charts
for any period, window, grid, channel or staff member. Computed off the UI thread (in SQL),
exported to Excel; the monthly report prints the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from minqing.core import community as community_service
from minqing.core.accounts import permissions
from minqing.core.enums import Channel
from minqing.core.supervision import statistics, statistics_export
from minqing.core.supervision.rates import RATES, Rate
from minqing.gui.context import AppContext
from minqing.gui.operations import Op
from minqing.gui.panels import PanelSpec
from minqing.gui.panels.board import fill_choices
from minqing.gui.roles import hide_refused
from minqing.gui.widgets.charts import ChartView
from minqing.gui.widgets.file_dialogs import save_path

PERIODS = ["本月", "上月", "近30天", "今年", "自定义…"]


def period_dates(preset: str, today: dt.date) -> tuple[dt.date, dt.date]:
    first = today.replace(day=1)
    if preset == "上月":
        end = first - dt.timedelta(days=1)
        return end.replace(day=1), end
    if preset == "近30天":
        return today - dt.timedelta(days=29), today
    if preset == "今年":
        return dt.date(today.year, 1, 1), today
    return first, today


def _table(name: str, headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[object]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(str(value))
            if isinstance(value, int):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


class RateCard(QFrame):
    """One rate: the value, the counts it comes from, and its formula in words."""

    def __init__(self, key: str, name: str, formula: str, note: str) -> None:
        super().__init__()
        self.setObjectName(f"rate_{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        title = QLabel(name)
        title.setStyleSheet("font-weight: bold;")
        self.value = QLabel("—")
        self.value.setObjectName("value")
        self.value.setStyleSheet("font-size: 22px; font-weight: bold; color: #1F4E79;")
        self.counts = QLabel("")
        self.counts.setObjectName("counts")
        self.formula = QLabel(formula)
        self.formula.setObjectName("formula")
        self.formula.setWordWrap(True)
        self.formula.setStyleSheet("color: #555; font-size: 11px;")
        self.formula.setToolTip(note)
        for widget in (title, self.value, self.counts, self.formula):
            layout.addWidget(widget)
        layout.addStretch(1)

    def show_rate(self, rate: Rate) -> None:
        self.value.setText(rate.text)
        self.counts.setText(f"{rate.numerator} / {rate.denominator}")


class StatisticsPanel(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("statistics_panel")
        self.stats: statistics.Statistics | None = None
        self.busy = False
        outer = QVBoxLayout(self)
        outer.addLayout(self._filters())
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        outer.addWidget(self.summary)
        cards = QGridLayout()
        self.cards: dict[str, RateCard] = {}
        for i, definition in enumerate(RATES):
            card = RateCard(definition.key, definition.name, definition.formula, definition.note)
            self.cards[definition.key] = card
            cards.addWidget(card, 0, i)
        outer.addLayout(cards)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        outer.addWidget(self.tabs, 1)
        self._charts_tab()
        self._counts_tab()
        self._supervision_tab()
        self.recurring = _table("recurring", ["服务窗口", "楼院", "件数", "未办结", "首次", "最近"])
        self.tabs.addTab(self.recurring, "反复出现的问题")
        ctx.data_reset.connect(self._load_choices)
        hide_refused(self, ctx, {"export": "stats.view"})  # core refuses the export anyway
        self.refresh()

    # --- building ---------------------------------------------------------------------------

    def _filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.period = QComboBox()
        self.period.setObjectName("period")
        self.period.addItems(PERIODS)
        row.addWidget(self.period)
        today = QDate.currentDate()
        self.date_from = QDateEdit(QDate(today.year(), today.month(), 1))
        self.date_to = QDateEdit(today)
        for edit, name in ((self.date_from, "date_from"), (self.date_to, "date_to")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setVisible(False)
            row.addWidget(edit)
        self.window_box = self._combo("window", "全部窗口", row)
        self.grid_box = self._combo("grid", "全部片区", row)
        self.channel_box = self._combo("channel", "全部渠道", row)
        self.staff_box = self._combo("staff", "全部责任人", row)
        self._load_choices()
        row.addStretch(1)
        self.refresh_button = QPushButton("统计")
        self.refresh_button.setObjectName("refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button = QPushButton("导出 Excel…")
        self.export_button.setObjectName("export")
        self.export_button.clicked.connect(self._export)
        row.addWidget(self.refresh_button)
        row.addWidget(self.export_button)
        self.period.currentIndexChanged.connect(self._period_changed)
        return row

    def _combo(self, name: str, everything: str, row: QHBoxLayout) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setProperty("everything", everything)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        row.addWidget(combo)
        return combo

    def _load_choices(self) -> None:
        community = self.ctx.community
        for combo, items in (
            (self.window_box, [(w.id, w.name) for w in community_service.windows()]),
            (self.grid_box, [(g.id, g.name) for g in community_service.grids(community)]),
            (self.channel_box, list(Channel.choices())),
            (self.staff_box, [(s.id, s.name) for s in community_service.owners(community)]),
        ):
            fill_choices(combo, items)

    def _charts_tab(self) -> None:
        page = QWidget()
        grid = QGridLayout(page)
        self.chart_channel = ChartView("chart_channel")
        self.chart_window = ChartView("chart_window")
        self.chart_satisfaction = ChartView("chart_satisfaction")
        self.chart_trend = ChartView("chart_trend")
        grid.addWidget(self.chart_channel, 0, 0)
        grid.addWidget(self.chart_window, 0, 1)
        grid.addWidget(self.chart_satisfaction, 1, 0)
        grid.addWidget(self.chart_trend, 1, 1)
        self.tabs.addTab(page, "图表")

    def _counts_tab(self) -> None:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        page = QWidget()
        grid = QGridLayout(page)
        self.count_tables: dict[str, QTableWidget] = {}
        for i, (key, title) in enumerate(
            [
                ("by_channel", "渠道"),
                ("by_window", "服务窗口"),
                ("by_disposition", "办理类型"),
                ("by_stage", "环节"),
                ("by_grid", "片区"),
                ("by_owner", "责任人"),
                ("by_informant", "民情信息员（受理人）"),
                ("satisfaction", "最近一次回访"),
            ]
        ):
            table = _table(key, [title, "件数"])
            table.setMinimumHeight(180)
            self.count_tables[key] = table
            grid.addWidget(table, i // 4, i % 4)
        scroll.setWidget(page)
        self.tabs.addTab(scroll, "计数")

    def _supervision_tab(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.mediation = QLabel()
        self.mediation.setObjectName("mediation")
        self.mediation.setWordWrap(True)
        layout.addWidget(self.mediation)
        self.faults = _table("faults", ["责任人", "能办未办", "超时办理", "未及时答复", "合计"])
        layout.addWidget(QLabel("督查发现的问题（督查日期在统计期内）："))
        layout.addWidget(self.faults, 1)
        self.tabs.addTab(page, "调解与问题")

    # --- behaviour --------------------------------------------------------------------------

    def _period_changed(self) -> None:
        custom = self.period.currentText() == PERIODS[-1]
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)
        if not custom:
            self.refresh()

    def current_filter(self) -> statistics.StatsFilter:
        if self.period.currentText() == PERIODS[-1]:
            start, end = self.date_from.date().toPython(), self.date_to.date().toPython()
        else:
            start, end = period_dates(self.period.currentText(), dt.date.today())
        return statistics.StatsFilter(
            start,
            end,
            window_id=self.window_box.currentData(),
            grid_id=self.grid_box.currentData(),
            channel=self.channel_box.currentData(),
            staff_id=self.staff_box.currentData(),
        )

    def refresh(self) -> None:
        flt = self.current_filter()
        if flt.date_to < flt.date_from:
            self.summary.setText("结束日期早于开始日期。")
            return
        if not permissions.allowed(self.ctx.staff, "stats.view"):
            # core refuses the figures to this role: say so here instead of an error dialog
            self.summary.setText(permissions.refusal(self.ctx.staff, "stats.view") or "")
            return
        self.busy = True
        self.refresh_button.setEnabled(False)
        self.summary.setText("正在统计…")
        Op(self, lambda: statistics.compute(flt, actor=self.ctx.staff), what="统计失败").success(
            self._show
        ).failure(self._failed).run()

    def _failed(self, _exc: BaseException) -> None:
        self.busy = False
        self.refresh_button.setEnabled(True)
        self.summary.setText("统计失败。")

    def _show(self, stats: statistics.Statistics) -> None:
        self.busy = False
        self.refresh_button.setEnabled(True)
        self.stats = stats
        self.summary.setText(
            f"{stats.filter.describe()}：受理民情 {stats.total} 件，当前超期 {stats.overdue} 件"
        )
        for key, card in self.cards.items():
            card.show_rate(stats.rates[key])
        for key, table in self.count_tables.items():
            _fill(table, getattr(stats, key))
        m = stats.mediation
        self.mediation.setText(
            f"矛盾纠纷调解（服务窗口“司法调解”）：受理纠纷 {m.reported} 起，排查 {m.screened} 起，"
            f"调解 {m.mediated} 起，调成 {m.succeeded} 起。\n"
            f"排查率 {m.screening.text}（{m.screening.definition.formula}）\n"
            f"调成率 {m.success.text}（{m.success.definition.formula}）"
        )
        _fill(
            self.faults,
            [[f.owner, f.not_handled, f.late, f.not_answered, f.total] for f in stats.faults],
        )
        _fill(
            self.recurring,
            [
                [r.window, r.place, r.count, r.still_open, r.first.isoformat(), r.last.isoformat()]
                for r in stats.recurring
            ],
        )
        self.chart_channel.show_bars("按渠道", stats.by_channel)
        self.chart_window.show_bars("按服务窗口", stats.by_window)
        self.chart_satisfaction.show_pie("回访满意度（最近一次回访）", stats.satisfaction)
        self.chart_trend.show_line(
            "每日受理" if len(stats.trend) <= 62 else "每月受理", stats.trend
        )

    def _export(self) -> None:
        if self.stats is None:
            return
        path = save_path(self, "导出统计", "民情统计.xlsx")
        if path is not None:
            self.export_to(str(path))

    def export_to(self, path: str) -> None:
        assert self.stats is not None
        stats, staff = self.stats, self.ctx.staff
        Op(
            self,
            lambda: statistics_export.export_statistics(path, stats, actor=staff),
            what="导出失败",
        ).writes(path).success(lambda _: self.ctx.status.emit(f"已导出 {path}")).run()


PANEL = PanelSpec(
    object_name="statistics",
    title="统计分析",
    factory=StatisticsPanel,
    area=Qt.DockWidgetArea.RightDockWidgetArea,
    tab_with="board",
)
