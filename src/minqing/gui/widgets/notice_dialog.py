"""Pasting the State Council's holiday notice: paste → see what was understood → save.

Nothing is stored until the user has seen the dates, because a wrongly read notice would
silently move every deadline of the year.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from minqing.core.calendar import service as calendar_service
from minqing.core.calendar.holiday_notice import NoticeSchedule
from minqing.core.errors import MinqingError
from minqing.gui import errors


def _day(d: object) -> str:
    import datetime as dt

    assert isinstance(d, dt.date)
    return f"{d.month}月{d.day}日（周{'一二三四五六日'[d.weekday()]}）"


def describe(schedule: NoticeSchedule) -> str:
    lines = [f"<b>{schedule.year}年</b>节假日安排："]
    lines.append("<ul>")
    for h in schedule.holidays:
        span = _day(h.start) if h.start == h.end else f"{_day(h.start)}至{_day(h.end)}"
        lines.append(f"<li>{h.name}：{span}放假，共{h.days}天</li>")
    lines.append("</ul>")
    if schedule.workdays:
        lines.append("调休上班：<ul>")
        lines += [f"<li>{_day(m.date)} 上班（{m.name}）</li>" for m in schedule.workdays]
        lines.append("</ul>")
    if schedule.warnings:
        lines.append("<p style='color:#b26a00'>请核对：</p><ul>")
        lines += [f"<li style='color:#b26a00'>{w}</li>" for w in schedule.warnings]
        lines.append("</ul>")
    return "".join(lines)


class NoticeDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, actor: Any = None) -> None:
        super().__init__(parent)
        # the window that opens it carries the signed-in staff member in its context
        self.actor = actor or getattr(getattr(parent, "ctx", None), "staff", None)
        self.setWindowTitle("导入节假日安排")
        self.resize(760, 520)
        self.schedule: NoticeSchedule | None = None
        self.summary: calendar_service.ImportSummary | None = None
        layout = QVBoxLayout(self)
        hint = QLabel(
            "请把国务院办公厅《关于××××年部分节假日安排的通知》全文粘贴到左边，"
            "右边会显示识别出的放假和调休上班日期。核对无误后点“保存”。"
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        split = QSplitter(self)
        self.text = QPlainTextEdit(split)
        self.text.setObjectName("noticeText")
        self.text.setPlaceholderText("在这里粘贴通知全文")
        self.preview = QTextBrowser(split)
        self.preview.setObjectName("noticePreview")
        split.addWidget(self.text)
        split.addWidget(self.preview)
        layout.addWidget(split, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(300)
        self.timer.timeout.connect(self.read)
        self.text.textChanged.connect(self.timer.start)
        self.read()

    def read(self) -> None:
        self.timer.stop()
        text = self.text.toPlainText().strip()
        self.schedule = None
        if not text:
            self.preview.setHtml("<p style='color:#666'>还没有粘贴内容。</p>")
        else:
            try:
                self.schedule = calendar_service.preview_notice(text)
            except MinqingError as exc:
                self.preview.setHtml(f"<p style='color:#b00020'>{exc}</p>")
            else:
                self.preview.setHtml(describe(self.schedule))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(
            self.schedule is not None
        )

    def save(self) -> None:
        self.read()
        if self.schedule is None:
            return
        try:
            self.summary = calendar_service.import_notice(self.text.toPlainText(), actor=self.actor)
        except Exception as exc:
            errors.report(self, exc, "无法保存节假日安排")
            return
        self.accept()
