"""PostgreSQL's indexes for case search, made once at start (storage.db) and read by `search`.

The same character index as SQLite's, as GIN indexes over arrays: every character and every
pair of neighbouring characters of a case's words, and every three-digit piece of its phone and
number (`conditions.WORDS`, `conditions.DIGITS` name the expressions they index). pg_trgm indexes
serve LIKE for terms of 3+ characters where the extension can be created.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from peewee import Database, DatabaseError, PostgresqlDatabase

TRIGRAM_COLUMNS = ("text", "address", "contact_name", "contact_phone", "number")


GRAM_STATEMENTS = [
    """CREATE OR REPLACE FUNCTION minqing_grams(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT COST 1000 AS $$
        SELECT coalesce(array_agg(DISTINCT g), '{}') FROM (
            SELECT substr(t, i, 1) AS g FROM generate_series(1, char_length(t)) AS i
            UNION ALL
            SELECT substr(t, i, 2) FROM generate_series(1, char_length(t) - 1) AS i
        ) AS pieces WHERE g !~ '\\s' $$""",
    """CREATE OR REPLACE FUNCTION minqing_digit_grams(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT COST 1000 AS $$
        SELECT coalesce(array_agg(DISTINCT g), '{}') FROM (
            SELECT substr(t, i, 3) AS g FROM generate_series(1, char_length(t) - 2) AS i
        ) AS pieces WHERE g ~ '^[0-9]{3}$' $$""",
    'CREATE INDEX IF NOT EXISTS case_grams ON "case" USING gin '
    "(minqing_grams(text || ' ' || address || ' ' || contact_name))",
    'CREATE INDEX IF NOT EXISTS case_digit_grams ON "case" USING gin '
    "(minqing_digit_grams(contact_phone || ' ' || number))",
]


def install_gram_index(database: Database) -> None:
    """PostgreSQL: the functions and GIN indexes above, made once (a first start after the
    upgrade builds them: about a minute per million cases)."""
    have = {
        name
        for (name,) in database.execute_sql(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'case' "
            "AND indexname IN ('case_grams', 'case_digit_grams')"
        ).fetchall()
    }
    if len(have) == 2:
        return
    for sql in GRAM_STATEMENTS:
        database.execute_sql(sql)


def install_trigram_index(database: Database) -> bool:
    """PostgreSQL: the character and digit index (`install_gram_index`), and trigram indexes,
    so LIKE '%…%' on cases uses an index for terms of 3+ characters. The trigram part is
    skipped (False) where the pg_trgm extension can't be created."""
    if not isinstance(database, PostgresqlDatabase):
        return False
    install_gram_index(database)
    have = {
        name
        for (name,) in database.execute_sql(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'case' AND indexname LIKE '%%_trgm'"
        ).fetchall()
    }
    if len(have) == len(TRIGRAM_COLUMNS):
        return True
    try:
        with database.atomic():
            database.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for column in TRIGRAM_COLUMNS:
                database.execute_sql(
                    f'CREATE INDEX IF NOT EXISTS case_{column}_trgm ON "case" '
                    f"USING gin ({column} gin_trgm_ops)"
                )
    except DatabaseError:
        return False
    return True


@contextmanager
def indexes_deferred(database: Database, tables: list[str]) -> Iterator[None]:
    """PostgreSQL, inside the transaction of a bulk load: the tables' secondary indexes and
    foreign keys are dropped while the rows are copied in, then made again once, each in one
    pass (a GIN index kept up row by row made a 200,000-case demo take 11 minutes). The same
    definitions come back (read from the catalogue), the foreign keys are checked again when
    they are added, and a failure rolls the whole load back. Other connections wait for the
    tables meanwhile; elsewhere (SQLite) this does nothing."""
    if not isinstance(database, PostgresqlDatabase) or not database.in_transaction():
        yield
        return
    indexes = database.execute_sql(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [[f'"{t}"' for t in tables]],
    ).fetchall()
    keys = database.execute_sql(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = ANY(%s::regclass[]) AND contype = 'f'",
        [[f'"{t}"' for t in tables]],
    ).fetchall()
    for table, name, _ in keys:
        database.execute_sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        database.execute_sql(f"DROP INDEX {name}")
    yield
    # One sort per index; GIN builds gain most from the memory (back to normal at commit).
    database.execute_sql("SET LOCAL maintenance_work_mem = '512MB'")
    for _, definition in indexes:
        database.execute_sql(definition)
    for table, name, definition in keys:
        database.execute_sql(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


LOOKUP_GRAMS = 12  # a term's pieces looked up in a GIN index at most (the rarest)
COMMON_GRAM = 0.5  # a piece in more than this share of the cases is left to the check
STATS_SECONDS = 600.0  # how long the planner's piece frequencies are reused

_frequencies: dict[tuple[int, str], tuple[float, dict[str, float]]] = {}


def gram_frequencies(database: Database, index: str) -> dict[str, float]:
    """The share of cases holding each of the index's commonest pieces, from the planner's
    statistics (ANALYZE samples the indexed expression; pieces not listed are rarer than all
    listed ones). Empty before the first ANALYZE. Reused for STATS_SECONDS."""
    key = (id(database), index)
    now = time.monotonic()
    cached = _frequencies.get(key)
    if cached is not None and now - cached[0] < STATS_SECONDS:
        return cached[1]
    rows = database.execute_sql(
        "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
        "WHERE schemaname = current_schema() AND tablename = %s",
        [index],
    ).fetchall()
    found: dict[str, float] = {}
    for elems, freqs in rows:
        if elems and freqs:
            found = dict(zip(elems, freqs, strict=False))
    _frequencies[key] = (now, found)
    return found


def rarest_grams(database: Database, index: str, grams: list[str]) -> list[str]:
    """Which of a term's pieces to look up: the LOOKUP_GRAMS rarest, leaving out those in
    more than COMMON_GRAM of the cases (each costs its posting list, and finds little); at
    least one. The candidates are a superset either way: every match holds all the pieces."""
    if len(grams) <= 1:
        return grams
    share = gram_frequencies(database, index)
    ranked = sorted(grams, key=lambda g: share.get(g, 0.0))
    chosen = [g for g in ranked if share.get(g, 0.0) <= COMMON_GRAM][:LOOKUP_GRAMS]
    return sorted(chosen or ranked[:1])


def share_at_most(database: Database, index: str, grams: list[str]) -> float | None:
    """At most this share of the cases holds all the pieces (the rarest piece's share; a
    piece not listed counts as the least common listed one); None without statistics."""
    share = gram_frequencies(database, index)
    if not share or not grams:
        return None
    floor = min(share.values())
    return min(share.get(g, floor) for g in grams)
