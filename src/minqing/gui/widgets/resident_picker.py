"""Picking a resident by typing: a name, phone digits or pinyin initials (王秀英 / 1380 / wxy).

Attached to any QLineEdit (the intake form's comes from a .ui file). Each pause in typing
runs one `find_residents` query — indexed SQL returning at most a screenful — and fills a
completer popup that the keyboard drives: ↓/↑ to move, Enter to choose, Esc to close.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit

from minqing.core.cases.search import find_residents
from minqing.core.privacy import mask_phone

if TYPE_CHECKING:
    from minqing.core.models import Resident

DEBOUNCE_MS = 150
LIMIT = 15

Search = Callable[[str], "list[Resident]"]


def describe(resident: Resident, masked: bool = False) -> str:
    """One line that tells two namesakes apart: name, phone, address. The suggestion list
    masks the phone: the resident across the desk sees the screen."""
    address = resident.household.address if resident.household_id else "（无住户地址）"
    phone = str(resident.phone or "")
    parts = [str(resident.name), mask_phone(phone) if masked else phone, address]
    return "  ".join(p for p in parts if p)


POPUP_MIN_WIDTH = 460


class ResidentPicker(QObject):
    chosen = Signal(object)  # the Resident, or None when the text no longer names one
    searched = Signal(int)  # how many suggestions the last search found

    def __init__(self, edit: QLineEdit, search: Search | None = None, delay_ms: int = DEBOUNCE_MS):
        super().__init__(edit)
        self.edit = edit
        self._search = search or (lambda text: find_residents(text, limit=LIMIT))
        self.resident: Resident | None = None
        self.results: list[Resident] = []
        self.model = QStandardItemModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(LIMIT)
        self.completer.setWidget(edit)
        self.completer.activated[QModelIndex].connect(self._activated)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.search_now)
        edit.textEdited.connect(self._edited)
        edit.installEventFilter(self)

    def _edited(self, _text: str) -> None:
        if self.resident is not None:
            self.resident = None
            self.chosen.emit(None)
        self.timer.start()

    def search_now(self) -> None:
        self.timer.stop()
        text = self.edit.text().strip()
        self.results = self._search(text) if text else []
        self.model.clear()
        for row in self.results:
            item = QStandardItem(describe(row, masked=True))
            item.setData(row.id, Qt.ItemDataRole.UserRole)
            self.model.appendRow(item)
        if self.results and self.edit.hasFocus():
            self.completer.complete(self._popup_rect())
        else:
            self.completer.popup().hide()
        self.searched.emit(len(self.results))

    def _popup_rect(self) -> QRect:
        """As wide as the longest suggestion (name, masked phone, address), not the field."""
        popup = self.completer.popup()
        metrics = popup.fontMetrics()
        longest = max(
            (metrics.horizontalAdvance(describe(r, masked=True)) for r in self.results), default=0
        )
        width = max(self.edit.width(), POPUP_MIN_WIDTH, longest + 48)
        screen = self.edit.screen()
        if screen is not None:
            width = min(width, screen.availableGeometry().width() - 20)
        return QRect(0, 0, width, self.edit.height())

    def _activated(self, index: QModelIndex) -> None:
        if 0 <= index.row() < len(self.results):
            self.choose(self.results[index.row()])

    def choose(self, resident: Resident | None) -> None:
        self.timer.stop()
        self.completer.popup().hide()
        self.resident = resident
        self.edit.setText(str(resident.name) if resident else "")
        self.chosen.emit(resident)

    def clear(self) -> None:
        self.timer.stop()
        self.results = []
        self.model.clear()
        self.completer.popup().hide()
        self.resident = None
        self.edit.clear()

    def pending(self) -> bool:
        return self.timer.isActive()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Enter on unfinished text: search at once and take the only match, if one."""
        if obj is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.resident is None:
                if self.edit.text().strip():
                    if self.pending() or not self.results:
                        self.search_now()
                    if len(self.results) == 1:
                        self.choose(self.results[0])
                    elif self.results:
                        self.completer.complete()
                        return True
        return False
