"""Opening a database: which file or server, its pragmas, and its schema made current."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from peewee import Database, OperationalError, PostgresqlDatabase, SqliteDatabase

from minqing import paths
from minqing.core.cases import textindex
from minqing.core.errors import DatabaseFileError, MinqingError
from minqing.core.models import database_proxy

SQLITE_HEADER = b"SQLite format 3\x00"
CONNECT_TIMEOUT = 10  # seconds to reach a PostgreSQL server
STATEMENT_TIMEOUT_MS = 300_000  # one statement on the server; a transfer batch takes far less
BUSY_RETRIES = 2  # beyond the first wait of BUSY_SECONDS
SCHEMA_LOCK = 0x6D696E71  # "minq": PostgreSQL advisory lock held while the schema is made
BUSY_SECONDS = 15
# A PostgreSQL writer waits for another PC's lock (a long import) about as long as a SQLite
# one does (BUSY_SECONDS, retried), then hears 数据库正忙 instead of waiting on.
LOCK_TIMEOUT_MS = BUSY_SECONDS * (BUSY_RETRIES + 1) * 1000
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


def shown_url(url: str) -> str:
    """The address without its password, for messages, titles and logs."""
    if is_server_url(url) and "@" in url:
        scheme, rest = url.split("://", 1)
        user, host = rest.rsplit("@", 1)
        return f"{scheme}://{user.split(':', 1)[0]}@{host}"
    return url


def server_options(url: str) -> dict[str, Any]:
    """libpq settings the program always wants, unless the address itself sets them: give up
    connecting after CONNECT_TIMEOUT seconds (a server that accepts and never answers), end a
    statement after STATEMENT_TIMEOUT_MS and a wait for another PC's lock after
    LOCK_TIMEOUT_MS (never hang), notice a dead server through TCP keepalives."""
    given = {key for key, _ in parse_qsl(urlsplit(url).query)}
    options: dict[str, Any] = {}
    if "connect_timeout" not in given:
        options["connect_timeout"] = CONNECT_TIMEOUT
    if "options" not in given:
        options["options"] = (
            f"-c statement_timeout={STATEMENT_TIMEOUT_MS} -c lock_timeout={LOCK_TIMEOUT_MS}"
        )
    if "keepalives_idle" not in given:
        options.update(keepalives=1, keepalives_idle=30, keepalives_interval=10, keepalives_count=3)
    return options


class OfficeSqliteDatabase(SqliteDatabase):
    """Starting a write transaction waits busy_timeout, then tries again a few times: a clerk's
    save queued behind a long import should wait for it, not fail at once."""

    def begin(self, lock_type: str | None = None) -> None:
        for attempt in range(BUSY_RETRIES + 1):
            try:
                super().begin(lock_type)
                return
            except OperationalError as exc:
                if "locked" not in str(exc) or attempt == BUSY_RETRIES:
                    raise


def connect(url: str) -> Database:
    if is_server_url(url):
        from playhouse.db_url import connect as url_connect

        try:
            database = url_connect(url, **server_options(url))
        except (ValueError, TypeError, AttributeError) as exc:
            raise DatabaseFileError(
                f"数据库地址“{shown_url(url)}”格式不对（{exc}）。"
                "应为 postgresql://用户名@服务器地址:端口/库名，例如 postgresql://minqing@192.168.1.10/minqing。"
            ) from None
        if not isinstance(database, PostgresqlDatabase):
            raise DatabaseFileError(
                f"数据库地址“{shown_url(url)}”格式不对，应以 postgresql:// 开头。"
            )
        return database
    path = sqlite_path(url)
    path.parent.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE: a writer takes the lock when its transaction starts, so two writers wait
    # for each other (busy_timeout) instead of failing later with "database is locked".
    database = OfficeSqliteDatabase(
        str(path), pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", timeout=BUSY_SECONDS
    )
    database.register_function(textindex.spaced, textindex.FUNCTION, 1, deterministic=True)
    database.register_function(textindex.grams, textindex.GRAMS_FUNCTION, 1, deterministic=True)
    database.register_function(
        textindex.digit_pieces, textindex.DIGITS_FUNCTION, 1, deterministic=True
    )
    return database


def open_database(
    url: str | os.PathLike[str] | None = None, *, daily_backup: bool = True
) -> OpenedDatabase:
    """Bind the models to a database and bring its schema up to date (backing up first)."""
    from minqing.core.calendar.workdays import forget_calendar
    from minqing.core.storage import backup

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
            with _as_user_error():
                raise
        raise DatabaseFileError(
            f"无法连接数据库服务器：{str(exc).strip()}。请检查服务器是否开着、地址和密码是否正确、"
            "本机能否连到服务器（防火墙，pg_hba.conf）。"
        ) from exc
    try:
        with _as_user_error():
            upgraded_from, created = _ensure_schema(database, path, new_file)
    except Exception:
        database.close()
        raise
    copy = None
    if path is not None and daily_backup and not new_file and not created:
        with _as_user_error():
            copy = backup.daily_backup(database, path)
    return OpenedDatabase(database, resolved, path, created, upgraded_from, copy)


@contextlib.contextmanager
def _as_user_error() -> Iterator[None]:
    """A damaged, read-only or busy file is the user's to fix: say so in their words."""
    from minqing.core.storage.failures import user_error

    try:
        yield
    except MinqingError:
        raise
    except Exception as exc:
        mapped = user_error(exc)
        if mapped is None:
            raise
        raise mapped from exc


