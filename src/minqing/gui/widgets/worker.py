"""Running slow work off the UI thread, with the result delivered back on it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger("minqing.gui")


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class Job(QRunnable):
    """Calls `work()` in the pool; `on_done(result)` / `on_error(exc)` run on the UI thread."""

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.work = work
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:  # handed to the UI thread, which decides how to show it
            self.signals.failed.emit(exc)
            return
        self.signals.done.emit(result)


_running: set[Job] = set()


def run_in_background(
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
) -> Job:
    job = Job(work)
    job.setAutoDelete(False)
    _running.add(job)

    def finished(result: Any) -> None:
        _running.discard(job)
        on_done(result)

    def failed(exc: BaseException) -> None:
        _running.discard(job)
        on_error(exc)

    job.signals.done.connect(finished)
    job.signals.failed.connect(failed)
    QThreadPool.globalInstance().start(job)
    return job


def wait_for_all(msecs: int = 30000) -> bool:
    return QThreadPool.globalInstance().waitForDone(msecs)
