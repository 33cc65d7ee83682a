"""What a database driver's error means to the user, in one place for the window and the CLI.

SQLite and PostgreSQL report a busy database, a damaged or read-only file, a server that does
not answer, or a number too large for a column in their own English words; those are not
the program's faults and deserve a sentence saying what to do instead of the apology for an
unexpected error. Anything not recognised here stays unexpected (logged, apologised for).
"""

from __future__ import annotations

import sqlite3

from peewee import DatabaseError as PeeweeDatabaseError
from peewee import InterfaceError

from minqing.core.errors import DatabaseBusy, DatabaseFileError, DomainError, MinqingError

BUSY = "数据库正忙（另一台电脑或另一个窗口正在写入大量数据，例如导入台账），请稍后再试。"


def _message(exc: BaseException) -> str:
    return str(getattr(exc, "pgerror", None) or exc).strip()


def user_error(exc: BaseException) -> MinqingError | None:
    """The MinqingError to show for `exc`, or None when it is an unexpected error."""
    if isinstance(exc, MinqingError):
        return exc
    if isinstance(exc, OverflowError) or (
        isinstance(exc, PeeweeDatabaseError) and "out of range" in _message(exc)
    ):
        return DomainError(None, "输入的编号或数字太大，不可能存在。请检查后重新输入。")
    if not isinstance(exc, (PeeweeDatabaseError, InterfaceError, sqlite3.Error)):
        return None
    text = _message(exc).lower()
    code = getattr(exc, "pgcode", None) or getattr(getattr(exc, "__cause__", None), "pgcode", None)
    if "database is locked" in text or "database table is locked" in text:
        return DatabaseBusy(BUSY)
    if code == "57014" or "statement timeout" in text:  # query_canceled
        return DatabaseBusy(
            "数据库服务器没有在规定时间内完成这次操作（服务器正忙或有别的电脑在长时间写入），"
            "请稍后再试。"
        )
    if code == "55P03" or "lock timeout" in text:  # lock_not_available
        return DatabaseBusy(BUSY)
    if "readonly database" in text or "read-only" in text:
        return DatabaseFileError(
            "数据库文件是只读的，不能保存修改。请检查文件和所在文件夹的权限"
            "（以及是否放在只读的 U 盘或光盘上）。"
        )
    if "malformed" in text or "file is not a database" in text or "disk i/o error" in text:
        return DatabaseFileError(
            "数据库文件已损坏或不完整，无法读取。请用“minqing restore 备份文件”"
            "（或窗口的“从备份恢复”）恢复最近的备份，并检查磁盘。"
        )
    if "unable to open database file" in text:
        return DatabaseFileError("无法打开数据库文件：请检查路径是否存在、文件夹是否可写。")
    if "server closed the connection" in text or "connection already closed" in text:
        return DatabaseFileError(
            "与数据库服务器的连接断开了。请检查网络和服务器，然后重新启动程序。"
        )
    if "timeout expired" in text or "could not connect" in text or "connection refused" in text:
        return DatabaseFileError(
            "连不上数据库服务器（超时或被拒绝）。请检查服务器是否开着、地址是否正确、"
            "本机能否连到服务器（防火墙，pg_hba.conf）。"
        )
    return None