def _ensure_schema(
    database: Database, path: Path | None, new_file: bool
) -> tuple[int | None, bool]:
    from minqing.core.storage import migrations

    if path is None:
        return _ensure_server_schema(database)
    if new_file or not database.get_tables():
        # Made under the write lock: a second program starting now waits, then finds it.
        with database.atomic():
            return migrations.ensure_schema(database, path)
    return migrations.ensure_schema(database, path)


def _ensure_server_schema(database: Database) -> tuple[int | None, bool]:
    """PostgreSQL: the schema made or upgraded by one PC at a time (the others wait on an
    advisory lock, then find it current); then the change notifications other PCs' windows
    listen to and the search's trigram index, made once and checked at every start."""
    from minqing.core.cases import pg_index
    from minqing.core.storage import changes, migrations

    with database.atomic():
        database.execute_sql(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK})")
        result = migrations.ensure_schema(database, None)
        changes.install_notify(database, [m._meta.table_name for m in migrations.schema_models()])
        pg_index.install_trigram_index(database)
    return result


def refresh_planner_statistics(
    database: Database | None = None, tables: list[str] | None = None
) -> None:
    """After a bulk load (demo, transfer, ledger import): bring the query planner's statistics
    up to date, so the first user after a migration doesn't wait for a plan made for an empty
    table (1.9 s for the board at a million cases on PostgreSQL, 74 ms after). PostgreSQL:
    VACUUM ANALYZE (the vacuum marks pages all-visible, which index-only scans need); SQLite:
    ANALYZE, PRAGMA optimize, and the search indexes merged (else the first intakes after the
    load merge its segments, up to 0.2 s each). Best effort: a failure is logged, never
    raised."""
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
            if not tables or "case" in tables or "resident" in tables:
                for sql in textindex.OPTIMIZE:  # the search indexes, one segment each
                    database.execute_sql(sql)
    except Exception:  # a slower plan is no reason to fail the load that just succeeded
        logging.getLogger(__name__).exception("refreshing the planner statistics failed")


def close_thread_connection() -> None:
    """Closes the calling thread's connection, if it opened one. Peewee keeps one per thread:
    a worker thread that outlives its work would keep the SQLite file open and hold a
    PostgreSQL server slot."""
    if database_proxy.obj is not None:
        database_proxy.close()


def close_database() -> None:
    current = database_proxy.obj
    if current is not None and not current.is_closed():
        current.close()
