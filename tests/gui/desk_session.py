"""One working session in a real QApplication, run as its own process by test_desk_session.py.

    python desk_session.py DB FIRST_USER SECOND_USER PASSWORD LEAVE_HALL_OPEN

Signs FIRST_USER in through the program's own start (`app.run_window`), opens every panel and
every dialog reachable from the menus (closing each as soon as it shows), the hall display,
floats, re-docks, tabs and resets the docks, switches to SECOND_USER, and quits with Ctrl+Q's
action. The process's exit code is the program's: a crash on the way out shows as 139 / -11.
"""

from __future__ import annotations

import faulthandler
import os
import sys

faulthandler.enable()  # a crash prints every thread's Python stack to stderr, for the test to show

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from argon2 import PasswordHasher  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtGui import QAction, QDesktopServices  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QMenu  # noqa: E402

from minqing import app as program  # noqa: E402
from minqing.core.accounts import services as accounts  # noqa: E402
from minqing.gui import sign_in  # noqa: E402
from minqing.gui.main_window import MainWindow  # noqa: E402

SKIPPED = {"quit", "switchUser", "openDataFolder"}


def menu_actions(window: MainWindow) -> list:
    found = []

    def walk(menu: QMenu) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu())
            elif not action.isSeparator() and action.isEnabled() and action.isVisible():
                found.append(action)

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu())
    return found


def session(db: str, first: str, second: str, password: str, leave_hall_open: bool) -> int:
    # The tests' cheap hasher (tests/conftest.py): at production cost signing in would rehash
    # the test accounts' passwords, two Argon2 hashes of ~0.5 s a session.
    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    program.create_application()  # timers need the application's event dispatcher
    users = [first, second]
    sign_in.sign_in_at_start = lambda _community, demo=False: (  # type: ignore[assignment]
        accounts.sign_in(users.pop(0), password) if users else None
    )
    QDesktopServices.openUrl = staticmethod(lambda _url: True)  # no PDF viewer in a test
    opened: list[str] = []

    def close_dialogs() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                opened.append(widget.windowTitle())
                widget.reject()

    closer = QTimer()
    closer.setInterval(30)
    closer.timeout.connect(close_dialogs)
    closer.start()

    def steps():  # each yield lets Qt run its events
        window = yield
        for name in list(window.docks):
            window.focus_panel(name)
            yield
        for action in menu_actions(window):
            if action.objectName() not in SKIPPED and "电子显示屏" not in action.text():
                action.trigger()
                yield
        window.open_hall_display()
        yield
        window.hall_display.next_page()
        yield
        if not leave_hall_open:
            window.hall_display.close()
            yield
        shown = [d for d in window.docks.values() if d.isVisible()]
        first_dock, second_dock = shown[0], shown[-1]
        first_dock.setFloating(True)
        yield
        second_dock.setFloating(True)
        yield
        window.tabifyDockWidget(first_dock, second_dock)
        yield
        first_dock.setFloating(False)
        yield
        window.reset_layout()
        yield
        window.switch_user()
        window = yield "switched"
        for name in list(window.docks)[:3]:
            window.focus_panel(name)
            yield
        window.reset_layout()
        yield
        if leave_hall_open:
            window.open_hall_display()
            yield
        quit_action = next(a for a in window.findChildren(QAction) if a.objectName() == "quit")
        quit_action.trigger()
        yield "done"

    script = steps()
    next(script)
    state = {"window": None}

    def tick() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        live = [w for w in windows if w.isVisible()]
        if not live:
            return
        window = live[0]
        try:
            if state["window"] is not window:
                state["window"] = window
                script.send(window)
            else:
                script.send(None)
        except StopIteration:
            driver.stop()

    driver = QTimer()
    driver.setInterval(20)
    driver.timeout.connect(tick)
    driver.start()
    code = program.run_window(db)
    driver.stop()
    closer.stop()
    print(f"dialogs seen: {len(opened)}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(session(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] == "1"))
