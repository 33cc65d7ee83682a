"""The one way the window runs slow work (printing, import, export, statistics) off the UI
thread, in the spirit of Anki's QueryOp/CollectionOp:

    Op(self, lambda: compute(flt), what="统计").success(self._show).run()

- `work` runs in Qt's thread pool and must not touch widgets. Peewee opens one connection
  per thread, so the pool thread's connection is closed when the work ends, success or not:
  a pool thread that kept it would hold the SQLite file open and a PostgreSQL server slot.
- Errors go through gui.errors.report, the one error path: a MinqingError shows its own
  Chinese sentence; a file that cannot be written says so; anything else is logged with its
  traceback and the user sees the one apology — never the text of an unexpected exception.
- `changes(ctx, …)` says what the work changed; after success the context's signals tell
  the panels (case_changed per case, data_reset for everything) so they refresh.
- `with_progress(label)` shows a progress dialog and hands `work` a
  `progress(done, total) -> bool` callback that returns False once 取消 is pressed.

Callbacks (`always`, `failure`, `success`) run on the UI thread, in that order, and are
skipped when the parent widget has been deleted meanwhile.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QDeadlineTimer,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QProgressDialog, QWidget

from minqing.core.storage.db import close_thread_connection as _close_connection
from minqing.gui import errors
from minqing.gui.context import AppContext

log = logging.getLogger("minqing.gui")

T = TypeVar("T")


@dataclass(frozen=True)
class Changes:
    """What an operation changed, so the panels showing it refresh."""

    cases: tuple[int, ...] = ()
    everything: bool = False  # an import, a restore: every panel reloads

    def announce(self, ctx: AppContext) -> None:
        if self.everything:
            ctx.data_reset.emit()
            return
        for case_id in self.cases:
            ctx.case_changed.emit(case_id)


def close_thread_connection() -> None:
    try:
        _close_connection()
    except Exception:  # a connection left in a transaction: nothing more to do with it
        log.warning("closing a worker's database connection failed", exc_info=True)


class _Relay(QObject):
    """Lives on the UI thread; the worker's signals reach it through Qt's event queue."""

    done = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)

    def __init__(self, op: Op[Any]) -> None:
        super().__init__()
        self.op = op
        self.done.connect(self._done, Qt.ConnectionType.QueuedConnection)
        self.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _done(self, result: object) -> None:
        self.op._finish(result, None)

    @Slot(object)
    def _failed(self, exc: object) -> None:
        self.op._finish(None, exc if isinstance(exc, BaseException) else RuntimeError(exc))

    @Slot(int, int)
    def _progressed(self, done: int, total: int) -> None:
        self.op._show_progress(done, total)


class _Task(QRunnable):
    def __init__(self, op: Op[Any]) -> None:
        super().__init__()
        self.op = op
        self.setAutoDelete(False)

    def run(self) -> None:
        relay = self.op._relay
        try:
            result = self.op._call()
        except Exception as exc:  # handed to the UI thread, which reports it
            close_thread_connection()
            relay.failed.emit(exc)
            return
        close_thread_connection()
        relay.done.emit(result)


_running: set[Op[Any]] = set()


class Op(Generic[T]):
    """One piece of background work; configure with the chained methods, then `run()`."""

    def __init__(self, parent: QWidget | None, work: Callable[..., T], *, what: str = "") -> None:
        self.parent = parent
        self.work = work
        self.what = what  # the message box's title when it fails, e.g. "导出失败"
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None
        self._always: Callable[[], None] | None = None
        self._changes: tuple[AppContext, Changes | Callable[[T], Changes]] | None = None
        self._path: Path | None = None
        self._progress_label: str | None = None
        self._cancellable = True
        self._dialog: QProgressDialog | None = None
        self._cancel = threading.Event()
        self._relay = _Relay(self)
        self.running = False
        self.result: T | None = None
        self.error: BaseException | None = None

    # configuring ----------------------------------------------------------------------------

    def success(self, fn: Callable[[T], None]) -> Op[T]:
        self._success = fn
        return self

    def failure(self, fn: Callable[[BaseException], None]) -> Op[T]:
        """Runs before the error is reported, e.g. to enable a button again."""
        self._failure = fn
        return self

    def always(self, fn: Callable[[], None]) -> Op[T]:
        """Runs first on either outcome."""
        self._always = fn
        return self

    def changes(self, ctx: AppContext, changes: Changes | Callable[[T], Changes]) -> Op[T]:
        self._changes = (ctx, changes)
        return self

    def writes(self, path: Path | str) -> Op[T]:
        """The file the work writes: a PermissionError then names it (open in Excel?)."""
        self._path = Path(path)
        return self

    def with_progress(self, label: str, *, cancellable: bool = True) -> Op[T]:
        """A progress dialog; `work` is then called with `progress(done, total) -> bool`.
        Work that cannot stop midway (one transaction) passes cancellable=False."""
        self._progress_label = label
        self._cancellable = cancellable
        return self

    # running --------------------------------------------------------------------------------

    def run(self) -> Op[T]:
        if self._progress_label is not None:
            dialog = QProgressDialog(self._progress_label, "取消", 0, 0, self.parent)
            dialog.setObjectName("progress")
            if self.what:
                dialog.setWindowTitle(self.what)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(400)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            if self._cancellable:
                dialog.canceled.connect(self.cancel)
            else:
                dialog.setCancelButton(None)  # type: ignore[arg-type]
            self._dialog = dialog
        self.running = True
        _running.add(self)
        self._task = _Task(self)
        QThreadPool.globalInstance().start(self._task)
        return self

    def cancel(self) -> None:
        """As the dialog's 取消 does: the next progress call tells the work to stop."""
        if self.running:
            self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _call(self) -> T:  # in the worker thread
        if self._progress_label is None:
            return self.work()
        return self.work(self._report_progress)

    def _report_progress(self, done: int, total: int) -> bool:  # in the worker thread
        self._relay.progressed.emit(done, total)
        return not self._cancel.is_set()

    def _show_progress(self, done: int, total: int) -> None:
        dialog = self._dialog
        if dialog is None or not self.running or self.cancelled or not shiboken6.isValid(dialog):
            return
        if total and dialog.maximum() != total:
            dialog.setMaximum(total)
        dialog.setValue(min(done, total - 1) if total else 0)

    def _finish(self, result: T | None, exc: BaseException | None) -> None:
        self.running = False
        _running.discard(self)
        if self._dialog is not None and shiboken6.isValid(self._dialog):
            self._dialog.reset()
            self._dialog.deleteLater()
        self._dialog = None
        self.result, self.error = result, exc
        if self.parent is not None and not shiboken6.isValid(self.parent):
            if exc is not None:
                log.error("background work failed after its window closed", exc_info=exc)
            return
        if self._always is not None:
            self._always()
        if exc is not None:
            if self._failure is not None:
                self._failure(exc)
            self._report(exc)
            return
        if self._changes is not None:
            ctx, changes = self._changes
            (changes if isinstance(changes, Changes) else changes(result)).announce(ctx)  # type: ignore[arg-type]
        if self._success is not None:
            self._success(result)  # type: ignore[arg-type]

    def _report(self, exc: BaseException) -> None:
        if isinstance(exc, OSError) and self._path is not None:
            # writing the chosen file failed: the user can fix that (close it, pick a folder)
            log.warning("writing %s failed", self._path, exc_info=exc)
            if isinstance(exc, PermissionError):
                hint = (
                    "。如果它正在其他程序（如 Excel、PDF 阅读器）中打开，请先关闭它再试；"
                    "否则请检查文件夹的权限。"
                )
            else:
                hint = "。请检查文件夹是否存在、磁盘是否已满，或换一个位置保存。"
            errors.show_message(
                self.parent,
                self.what or "无法写入",
                f"无法写入“{self._path}”{hint}",
                errors.WARNING,
            )
            return
        errors.report(self.parent, exc, self.what)


def running() -> Iterable[Op[Any]]:
    return tuple(_running)


def wait_for_all(msecs: int = 30000) -> bool:
    """Until every operation has finished and its callbacks have run (for tests and exit)."""
    deadline = QDeadlineTimer(msecs)
    while _running:
        if deadline.hasExpired():
            return False
        QThreadPool.globalInstance().waitForDone(20)
        QCoreApplication.processEvents()
    return True
