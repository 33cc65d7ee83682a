"""What the panels share: the signed-in staff member and signals for changes.

Panels never talk to each other directly; they emit and listen here, so a panel can be
added or removed without touching the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from minqing.core.models import Community, Staff


class AppContext(QObject):
    # A case was created or changed (id); panels showing it refresh.
    case_changed = Signal(int)
    # Many things may have changed (import, demo, restore): reload everything.
    data_reset = Signal()
    # Another PC (or process) changed data: lists refresh in place, keeping the user's place.
    external_change = Signal()
    # Ask the window to show a case in the detail panel.
    open_case = Signal(int)
    # A one-line message for the status bar.
    status = Signal(str)

    def __init__(self, community: Community | None, staff: Staff | None, db_url: str) -> None:
        super().__init__()
        self.community = community
        self.staff = staff
        self.db_url = db_url
