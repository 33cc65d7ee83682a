"""Finding cases and residents from one search box, in SQL.

What the text looks like decides where to look: a case number, phone digits (4+), pinyin
initials, or words. On SQLite, words come from the character-and-pair indexes (textindex) of
cases and of residents, then each candidate is checked by the plain substring rule.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from peewee import (
    JOIN,
    SQL,
    Expression,
    NodeList,
    SqliteDatabase,
    fn,
)

from minqing.core.accounts import permissions
from minqing.core.cases import pg_index, textindex
from minqing.core.models import Case, Household, Resident, Staff, database_proxy, format_address
from minqing.core.privacy import mask_phone, mask_phones_in_text
from minqing.core.validate import clean

NUMBER_RE = re.compile(r"^\d{4}-\d{1,6}$")
DIGITS_RE = re.compile(r"^\d{3,}$")
INITIALS_RE = re.compile(r"^[a-z]{1,10}$")
MAX_TERMS = 5
PROBE = 64  # SQLite: a token's rows read to judge how common it is
COMMON = 0.1  # SQLite: a gram in more than this share of the cases is left to the check
NARROW = 3  # SQLite: see _newest
LOOKUP_TOKENS = 4  # SQLite: a term's grams looked up at most (more cost more than they save)
FIRST_BATCH = 150  # candidates read at a time; grows fourfold while too few of them match
MAX_BATCH = 3000  # candidates read at most at a time
WALK_PROBE = 1000  # PostgreSQL: the newest cases read by key first, to see how common a term is
WALK_DENSE = 3  # PostgreSQL: per thousand cases; a rarer term is looked up in the character index
WALK_MOST = 50000  # PostgreSQL: the most cases read by key (about 20 ms); beyond, the index
INDEX_MOST = 20000  # PostgreSQL: candidates the character index may fetch, by the statistics
BY_NAME = 3000  # SQLite: above this many matching residents, list them by the name index
WALK_RESIDENTS = 300  # above this many matching residents, walk the cases newest first
INLINE_RESIDENTS = 20000  # matching residents passed as values up to this many, else a subquery


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


# PostgreSQL: the same character index as SQLite's, as GIN indexes over arrays: every character
# and every pair of neighbouring characters of a case's words, and every three-digit piece of
# its phone and number. A term's pieces are looked up (@>) and the candidates checked by the
# substring rule; 1- and 2-character terms are served too, which pg_trgm can't.
WORDS = '"t1"."text" || \' \' || "t1"."address" || \' \' || "t1"."contact_name"'
DIGITS = '"t1"."contact_phone" || \' \' || "t1"."number"'


def word_grams(term: str) -> list[str]:
    """The pieces a case's words must hold to contain `term` (as minqing_grams cuts them)."""
    chars = [ch for ch in term if not ch.isspace()]
    if len(chars) == 1:
        return chars
    return sorted({term[i : i + 2] for i in range(len(term) - 1)})


def _terms(text: str) -> list[str]:
    return [t for t in clean(text).split() if t][:MAX_TERMS]


def _uses_fts() -> bool:
    return isinstance(database_proxy.obj, SqliteDatabase)


