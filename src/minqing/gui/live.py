"""Live refresh: every couple of seconds ask the database whether another PC changed
something (core.changes), and if so tell the panels through ctx.external_change."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from minqing.core.storage.changes import ChangeWatcher
from minqing.gui.context import AppContext

log = logging.getLogger("minqing.gui")

INTERVAL_MS = 2000


class LiveRefresh(QObject):
    def __init__(self, ctx: AppContext, parent: QObject, interval: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.watcher: ChangeWatcher | None = None
        try:
            self.watcher = ChangeWatcher()
        except Exception:  # no live refresh is better than no window
            log.warning("live refresh unavailable", exc_info=True)
        self.timer = QTimer(self)
        self.timer.setInterval(interval)
        self.timer.timeout.connect(self.poll)
        if self.watcher is not None:
            self.timer.start()

    def poll(self) -> bool:
        if self.watcher is None:
            return False
        try:
            changed = self.watcher.poll()
        except Exception:  # the server restarting, the network gone: try again next time
            log.warning("checking for changes failed", exc_info=True)
            return False
        if changed:
            self.ctx.external_change.emit()
        return changed

    def stop(self) -> None:
        self.timer.stop()
        if self.watcher is not None:
            self.watcher.close()
            self.watcher = None
