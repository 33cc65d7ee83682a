"""The PostgreSQL pass's test databases: one per pytest-xdist worker, and a fresh schema per
test without making it anew each time.

Each worker (gw0, gw1 …) gets its own database, named after the one MINQING_TEST_DB names plus
`_gw0` …: made when the worker starts (the test role needs CREATEDB), dropped when it ends.

Making the schema (45 tables, their indexes, triggers, the trigram index) costs about a second
of server time a test. A test that asks for `db` instead gets the schema left by the previous
test with its rows deleted and the rows and sequences a new schema starts with put back: the
same database a new schema is, checked by a fingerprint of the catalog. When a test changed the
schema itself (an old version upgraded, a column dropped), the fingerprint differs and the
schema is dropped and made anew as before.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

# Everything a test could change about the schema, as one hash: relations (with their
# privileges), columns in order (dropped ones too), defaults, indexes, triggers (and whether
# they are enabled), constraints, functions, extensions, views and the schemas themselves.
FINGERPRINT = r"""
SELECT md5(string_agg(x, E'\n' ORDER BY x)) FROM (
  SELECT 'r ' || c.relname || ' ' || c.relkind::text || ' ' || coalesce(c.relacl::text, '')
    FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
  UNION ALL
  SELECT 'a ' || c.relname || ' ' || a.attnum || ' ' || a.attname || ' '
         || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull || ' '
         || a.attisdropped || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0
  UNION ALL
  SELECT 'i ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
  UNION ALL
  SELECT 't ' || t.tgenabled::text || ' ' || pg_get_triggerdef(t.oid)
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal
  UNION ALL
  SELECT 'k ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
  UNION ALL
  SELECT 'f ' || p.oid::regprocedure::text || ' ' || md5(p.prosrc)
    FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
  UNION ALL
  SELECT 'e ' || extname || ' ' || extversion || ' ' || extnamespace::regnamespace::text
    FROM pg_extension
  UNION ALL
  SELECT 'v ' || viewname || ' ' || definition FROM pg_views WHERE schemaname = 'public'
  UNION ALL
  SELECT 'n ' || nspname || ' ' || coalesce(nspacl::text, '') FROM pg_namespace
    WHERE nspname NOT LIKE 'pg\_temp\_%' AND nspname NOT LIKE 'pg\_toast\_temp\_%'
) AS catalog(x)
"""


def worker_url(url: str, worker: str) -> str:
    """`postgresql://u:p@h/minqing_test` for worker gw1 → `postgresql://u:p@h/minqing_test_gw1`."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_{worker}"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def create_database(base_url: str, url: str) -> None:
    """Make the worker's database (kept if a run that was killed left it behind). Commits there
    don't wait for the disk: the database is the tests' and thrown away at the end."""
    import psycopg2
    from psycopg2 import sql

    name = database_name(url)
    conn = psycopg2.connect(base_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cur.fetchone() is None:
                try:
                    cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                except psycopg2.errors.InsufficientPrivilege as exc:
                    raise RuntimeError(
                        f"Each pytest-xdist worker needs a database of its own ({name}): "
                        "give the test role CREATEDB, or run the PostgreSQL pass with -n 0."
                    ) from exc
            cur.execute(
                sql.SQL("ALTER DATABASE {} SET synchronous_commit = off").format(
                    sql.Identifier(name)
                )
            )
    finally:
        conn.close()


def drop_database(base_url: str, url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    conn = psycopg2.connect(base_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(database_name(url))
                )
            )
    finally:
        conn.close()


def empty_schema(url: str) -> None:
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
    conn.close()


@dataclass
class Pristine:
    """A schema as the program makes it: its catalog's fingerprint, the rows it starts with,
    its sequences, and the order its tables can be emptied in."""

    fingerprint: str
    tables: list[str]  # referencing tables before the tables they reference
    rows: dict[str, str]  # table → its rows in COPY's text format (tables with rows only)
    sequences: list[tuple[str, int, bool]]  # (name, value, is_called) for setval
    guarded: dict[str, list[str]]  # table → its row triggers that refuse a DELETE


_pristine: dict[str, Pristine] = {}


def fresh_schema(url: str) -> None:
    """Leave the database as a newly made schema: emptied and refilled with what a new schema
    holds when the catalog is unchanged since the last time, otherwise made anew."""
    import psycopg2

    known = _pristine.pop(url, None)
    if known is not None:
        conn = psycopg2.connect(url)
        try:
            with conn.cursor() as cur:
                cur.execute(FINGERPRINT)
                if cur.fetchone()[0] == known.fingerprint:
                    _restore(cur, known)
                    conn.commit()
                    _pristine[url] = known
                    return
        except psycopg2.Error:
            conn.rollback()  # rows the order of deletion can't handle: make the schema anew
        finally:
            conn.close()
    empty_schema(url)
    _make_schema(url)
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            _pristine[url] = _capture(cur)
        conn.rollback()
    finally:
        conn.close()


def dump(url: str) -> Pristine:
    """Everything the database holds now (rows and sequences), to `load` into another test's."""
    import psycopg2

    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            return _capture(cur)
    finally:
        conn.close()


def load(url: str, dumped: Pristine) -> bool:
    """Put a `dump` back in place of what the database holds, then ANALYZE as a bulk load
    does; False (nothing changed) when the schema is no longer the one dumped."""
    import psycopg2

    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(FINGERPRINT)
            if cur.fetchone()[0] != dumped.fingerprint:
                return False
            _restore(cur, dumped)
        conn.commit()
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("ANALYZE")
        return True
    finally:
        conn.close()


def _make_schema(url: str) -> None:
    from minqing.core.storage.db import close_database, open_database

    open_database(url)
    close_database()


def _capture(cur) -> Pristine:
    from psycopg2 import sql

    cur.execute(FINGERPRINT)
    fingerprint = cur.fetchone()[0]
    cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    names = [r[0] for r in cur.fetchall()]
    cur.execute(
        "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint "
        "WHERE contype = 'f' AND connamespace = 'public'::regnamespace"
    )
    references: dict[str, set[str]] = {n: set() for n in names}
    for table, target in cur.fetchall():
        table, target = table.strip('"'), target.strip('"')
        if table != target and table in references:
            references[table].add(target)
    rows = {}
    for name in names:
        copied = io.StringIO()
        cur.copy_expert(
            sql.SQL("COPY {} TO STDOUT").format(sql.Identifier(name)).as_string(cur), copied
        )
        if copied.getvalue():
            rows[name] = copied.getvalue()
    cur.execute(
        "SELECT quote_ident(sequencename), coalesce(last_value, start_value), "
        "last_value IS NOT NULL FROM pg_sequences WHERE schemaname = 'public'"
    )
    sequences = list(cur.fetchall())
    # Row triggers that fire on DELETE before it happens: the append-only guards.
    cur.execute(
        "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal "
        "AND t.tgtype & 1 = 1 AND t.tgtype & 2 = 2 AND t.tgtype & 8 = 8"
    )
    guarded: dict[str, list[str]] = {}
    for table, trigger in cur.fetchall():
        guarded.setdefault(table, []).append(trigger)
    return Pristine(fingerprint, _emptying_order(references), rows, sequences, guarded)


def _emptying_order(references: dict[str, set[str]]) -> list[str]:
    """Tables ordered so that each comes before every table it references."""
    order: list[str] = []
    done: set[str] = set()

    def visit(table: str, path: set[str]) -> None:
        if table in done or table in path:
            return
        path.add(table)
        for other, targets in references.items():
            if table in targets:
                visit(other, path)
        path.discard(table)
        done.add(table)
        order.append(table)

    for table in sorted(references):
        visit(table, set())
    return order


def _restore(cur, pristine: Pristine) -> None:
    from psycopg2 import sql

    probe = sql.SQL(" UNION ALL ").join(
        sql.SQL("(SELECT {} FROM {} LIMIT 1)").format(sql.Literal(t), sql.Identifier(t))
        for t in pristine.tables
    )
    cur.execute(probe)
    filled = {r[0] for r in cur.fetchall()}
    for table in pristine.tables:
        if table not in filled:
            continue
        name = sql.Identifier(table)
        guards = [sql.Identifier(t) for t in pristine.guarded.get(table, [])]
        for guard in guards:
            cur.execute(sql.SQL("ALTER TABLE {} DISABLE TRIGGER {}").format(name, guard))
        cur.execute(sql.SQL("DELETE FROM {}").format(name))
        for guard in guards:
            cur.execute(sql.SQL("ALTER TABLE {} ENABLE TRIGGER {}").format(name, guard))
    for table in reversed(pristine.tables):
        if table in pristine.rows:
            copy = sql.SQL("COPY {} FROM STDIN").format(sql.Identifier(table)).as_string(cur)
            cur.copy_expert(copy, io.StringIO(pristine.rows[table]))
    if pristine.sequences:
        cur.execute(
            "SELECT " + ", ".join("setval(%s, %s, %s)" for _ in pristine.sequences),
            [v for name, value, called in pristine.sequences for v in (name, value, called)],
        )
