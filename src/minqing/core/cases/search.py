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
    NodeList,
    PostgresqlDatabase,
    SqliteDatabase,
    fn,
)

from minqing.core.accounts import permissions
from minqing.core.cases import textindex
from minqing.core.models import Case, Household, Resident, Staff, database_proxy
from minqing.core.privacy import mask_phone, mask_phones_in_text
from minqing.core.validate import clean

NUMBER_RE = re.compile(r"^\d{4}-\d{1,6}$")
DIGITS_RE = re.compile(r"^\d{3,}$")
INITIALS_RE = re.compile(r"^[a-z]{1,10}$")
MAX_TERMS = 5
FIRST_BATCH = 150  # candidates read at a time; grows fourfold while too few of them match
MAX_BATCH = 3000  # ids per IN (...) list, well inside any SQLite's variable limit
INLINE_RESIDENTS = 500  # matching residents passed as values up to this many, else a subquery


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


def _digit_ids(term: str) -> Any:
    return SQL(
        "(SELECT rowid FROM case_digits WHERE case_digits MATCH ?)",
        (textindex.digits_phrase(term),),
    )


def _kind(term: str) -> str:
    if NUMBER_RE.match(term):
        return "number"
    if DIGITS_RE.match(term):
        return "digits"
    if INITIALS_RE.match(term.lower()):
        return "initials"
    return "words"


def resident_condition(term: str, phones: bool = True) -> Expression:
    """Residents matching one term: phone or ID digits, initials, name or address. Without
    `phones` (a viewer who may not see personal data) digits find no one: a full number would
    otherwise say whose it is."""
    kind = _kind(term)
    if kind == "digits":
        if not phones:
            return Resident.id < 0
        return _has(Resident.phone, term) | _has(Resident.id_number, term)
    if kind == "initials":
        return Resident.initials.startswith(term.lower())
    by_address = Resident.household.in_(
        Household.select(Household.id).where(_has(household_address(), term))
    )
    return _has(Resident.name, term) | by_address


def case_condition(term: str, phones: bool = True) -> Expression:
    """Cases matching one term, by number, contact, text, address or their resident (SQL, for
    the board's filter; `find_cases` answers the search box faster with the same rule).
    Without `phones` digits match case numbers only (see resident_condition)."""
    kind = _kind(term)
    if kind == "number":
        return Case.number.startswith(term)
    if kind == "digits" and not phones:
        return _has(Case.number, term)
    residents = Resident.select(Resident.id).where(resident_condition(term))
    by_resident = Case.resident.in_(residents)
    if kind == "digits":
        if _uses_fts():
            return by_resident | (
                Case.id.in_(_digit_ids(term))
                & (_has(Case.contact_phone, term) | _has(Case.number, term))
            )
        return _any_of(term, by_resident, Case.contact_phone, Case.number)
    if kind == "initials":
        return by_resident
    if not _uses_fts():
        return _any_of(term, by_resident, Case.text, Case.address, Case.contact_name)
    by_words = _has(Case.text, term) | _has(Case.address, term) | _has(Case.contact_name, term)
    if any(ch.isalnum() for ch in term):
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
    """Substring test, case-sensitive like Python's `in`. On SQLite instr() is a plain byte
    search, a third faster than LIKE over 100k rows of text, and it needs no escaping;
    elsewhere LIKE with escaping, which PostgreSQL's trigram index serves."""
    if _uses_fts():
        return fn.instr(column, term) > 0
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return NodeList((column, SQL("LIKE"), "%" + escaped + "%", SQL("ESCAPE '\\'")))


def _all(conditions: list[Expression]) -> Expression:
    result = conditions[0]
    for extra in conditions[1:]:
        result &= extra
    return result


def case_filter(text: str, phones: bool = True) -> Expression | None:
    """The WHERE clause for cases matching every term; None for an empty search."""
    terms = _terms(text)
    return _all([case_condition(t, phones) for t in terms]) if terms else None


