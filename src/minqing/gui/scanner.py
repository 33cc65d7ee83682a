"""Scan to find: a USB 2D scanner types like a keyboard, so a scan is a fast burst of keys.

`ScanFilter` watches the key presses of the whole application. A printable key is held back
for a moment (GAP_MS); if the next one comes within that moment, the burst grows. When the
keys stop, a burst that parses as a receipt's or a contact card's code (core.cases.scan) is
taken as a scan and never reaches the field that had the focus; anything else — people's
typing, a held-down key — is handed to that field unchanged, in order. A person cannot type
two keys 40 ms apart for the length of a code, a scanner types a key every few ms. Only
ASCII keys start a burst (the codes are ASCII), so Chinese typed through the input method
is never held back; ASCII typing reaches its field 40 ms late, which nobody notices.

The program installs it when it runs the window (app.run_window); tests of other panels,
which type faster than any person, run without it.

`ScanHandler` acts on a scan: a receipt opens its case; a contact card opens the household
with its open cases and offers a new intake for it.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from minqing.core.cases import scan
from minqing.core.errors import MinqingError
from minqing.gui import errors
from minqing.gui.context import AppContext

log = logging.getLogger("minqing.gui")

GAP_MS = 40  # keys closer than this belong to one burst
MIN_SCAN = 6  # the shortest code: 2026-1
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_SILENT = {
    Qt.Key.Key_Shift,
    Qt.Key.Key_Control,
    Qt.Key.Key_Alt,
    Qt.Key.Key_AltGr,
    Qt.Key.Key_Meta,
    Qt.Key.Key_CapsLock,
    Qt.Key.Key_NumLock,
    Qt.Key.Key_unknown,
}


@dataclass
class _Key:
    target: QWidget
    key: int
    modifiers: Qt.KeyboardModifier
    text: str


class ScanFilter(QObject):
    """Install with `QApplication.instance().installEventFilter(filter)`; `scanned(text)`."""

    scanned = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.held: list[_Key] = []
        self.last = 0.0
        self.replaying = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(GAP_MS)
        self.timer.timeout.connect(self.finish)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if self.replaying or event.type() != QEvent.Type.KeyPress:
            return False
        if not isinstance(obj, QWidget) or not isinstance(event, QKeyEvent):
            return False
        if event.key() in _SILENT:
            return False  # a modifier alone (a scanner presses Shift for capitals)
        text = event.text()
        plain = not (
            event.modifiers()
            & (
                Qt.KeyboardModifier.ControlModifier
                | Qt.KeyboardModifier.AltModifier
                | Qt.KeyboardModifier.MetaModifier
            )
        )
        now = time.monotonic()
        in_burst = bool(self.held) and (now - self.last) * 1000 <= GAP_MS
        single = plain and len(text) == 1 and text.isprintable() and not event.isAutoRepeat()
        # a burst starts with an ASCII key (codes are ASCII); inside one, anything typed joins
        starts = single and text.isascii()
        enter = event.key() in _ENTER or text in ("\r", "\n")  # xdotool: Linefeed
        joins = in_burst and plain and (single or enter)
        if self.held and not in_burst:
            self.finish()  # the burst ended before its timer was served: a scan, or typing
        if not (starts or joins):
            self.flush()  # keep the order: held keys first, then this one
            return False
        self.held.append(_Key(obj, event.key(), event.modifiers(), "\n" if enter else text))
        self.last = now
        self.timer.start()
        return True

    def finish(self) -> None:
        """The keys stopped: a scan, or typing to hand on."""
        text = "".join(k.text for k in self.held)
        if len(text.strip()) >= MIN_SCAN and len(self.held) >= MIN_SCAN:
            if scan.parse_scan(text) is not None:
                self.held = []
                self.scanned.emit(text)
                return
        self.flush()

    def flush(self) -> None:
        """Hand the held keys to the widgets they were meant for."""
        self.timer.stop()
        held, self.held = self.held, []
        self.replaying = True
        try:
            for k in held:
                if not shiboken6.isValid(k.target):
                    continue
                text = "\r" if k.text == "\n" else k.text
                press = QKeyEvent(QEvent.Type.KeyPress, k.key, k.modifiers, text)
                QApplication.sendEvent(k.target, press)
        finally:
            self.replaying = False


class HouseholdDialog(QDialog):
    """A scanned contact card: the household, its residents and open cases; 新建受理."""

    def __init__(self, found: scan.Found, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("householdScan")
        self.setWindowTitle("扫码：连心卡")
        self.found = found
        self.chosen_case: int | None = None
        self.new_intake = False
        household = found.household
        assert household is not None
        column = QVBoxLayout(self)
        residents = [r.name for r in found.residents]
        head = QLabel(
            f"<b>{household.address}</b>（住户编号 {found.scan.value}）<br>"
            f"居民：{'、'.join(residents) or '（未登记）'}"
        )
        head.setWordWrap(True)
        column.addWidget(head)
        column.addWidget(
            QLabel(
                f"未办结的民情 {len(found.open_cases)} 件"
                + ("（双击打开）：" if found.open_cases else "。")
            )
        )
        self.cases = QListWidget()
        self.cases.setObjectName("openCases")
        for case in found.open_cases:
            item = QListWidgetItem(f"{case.number}  {case.text[:40]}")
            item.setData(Qt.ItemDataRole.UserRole, case.id)
            self.cases.addItem(item)
        self.cases.itemActivated.connect(self._open)
        self.cases.setVisible(bool(found.open_cases))
        column.addWidget(self.cases)
        buttons = QDialogButtonBox()
        self.intake_button = buttons.addButton(
            "新建受理(&N)", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.intake_button.setObjectName("newIntake")
        self.intake_button.clicked.connect(self._new_intake)
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        column.addWidget(buttons)
        self.intake_button.setDefault(True)

    def _open(self, item: QListWidgetItem) -> None:
        self.chosen_case = int(item.data(Qt.ItemDataRole.UserRole))
        self.accept()

    def _new_intake(self) -> None:
        self.new_intake = True
        self.accept()


class ScanHandler(QObject):
    """Connects a ScanFilter to the main window: what a scan opens."""

    def __init__(self, window: Any, ctx: AppContext) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.filter = ScanFilter(self)
        self.filter.scanned.connect(self.handle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.filter)
        self.dialog: HouseholdDialog | None = None

    def handle(self, text: str) -> None:
        try:
            found = scan.resolve(text)
        except MinqingError as exc:
            errors.show_message(self.window, "扫码", str(exc), errors.WARNING)
            return
        except Exception as exc:
            errors.report(self.window, exc, "扫码查找")
            return
        if found is None:
            return
        if found.case is not None:
            self.ctx.status.emit(f"扫码：回执 {found.case.number}")
            self.ctx.open_case.emit(found.case.id)
            return
        self.ctx.status.emit(f"扫码：连心卡 {found.scan.value}")
        self.dialog = HouseholdDialog(found, self.window)
        self.dialog.finished.connect(lambda _result: self._after(found))
        self.dialog.open()

    def _after(self, found: scan.Found) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is None:
            return
        if dialog.chosen_case is not None:
            self.ctx.open_case.emit(dialog.chosen_case)
        elif dialog.new_intake and found.household is not None:
            self.window.focus_panel("intake")
            intake = self.window.panels.get("intake")
            if intake is not None and hasattr(intake, "start_for_household"):
                intake.start_for_household(found.household, found.residents)
        dialog.deleteLater()
