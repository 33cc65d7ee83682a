"""Noticing other PCs' changes, so the window can refresh without the user pressing anything.

SQLite: `PRAGMA data_version` on this process's connection changes only when another
connection commits (another PC's program on a shared file, or a worker thread) — one cheap
query per poll. PostgreSQL: a statement trigger on every table sends
NOTIFY minqing_changes '<table>'; a dedicated connection listens and `poll()` reads what has
arrived without blocking or querying. Notifications sent by this program's own connection
are ignored: the panels already refresh after their own saves.
"""

from __future__ import annotations

from typing import Any

from peewee import Database, PostgresqlDatabase, SqliteDatabase

from minqing.core.models import database_proxy

CHANNEL = "minqing_changes"

_FUNCTION = (
    "CREATE OR REPLACE FUNCTION minqing_notify() RETURNS trigger AS $$ BEGIN "
    f"PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME); RETURN NULL; END $$ LANGUAGE plpgsql"
)


def install_notify(database: Database, tables: list[str]) -> None:
    """PostgreSQL: the notify trigger on each table that lacks it (cheap to call at every start;
    tables added by a later schema version get theirs the first time the program opens it)."""
    if not isinstance(database, PostgresqlDatabase):
        return
    have = {
        name
        for (name,) in database.execute_sql(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'minqing_notify' AND c.relnamespace = 'public'::regnamespace"
        ).fetchall()
    }
    missing = [t for t in tables if t not in have]
    if not missing:
        return
    with database.atomic():
        database.execute_sql(_FUNCTION)
        for table in missing:
            database.execute_sql(
                "CREATE TRIGGER minqing_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION minqing_notify()'
            )


class ChangeWatcher:
    """`poll()` is True when another connection changed data since the previous poll."""

    def __init__(self, database: Database | None = None) -> None:
        """On `database`, or the one the models are bound to."""
        if database is None:
            database = database_proxy.obj
        assert database is not None, "open_database() first"
        self.database = database
        self._version: int | None = None
        self._listener: Any = None
        if isinstance(database, PostgresqlDatabase):
            self._listen()
        else:
            self._version = self._data_version()

    def _listen(self) -> None:
        import psycopg2

        assert isinstance(self.database, PostgresqlDatabase)
        conn = psycopg2.connect(dbname=self.database.database, **self.database.connect_params)
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(f"LISTEN {CHANNEL}")
        self._listener = conn

    def _data_version(self) -> int:
        return int(self.database.execute_sql("PRAGMA data_version").fetchone()[0])

    def _own_pid(self) -> int | None:
        if self.database.is_closed():
            return None
        return int(self.database.connection().get_backend_pid())

    def poll(self) -> bool:
        if isinstance(self.database, SqliteDatabase) or self._listener is None:
            version = self._data_version()
            changed = self._version is not None and version != self._version
            self._version = version
            return changed
        conn = self._listener
        conn.poll()  # reads what the server has sent; never waits
        own = self._own_pid()
        changed = any(n.pid != own for n in conn.notifies)
        conn.notifies.clear()
        return changed

    def close(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None