def _indexed_ids(term: str, tokens: list[str] | None = None) -> Any:
    match = textindex.grams_match(tokens or textindex.term_grams(term))
    return SQL("(SELECT rowid FROM case_grams WHERE case_grams MATCH ?)", (match,))


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
        exact = _has(Resident.phone, term) | _has(Resident.id_number, term)
        if _uses_fts():
            candidates = SQL(
                "(SELECT rowid FROM resident_digits WHERE resident_digits MATCH ?)",
                (textindex.digits_phrase(term),),
            )
            return Resident.id.in_(candidates) & exact
        return exact
    if kind == "initials":
        return Resident.initials.startswith(term.lower())
    if _uses_fts():
        # The residents' index names the candidates; the exact test runs on them alone.
        candidates = SQL(
            "(SELECT rowid FROM resident_grams WHERE resident_grams MATCH ?)",
            (textindex.grams_match(textindex.term_grams(term)),),
        )
        if len(term) == 1 and unicodedata.category(term) == "Lo":
            # One Chinese character: the index's answer is exact (no boundary to cross), and
            # for a common one (楼) the check would read every resident.
            return Resident.id.in_(candidates)
        # The household's address, read for the candidates alone (as textindex writes it).
        home = NodeList(
            (
                SQL(f"(SELECT {textindex.HOME} FROM household AS h WHERE h.id ="),
                Resident.household,
                SQL(")"),
            )
        )
        return Resident.id.in_(candidates) & (_has(Resident.name, term) | _has(home, term))
    by_address = Resident.household.in_(
        Household.select(Household.id).where(_has(household_address(), term))
    )
    return _has(Resident.name, term) | by_address


def _sqlite_residents(term: str, kind: str, limit: int) -> Any:
    """SQLite: the ids of the residents a words or digits term finds, as resident_condition
    says, in plain SQL (a search box runs this at every keystroke; building it with peewee
    costs more than running it)."""
    if kind == "digits":
        sql = (
            "SELECT r.id FROM resident AS r WHERE r.id IN "
            "(SELECT rowid FROM resident_digits WHERE resident_digits MATCH ?) "
            "AND (instr(r.phone, ?) > 0 OR instr(r.id_number, ?) > 0) LIMIT ?"
        )
        return database_proxy.obj.execute_sql(
            sql, (textindex.digits_phrase(term), term, term, limit)
        )
    match = textindex.grams_match(textindex.term_grams(term))
    if len(term) == 1 and unicodedata.category(term) == "Lo":
        sql = "SELECT rowid FROM resident_grams WHERE resident_grams MATCH ? LIMIT ?"
        return database_proxy.obj.execute_sql(sql, (match, limit))
    # The candidates once; each candidate household's address is tested once (a courtyard's
    # 800 residents live in 280 households).
    sql = (
        "WITH c(id) AS MATERIALIZED "
        "(SELECT rowid FROM resident_grams WHERE resident_grams MATCH ?) "
        "SELECT r.id FROM resident AS r WHERE r.id IN c AND (instr(r.name, ?) > 0 OR "
        "r.household_id IN (SELECT h.id FROM household AS h WHERE h.id IN "
        "(SELECT household_id FROM resident WHERE id IN c) AND instr("
        + textindex.HOME
        + ", ?) > 0)) LIMIT ?"
    )
    return database_proxy.obj.execute_sql(sql, (match, term, term, limit))


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
    # The index finds the candidates; the exact test drops the rest.
    return by_resident | (Case.id.in_(_indexed_ids(term)) & by_words)


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


def _in(column: Any, term: str) -> Expression:
    """`_has` for the search box's rule. PostgreSQL: strpos, which no index serves: with LIKE
    its planner joins the trigram indexes to the character index's bitmap, and then every
    candidate is rechecked by computing its pieces again (4 s for a courtyard's 30,000 cases
    at a million) instead of by the plain test alone."""
    return _has(column, term) if _uses_fts() else fn.strpos(column, term) > 0


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
# the number's unique index, and the cases of the residents the term finds. The sparsest term
# leads: its candidates are read a batch at a time and checked against every term by the plain
# substring rule (`_Term.exact`, in SQL), until `limit` are found. A rare term is read whole
# in one small batch; a common one fills the limit within its first batch. Either way the work
# is the index lookup, never a scan of the cases.


def _sql_of(node: Expression) -> tuple[str, list[Any]]:
    """A peewee condition as SQL text and parameters, with the query's table alias t1."""
    sql, params = Case.select(Case.id).where(node).sql()
    return sql.split(" WHERE ", 1)[1], list(params)


