"""The desk's suggestion row: the three likely windows as one-key choices (Alt+1/2/3) with their
confidence, and how similar matters ended. Never chooses by itself: the clerk presses a key
or clicks.

Typing is never slowed: the text is handed over after a pause (debounce), the suggestion is
computed in the thread pool, and a result that arrives after the text changed again is
dropped. A failure is logged and leaves the row empty — a suggestion is a help, not a step.
"""

from __future__ import annotations

import html
import logging
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from minqing.core.cases import services as cases
from minqing.core.cases import suggest
from minqing.gui.context import AppContext
from minqing.gui.operations import Op

log = logging.getLogger("minqing.gui")

DEBOUNCE_MS = 350
MIN_CHARS = 2


def similar_html(items: list[suggest.Similar], limit: int) -> str:
    """One short line per similar case: number (a link), disposition, days, owner, outcome
    (cut short; the whole outcome is in the detail panel's 类似民情)."""
    lines = []
    for s in items[:limit]:
        days = f"{s.days}个工作日" if s.days is not None else ""
        parts = " · ".join(x for x in (s.disposition, days, s.owner) if x)
        outcome = s.outcome or "（未填办理结果）"
        outcome = outcome if len(outcome) <= 16 else outcome[:15] + "…"
        lines.append(
            f"<a href='case:{s.case_id}'>{html.escape(s.number)}</a> "
            f"{html.escape(parts)}：{html.escape(outcome)}"
        )
    return "<br>".join(lines)


