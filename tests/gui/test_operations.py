"""The one background helper: results come back on the UI thread, errors take the one path,
the worker's database connection is closed, and what changed reaches the panels."""

from __future__ import annotations

import logging
import threading

from PySide6.QtWidgets import QWidget

from minqing.core.errors import DomainError
from minqing.core.models import Staff, database_proxy
from minqing.gui.context import AppContext
from minqing.gui.operations import Changes, Op, wait_for_all


def make_parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_success_runs_off_the_ui_thread_and_returns_on_it(qtbot, office, dialogs):
    ui = threading.get_ident()
    seen = {}

    def work():
        seen["work"] = threading.get_ident()
        return Staff.select().where(Staff.community == office).count()

    op = Op(make_parent(qtbot), work).success(
        lambda n: seen.update(result=n, callback=threading.get_ident())
    )
    op.run()
    assert op.running
    assert wait_for_all()
    assert seen["work"] != ui and seen["callback"] == ui
    assert seen["result"] == Staff.select().where(Staff.community == office).count() > 0
    assert not op.running and op.error is None and dialogs.messages == []


def test_a_domain_error_shows_its_own_sentence(qtbot, db, dialogs):
    failed, always = [], []

    def work():
        raise DomainError("phone", "联系电话应为 11 位手机号或带区号的座机号。")

    Op(make_parent(qtbot), work, what="保存失败").always(lambda: always.append(1)).failure(
        failed.append
    ).success(lambda _r: always.append("success?")).run()
    assert wait_for_all()
    assert always == [1] and isinstance(failed[0], DomainError)
    assert dialogs.messages == [
        ("保存失败", "联系电话应为 11 位手机号或带区号的座机号。", "warning")
    ]


def test_an_unexpected_error_is_logged_and_apologised_for(qtbot, db, dialogs, caplog):
    def work():
        raise KeyError("internal_column_name")

    with caplog.at_level(logging.ERROR, logger="minqing.gui"):
        Op(make_parent(qtbot), work, what="统计失败").run()
        assert wait_for_all()
    [(title, text, kind)] = dialogs.messages
    assert kind == "error" and "意外错误" in text and "日志" in text
    assert "internal_column_name" not in text and "KeyError" not in text
    logged = [r for r in caplog.records if r.exc_info]
    assert logged and logged[0].exc_info[0] is KeyError


def test_a_file_that_cannot_be_written_is_named(qtbot, db, dialogs, tmp_path):
    path = tmp_path / "统计.xlsx"

    def work():
        raise PermissionError(13, "Permission denied", str(path))

    Op(make_parent(qtbot), work, what="导出失败").writes(path).run()
    assert wait_for_all()
    [(title, text, kind)] = dialogs.messages
    assert title == "导出失败" and str(path) in text and "Excel" in text and kind == "warning"
    assert "Permission denied" not in text


def test_the_worker_threads_connection_is_closed(qtbot, db, dialogs, monkeypatch):
    """Peewee keeps a connection per thread; the pool's threads live on, so the helper closes
    the one the work opened, in that thread, on success and on failure alike."""
    database = database_proxy.obj
    closed = []
    real_close = database._close
    monkeypatch.setattr(
        database,
        "_close",
        lambda conn: (closed.append((threading.get_ident(), conn)), real_close(conn)),
    )
    ui_connection = database.connection()
    for fails in (False, True):
        opened = {}

        def work(fails=fails, opened=opened):
            Staff.select().count()
            opened["thread"], opened["conn"] = threading.get_ident(), database.connection()
            if fails:
                raise DomainError(None, "不行。")
            return database.is_closed()

        Op(make_parent(qtbot), work).run()
        assert wait_for_all()
        assert (opened["thread"], opened["conn"]) in closed
    assert not database.is_closed() and database.connection() is ui_connection
    assert all(thread != threading.get_ident() for thread, _conn in closed)


def test_changes_reach_the_panels_before_success(qtbot, db, dialogs):
    ctx = AppContext(None, None, "")
    order = []
    ctx.case_changed.connect(lambda case_id: order.append(("case", case_id)))
    ctx.data_reset.connect(lambda: order.append("reset"))
    Op(make_parent(qtbot), lambda: [4, 7]).changes(
        ctx, lambda ids: Changes(cases=tuple(ids))
    ).success(lambda _r: order.append("success")).run()
    assert wait_for_all()
    Op(make_parent(qtbot), lambda: None).changes(ctx, Changes(everything=True)).run()
    assert wait_for_all()
    assert order == [("case", 4), ("case", 7), "success", "reset"]


def test_progress_and_cancel(qtbot, db, dialogs):
    started, release = threading.Event(), threading.Event()
    answers = []

    def work(progress):
        answers.append(progress(1, 10))
        started.set()
        release.wait(10)
        answers.append(progress(2, 10))
        return "stopped" if not answers[-1] else "finished"

    results = []
    op = Op(make_parent(qtbot), work).with_progress("正在导出…").success(results.append).run()
    assert started.wait(10)
    op.cancel()
    release.set()
    assert wait_for_all()
    assert answers == [True, False] and results == ["stopped"] and op.cancelled


def test_no_callback_once_the_parent_is_gone(qtbot, db, dialogs):
    parent = QWidget()
    release = threading.Event()
    called = []
    Op(parent, lambda: release.wait(10)).success(called.append).run()
    parent.deleteLater()
    qtbot.waitUntil(lambda: not _alive(parent))
    release.set()
    assert wait_for_all()
    assert called == [] and dialogs.messages == []


def _alive(widget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)