def _among(column: Any, ids: Any) -> Expression:
    """column IN (ids) with the ids as one parameter: peewee would build a node per value,
    which for thousands of ids costs more than the query itself."""
    values = sorted(ids)
    if _uses_fts():
        return NodeList((column, SQL("IN (SELECT value FROM json_each(?))", [json.dumps(values)])))
    return NodeList((column, SQL("= ANY(%s)", [values])))


# SQLite: a term's rule on the case's own columns, as _Term.own() says it, for alias t1.
_OWN_SQL = {
    "words": '(instr("t1"."text", ?) > 0 OR instr("t1"."address", ?) > 0 '
    'OR instr("t1"."contact_name", ?) > 0)',
    "digits": '(instr("t1"."contact_phone", ?) > 0 OR instr("t1"."number", ?) > 0)',
    "number_digits": '(instr("t1"."number", ?) > 0)',
    "initials": "(0)",
}

Rule = Expression | tuple[str, list[Any]]  # a condition, or (SQLite) its SQL text and parameters


class _Term:
    def __init__(self, term: str, phones: bool = True) -> None:
        self.term = term
        self.kind = _kind(term)
        self._tokens: list[str] | None = None
        self._share: float | None = None
        self._by_resident: Expression | None = None
        self._resident_json: str | None = None
        if self.kind == "digits" and not phones:
            self.kind = "number_digits"  # see resident_condition: digits find numbers only
        # The matching residents' ids, or None when there are too many to pass as values
        # (the SQL condition is used then).
        self.residents: set[int] | None = set()
        if self.kind not in ("number", "number_digits"):
            if _uses_fts() and self.kind in ("words", "digits"):
                cursor = _sqlite_residents(term, self.kind, INLINE_RESIDENTS + 1)
            else:
                query = Resident.select(Resident.id).where(resident_condition(term))
                cursor = database_proxy.obj.execute(query.limit(INLINE_RESIDENTS + 1))
            found = {rid for (rid,) in cursor.fetchall()}
            self.residents = found if len(found) <= INLINE_RESIDENTS else None

    def by_resident(self) -> Expression | None:
        """Cases whose resident the term finds; None when it finds nobody."""
        if self._as_subquery():
            return Case.resident.in_(
                Resident.select(Resident.id).where(resident_condition(self.term))
            )
        if not self.residents:
            return None
        if self._by_resident is None:  # built once: thousands of ids are costly to encode
            column = Case.resident
            if _uses_fts():
                self._by_resident = NodeList(
                    (column, SQL("IN (SELECT value FROM json_each(?))", [self._json()]))
                )
            else:
                self._by_resident = _among(column, self.residents)
        return self._by_resident

    def _json(self) -> str:
        if self._resident_json is None:
            self._resident_json = json.dumps(sorted(self.residents or ()))
        return self._resident_json

    def exact_sql(self, narrow: bool = False) -> tuple[str, list[Any]]:
        """SQLite: exact() as SQL text for the table alias t1, written directly for words
        (a search runs this at every keystroke; building it with peewee costs more than the
        query)."""
        own = _OWN_SQL.get(self.kind)
        if own is None or self.residents is None:
            return _sql_of(self.exact(narrow))
        params: list[Any] = [self.term] * own.count("?")
        if narrow and self.kind == "words":
            own = '+"t1"."id" IN (SELECT rowid FROM case_grams WHERE case_grams MATCH ?) AND ' + own
            params.insert(0, textindex.grams_match(self.tokens()))
        if not self.residents:
            return f"({own})", params
        by_resident = '"t1"."resident_id" IN (SELECT value FROM json_each(?))'
        if not params:  # initials: the residents alone
            return f"({by_resident})", [self._json()]
        return f"({by_resident} OR ({own}))", [self._json(), *params]

    def _as_subquery(self) -> bool:
        """Too many residents to pass as values (PostgreSQL tests `= ANY(array)` row by row
        and plans it poorly; a subquery it joins by hash)."""
        if self.residents is None:
            return True
        return not _uses_fts() and len(self.residents) > WALK_RESIDENTS

    def own(self) -> Expression | None:
        """The rule on the case's own columns (None: the term looks at residents only)."""
        t = self.term
        if self.kind == "number":
            return fn.substr(Case.number, 1, len(t)) == t
        if self.kind == "number_digits":
            return _in(Case.number, t)
        if self.kind == "digits":
            return _in(Case.contact_phone, t) | _in(Case.number, t)
        if self.kind == "initials":
            return None
        return _in(Case.text, t) | _in(Case.address, t) | _in(Case.contact_name, t)

    def indexed(self) -> Expression | None:
        """PostgreSQL: the GIN lookup that finds this term's candidates (None: no index)."""
        if self.kind in ("digits", "number_digits"):
            _, pieces = self._lookup()
            return SQL(f"minqing_digit_grams({DIGITS}) @> %s::text[]", [pieces])
        if self.kind == "words" and self.term.strip():
            _, grams = self._lookup()
            return SQL(f"minqing_grams({WORDS}) @> %s::text[]", [grams])
        return None

    def _lookup(self) -> tuple[str, list[str]]:
        """PostgreSQL: the GIN index and the pieces of the term looked up in it."""
        if self.kind in ("digits", "number_digits"):
            index, grams = "case_digit_grams", textindex.digit_pieces(self.term).split()
        else:
            index, grams = "case_grams", word_grams(self.term)
        return index, pg_index.rarest_grams(database_proxy.obj, index, grams)

    def exact(self, narrow: bool = False) -> Expression:
        """The rule itself, what a person would call a match, as a SQL condition. SQLite,
        `narrow`: the term's own candidates are named from its index first (a set built once
        per statement), so a case that isn't among them is passed over without reading its
        words; the resident test, from the case's index, comes first."""
        if _uses_fts() and self.kind == "words":
            own = self.own()
            if narrow:  # "+": a test on each case, never the loop that finds them
                ids = _indexed_ids(self.term, self.tokens())
                own = NodeList((SQL("+"), Case.id, SQL("IN"), ids)) & own
            by_resident = self.by_resident()
            return own if by_resident is None else by_resident | own
        parts = [c for c in (self.own(), self.by_resident()) if c is not None]
        if not parts:
            return Case.id < 0
        result = parts[0]
        for part in parts[1:]:
            result |= part
        return result

    def _own(self, before: int | None, n: int) -> list[int]:
        """Candidates (a superset, newest first) from the term's own columns."""
        if self.kind == "initials":
            return []
        below = [] if before is None else [Case.id < before]
        if self.kind == "number":
            query = Case.select(Case.id).where(
                _all([(Case.number >= self.term) & (Case.number < self.term + "~"), *below])
            )
            return [i for (i,) in query.order_by(Case.id.desc()).limit(n).tuples()]
        if _uses_fts():
            if self.kind in ("digits", "number_digits"):
                table, match = "case_digits", textindex.digits_phrase(self.term)
            else:
                table, match = self._index_match()
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
        where = self.own()
        assert where is not None
        if not _uses_fts() and self.indexed() is not None:
            # A probe for the lead: the recent cases only (see _walk_then_indexed).
            top = Case.select(fn.MAX(Case.id)).scalar() or 0
            where &= Case.id > top - WALK_PROBE
        if before is not None:
            where &= Case.id < before
        query = Case.select(Case.id).where(where).order_by(Case.id.desc()).limit(n)
        return [i for (i,) in query.tuples()]

    def _by_residents(self, before: int | None, n: int) -> list[int]:
        where = self.by_resident()
        if where is None:
            return []
        if before is not None:
            where &= Case.id < before
        query = Case.select(Case.id).where(where).order_by(Case.id.desc()).limit(n)
        return [i for (i,) in query.tuples()]

    def own_matches(self, exact: Rule, n: int, also: Sequence[str] = ()) -> list[int]:
        """The newest n cases among the term's own candidates that satisfy `exact`: one
        statement that walks the index newest first and stops at n (the index's rowid order
        is the join's order, so nothing is sorted or materialised). SQLite: `also` are other
        terms' tokens every match holds, looked up with the term's own."""
        if self.kind == "initials":
            return []
        if _uses_fts() and self.kind != "number":
            table, match = self._index_match(also)
            condition, params = exact if isinstance(exact, tuple) else _sql_of(exact)
            sql = (
                f'SELECT "t1"."id" FROM {table} JOIN "case" AS "t1" ON "t1"."id" = {table}.rowid '
                f"WHERE {table} MATCH ? AND ({condition}) ORDER BY {table}.rowid DESC LIMIT ?"
            )
            cursor = database_proxy.obj.execute_sql(sql, [match, *params, n])
            return [i for (i,) in cursor.fetchall()]
        if isinstance(exact, tuple):
            exact = SQL(f"({exact[0]})", exact[1])
        if self.kind == "number":
            own = (Case.number >= self.term) & (Case.number < self.term + "~")
        else:
            own = self.own()
            gin = None if _uses_fts() else self.indexed()
            if gin is not None:
                return self._walk_then_indexed(gin, own & exact, n)
        query = Case.select(Case.id).where(own & exact).order_by(Case.id.desc()).limit(n)
        return [i for (i,) in database_proxy.obj.execute(query).fetchall()]

    def _walk_then_indexed(self, gin: Expression, rule: Expression, n: int) -> list[int]:
        """PostgreSQL's per-term plan. The newest cases are read by key, newest first, and
        checked by the rule, a window at a time (WALK_PROBE, then as many as the density seen
        says are still needed, or twice as many): a common term fills the limit there. When
        the term proves rarer than WALK_DENSE per thousand cases and (for a piece or two) the
        planner's statistics promise at most INDEX_MOST candidates, or WALK_MOST cases have been read, the
        character index finds the rest (few candidates to fetch and check; for a common
        piece it would fetch tens of thousands of rows all over the table). Its planner
        can't be left to choose: it guesses a piece-array lookup far too rare when the pieces
        are common (111 rows for 15,000), or walks the key computing each case's pieces."""
        bound = Case.select(fn.MAX(Case.id)).scalar() or 0
        index, grams = self._lookup()
        share = pg_index.share_at_most(database_proxy.obj, index, grams)
        # (Only a term of one or two pieces is judged by it: pieces of a longer phrase come
        # together far more often than their shares say.)
        few = share is None or len(grams) > 2 or share * bound <= INDEX_MOST
        found: list[int] = []
        span = walked = WALK_PROBE
        while True:
            # The window is `span` cases, not ids: ids skipped (refused intakes, deleted
            # cases) would make it hold fewer, and the density seen lower.
            low = (
                Case.select(Case.id)
                .where(Case.id <= bound)
                .order_by(Case.id.desc())
                .offset(span - 1)
                .limit(1)
                .scalar()
            )
            low = (low or 1) - 1
            found += self._ids(rule & (Case.id <= bound) & (Case.id > low), n - len(found))
            bound = low
            if len(found) >= n or bound <= 0:
                return found
            if walked >= WALK_MOST or (few and len(found) * 1000 < WALK_DENSE * walked):
                break
            need = (n - len(found)) * walked * 3 // (2 * len(found)) if found else walked
            span = min(WALK_MOST - walked, need)
            walked += span
        # "id + 0": the key's order is no use to the plan; the index's candidates are sorted.
        # No parallel workers: starting them costs more than the few rows (13 of 21 ms).
        query = (
            Case.select(Case.id)
            .where(gin & rule & (Case.id <= bound))
            .order_by((Case.id + 0).desc())
            .limit(n - len(found))
        )
        with database_proxy.atomic():
            database_proxy.obj.execute_sql("SET LOCAL max_parallel_workers_per_gather = 0")
            return found + [i for (i,) in query.tuples()]

    @staticmethod
    def _ids(where: Expression, n: int) -> list[int]:
        query = Case.select(Case.id).where(where).order_by(Case.id.desc()).limit(n)
        return [i for (i,) in query.tuples()]

    def resident_matches(self, exact: Rule, n: int) -> list[int]:
        if isinstance(exact, tuple):  # SQLite, the rule as SQL text
            if not self.residents:
                if self.residents is not None:
                    return []
                exact = SQL(f"({exact[0]})", exact[1])
            else:
                # Many residents: walk the cases newest first ("+" keeps SQLite off the
                # resident index), else read their cases by it; see below.
                plus = "+" if len(self.residents) > WALK_RESIDENTS else ""
                condition, params = exact
                sql = (
                    f'SELECT "t1"."id" FROM "case" AS "t1" WHERE {plus}"t1"."resident_id" IN '
                    f'(SELECT value FROM json_each(?)) AND ({condition}) ORDER BY "t1"."id" DESC '
                    "LIMIT ?"
                )
                cursor = database_proxy.obj.execute_sql(sql, [self._json(), *params, n])
                return [i for (i,) in cursor.fetchall()]
        where = self.by_resident()
        if where is None:
            return []
        if self.residents is None or len(self.residents) > WALK_RESIDENTS:
            # Many residents, many cases: walking the cases newest first finds n sooner than
            # reading all their cases by the resident index and sorting them ("+" keeps
            # SQLite off that index; PostgreSQL's planner weighs it itself).
            column = NodeList((SQL("+"), Case.resident), glue="") if _uses_fts() else Case.resident
            where = (
                NodeList(
                    (
                        column,
                        SQL("IN"),
                        Resident.select(Resident.id).where(resident_condition(self.term)),
                    )
                )
                if self._as_subquery()
                else _among(column, self.residents or set())
            )
        query = Case.select(Case.id).where(where & exact).order_by(Case.id.desc()).limit(n)
        return [i for (i,) in database_proxy.obj.execute(query).fetchall()]

    def _index_match(self, also: Sequence[str] = ()) -> tuple[str, str]:
        if self.kind in ("digits", "number_digits"):
            return "case_digits", textindex.digits_phrase(self.term)
        return "case_grams", textindex.grams_match(sorted({*self.tokens(), *also}))

    def tokens(self) -> list[str]:
        """SQLite, words: the index tokens to look this term up by. A case holding the term
        holds all of its grams, but walking a gram found in a large share of the cases (号楼2
        is in a third) costs more than it saves, and neighbouring grams (比乐街, 乐街2) mostly
        find the same cases: the check drops what those would. So the rarest gram, then the
        rarer ones (judged from the oldest cases, where the index reads fastest) that share
        no character with one already taken."""
        if self._tokens is None:
            pairs = textindex.term_grams(self.term)
            tokens = pairs
            if len(pairs) > 3:
                share = [_share(t) for t in pairs]
                order = sorted(range(len(pairs)), key=share.__getitem__)
                taken = [order[0]]
                for i in order[1:]:
                    if len(taken) == LOOKUP_TOKENS:
                        break
                    if share[i] <= COMMON and all(abs(i - j) >= 3 for j in taken):
                        taken.append(i)
                tokens = [pairs[i] for i in taken]
            self._tokens = tokens
        return self._tokens

    def share(self) -> float:
        """SQLite: about what share of the cases this term's candidates are (its own index's
        and its residents' cases)."""
        own = self.own_share()
        if self.residents is None:
            return own + 1.0
        people = _resident_count()
        return own + (len(self.residents) / people if people else 0.0)

    def own_share(self) -> float:
        """SQLite: about what share of the cases the term's own index lookup finds."""
        if self._share is not None:
            return self._share
        own = 0.0
        if self.kind in ("digits", "number_digits"):
            own = _share(textindex.digits_phrase(self.term), "case_digits")
        elif self.kind == "words":
            own = min(_share(t) for t in self.tokens())
        self._share = own
        return own

    def candidates(self, before: int | None, n: int) -> list[int]:
        """Up to n candidate ids below `before`, newest first; fewer than n means no more."""
        merged = set(self._own(before, n)) | set(self._by_residents(before, n))
        return sorted(merged, reverse=True)[:n]


