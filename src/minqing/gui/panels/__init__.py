"""The one list of panels. Each module defines a `PANEL` (a PanelSpec); the main window makes
a dock per entry, in this order, and builds the widget when the dock is first shown.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from minqing.gui.context import AppContext

PANEL_MODULES = [
    "intake",
    "board",
    "detail",
    "case_list",
    "today",
    "registry",
    "visits",
    "programmes",
    "supervision",
    "statistics",
    "diary",
    "reception",
    "members",
    "commitments",
]


@dataclass(frozen=True)
class PanelSpec:
    object_name: str  # stable: the saved layout refers to it
    title: str
    factory: Callable[[AppContext], QWidget]
    area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea
    tab_with: str | None = None  # object_name of the dock to share a tab group with
    shortcut: str | None = None  # shows and focuses the panel


def panel_specs() -> list[PanelSpec]:
    specs = []
    for name in PANEL_MODULES:
        try:
            module = importlib.import_module(f"minqing.gui.panels.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"minqing.gui.panels.{name}":
                continue
            raise
        specs.append(module.PANEL)
    return specs
