"""The indexes behind case search on SQLite: one for characters, one for digits.

Characters ("grams"): every character of a case's text, address and contact, every pair and
every three of neighbouring characters, becomes one token of an FTS5 table that keeps only
which rows hold a token (detail=none: no positions, about 9 MB at 100,000 cases). A term of one
character looks up its character, of two its pair, a longer one the threes it is made of, all
of which a case must hold to contain the term. The threes make the lookup nearly exact: a full
address (比乐街25号1号楼2单元301室) is the cases holding 5号1, 楼2单, 元30 … at once, not every
case of the courtyard. A token is the characters' code points in hex (楼道 → 697cx9053): exact,
no case folding, the same for every script, so the unicode tokenizer's view of punctuation
plays no part.

Digits: a phone number or a case number cut into its overlapping three-digit pieces
(13812345678 → 138 381 812 …), one token each. Single digits would be useless as tokens (ten
of them, each in every case); three-digit pieces are a thousand, and a query of 3–11 digits is
the phrase of its own pieces: found only where those pieces stand next to each other, that is
where the digits are a substring. Runs of digits are cut apart, so no phrase bridges two runs.

Both are candidate finders: search checks every candidate against the plain substring rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from operator import add

FUNCTION = "minqing_chars"  # the index of schema steps 2–12 (one token per character)
GRAMS_FUNCTION = "minqing_grams"
DIGITS_FUNCTION = "minqing_digits"
DIGIT_RUN = re.compile(r"\d{3,}")


def spaced(text: str | None) -> str:
    """“楼道灯 21号” → “楼 道 灯 2 1 号”. Registered in SQLite as minqing_chars()."""
    return " ".join(ch for ch in (text or "") if not ch.isspace())


def phrase(term: str) -> str:
    """The FTS5 MATCH expression for a substring search (the per-character index)."""
    return '"' + spaced(term).replace('"', '""') + '"'


@lru_cache(maxsize=1 << 16)  # a demo of a million cases asks for ~100 million, of a few thousand
def _token(chars: str) -> str:
    return "x".join(format(ord(ch), "x") for ch in chars)


def grams(text: str | None) -> str:
    """“楼道灯 水” → the tokens of 楼, 道, 灯, 水, 楼道, 道灯 and 楼道灯 (whitespace parts words:
    no gram spans it). Registered in SQLite as minqing_grams()."""
    found: set[str] = set()
    for word in (text or "").split():
        # the characters, then the pairs, then the threes (this order of insertion, so the
        # set, and the tokens' order in the text SQLite stores, is what it always was)
        found.update(word)
        if len(word) > 1:
            found.update(map(add, word, word[1:]))
            found.update([word[i : i + 3] for i in range(len(word) - 2)])
    return " ".join(map(_token, found))


def term_grams(term: str) -> list[str]:
    """The tokens every text containing `term` holds, in the term's order: its threes, or its
    pair, or its one character. A term is one word (the search box splits on whitespace)."""
    word = "".join(term.split())
    size = min(len(word), 3)
    return [_token(word[i : i + size]) for i in range(len(word) - size + 1)]


def grams_match(tokens: Iterable[str]) -> str:
    """The FTS5 MATCH expression: rows holding every token (ascii words, nothing to quote)."""
    return " AND ".join(sorted(set(tokens)))


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

# Contentless: the index holds only tokens; rows are read from "case" by rowid. The tokenizer
# splits the tokens at spaces and keeps them as they are (ascii, already lower case).
STATEMENTS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS case_grams USING fts5("
    "grams, content='', detail=none, columnsize=0, tokenize='ascii')",
    f"""CREATE TRIGGER IF NOT EXISTS case_grams_insert AFTER INSERT ON "case" BEGIN
        INSERT INTO case_grams(rowid, grams)
        VALUES (new.id, {GRAMS_FUNCTION}({_SOURCE.format(p="new")})); END""",
    f"""CREATE TRIGGER IF NOT EXISTS case_grams_delete AFTER DELETE ON "case" BEGIN
        INSERT INTO case_grams(case_grams, rowid, grams)
        VALUES ('delete', old.id, {GRAMS_FUNCTION}({_SOURCE.format(p="old")})); END""",
    f"""CREATE TRIGGER IF NOT EXISTS case_grams_update
        AFTER UPDATE OF text, address, contact_name ON "case" BEGIN
        INSERT INTO case_grams(case_grams, rowid, grams)
        VALUES ('delete', old.id, {GRAMS_FUNCTION}({_SOURCE.format(p="old")}));
        INSERT INTO case_grams(rowid, grams)
        VALUES (new.id, {GRAMS_FUNCTION}({_SOURCE.format(p="new")})); END""",
]

REBUILD = [
    "INSERT INTO case_grams(case_grams) VALUES ('delete-all')",
    f"INSERT INTO case_grams(rowid, grams) "
    f'SELECT id, {GRAMS_FUNCTION}({_SOURCE.format(p="c")}) FROM "case" AS c',
]

# The per-character indexes of schema steps 2–12, replaced by the grams (step 13).
OLD_STATEMENTS = [
    *(
        f"DROP TRIGGER IF EXISTS {name}"
        for name in (
            "case_chars_insert",
            "case_chars_delete",
            "case_chars_update",
            "resident_chars_insert",
            "resident_chars_update",
            "resident_chars_delete",
            "resident_chars_home",
        )
    ),
    "DROP TABLE IF EXISTS case_chars",
    "DROP TABLE IF EXISTS resident_chars",
]

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

# Residents: name and household address, the same grams. A table that keeps its text (11,000
# short rows), so a row is dropped by rowid alone — also when the household it pointed to is
# gone.
_HOME = (
    "{h}.courtyard || coalesce(nullif({h}.building, '') || '号楼', '')"
    " || coalesce(nullif({h}.unit, '') || '单元', '')"
    " || coalesce(nullif({h}.door, '') || '室', '')"
)
HOME = _HOME.format(h="h")

_RESIDENT = (
    "{r}.name || ' ' || coalesce((SELECT " + _HOME.format(h="h") + " FROM household AS h "
    "WHERE h.id = {r}.household_id), '')"
)

RESIDENT_STATEMENTS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS resident_grams USING fts5("
    "grams, detail=none, columnsize=0, tokenize='ascii')",
    f"""CREATE TRIGGER IF NOT EXISTS resident_grams_insert AFTER INSERT ON resident BEGIN
        INSERT INTO resident_grams(rowid, grams)
        VALUES (new.id, {GRAMS_FUNCTION}({_RESIDENT.format(r="new")})); END""",
    f"""CREATE TRIGGER IF NOT EXISTS resident_grams_update
        AFTER UPDATE OF name, household_id ON resident BEGIN
        DELETE FROM resident_grams WHERE rowid = old.id;
        INSERT INTO resident_grams(rowid, grams)
        VALUES (new.id, {GRAMS_FUNCTION}({_RESIDENT.format(r="new")})); END""",
    """CREATE TRIGGER IF NOT EXISTS resident_grams_delete AFTER DELETE ON resident BEGIN
        DELETE FROM resident_grams WHERE rowid = old.id; END""",
    f"""CREATE TRIGGER IF NOT EXISTS resident_grams_home
        AFTER UPDATE OF courtyard, building, unit, door ON household BEGIN
        DELETE FROM resident_grams
        WHERE rowid IN (SELECT id FROM resident WHERE household_id = new.id);
        INSERT INTO resident_grams(rowid, grams)
        SELECT r.id, {GRAMS_FUNCTION}(r.name || ' ' || {_HOME.format(h="new")})
        FROM resident AS r WHERE r.household_id = new.id; END""",
]

RESIDENT_REBUILD = [
    "DELETE FROM resident_grams",
    f"INSERT INTO resident_grams(rowid, grams) "
    f"SELECT r.id, {GRAMS_FUNCTION}({_RESIDENT.format(r='r')}) FROM resident AS r",
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

# Merge each index into one segment: after a rebuild or a bulk load. Otherwise the first
# intakes after it merge the load's large segments in their own transactions (up to 0.2 s).
OPTIMIZE = [
    f"INSERT INTO {table}({table}) VALUES ('optimize')"
    for table in ("case_grams", "case_digits", "resident_grams", "resident_digits")
]
