"""The small questions the 打印 menu asks before a document is made: a period, a month,
a quarter, which cards. Each dialog only collects values; the print center does the work."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class OptionsDialog(QDialog):
    """A form with 生成 / 取消 buttons; subclasses add rows."""

    def __init__(self, title: str, note: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(340)
        outer = QVBoxLayout(self)
        if note:
            label = QLabel(note)
            label.setWordWrap(True)
            outer.addWidget(label)
        self.form = QFormLayout()
        outer.addLayout(self.form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("生成")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)


class DateRangeDialog(OptionsDialog):
    """From–to, this month by default; the end is never allowed before the start."""

    def __init__(
        self,
        title: str,
        note: str = "",
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, note, parent)
        first, last = month_bounds(today or dt.date.today())
        self.start = self._date_edit("start", first)
        self.end = self._date_edit("end", last)
        self.form.addRow("从", self.start)
        self.form.addRow("到", self.end)
        self.start.dateChanged.connect(self.end.setMinimumDate)
        self.end.setMinimumDate(self.start.date())

    @staticmethod
    def _date_edit(name: str, day: dt.date) -> QDateEdit:
        edit = QDateEdit(_qdate(day))
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def set_range(self, start: dt.date, end: dt.date) -> None:
        self.start.setDate(_qdate(start))
        self.end.setDate(_qdate(end))

    def values(self) -> tuple[dt.date, dt.date]:
        return _pydate(self.start.date()), _pydate(self.end.date())


class MonthDialog(OptionsDialog):
    def __init__(self, today: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__("民情工作月报", "", parent)
        day = today or dt.date.today()
        self.month = QDateEdit(_qdate(day.replace(day=1)))
        self.month.setObjectName("month")
        self.month.setDisplayFormat("yyyy年M月")
        self.form.addRow("月份", self.month)

    def value(self) -> str:
        d = self.month.date()
        return f"{d.year():04d}-{d.month():02d}"


class QuarterDialog(OptionsDialog):
    def __init__(self, today: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__("党员公开承诺书", "打印整季度：党组织承诺书和每名党员一页。", parent)
        day = today or dt.date.today()
        self.year = QSpinBox()
        self.year.setObjectName("year")
        self.year.setRange(2000, 2100)
        self.year.setValue(day.year)
        self.quarter = QComboBox()
        self.quarter.setObjectName("quarter")
        self.quarter.addItems(["第一季度", "第二季度", "第三季度", "第四季度"])
        self.quarter.setCurrentIndex((day.month - 1) // 3)
        self.a3 = QCheckBox("A3 幅面（上墙公示用）")
        self.a3.setObjectName("a3")
        self.form.addRow("年份", self.year)
        self.form.addRow("季度", self.quarter)
        self.form.addRow("", self.a3)

    def value(self) -> str:
        return f"{self.year.value()}Q{self.quarter.currentIndex() + 1}"


class CardsDialog(OptionsDialog):
    """Which grid (or the whole community) and which card: the household card or a programme's."""

    def __init__(
        self,
        grids: list[tuple[str, str]],
        programmes: list[tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("民情连心卡", "每户一张，A4 每页十张，正反面。", parent)
        self.grid = QComboBox()
        self.grid.setObjectName("grid")
        self.grid.addItem("全社区", None)
        for value, label in grids:
            self.grid.addItem(label, value)
        self.programme = QComboBox()
        self.programme.setObjectName("programme")
        for value, label in programmes:
            self.programme.addItem(label, value)
        self.form.addRow("片区", self.grid)
        self.form.addRow("卡片", self.programme)

    def values(self) -> tuple[str | None, str | None]:
        return self.grid.currentData(), self.programme.currentData()
