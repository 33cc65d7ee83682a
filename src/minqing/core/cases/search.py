"""Finding cases and residents from one search box, in SQL.

What the text looks like decides where to look: a case number, phone digits (4+), pinyin
initials, or words. On SQLite, words in cases come from the character index (textindex):
exact for any length, never LIKE on an FTS table (wrong for CJK on SQLite 3.40). Residents
are few (about 11,000) and are matched on the base table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from peewee import (
    JOIN,
    SQL,
    Database,
    DatabaseError,
    Expression,
    PostgresqlDatabase,
    SqliteDatabase,
    fn,
)

from minqing.core.accounts import permissions
from minqing.core.cases import textindex
from minqing.core.models import Case, Household, Resident, Staff, database_proxy
from minqing.core.privacy import mask_phone
from minqing.core.validate import clean

NUMBER_RE = re.compile(r"^\d{4}-\d{1,6}$")
DIGITS_RE = re.compile(r"^\d{4,}$")
INITIALS_RE = re.compile(r"^[a-z]{1,10}$")
MAX_TERMS = 5


@dataclass
class SearchHit:
    kind: str  # "case" | "resident"
    id: int
    title: str
    detail: str


def household_address() -> Any:
    """The household's address as one SQL string, matching models.format_address."""

    def part(column: Any, suffix: str) -> Any:
        return fn.COALESCE(fn.NULLIF(column, "").concat(suffix), "")

    return (
        Household.courtyard.concat(part(Household.building, "号楼"))
        .concat(part(Household.unit, "单元"))
        .concat(part(Household.door, "室"))
    )


TRIGRAM_COLUMNS = ("text", "address", "contact_name", "contact_phone", "number")


def install_trigram_index(database: Database) -> bool:
    """PostgreSQL: trigram indexes, so ILIKE '%…%' on cases uses an index for terms of 3+
    characters. Skipped (False) where the pg_trgm extension can't be created; search still
    works, scanning the table."""
    if not isinstance(database, PostgresqlDatabase):
        return False
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


def _terms(text: str) -> list[str]:
    return [t for t in clean(text).split() if t][:MAX_TERMS]


def _uses_fts() -> bool:
    return isinstance(database_proxy.obj, SqliteDatabase)


def _indexed_ids(term: str) -> Any:
    return SQL("(SELECT rowid FROM case_chars WHERE case_chars MATCH ?)", (textindex.phrase(term),))


def resident_condition(term: str, phones: bool = True) -> Expression:
    """Residents matching one term: phone digits, initials, name or address. Without `phones`
    (a viewer who may not see personal data) digits find no one: a full number would
    otherwise say whose it is."""
    lowered = term.lower()
    if DIGITS_RE.match(term):
        return _has(Resident.phone, term) if phones else (Resident.id < 0)
    if INITIALS_RE.match(lowered):
        return Resident.initials.startswith(lowered)
    by_address = Resident.household.in_(
        Household.select(Household.id).where(_has(household_address(), term))
    )
    return _has(Resident.name, term) | by_address


def case_condition(term: str, phones: bool = True) -> Expression:
    """Cases matching one term, by number, contact, text, address or their resident; digits
    match phone numbers only with `phones` (see resident_condition)."""
    lowered = term.lower()
    if NUMBER_RE.match(term):
        return Case.number.startswith(term)
    if DIGITS_RE.match(term) and not phones:
        return _has(Case.number, term)
    residents = Resident.select(Resident.id).where(resident_condition(term))
    by_resident = Case.resident.in_(residents)
    if DIGITS_RE.match(term):
        return _any_of(term, by_resident, Case.contact_phone, Case.number)
    if INITIALS_RE.match(lowered):
        return by_resident
    if not _uses_fts():
        return _any_of(term, by_resident, Case.text, Case.address, Case.contact_name)
    by_words = _has(Case.text, term) | _has(Case.address, term) | _has(Case.contact_name, term)
    if _uses_fts() and any(ch.isalnum() for ch in term):
        # The index finds the candidates; the exact test drops phrases that only match across
        # a field boundary or around punctuation, which the tokenizer ignores.
        by_words = Case.id.in_(_indexed_ids(term)) & by_words
    return by_resident | by_words


def _any_of(term: str, by_resident: Expression, *columns: Any) -> Expression:
    """The resident condition or a substring of any column. On PostgreSQL, for 3+ characters,
    a UNION of one query per column, so that each uses its trigram index (an OR across a
    subquery can't; at a million cases that is one second against a few milliseconds)."""
    if _uses_fts() or len(term) < 3:
        result = by_resident
        for column in columns:
            result |= _has(column, term)
        return result
    ids = Case.select(Case.id).where(by_resident)
    for column in columns:
        ids = ids.union(Case.select(Case.id).where(_has(column, term)))
    return Case.id.in_(ids)


def _has(column: Any, term: str) -> Expression:
    """Substring test. On SQLite instr() is a plain byte search, a third faster than LIKE over
    100k rows of text, and it needs no escaping; elsewhere LIKE (ILIKE) with escaping."""
    if _uses_fts():
        return fn.instr(column, term) > 0
    return column.contains(term)


def _all(conditions: list[Expression]) -> Expression:
    result = conditions[0]
    for extra in conditions[1:]:
        result &= extra
    return result


def case_filter(text: str, phones: bool = True) -> Expression | None:
    """The WHERE clause for cases matching every term; None for an empty search."""
    terms = _terms(text)
    return _all([case_condition(t, phones) for t in terms]) if terms else None


def find_cases(text: str, limit: int = 50, phones: bool = True) -> list[Case]:
    where = case_filter(text, phones)
    if where is None:
        return []
    return list(Case.select().where(where).order_by(Case.id.desc()).limit(limit))


def find_residents(
    text: str, limit: int = 20, include_inactive: bool = False, phones: bool = True
) -> list[Resident]:
    terms = _terms(text)
    if not terms:
        return []
    where = _all([resident_condition(t, phones) for t in terms])
    if not include_inactive:
        where &= Resident.status == "active"
    return list(
        Resident.select(Resident, Household)
        .join(Household, on=(Resident.household == Household.id), join_type=JOIN.LEFT_OUTER)
        .where(where)
        .order_by(Resident.name, Resident.id)
        .limit(limit)
    )


def search(text: str, limit: int = 50, *, viewer: Staff | None = None) -> list[SearchHit]:
    """Residents first (short list), then the newest matching cases. Residents' phones (and
    numbers typed into a case's words) are masked, and phone numbers find nothing, unless
    `viewer` may see personal data."""
    full = permissions.can_see_personal(viewer)
    phones = permissions.may_search_phones(viewer)
    hits = [
        SearchHit(
            "resident",
            r.id,
            r.name,
            " ".join(
                x
                for x in (
                    r.household.address if r.household_id else "",
                    r.phone if full else mask_phone(r.phone or ""),
                )
                if x
            ),
        )
        for r in find_residents(text, limit=min(limit, 20), phones=phones)
    ]
    for case in find_cases(text, limit=limit, phones=phones):
        shown = permissions.shown_text(viewer, case.text, case)
        hits.append(SearchHit("case", case.id, case.number, shown[:40]))
    return hits
