"""The character index behind case search on SQLite.

Every character of a case's text, address and contact becomes one token of an FTS5 table, so
a query is a phrase of its characters: exact substring matches of any length (1, 2 or 20
characters) answered from the index. A trigram index can't serve 1–2 character queries, and
LIKE on an FTS table gives wrong CJK results on SQLite 3.40; this needs neither.
"""

from __future__ import annotations

FUNCTION = "minqing_chars"


def spaced(text: str | None) -> str:
    """“楼道灯 21号” → “楼 道 灯 2 1 号”. Registered in SQLite as minqing_chars()."""
    return " ".join(ch for ch in (text or "") if not ch.isspace())


def phrase(term: str) -> str:
    """The FTS5 MATCH expression for a substring search."""
    return '"' + spaced(term).replace('"', '""') + '"'


_SOURCE = "{p}.text || ' ' || {p}.address || ' ' || {p}.contact_name"

STATEMENTS = [
    # Contentless: the index holds only tokens; rows are read from "case" by rowid.
    "CREATE VIRTUAL TABLE IF NOT EXISTS case_chars USING fts5("
    "chars, content='', tokenize='unicode61', columnsize=0)",
    f"""CREATE TRIGGER IF NOT EXISTS case_chars_insert AFTER INSERT ON "case" BEGIN
        INSERT INTO case_chars(rowid, chars) VALUES (new.id, {FUNCTION}({_SOURCE.format(p="new")})); END""",
    f"""CREATE TRIGGER IF NOT EXISTS case_chars_delete AFTER DELETE ON "case" BEGIN
        INSERT INTO case_chars(case_chars, rowid, chars)
        VALUES ('delete', old.id, {FUNCTION}({_SOURCE.format(p="old")})); END""",
    f"""CREATE TRIGGER IF NOT EXISTS case_chars_update
        AFTER UPDATE OF text, address, contact_name ON "case" BEGIN
        INSERT INTO case_chars(case_chars, rowid, chars)
        VALUES ('delete', old.id, {FUNCTION}({_SOURCE.format(p="old")}));
        INSERT INTO case_chars(rowid, chars) VALUES (new.id, {FUNCTION}({_SOURCE.format(p="new")})); END""",
]

REBUILD = f'INSERT INTO case_chars(rowid, chars) SELECT id, {FUNCTION}({_SOURCE.format(p="c")}) FROM "case" AS c'