# --- the search box: the newest matching cases, read from the indexes -------------------------
#
# Each term names its candidates, newest first, from an index: the character or digit index,
# the number's unique index, and the cases of the residents the term finds. The term with the
# fewest candidates leads; its candidates are read a batch at a time and each is checked
# against every term by the plain substring rule (`_Term.matches`), until `limit` are found.
# A rare term is read whole in one small batch; a common one fills the limit within its first
# batch. Either way the work is the index lookup, never a scan of the cases.


class _Term:
    def __init__(self, term: str, phones: bool = True) -> None:
        self.term = term
        self.kind = _kind(term)
        if self.kind == "digits" and not phones:
            self.kind = "number_digits"  # see resident_condition: digits find numbers only
        self.residents: set[int] = set()
        if self.kind not in ("number", "number_digits"):
            self.residents = _resident_ids(term, self.kind)

    def matches(
        self, number: str, phone: str, name: str, address: str, text: str, rid: Any
    ) -> bool:
        """The rule itself, on one case's values: what a person would call a match."""
        t = self.term
        if self.kind == "number":
            return number.startswith(t)
        if self.kind == "number_digits":
            return t in number
        if rid in self.residents:
            return True
        if self.kind == "digits":
            return t in phone or t in number
        if self.kind == "initials":
            return False
        return t in text or t in address or t in name

    def _own(self, before: int | None, n: int) -> list[int]:
        """Candidates (a superset, newest first) from the term's own columns."""
        if self.kind == "initials":
            return []
        if self.kind == "number_digits":
            return self._scan(before, n)
        below = [] if before is None else [Case.id < before]
        if self.kind == "number":
            query = Case.select(Case.id).where(
                _all([(Case.number >= self.term) & (Case.number < self.term + "~"), *below])
            )
            return [i for (i,) in query.order_by(Case.id.desc()).limit(n).tuples()]
        if _uses_fts():
            if self.kind == "digits":
                table, match = "case_digits", textindex.digits_phrase(self.term)
            elif any(ch.isalnum() for ch in self.term):
                table, match = "case_chars", textindex.phrase(self.term)
            else:
                return self._scan(before, n)
            sql = f"SELECT rowid FROM {table} WHERE {table} MATCH ?"
            params: list[Any] = [match]
            if before is not None:
                sql += " AND rowid < ?"
                params.append(before)
            sql += " ORDER BY rowid DESC LIMIT ?"
            params.append(n)
            return [i for (i,) in database_proxy.obj.execute_sql(sql, params).fetchall()]
        return self._scan(before, n)

    def _scan(self, before: int | None, n: int) -> list[int]:
        if self.kind == "digits":
            where = _has(Case.contact_phone, self.term) | _has(Case.number, self.term)
        elif self.kind == "number_digits":
            where = _has(Case.number, self.term)
        else:
            where = (
                _has(Case.text, self.term)
                | _has(Case.address, self.term)
                | _has(Case.contact_name, self.term)
            )
        if before is not None:
            where &= Case.id < before
        query = Case.select(Case.id).where(where).order_by(Case.id.desc()).limit(n)
        return [i for (i,) in query.tuples()]

    def _by_residents(self, before: int | None, n: int) -> list[int]:
        if not self.residents:
            return []
        if len(self.residents) <= INLINE_RESIDENTS:
            where = Case.resident.in_(sorted(self.residents))
        else:
            where = Case.resident.in_(
                Resident.select(Resident.id).where(resident_condition(self.term))
            )
        if before is not None:
            where &= Case.id < before
        query = Case.select(Case.id).where(where).order_by(Case.id.desc()).limit(n)
        return [i for (i,) in query.tuples()]

    def candidates(self, before: int | None, n: int) -> list[int]:
        """Up to n candidate ids below `before`, newest first; fewer than n means no more."""
        merged = set(self._own(before, n)) | set(self._by_residents(before, n))
        return sorted(merged, reverse=True)[:n]