def _check(ids: list[int], terms: list[_Term]) -> list[int]:
    """The ids (newest first) of the cases that match every term."""
    if not ids:
        return []
    where = _among(Case.id, ids)
    for term in terms:
        where &= term.exact()
    query = Case.select(Case.id).where(where).order_by(Case.id.desc())
    return [cid for (cid,) in query.tuples()]


def newest_case_ids(text: str, limit: int = 50, phones: bool = True) -> list[int]:
    """The ids of the newest `limit` cases matching every term, newest first."""
    return _newest([_Term(t, phones) for t in _terms(text)], limit)


_SHARES: dict[tuple[int, str, str], float] = {}  # (database, table, match) → _share's answer
_SHARES_KEPT = 600.0  # seconds a remembered share is trusted (an office's cases grow)
_shares_since = [0.0]


def _share(match: str, table: str = "case_grams") -> float:
    """About what share of the cases hold `match` (an index's MATCH expression), from the rowid
    of its PROBE-th oldest row (the oldest are read fastest; cases are numbered from 1); 0 when
    fewer rows hold it. Remembered for ten minutes: the shares move slowly, and they only
    choose the plan, never the answer (addresses share most of their grams: 号楼2, 2单元)."""
    database = database_proxy.obj
    key = (id(database), table, match)
    if key not in _SHARES or time.monotonic() - _shares_since[0] > _SHARES_KEPT:
        if len(_SHARES) > 20000 or time.monotonic() - _shares_since[0] > _SHARES_KEPT:
            _SHARES.clear()
            _shares_since[0] = time.monotonic()
        row = database.execute_sql(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid LIMIT 1 OFFSET ?",
            (match, PROBE - 1),
        ).fetchone()
        _SHARES[key] = 0.0 if row is None else PROBE / max(PROBE, row[0])
    return _SHARES[key]


