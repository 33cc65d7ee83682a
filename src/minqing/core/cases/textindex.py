"""The indexes behind case search on SQLite: one for characters, one for digits.

Characters: every character of a case's text, address and contact becomes one token of an FTS5
table, so a query is a phrase of its characters: exact substring matches of any length (1, 2 or
20 characters) answered from the index. A trigram index can't serve 1–2 character queries, and
LIKE on an FTS table gives wrong CJK results on SQLite 3.40; this needs neither.

Digits: a phone number or a case number cut into its overlapping three-digit pieces
(13812345678 → 138 381 812 …), one token each. Single digits would be useless as tokens (ten
of them, each in every case); three-digit pieces are a thousand, and a query of 3–11 digits is
the phrase of its own pieces: found only where those pieces stand next to each other, that is
where the digits are a substring. Runs of digits are cut apart, so no phrase bridges two runs.

Both are candidate finders: search checks every candidate against the plain substring rule.
"""

from __future__ import annotations

import re

FUNCTION = "minqing_chars"
DIGITS_FUNCTION = "minqing_digits"
DIGIT_RUN = re.compile(r"\d{3,}")


def spaced(text: str | None) -> str:
    """“楼道灯 21号” → “楼 道 灯 2 1 号”. Registered in SQLite as minqing_chars()."""
    return " ".join(ch for ch in (text or "") if not ch.isspace())


def phrase(term: str) -> str:
    """The FTS5 MATCH expression for a substring search."""
    return '"' + spaced(term).replace('"', '""') + '"'


def digit_pieces(text: str | None) -> str:
    """“138123 / 2026-91432” → “138 381 812 123 202 026 914 143 432”. Registered in SQLite
    as minqing_digits()."""
    return " ".join(
        run[i : i + 3] for run in DIGIT_RUN.findall(text or "") for i in range(len(run) - 2)
    )


def digits_phrase(term: str) -> str:
    """The FTS5 MATCH expression for 3+ digits (the term is digits only)."""
    return '"' + digit_pieces(term) + '"'


_SOURCE = "{p}.text || ' ' || {p}.address || ' ' || {p}.contact_name"
_DIGITS = "{p}.contact_phone || ' ' || {p}.number"

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

DIGITS_STATEMENTS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS case_digits USING fts5("
    "digits, content='', tokenize='unicode61', columnsize=0)",
    f"""CREATE TRIGGER IF NOT EXISTS case_digits_insert AFTER INSERT ON "case" BEGIN
        INSERT INTO case_digits(rowid, digits)
        VALUES (new.id, {DIGITS_FUNCTION}({_DIGITS.format(p="new")})); END""",
    f"""CREATE TRIGGER IF NOT EXISTS case_digits_delete AFTER DELETE ON "case" BEGIN
        INSERT INTO case_digits(case_digits, rowid, digits)
        VALUES ('delete', old.id, {DIGITS_FUNCTION}({_DIGITS.format(p="old")})); END""",
    f"""CREATE TRIGGER IF NOT EXISTS case_digits_update
        AFTER UPDATE OF contact_phone, number ON "case" BEGIN
        INSERT INTO case_digits(case_digits, rowid, digits)
        VALUES ('delete', old.id, {DIGITS_FUNCTION}({_DIGITS.format(p="old")}));
        INSERT INTO case_digits(rowid, digits)
        VALUES (new.id, {DIGITS_FUNCTION}({_DIGITS.format(p="new")})); END""",
]

DIGITS_REBUILD = (
    f"INSERT INTO case_digits(rowid, digits) "
    f'SELECT id, {DIGITS_FUNCTION}({_DIGITS.format(p="c")}) FROM "case" AS c'
)

# Residents: name and household address, the same one-token-per-character phrase search. A
# table that keeps its text (11,000 short rows), so a row is dropped by rowid alone — also when
# the household it pointed to is gone.
_HOME = (
    "{h}.courtyard || coalesce(nullif({h}.building, '') || '号楼', '')"
    " || coalesce(nullif({h}.unit, '') || '单元', '')"
    " || coalesce(nullif({h}.door, '') || '室', '')"
)
_RESIDENT = (
    "{r}.name || ' ' || coalesce((SELECT " + _HOME.format(h="h") + " FROM household AS h "
    "WHERE h.id = {r}.household_id), '')"
)

RESIDENT_STATEMENTS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS resident_chars USING fts5(chars, tokenize='unicode61')",
    f"""CREATE TRIGGER IF NOT EXISTS resident_chars_insert AFTER INSERT ON resident BEGIN
        INSERT INTO resident_chars(rowid, chars)
        VALUES (new.id, {FUNCTION}({_RESIDENT.format(r="new")})); END""",
    f"""CREATE TRIGGER IF NOT EXISTS resident_chars_update
        AFTER UPDATE OF name, household_id ON resident BEGIN
        DELETE FROM resident_chars WHERE rowid = old.id;
        INSERT INTO resident_chars(rowid, chars)
        VALUES (new.id, {FUNCTION}({_RESIDENT.format(r="new")})); END""",
    """CREATE TRIGGER IF NOT EXISTS resident_chars_delete AFTER DELETE ON resident BEGIN
        DELETE FROM resident_chars WHERE rowid = old.id; END""",
    f"""CREATE TRIGGER IF NOT EXISTS resident_chars_home
        AFTER UPDATE OF courtyard, building, unit, door ON household BEGIN
        DELETE FROM resident_chars
        WHERE rowid IN (SELECT id FROM resident WHERE household_id = new.id);
        INSERT INTO resident_chars(rowid, chars)
        SELECT r.id, {FUNCTION}(r.name || ' ' || {_HOME.format(h="new")})
        FROM resident AS r WHERE r.household_id = new.id; END""",
]

RESIDENT_REBUILD = [
    "DELETE FROM resident_chars",
    f"INSERT INTO resident_chars(rowid, chars) "
    f"SELECT r.id, {FUNCTION}({_RESIDENT.format(r='r')}) FROM resident AS r",
]

# Residents' phone and ID digits: the three-digit pieces, as for cases.
_RESIDENT_DIGITS = "{r}.phone || ' ' || coalesce({r}.id_number, '')"

RESIDENT_DIGITS_STATEMENTS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS resident_digits USING fts5(digits, tokenize='unicode61')",
    f"""CREATE TRIGGER IF NOT EXISTS resident_digits_insert AFTER INSERT ON resident BEGIN
        INSERT INTO resident_digits(rowid, digits)
        VALUES (new.id, {DIGITS_FUNCTION}({_RESIDENT_DIGITS.format(r="new")})); END""",
    f"""CREATE TRIGGER IF NOT EXISTS resident_digits_update
        AFTER UPDATE OF phone, id_number ON resident BEGIN
        DELETE FROM resident_digits WHERE rowid = old.id;
        INSERT INTO resident_digits(rowid, digits)
        VALUES (new.id, {DIGITS_FUNCTION}({_RESIDENT_DIGITS.format(r="new")})); END""",
    """CREATE TRIGGER IF NOT EXISTS resident_digits_delete AFTER DELETE ON resident BEGIN
        DELETE FROM resident_digits WHERE rowid = old.id; END""",
]

RESIDENT_DIGITS_REBUILD = [
    "DELETE FROM resident_digits",
    f"INSERT INTO resident_digits(rowid, digits) "
    f"SELECT r.id, {DIGITS_FUNCTION}({_RESIDENT_DIGITS.format(r='r')}) FROM resident AS r",
]
