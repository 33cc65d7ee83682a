"""The one list of panels. Each module defines a `PANEL` (a PanelSpec); the main window makes
a dock per entry, in this order, and builds the widget when the dock is first shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from minqing.gui.context import AppContext


@dataclass(frozen=True)
class PanelSpec:
    object_name: str  # stable: the saved layout refers to it
    title: str
    factory: Callable[[AppContext], QWidget]
    area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea
    tab_with: str | None = None  # object_name of the dock to share a tab group with
    shortcut: str | None = None  # shows and focuses the panel


def panel_specs() -> list[PanelSpec]:
    """In the window's order. Real import statements, so a build cannot silently lose a panel
    (PyInstaller follows them); inside the function, so importing this package stays cheap."""
    from minqing.gui.panels import (
        board,
        case_list,
        commitments,
        detail,
        diary,
        intake,
        members,
        programmes,
        reception,
        registry,
        statistics,
        supervision,
        today,
        visits,
    )

    return [
        intake.PANEL,
        board.PANEL,
        detail.PANEL,
        case_list.PANEL,
        today.PANEL,
        registry.PANEL,
        visits.PANEL,
        programmes.PANEL,
        supervision.PANEL,
        statistics.PANEL,
        diary.PANEL,
        reception.PANEL,
        members.PANEL,
        commitments.PANEL,
    ]
