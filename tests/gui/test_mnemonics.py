"""Alt keys never clash: in a menu, in the menu bar, and between the menu bar and a panel (a
panel's Alt+P would lose to the 打印(P) menu, as 打印回执 once did)."""

from __future__ import annotations

import re
from collections import Counter

from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMenu, QWidget

MNEMONIC = re.compile(r"&([^&\s])")


def key(text: str) -> str | None:
    found = MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).upper() if found else None


def widget_keys(root: QWidget) -> list[tuple[str, str]]:
    keys = []
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QAbstractButton):
            text = QAbstractButton.text(widget)
        elif isinstance(widget, QLabel) and QLabel.buddy(widget) is not None:
            text = QLabel.text(widget)
        elif isinstance(widget, QGroupBox):
            text = QGroupBox.title(widget)
        else:
            continue
        if key(text):  # hidden ones too: a result or a disposition row shows up later
            keys.append((key(text), text))
    return keys


def clashes(pairs: list[tuple[str, str]]) -> list[list[str]]:
    counts = Counter(k for k, _ in pairs)
    return [[t for k, t in pairs if k == dup] for dup, n in counts.items() if n > 1]


def menu_clashes(menu: QMenu) -> list[list[str]]:
    pairs = [(key(a.text()), a.text()) for a in menu.actions() if a.isVisible() and key(a.text())]
    found = clashes(pairs)
    for action in menu.actions():
        if action.menu() is not None:
            found += menu_clashes(action.menu())
    return found


def test_no_alt_key_is_used_twice(window):
    bar = [(key(a.text()), a.text()) for a in window.menuBar().actions() if key(a.text())]
    assert clashes(bar) == []
    for action in window.menuBar().actions():
        assert menu_clashes(action.menu()) == [], action.text()
    for name in window.docks:
        panel = window.panel(name)
        assert clashes(bar + widget_keys(panel)) == [], name


def test_the_administrators_menus_and_dialogs_too(qtbot, db_path, accounts, dialogs):
    from minqing.app import build_window
    from minqing.gui.admin_menu import AccountsDialog
    from minqing.gui.sign_in import SignInDialog

    window = build_window(str(db_path), accounts["admin"])
    qtbot.addWidget(window)
    bar = [(key(a.text()), a.text()) for a in window.menuBar().actions() if key(a.text())]
    assert "管理(&A)" in [t for _, t in bar] and clashes(bar) == []
    for action in window.menuBar().actions():
        assert menu_clashes(action.menu()) == [], action.text()
    for dialog in (AccountsDialog(window.ctx, window), SignInDialog()):
        assert clashes(widget_keys(dialog)) == [], dialog.windowTitle()
    window.close()
