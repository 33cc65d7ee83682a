"""GUI fixtures: a main window on the `office` database, and message boxes that never block."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from minqing.core.models import Household, Resident


def type_text(widget, text: str) -> None:
    """Typing as a keyboard would; QTest.keyClicks aborts on characters outside Latin-1."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


class Dialogs:
    """Records what would have been shown; answers questions with the queued choices."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str, str]] = []
        self.questions: list[tuple[str, str]] = []
        self.answers: list[int] = []

    def show_message(self, _parent, title, text, kind="info"):
        self.messages.append((title, text, kind))

    def ask(self, _parent, title, text, _choices):
        self.questions.append((title, text))
        return self.answers.pop(0) if self.answers else -1


@pytest.fixture
def dialogs(monkeypatch):
    from minqing.gui import errors

    recorder = Dialogs()
    monkeypatch.setattr(errors, "show_message", recorder.show_message)
    monkeypatch.setattr(errors, "ask", recorder.ask)
    yield recorder
    errors.uninstall_excepthook()


@pytest.fixture
def residents(office):
    home = Household.create(
        community=office, courtyard="中和街21号", building="3", unit="2", door="301"
    )
    return [
        Resident.create(household=home, name="王秀英", initials="wxy", phone="13812345678"),
        Resident.create(household=home, name="王小燕", initials="wxy", phone="13987654321"),
        Resident.create(name="刘建国", initials="ljg", phone="13700001111"),
    ]


def make_window(qtbot, db_path):
    from minqing.app import build_window

    window = build_window(str(db_path))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def window(qtbot, office, residents, db_path, dialogs):
    """The main window on the office database, with its intake panel built."""
    window = make_window(qtbot, db_path)
    yield window
    window.panels.get("intake") and window.panels["intake"].discard_draft()
    window.close()


@pytest.fixture
def intake(window):
    return window.panel("intake")
