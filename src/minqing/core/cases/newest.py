"""The search box's walk: the newest cases matching every term, read from the indexes.

Each term names its candidates, newest first, from an index: the character or digit index,
the number's unique index, and the cases of the residents the term finds. The sparsest term
leads: its candidates are walked newest first and checked against every term by the plain
substring rule (`Term.exact`, in SQL), until `limit` are found. A rare term is read whole; a
common one fills the limit among its newest cases. Either way the work is the index lookup,
never a scan of the cases. The rule itself is conditions.py's.
"""

from __future__ import annotations

import json
import time
import unicodedata
from collections.abc import Sequence
from typing import Any

from peewee import SQL, Expression, NodeList, fn

from minqing.core.cases import pg_index, textindex
from minqing.core.cases.conditions import (
    DIGITS,
    WORDS,
    all_of,
    contains,
    indexed_ids,
    kind_of,
    resident_condition,
    split_terms,
    uses_fts,
    word_grams,
)
from minqing.core.models import Case, Resident, database_proxy

PROBE = 64  # SQLite: a token's rows read to judge how common it is
COMMON = 0.1  # SQLite: a gram in more than this share of the cases is left to the check
NARROW = 3  # SQLite: see newest_ids
LOOKUP_TOKENS = 4  # SQLite: a term's grams looked up at most (more cost more than they save)
FIRST_BATCH = 150  # PostgreSQL: each term's newest candidates read to choose the lead
WALK_PROBE = 1000  # PostgreSQL: the newest cases read by key first, to see how common a term is
WALK_DENSE = 3  # PostgreSQL: per thousand cases; a rarer term is looked up in the character index
WALK_MOST = 50000  # PostgreSQL: the most cases read by key (about 20 ms); beyond, the index
INDEX_MOST = 20000  # PostgreSQL: candidates the character index may fetch, by the statistics
WALK_RESIDENTS = 300  # above this many matching residents, walk the cases newest first
INLINE_RESIDENTS = 20000  # matching residents passed as values up to this many, else a subquery


def _sql_of(node: Expression) -> tuple[str, list[Any]]:
    """A peewee condition as SQL text and parameters, with the query's table alias t1."""
    sql, params = Case.select(Case.id).where(node).sql()
    return sql.split(" WHERE ", 1)[1], list(params)


def among(column: Any, ids: Any) -> Expression:
    """column IN (ids) with the ids as one parameter: peewee would build a node per value,
    which for thousands of ids costs more than the query itself."""
    values = sorted(ids)
    if uses_fts():
        return NodeList((column, SQL("IN (SELECT value FROM json_each(?))", [json.dumps(values)])))
    return NodeList((column, SQL("= ANY(%s)", [values])))


# SQLite: a term's rule on the case's own columns, as Term.own() says it, for alias t1.
_OWN_SQL = {
    "words": '(instr("t1"."text", ?) > 0 OR instr("t1"."address", ?) > 0 '
    'OR instr("t1"."contact_name", ?) > 0)',
    "digits": '(instr("t1"."contact_phone", ?) > 0 OR instr("t1"."number", ?) > 0)',
    "number_digits": '(instr("t1"."number", ?) > 0)',
    "initials": "(0)",
}

Rule = Expression | tuple[str, list[Any]]  # a condition, or (SQLite) its SQL text and parameters


class Term:
    def __init__(self, term: str, phones: bool = True) -> None:
        self.term = term
        self.kind = kind_of(term)
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
            if uses_fts() and self.kind in ("words", "digits"):
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
            if uses_fts():
                self._by_resident = NodeList(
                    (column, SQL("IN (SELECT value FROM json_each(?))", [self._json()]))
                )
            else:
                self._by_resident = among(column, self.residents)
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
        return not uses_fts() and len(self.residents) > WALK_RESIDENTS

    def own(self) -> Expression | None:
        """The rule on the case's own columns (None: the term looks at residents only)."""
        t = self.term
        if self.kind == "number":
            return fn.substr(Case.number, 1, len(t)) == t
        if self.kind == "number_digits":
            return contains(Case.number, t)
        if self.kind == "digits":
            return contains(Case.contact_phone, t) | contains(Case.number, t)
        if self.kind == "initials":
            return None
        return contains(Case.text, t) | contains(Case.address, t) | contains(Case.contact_name, t)

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
        if uses_fts() and self.kind == "words":
            own = self.own()
            if narrow:  # "+": a test on each case, never the loop that finds them
                ids = indexed_ids(self.term, self.tokens())
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
                all_of([(Case.number >= self.term) & (Case.number < self.term + "~"), *below])
            )
            return [i for (i,) in query.order_by(Case.id.desc()).limit(n).tuples()]
        if uses_fts():
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
        if not uses_fts() and self.indexed() is not None:
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
        if uses_fts() and self.kind != "number":
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
            gin = None if uses_fts() else self.indexed()
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
            column = NodeList((SQL("+"), Case.resident), glue="") if uses_fts() else Case.resident
            where = (
                NodeList(
                    (
                        column,
                        SQL("IN"),
                        Resident.select(Resident.id).where(resident_condition(self.term)),
                    )
                )
                if self._as_subquery()
                else among(column, self.residents or set())
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


def newest_case_ids(text: str, limit: int = 50, phones: bool = True) -> list[int]:
    """The ids of the newest `limit` cases matching every term, newest first."""
    return newest_ids([Term(t, phones) for t in split_terms(text)], limit)


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


def newest_ids(terms: list[Term], limit: int) -> list[int]:
    """The sparsest term leads: its own index and its residents' cases, each walked newest
    first with every term's exact rule, each stopping at `limit`."""
    if not terms or limit <= 0:
        return []
    also: list[str] = []
    if len(terms) == 1:
        lead = terms[0]  # one term leads itself: no probe
    elif not uses_fts():
        size = FIRST_BATCH
        lead = min(terms, key=lambda t: _sparsity(t.candidates(None, size), size))
    else:
        # SQLite: the term whose candidates are the fewest leads. A term that finds no
        # resident matches only by its own words: its tokens narrow the lead's lookup.
        lead = min(terms, key=Term.share)
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
    if uses_fts():  # one term: its residents' cases match it, whatever their words
        found = set(lead.own_matches(lead.exact_sql(), limit))
        found |= set(lead.resident_matches(("1", []), limit))
        return sorted(found, reverse=True)[:limit]
    exact = all_of([t.exact() for t in terms])
    found = set(lead.own_matches(exact, limit, also)) | set(lead.resident_matches(exact, limit))
    return sorted(found, reverse=True)[:limit]


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