def _resident_ids(term: str, kind: str) -> set[int]:
    """The ids of the residents `resident_condition` finds; for words the households first,
    as values (two small scans instead of one scan re-testing a subquery)."""
    if kind != "words":
        query = Resident.select(Resident.id).where(resident_condition(term))
        return {rid for (rid,) in query.tuples()}
    homes = [
        hid
        for (hid,) in Household.select(Household.id).where(_has(household_address(), term)).tuples()
    ]
    where = _has(Resident.name, term)
    if homes:
        where |= Resident.household.in_(
            homes
            if len(homes) <= INLINE_RESIDENTS
            else Household.select(Household.id).where(_has(household_address(), term))
        )
    return {rid for (rid,) in Resident.select(Resident.id).where(where).tuples()}


def _check(ids: list[int], terms: list[_Term]) -> list[int]:
    """The ids (newest first) of the cases that match every term."""
    if not ids:
        return []
    rows = (
        Case.select(
            Case.id,
            Case.number,
            Case.contact_phone,
            Case.contact_name,
            Case.address,
            Case.text,
            Case.resident,
        )
        .where(Case.id.in_(ids))
        .tuples()
    )
    good = [
        cid
        for cid, number, phone, name, address, text, rid in rows
        if all(
            t.matches(number or "", phone or "", name or "", address or "", text or "", rid)
            for t in terms
        )
    ]
    return sorted(good, reverse=True)


def newest_case_ids(text: str, limit: int = 50, phones: bool = True) -> list[int]:
    """The ids of the newest `limit` cases matching every term, newest first."""
    return _newest([_Term(t, phones) for t in _terms(text)], limit)


def _newest(terms: list[_Term], limit: int) -> list[int]:
    if not terms or limit <= 0:
        return []
    size = min(max(FIRST_BATCH, 2 * limit), MAX_BATCH)
    probes = [(t, t.candidates(None, size)) for t in terms]
    # A term whose candidates all fit in one batch leads (the fewest first); else the first.
    lead, batch = min(probes, key=lambda p: (len(p[1]) >= size, len(p[1])))
    found: list[int] = []
    while True:
        found.extend(_check(batch, terms))
        if len(found) >= limit or len(batch) < size:
            return found[:limit]
        size = min(size * 4, MAX_BATCH)
        batch = lead.candidates(batch[-1], size)


def find_cases(text: str, limit: int = 50, phones: bool = True) -> list[Case]:
    ids = newest_case_ids(text, limit, phones)
    if not ids:
        return []
    return list(Case.select().where(Case.id.in_(ids)).order_by(Case.id.desc()))


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
    terms = [_Term(t, phones) for t in _terms(text)]
    if not terms:
        return []
    people: set[int] = set.intersection(*(t.residents for t in terms))
    residents: list[Resident] = []
    if people:
        chosen = (
            Resident.id.in_(sorted(people))
            if len(people) <= MAX_BATCH
            else _all([resident_condition(t.term, phones) for t in terms])
        )
        residents = list(
            Resident.select(Resident, Household)
            .join(Household, on=(Resident.household == Household.id), join_type=JOIN.LEFT_OUTER)
            .where(chosen & (Resident.status == "active"))
            .order_by(Resident.name, Resident.id)
            .limit(min(limit, 20))
        )
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
        for r in residents
    ]
    ids = _newest(terms, limit)
    if ids:
        rows = (
            Case.select(Case.id, Case.number, Case.text, Case.owner)
            .where(Case.id.in_(ids))
            .order_by(Case.id.desc())
            .tuples()
        )
        hits.extend(
            SearchHit("case", cid, number, _shown(viewer, full, body or "", owner)[:40])
            for cid, number, body, owner in rows
        )
    return hits


def _shown(viewer: Staff | None, full: bool, text: str, owner_id: int | None) -> str:
    """A case's words in a hit, as the viewer may see them (an owner sees their own cases')."""
    if full or (viewer is not None and owner_id == viewer.id):
        return text
    return mask_phones_in_text(text)
