"""The small questions the 打印 menu asks before a document is made: a period, a month,
a quarter, the paper, which cards on which stock. Each dialog only collects values; the print
center does the work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
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


def paper_combo(note_a3: str = "上墙") -> QComboBox:
    """A4 or A3, A4 first (every office printer has it)."""
    combo = QComboBox()
    combo.setObjectName("paper")
    combo.addItem("A4", "A4")
    combo.addItem(f"A3（{note_a3}）", "A3")
    return combo


class DateRangeDialog(OptionsDialog):
    """From–to, this month by default; the end is never allowed before the start. With
    `paper`, also A4 or A3 (the notice)."""

    def __init__(
        self,
        title: str,
        note: str = "",
        today: dt.date | None = None,
        parent: QWidget | None = None,
        *,
        paper: bool = False,
    ) -> None:
        super().__init__(title, note, parent)
        first, last = month_bounds(today or dt.date.today())
        self.start = self._date_edit("start", first)
        self.end = self._date_edit("end", last)
        self.form.addRow("从", self.start)
        self.form.addRow("到", self.end)
        self.start.dateChanged.connect(self.end.setMinimumDate)
        self.end.setMinimumDate(self.start.date())
        self.paper = paper_combo() if paper else None
        self.red = QCheckBox("加红头（发文单位）") if paper else None
        if self.paper is not None and self.red is not None:
            self.red.setObjectName("red")
            self.form.addRow("纸张", self.paper)
            self.form.addRow("", self.red)

    def paper_value(self) -> str:
        return str(self.paper.currentData()) if self.paper is not None else "A4"

    def red_value(self) -> bool:
        return self.red is not None and self.red.isChecked()

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
        self.paper = paper_combo("上墙公示用")
        self.red = QCheckBox("加红头（发文单位）")
        self.red.setObjectName("red")
        self.form.addRow("年份", self.year)
        self.form.addRow("季度", self.quarter)
        self.form.addRow("纸张", self.paper)
        self.form.addRow("", self.red)

    def value(self) -> str:
        return f"{self.year.value()}Q{self.quarter.currentIndex() + 1}"

    def a3(self) -> bool:
        return self.paper.currentData() == "A3"


class PaperDialog(OptionsDialog):
    """Only the paper: the flowchart poster (A3 for the wall)."""

    def __init__(self, title: str, note: str = "", parent: QWidget | None = None) -> None:
        super().__init__(title, note, parent)
        self.paper = paper_combo("海报")
        self.form.addRow("纸张", self.paper)

    def value(self) -> str:
        return str(self.paper.currentData())


class CardsDialog(OptionsDialog):
    """Which grid (or the whole community), which card, which stock; whether the households
    still without a card get one recorded; the printer's offsets from the calibration sheet."""

    def __init__(
        self,
        grids: list[tuple[str, str]],
        programmes: list[tuple[str, str]],
        parent: QWidget | None = None,
        *,
        layouts: Sequence[tuple[str, str]] = (),
        layout: str = "",
        offsets: tuple[tuple[float, float], tuple[float, float]] = ((0.0, 0.0), (0.0, 0.0)),
    ) -> None:
        super().__init__(
            "民情连心卡",
            "每户一张，A4 每页十张，正反面。请按“实际大小”双面打印、沿长边翻转。",
            parent,
        )
        self.grid = QComboBox()
        self.grid.setObjectName("grid")
        self.grid.addItem("全社区", None)
        for value, label in grids:
            self.grid.addItem(label, value)
        self.programme = QComboBox()
        self.programme.setObjectName("programme")
        for value, label in programmes:
            self.programme.addItem(label, value)
        self.layout_choice = QComboBox()
        self.layout_choice.setObjectName("layout")
        for value, label in layouts:
            self.layout_choice.addItem(label, value)
        if layout:
            self.layout_choice.setCurrentIndex(max(0, self.layout_choice.findData(layout)))
        self.record = QCheckBox("没有发过卡的住户登记为已发卡（印上卡号）")
        self.record.setObjectName("record")
        self.record.setChecked(True)
        self.offsets = [
            [self._offset(f"{side}_{axis}", value) for axis, value in zip("xy", pair, strict=True)]
            for side, pair in zip(("front", "back"), offsets, strict=True)
        ]
        self.form.addRow("片区", self.grid)
        self.form.addRow("卡片", self.programme)
        if layouts:
            self.form.addRow("卡纸", self.layout_choice)
        self.form.addRow("", self.record)
        for label, pair in zip(("正面偏移", "背面偏移"), self.offsets, strict=True):
            row = QHBoxLayout()
            for axis, box in zip(("右", "上"), pair, strict=True):
                row.addWidget(QLabel(f"向{axis}"))
                row.addWidget(box)
            self.form.addRow(label, row)

    @staticmethod
    def _offset(name: str, value: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setObjectName(f"offset_{name}")
        box.setRange(-10, 10)
        box.setDecimals(1)
        box.setSingleStep(0.5)
        box.setSuffix(" mm")
        box.setValue(value)
        return box

    def values(self) -> tuple[str | None, str | None]:
        return self.grid.currentData(), self.programme.currentData()

    def layout_value(self) -> str | None:
        return self.layout_choice.currentData()

    def offset_values(self) -> tuple[tuple[float, float], tuple[float, float]]:
        (fx, fy), (bx, by) = ((a.value(), b.value()) for a, b in self.offsets)
        return (fx, fy), (bx, by)
