"""Python's cycle collector, run on the GUI thread only.

Left automatic, the collector runs in whichever thread allocates when a generation passes its
threshold — often a worker of the pool (a print job, a query). A cycle that holds a Qt object
(a dialog, a model and its slots) is then destroyed in that worker, which Qt does not allow:
the program crashed now and then with exit -11, "Garbage-collecting" in a worker printing the
register. So automatic collection is off while the window runs, and a timer on the GUI thread
collects a generation once its count passes the usual threshold (the pattern pyqtgraph and
other Qt programs use). Reference counting still frees everything else at once, in any thread.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


class GarbageCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        counts = gc.get_count()
        for generation in (2, 1, 0):  # the oldest due, with the younger ones
            if counts[generation] > self.threshold[generation]:
                gc.collect(generation)
                return

    def stop(self) -> None:
        """Automatic collection again (the window has closed)."""
        self.timer.stop()
        gc.enable()
