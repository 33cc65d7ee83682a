"""PostgreSQL's indexes for case search, made once at start (storage.db) and read by `search`.

The same character index as SQLite's, as GIN indexes over arrays: every character and every
pair of neighbouring characters of a case's words, and every three-digit piece of its phone and
number (`search.WORDS`, `search.DIGITS` name the expressions they index). pg_trgm indexes
serve LIKE for terms of 3+ characters where the extension can be created.
"""

from __future__ import annotations

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
