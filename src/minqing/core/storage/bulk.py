"""Loading many rows at once: the demo's build, a transfer into a new SQLite file.

`insert` writes rows faster than peewee's insert_many (one prepared statement on SQLite, COPY on
PostgreSQL); `sqlite_indexes_deferred` sets a table's indexes and search-index triggers aside
while it is loaded and builds them once after (pg_index.indexes_deferred is PostgreSQL's).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from peewee import Database, PostgresqlDatabase, SqliteDatabase

from minqing.core.models import BaseModel, database_proxy

BULK_CACHE_KIB = 256 * 1024  # SQLite's page cache while loading (the connection's is 32 MB)
_REPLAYABLE = re.compile(
    r"AFTER\s+INSERT\s+ON\s+\"?\w+\"?\s+BEGIN\s+"
    r"INSERT\s+INTO\s+(?P<target>\w+)\s*\((?P<columns>[^)]*)\)\s*"
    r"VALUES\s*\((?P<values>.*)\)\s*;\s*END\s*$",
    re.IGNORECASE | re.DOTALL,
)


@contextmanager
def sqlite_indexes_deferred(
    tables: Sequence[str],
    rebuilt: dict[str, Sequence[str]] | None = None,
    database: Database | None = None,
) -> Iterator[None]:
    """SQLite, inside the transaction of a bulk load: load `tables` without their indexes and
    search-index triggers, then build each index once and fill the search indexes in one
    statement per trigger (pg_index.indexes_deferred is PostgreSQL's counterpart).

    Maintaining two dozen indexes and the search indexes row by row is most of the cost of
    a million-case demo (and the page cache can't hold the indexes, so it thrashes);
    building them from the finished table is a sort. The result is the same file content.
    An AFTER INSERT trigger is set aside only when it is one `INSERT … VALUES (new…)` (what
    the search indexes are): it is replayed as `INSERT … SELECT … FROM table AS new` over
    the rows added. Any other trigger keeps firing row by row. Everything happens inside
    the caller's transaction, so a failure rolls the indexes and triggers back too.
    `rebuilt` names other triggers to set aside, with the statements that redo their work
    for the whole table afterwards (callback_latest: statindex.REBUILD).
    """
    database = database or database_proxy.obj
    if not isinstance(database, SqliteDatabase):
        yield
        return
    marks = ", ".join("?" for _ in tables)
    indexes = database.execute_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        f" AND tbl_name IN ({marks})",
        list(tables),
    ).fetchall()
    triggers = []
    for name, table, sql in database.execute_sql(
        f"SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
        f" AND tbl_name IN ({marks})",
        list(tables),
    ).fetchall():
        found = _REPLAYABLE.search(sql)
        if rebuilt and name in rebuilt:
            triggers.append((name, table, sql, None, 0))
        elif found and found["values"].count(";") == 0:
            first = database.execute_sql(f'SELECT coalesce(max(rowid), 0) FROM "{table}"')
            triggers.append((name, table, sql, found, first.fetchone()[0]))
    (cache,) = database.execute_sql("PRAGMA cache_size").fetchone()
    database.execute_sql(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    try:
        for name, _sql in indexes:
            database.execute_sql(f'DROP INDEX "{name}"')
        for name, *_ in triggers:
            database.execute_sql(f'DROP TRIGGER "{name}"')
        yield
        for _name, sql in indexes:
            database.execute_sql(sql)
        for name, table, sql, found, first in triggers:
            if found is None:
                for statement in (rebuilt or {})[name]:
                    database.execute_sql(statement)
            else:
                database.execute_sql(
                    f"INSERT INTO {found['target']}({found['columns']})"
                    f' SELECT {found["values"]} FROM "{table}" AS new'
                    f" WHERE new.rowid > ? ORDER BY new.rowid",
                    [first],
                )
            database.execute_sql(sql)
    finally:
        database.execute_sql(f"PRAGMA cache_size = {cache}")


def insert(
    model: type[BaseModel],
    columns: list[str],
    rows: Iterable[tuple[Any, ...]],
    database: Database | None = None,
) -> None:
    """Bulk insert of plain values (the same Python values peewee would pass on), into the
    models' database or `database`.

    SQLite: one prepared statement run with executemany, several times faster than building
    insert_many's SQL; PostgreSQL: COPY, which is what makes a million-case demo practical;
    other databases: insert_many in chunks under the variable limit.
    """
    fields = [model._meta.fields[c] for c in columns]
    database = database or database_proxy.obj
    names = ", ".join(f'"{f.column_name}"' for f in fields)
    if isinstance(database, SqliteDatabase):
        marks = ", ".join("?" for _ in fields)
        sql = f'INSERT INTO "{model._meta.table_name}" ({names}) VALUES ({marks})'
        database.cursor().executemany(sql, rows)
        return
    if isinstance(database, PostgresqlDatabase):
        text = io.StringIO()
        for row in rows:
            values = (_copy_value(f.db_value(v)) for f, v in zip(fields, row, strict=True))
            text.write("\t".join(values))
            text.write("\n")
        text.seek(0)
        sql = f'COPY "{model._meta.table_name}" ({names}) FROM STDIN'
        database.cursor().copy_expert(sql, text)
        return
    rows = list(rows)
    size = max(1, 30000 // len(fields))
    for start in range(0, len(rows), size):
        model.insert_many(rows[start : start + size], fields).execute(database)


def _copy_value(value: Any) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        for raw, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
            text = text.replace(raw, escaped)
    return text
