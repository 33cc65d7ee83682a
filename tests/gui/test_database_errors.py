"""The window names a busy, damaged or read-only database instead of apologising."""

from __future__ import annotations

import sqlite3

from peewee import OperationalError

from minqing.gui import errors


def test_busy_database_is_named_not_apologised_for(dialogs):
    errors.report(None, OperationalError("database is locked"), "保存")
    assert dialogs.messages[-1][1].startswith("数据库正忙")
    assert dialogs.messages[-1][2] == errors.WARNING
    errors.report(None, sqlite3.DatabaseError("database disk image is malformed"))
    assert "已损坏" in dialogs.messages[-1][1]
    errors.report(None, RuntimeError("internal detail"))
    assert "意外错误" in dialogs.messages[-1][1] and "internal" not in dialogs.messages[-1][1]