class SuggestionBar(QWidget):
    """Put it under the text field; call `request(text)` on every change (it debounces).
    `chosen(window_id)` is emitted when the clerk takes a suggestion."""

    chosen = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, similar: int = 3) -> None:
        super().__init__(parent)
        self.setObjectName("suggestionBar")
        self.ctx = ctx
        self.similar_limit = similar
        self.result: suggest.Suggestion | None = None
        self._text = ""
        self._generation = 0
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self._compute)
        ctx.case_changed.connect(lambda _case_id: suggest.forget())  # closed? retrain soon
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        row = QHBoxLayout()
        row.setSpacing(4)
        self.caption = QLabel(self)
        self.caption.setObjectName("suggestionCaption")
        row.addWidget(self.caption)
        self.buttons: list[QPushButton] = []
        for i in range(3):
            button = QPushButton(self)
            button.setObjectName(f"suggestButton{i + 1}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab keeps walking the form
            button.setToolTip(f"Alt+{i + 1}：选用这个服务窗口")
            button.setStyleSheet("padding: 2px 6px;")
            button.clicked.connect(lambda _=False, i=i: self.take(i))
            row.addWidget(button)
            self.buttons.append(button)
            shortcut = QShortcut(QKeySequence(f"Alt+{i + 1}"), parent or self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda i=i: self.take(i))
        row.addStretch(1)
        column.addLayout(row)
        self.hint = QLabel(self)
        self.hint.setObjectName("suggestionHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        self.hint.setTextFormat(Qt.TextFormat.RichText)
        self.hint.linkActivated.connect(self._open_link)
        column.addWidget(self.hint)
        self.clear()

    def request(self, text: str) -> None:
        self._text = text
        self._generation += 1
        if len(text.strip()) < MIN_CHARS:
            self.timer.stop()
            self.clear()
            return
        self.timer.start()

    def clear(self) -> None:
        self.result = None
        self.caption.setText("输入民情内容后显示")
        self.caption.show()
        for button in self.buttons:
            button.hide()
        self.hint.clear()
        self.hint.hide()

    def _compute(self) -> None:
        generation, text, viewer = self._generation, self._text, self.ctx.staff
        limit = self.similar_limit

        def work() -> tuple[int, suggest.Suggestion | None]:
            try:
                return generation, suggest.suggest(text, viewer=viewer, similar=limit)
            except Exception:  # a help, not a step: log it and show nothing
                log.exception("window suggestion failed")
                return generation, None

        Op(self, work, what="推荐窗口").success(self._show).run()

    def _show(self, answer: tuple[int, suggest.Suggestion | None]) -> None:
        generation, result = answer
        if generation != self._generation:
            return  # the text changed meanwhile; a newer request is on its way
        if result is None or not result.windows:
            self.clear()
            return
        self.show_result(result)

    def show_result(self, result: suggest.Suggestion) -> None:
        self.result = result
        self.caption.hide()
        for i, button in enumerate(self.buttons):
            if i < len(result.windows):
                ranked = result.windows[i]
                score = f"{ranked.score:.0%}" if ranked.score >= 0.005 else "<1%"
                button.setText(f"{i + 1} {ranked.name} {score}")
                button.show()
            else:
                button.hide()
        hint = []
        if result.disposition or result.owner:
            usual = "、".join(
                x
                for x in (
                    result.disposition.label if result.disposition else "",
                    f"责任人多为{result.owner}" if result.owner else "",
                )
                if x
            )
            hint.append(f"类似民情通常：{html.escape(usual)}")
        if result.similar:
            hint.append(similar_html(result.similar, self.similar_limit))
        self.hint.setText("<br>".join(hint))
        self.hint.setVisible(bool(hint))

    def take(self, index: int) -> None:
        if self.result is None or index >= len(self.result.windows):
            return
        self.chosen.emit(self.result.windows[index].window_id)

    def _open_link(self, link: str) -> None:
        if link.startswith("case:"):
            self.ctx.open_case.emit(int(link[5:]))


def select_window(combo: Any, window_id: int) -> bool:
    """Select the window in a combo holding window ids as item data."""
    index = combo.findData(window_id)
    if index >= 0:
        combo.setCurrentIndex(index)
        return True
    return False


class SimilarCases(QTreeWidget):
    """类似民情 of one case, for the detail panel: computed in the pool when first shown for a
    case; double-click opens one."""

    HEADERS = ["编号", "服务窗口", "办理类型", "责任人", "用时", "办理结果"]

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("similar")
        self.ctx = ctx
        self.case_id: int | None = None
        self.shown_for: int | None = None
        self.setRootIsDecorated(False)
        self.setHeaderLabels(self.HEADERS)
        self.setWordWrap(True)
        self.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.header().setStretchLastSection(True)
        self.itemActivated.connect(self._open)

    def set_case(self, case_id: int | None) -> None:
        """Remember the case; the search runs when the tab is visible (`refresh`)."""
        if case_id != self.case_id:
            self.case_id, self.shown_for = case_id, None
            self.clear()
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        case_id, viewer = self.case_id, self.ctx.staff
        if case_id is None or self.shown_for == case_id:
            return
        self.shown_for = case_id
        self.clear()
        QTreeWidgetItem(self, ["", "", "", "", "", "正在查找类似民情…"])

        def work() -> list[suggest.Similar]:
            return suggest.similar_to_case(cases.get_case(case_id), viewer=viewer)

        Op(self, work, what="类似民情").success(lambda found: self._fill(case_id, found)).run()

    def _fill(self, case_id: int, found: list[suggest.Similar]) -> None:
        if case_id != self.case_id:
            return
        self.clear()
        for s in found:
            days = f"{s.days}个工作日" if s.days is not None else ""
            item = QTreeWidgetItem(
                self, [s.number, s.window, s.disposition, s.owner, days, s.outcome]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, s.case_id)
            item.setToolTip(5, s.text)
        if not found:
            QTreeWidgetItem(self, ["", "", "", "", "", "还没有类似的已办结民情。"])

    def _open(self, item: QTreeWidgetItem, _column: int) -> None:
        case_id = item.data(0, Qt.ItemDataRole.UserRole)
        if case_id:
            self.ctx.open_case.emit(int(case_id))


def suggested_choices(
    text: str, choices: list[tuple[int, str]]
) -> tuple[list[tuple[int, str]], str]:
    """Window choices for a form with the three suggested for the text first, and a line
    saying so (none preselected: the clerk picks). Unchanged while the model is training."""
    model = suggest.ready_model()
    if model is None or not suggest.features(text):
        return choices, ""
    names = dict(choices)
    ranked = [(w, score) for w, score in model.rank(text)[:3] if w in names]
    picked = {w for w, _ in ranked}
    ordered = [(w, names[w]) for w, _ in ranked] + [c for c in choices if c[0] not in picked]
    line = "推荐窗口：" + "、".join(f"{names[w]} {score:.0%}" for w, score in ranked)
    return ordered, line
