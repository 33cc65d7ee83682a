"""Which panels a desk shows first, and where: by role and by screen size.

A clerk's desk is the intake form beside the board with 今日待办 at hand; a leader's is the
board and the statistics; the administrator sees what their role may do. Every other panel
stays one click away in 视图, tabbed with the board. 重置布局 comes back here too.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

from minqing.core.enums import StaffRole

TALL = 900  # logical pixels: from here 今日待办 fits under the intake form


@dataclass(frozen=True)
class Desk:
    left: tuple[str, ...]  # one column, top to bottom
    top: tuple[str, ...]  # a tab group, the first in front
    bottom: tuple[str, ...]  # a tab group below it, the first in front


DESKS: dict[str, Desk] = {
    StaffRole.FRONT_DESK.value: Desk(
        ("intake",), ("board", "case_list", "registry", "programmes"), ("today", "detail")
    ),
    StaffRole.OWNER.value: Desk(("today",), ("board", "case_list", "visits"), ("detail",)),
    StaffRole.LEADER.value: Desk(
        (), ("board", "case_list", "diary", "members"), ("statistics", "detail", "today")
    ),
    StaffRole.SUPERVISOR.value: Desk(
        (), ("supervision", "board", "case_list"), ("detail", "statistics")
    ),
    StaffRole.ADMIN.value: Desk(
        (), ("reception", "registry", "case_list", "board"), ("statistics", "detail")
    ),
}
EVERYTHING = Desk(("intake", "today"), ("board", "case_list"), ("detail",))


def desk_for(role: str | None, screen: QSize) -> Desk:
    desk = DESKS.get(role or "", EVERYTHING)
    if screen.height() >= TALL and desk.left and "today" in desk.bottom:
        # room enough: 今日待办 goes under the left column, the detail keeps the bottom
        desk = Desk(desk.left + ("today",), desk.top, tuple(n for n in desk.bottom if n != "today"))
    return desk


def arrange(window: QMainWindow, docks: dict[str, QDockWidget], desk: Desk) -> None:
    """Put the docks where `desk` says; the rest hidden, tabbed with the top group."""
    present = [n for n in (*desk.left, *desk.top, *desk.bottom) if n in docks]
    left = [docks[n] for n in desk.left if n in docks]
    top = [docks[n] for n in desk.top if n in docks]
    bottom = [docks[n] for n in desk.bottom if n in docks]
    if not top:  # a desk whose panels this build lacks: the first other panel on the right
        top, bottom = [d for n, d in docks.items() if n not in desk.left][:1], []
    for dock in docks.values():
        dock.setFloating(False)
        window.removeDockWidget(dock)
    if left:
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, left[0])
        for below, above in zip(left[1:], left, strict=False):
            window.splitDockWidget(above, below, Qt.Orientation.Vertical)
    if not top:
        return
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, top[0])
    if bottom:  # split before tabbing: a dock in a tab group can only gain tabs
        window.splitDockWidget(top[0], bottom[0], Qt.Orientation.Vertical)
    for dock in top[1:]:
        window.tabifyDockWidget(top[0], dock)
    for dock in bottom[1:]:
        window.tabifyDockWidget(bottom[0], dock)
    for name, dock in docks.items():
        if name in present or dock in top:
            dock.show()
        else:
            window.tabifyDockWidget(top[0], dock)
            dock.hide()
    for group in (top, bottom):
        if group:
            group[0].raise_()


def sizes(window: QMainWindow, docks: dict[str, QDockWidget], desk: Desk) -> None:
    """Split the room: a left column wide enough for the form, the board taller than what is
    below it."""
    width, height = window.width(), window.height()
    left = [docks[n] for n in desk.left if n in docks and docks[n].isVisible()]
    top = next((docks[n] for n in desk.top if n in docks and docks[n].isVisible()), None)
    bottom = next((docks[n] for n in desk.bottom if n in docks and docks[n].isVisible()), None)
    if left and top is not None:
        side = max(440, min(540, width * 3 // 10))
        window.resizeDocks([left[0], top], [side, width - side], Qt.Orientation.Horizontal)
    if len(left) > 1:
        window.resizeDocks(left[:2], [height * 2 // 3, height // 3], Qt.Orientation.Vertical)
    if top is not None and bottom is not None:
        window.resizeDocks(
            [top, bottom], [height * 3 // 5, height * 2 // 5], Qt.Orientation.Vertical
        )