def _resident_count() -> int:
    """About how many residents there are (their highest id: residents are rarely deleted)."""
    return database_proxy.obj.execute_sql("SELECT max(id) FROM resident").fetchone()[0] or 0


def _all_sql(rules: list[tuple[str, list[Any]]]) -> tuple[str, list[Any]]:
    return " AND ".join(sql for sql, _ in rules), [p for _, params in rules for p in params]


def _sparsity(batch: list[int], size: int) -> tuple[int, float]:
    """Lower is sparser: a whole set (fewer than a batch) by its size, else by how densely
    its first batch packs the ids (a term in one case of ten spans ten times the ids)."""
    if len(batch) < size:
        return 0, len(batch)
    return 1, -(batch[0] - batch[-1])


def _newest(terms: list[_Term], limit: int) -> list[int]:
    """The sparsest term leads: its own index and its residents' cases, each walked newest
    first with every term's exact rule, each stopping at `limit`."""
    if not terms or limit <= 0:
        return []
    also: list[str] = []
    if len(terms) == 1:
        lead = terms[0]  # one term leads itself: no probe
    elif not _uses_fts():
        size = FIRST_BATCH
        lead = min(terms, key=lambda t: _sparsity(t.candidates(None, size), size))
    else:
        # SQLite: the term whose candidates are the fewest leads. A term that finds no
        # resident matches only by its own words: its tokens narrow the lead's lookup.
        lead = min(terms, key=_Term.share)
        also = [
            token
            for t in terms
            if t is not lead and t.kind == "words" and t.residents == set()
            for token in t.tokens()
        ]
        # Walking the lead's residents' cases, another term's own candidates are named from
        # its index first when they are fewer than about those cases: building that set costs
        # less than reading every case's words. (Walking the lead's own index, each case is
        # read anyway.)
        people = _resident_count()
        walked = 1.0 if lead.residents is None or not people else len(lead.residents) / people
        own = _all_sql([t.exact_sql() for t in terms])
        others = [t for t in terms if t is not lead]  # the lead's residents match the lead
        narrowed = _all_sql(
            [t.exact_sql(t.kind == "words" and t.own_share() < NARROW * walked) for t in others]
        )
        found = set(lead.own_matches(own, limit, also)) | set(
            lead.resident_matches(narrowed, limit)
        )
        return sorted(found, reverse=True)[:limit]
    if _uses_fts():  # one term: its residents' cases match it, whatever their words
        found = set(lead.own_matches(lead.exact_sql(), limit))
        found |= set(lead.resident_matches(("1", []), limit))
        return sorted(found, reverse=True)[:limit]
    exact = _all([t.exact() for t in terms])
    found = set(lead.own_matches(exact, limit, also)) | set(lead.resident_matches(exact, limit))
    return sorted(found, reverse=True)[:limit]


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
    known = [t.residents for t in terms if t.residents is not None]
    people: set[int] | None = set.intersection(*known) if known else None
    residents: list[tuple[Any, ...]] = []
    if people is not None and people and _uses_fts():
        # Most residents (楼 is in every address): walk the names in order until 20 are found
        # rather than sort them all.
        by_name = "INDEXED BY resident_name " if len(people) > BY_NAME else ""
        residents = database_proxy.obj.execute_sql(
            "SELECT r.id, r.name, r.phone, h.id, h.courtyard, h.building, h.unit, h.door "
            f"FROM resident AS r {by_name}LEFT JOIN household AS h ON h.id = r.household_id "
            "WHERE r.id IN (SELECT value FROM json_each(?)) AND r.status = 'active' "
            "ORDER BY r.name, r.id LIMIT ?",
            (json.dumps(sorted(people)), min(limit, 20)),
        ).fetchall()
    elif people is None or people:
        chosen = (
            _among(Resident.id, people)
            if people is not None and (_uses_fts() or len(people) <= WALK_RESIDENTS)
            else _all([resident_condition(t.term, phones) for t in terms])
        )
        query = (  # plain rows, not models: a hit needs five columns
            Resident.select(
                Resident.id,
                Resident.name,
                Resident.phone,
                Household.id,
                Household.courtyard,
                Household.building,
                Household.unit,
                Household.door,
            )
            .join(Household, on=(Resident.household == Household.id), join_type=JOIN.LEFT_OUTER)
            .where(chosen & (Resident.status == "active"))
            .order_by(Resident.name, Resident.id)
            .limit(min(limit, 20))
        )
        residents = database_proxy.obj.execute(query).fetchall()
    hits = [
        SearchHit(
            "resident",
            rid,
            name,
            " ".join(
                x
                for x in (
                    format_address(*home[1:]) if home[0] is not None else "",
                    phone if full else mask_phone(phone or ""),
                )
                if x
            ),
        )
        for rid, name, phone, *home in residents
    ]
    ids = _newest(terms, limit)
    if ids and _uses_fts():
        rows = database_proxy.obj.execute_sql(
            'SELECT id, number, text, owner_id FROM "case" '
            "WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id DESC",
            (json.dumps(ids),),
        ).fetchall()
    elif ids:
        query = (
            Case.select(Case.id, Case.number, Case.text, Case.owner)
            .where(_among(Case.id, ids))
            .order_by(Case.id.desc())
        )
        rows = database_proxy.obj.execute(query).fetchall()
    else:
        rows = []
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
