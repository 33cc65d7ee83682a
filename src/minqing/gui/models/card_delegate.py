"""Paints a board card: no widget per card, so a column of thousands stays light."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from minqing.core.cases.deadlines import days_left_wording
from minqing.core.cases.pipeline import OPEN_STAGES
from minqing.core.cases.queries import CaseRow
from minqing.core.enums import Stage
from minqing.gui.models.stage_cards import CaseRole

RED = QColor("#c62828")
ORANGE = QColor("#e65100")
BLUE = QColor("#1565c0")
GREY = QColor("#757575")
GREEN = QColor("#2e7d32")
PAD = 8


def days_text(row: CaseRow) -> tuple[str, QColor]:
    if row.stage == Stage.CLOSED:
        return "已办结", GREEN
    if row.waiting:
        return "等补材料", GREY
    if row.days_left is None:
        return ("未定时限", GREY) if row.stage in OPEN_STAGES else ("", GREY)
    text = days_left_wording(row.days_left)
    if row.days_left < 0:
        return text, RED
    return text, ORANGE if row.days_left <= 1 else BLUE


def accent(row: CaseRow) -> QColor:
    if row.overdue:
        return RED
    if row.urgent:
        return ORANGE
    if row.stage == Stage.CLOSED:
        return GREEN
    if row.waiting:
        return GREY
    return BLUE


class CardDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def _line(self, option: QStyleOptionViewItem) -> int:
        return QFontMetrics(option.font).lineSpacing()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(220, self._line(option) * 3 + PAD * 3 + 6)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        row: CaseRow | None = index.data(CaseRole)
        if row is None:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = QRectF(option.rect).adjusted(4, 3, -4, -3)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        back = (
            QColor("#fdecea")
            if row.overdue
            else QColor("#fff8e1")
            if row.urgent
            else QColor("#ffffff")
        )
        painter.setPen(
            QPen(QColor("#1565c0") if selected else QColor("#d0d4da"), 2 if selected else 1)
        )
        painter.setBrush(back)
        painter.drawRoundedRect(card, 6, 6)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(accent(row))
        painter.drawRoundedRect(QRectF(card.left(), card.top(), 5, card.height()), 2, 2)

        line = self._line(option)
        inner = card.toRect().adjusted(PAD + 5, PAD - 2, -PAD, -PAD)
        bold = QFont(option.font)
        bold.setBold(True)
        small = QFont(option.font)
        small.setPointSizeF(max(option.font.pointSizeF() - 1, 7))

        # Line 1: number, badges; days left on the right.
        painter.setFont(bold)
        painter.setPen(QColor("#212121"))
        painter.drawText(
            QRect(inner.left(), inner.top(), inner.width(), line),
            Qt.AlignmentFlag.AlignLeft,
            row.number,
        )
        x = inner.left() + QFontMetrics(bold).horizontalAdvance(row.number) + 6
        for text, colour, wanted in (
            ("急", ORANGE, row.urgent),
            ("补", GREY, row.waiting),
            (f"重办{row.reopen_count}", RED, row.reopen_count > 0),
        ):
            if wanted:
                x += self._badge(painter, QRect(x, inner.top(), 0, line), text, colour, small) + 4
        # Line 2: resident · window, the days on the right (room enough on a narrow column).
        # Line 3: owner (or “未指定责任人”), disposition.
        days, colour = days_text(row)
        days_font = bold if row.overdue else option.font
        days_width = QFontMetrics(days_font).horizontalAdvance(days)
        second_top = inner.top() + line + 4
        painter.setFont(days_font)
        painter.setPen(colour)
        painter.drawText(
            QRect(inner.left(), second_top, inner.width(), line), Qt.AlignmentFlag.AlignRight, days
        )
        painter.setFont(option.font)
        painter.setPen(QColor("#212121"))
        metrics = QFontMetrics(option.font)
        second = f"{row.person} · {row.window}"
        room = inner.width() - days_width - 6 if days else inner.width()
        painter.drawText(
            QRect(inner.left(), second_top, room, line),
            Qt.AlignmentFlag.AlignLeft,
            metrics.elidedText(second, Qt.TextElideMode.ElideRight, room),
        )
        owner = f"责任人：{row.owner}" if row.owner else "未指定责任人"
        if row.disposition:
            owner += f"  ·  {row.disposition.label}"
        painter.setPen(QColor("#555555") if row.owner else RED)
        painter.drawText(
            QRect(inner.left(), inner.top() + 2 * line + 8, inner.width(), line),
            Qt.AlignmentFlag.AlignLeft,
            metrics.elidedText(owner, Qt.TextElideMode.ElideRight, inner.width()),
        )
        painter.restore()

    def _badge(self, painter: QPainter, at: QRect, text: str, colour: QColor, font: QFont) -> int:
        metrics = QFontMetrics(font)
        width = metrics.horizontalAdvance(text) + 8
        box = QRect(at.left(), at.top() + 1, width, at.height() - 2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(box, 3, 3)
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        return width
