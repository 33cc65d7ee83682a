"""Opening a database: which file or server, its pragmas, and its schema made current."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from peewee import Database, OperationalError, PostgresqlDatabase, SqliteDatabase

from minqing import paths
from minqing.core.cases import textindex
from minqing.core.errors import DatabaseFileError
from minqing.core.models import database_proxy

SQLITE_HEADER = b"SQLite format 3\x00"
SCHEMA_LOCK = 0x6D696E71  # "minq": PostgreSQL advisory lock held while the schema is made
BUSY_SECONDS = 15
# busy_timeout first: switching a new file to WAL needs the lock that another program making
# the schema holds, and must wait for it rather than fail with "database is locked".
SQLITE_PRAGMAS = {
    "busy_timeout": BUSY_SECONDS * 1000,
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "cache_size": -32000,
}


@dataclass
class OpenedDatabase:
    database: Database
    url: str
    path: Path | None  # None for a server database
    created: bool
    upgraded_from: int | None
    backup: Path | None  # the copy made on opening, if one was


def resolve_url(url: str | os.PathLike[str] | None) -> str:
    """`--db`, then MINQING_DB, then the default file in the user's data folder."""
    if url is None or str(url) == "":
        url = os.environ.get("MINQING_DB") or str(paths.default_database_path())
    return str(url)


def is_server_url(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///").removeprefix("sqlite://"))


def check_sqlite_file(path: Path) -> bool:
    """True when the file is new or empty; raises when it exists but is no SQLite database."""
    if not path.exists() or path.stat().st_size == 0:
        return True
    if path.is_dir():
        raise DatabaseFileError(f"“{path}”是一个文件夹，不是数据库文件。请选择一个 .sqlite 文件。")
    try:
        with path.open("rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        raise DatabaseFileError(f"无法读取“{path}”：{exc.strerror}。请检查文件权限。") from exc
    if header != SQLITE_HEADER:
        raise DatabaseFileError(
            f"“{path}”不是民情流水线的数据库文件（文件内容不是 SQLite 数据库）。"
            "请选择正确的文件，或从备份恢复。"
        )
    return False


def connect(url: str) -> Database:
    if is_server_url(url):
        from playhouse.db_url import connect as url_connect

        try:
            database = url_connect(url)
        except ImportError as exc:  # a dependency, but an install may have dropped it
            raise DatabaseFileError(
                "连接 PostgreSQL 需要安装 psycopg2：pip install psycopg2-binary"
            ) from exc
        assert isinstance(database, PostgresqlDatabase)
        return database
    path = sqlite_path(url)
    path.parent.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE: a writer takes the lock when its transaction starts, so two writers wait
    # for each other (busy_timeout) instead of failing later with "database is locked".
    database = SqliteDatabase(
        str(path), pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", timeout=BUSY_SECONDS
    )
    database.register_function(textindex.spaced, textindex.FUNCTION, 1, deterministic=True)
    database.register_function(
        textindex.digit_pieces, textindex.DIGITS_FUNCTION, 1, deterministic=True
    )
    return database


def open_database(
    url: str | os.PathLike[str] | None = None, *, daily_backup: bool = True
) -> OpenedDatabase:
    """Bind the models to a database and bring its schema up to date (backing up first)."""
    from minqing.core.calendar.workdays import forget_calendar
    from minqing.core.storage import backup, migrations

    resolved = resolve_url(url)
    path = None if is_server_url(resolved) else sqlite_path(resolved)
    new_file = check_sqlite_file(path) if path is not None else False
    database = connect(resolved)
    close_database()
    database_proxy.initialize(database)
    forget_calendar()
    try:
        database.connect(reuse_if_open=True)
    except OperationalError as exc:
        if path is not None:
            raise
        raise DatabaseFileError(
            f"无法连接数据库服务器：{str(exc).strip()}。请检查服务器是否开着、地址和密码是否正确、"
            "本机能否连到服务器（防火墙，pg_hba.conf）。"
        ) from exc
    try:
        if path is None:
            upgraded_from, created = _ensure_server_schema(database)
        elif new_file or not database.get_tables():
            # Made under the write lock: a second program starting now waits, then finds it.
            with database.atomic():
                upgraded_from, created = migrations.ensure_schema(database, path)
        else:
            upgraded_from, created = migrations.ensure_schema(database, path)
    except Exception:
        database.close()
        raise
    copy = None
    if path is not None and daily_backup and not new_file and not created:
        copy = backup.daily_backup(database, path)
    return OpenedDatabase(database, resolved, path, created, upgraded_from, copy)


def _ensure_server_schema(database: Database) -> tuple[int | None, bool]:
    """PostgreSQL: the schema made or upgraded by one PC at a time (the others wait on an
    advisory lock, then find it current); then the change notifications other PCs' windows
    listen to and the search's trigram index, made once and checked at every start."""
    from minqing.core.cases import search
    from minqing.core.storage import changes, migrations

    with database.atomic():
        database.execute_sql(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK})")
        result = migrations.ensure_schema(database, None)
        changes.install_notify(database, [m._meta.table_name for m in migrations.schema_models()])
        search.install_trigram_index(database)
    return result


def refresh_planner_statistics(
    database: Database | None = None, tables: list[str] | None = None
) -> None:
    """After a bulk load (demo, transfer, ledger import): bring the query planner's statistics
    up to date, so the first user after a migration doesn't wait for a plan made for an empty
    table (1.9 s for the board at a million cases on PostgreSQL, 74 ms after). PostgreSQL:
    VACUUM ANALYZE (the vacuum marks pages all-visible, which index-only scans need); SQLite:
    ANALYZE, then PRAGMA optimize. Best effort: a failure is logged, never raised."""
    import logging

    database = database or database_proxy.obj
    names = ", ".join(f'"{t}"' for t in tables or [])
    try:
        if isinstance(database, PostgresqlDatabase):
            if database.in_transaction():
                database.execute_sql(f"ANALYZE {names}")
                return
            conn = database.connection()
            before = conn.autocommit
            conn.autocommit = True  # VACUUM can't run inside a transaction block
            try:
                with conn.cursor() as cursor:
                    cursor.execute(f"VACUUM ANALYZE {names}")
            finally:
                conn.autocommit = before
        else:
            database.execute_sql(f"ANALYZE {names}" if names else "ANALYZE")
            database.execute_sql("PRAGMA optimize")
    except Exception:  # a slower plan is no reason to fail the load that just succeeded
        logging.getLogger(__name__).exception("refreshing the planner statistics failed")


def close_database() -> None:
    current = database_proxy.obj
    if current is not None and not current.is_closed():
        current.close()
