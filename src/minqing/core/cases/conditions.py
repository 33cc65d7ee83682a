"""What one term of the search box matches, as SQL conditions: the rule the board's and the
case list's filters use (`case_filter`), and the pieces the search box's walk (newest.py)
checks its candidates with.

What the term looks like decides where to look: a case number, phone digits (3+), pinyin
initials, or words. On SQLite, words come from the character-and-pair indexes (textindex) of
cases and of residents; each candidate is then checked by the plain substring rule.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from peewee import SQL, Expression, NodeList, SqliteDatabase, fn

from minqing.core.cases import textindex
from minqing.core.models import Case, Household, Resident, database_proxy
from minqing.core.validate import clean

NUMBER_RE = re.compile(r"^\d{4}-\d{1,6}$")
DIGITS_RE = re.compile(r"^\d{3,}$")
INITIALS_RE = re.compile(r"^[a-z]{1,10}$")
MAX_TERMS = 5


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


def split_terms(text: str) -> list[str]:
    return [t for t in clean(text).split() if t][:MAX_TERMS]


def uses_fts() -> bool:
    return isinstance(database_proxy.obj, SqliteDatabase)


def indexed_ids(term: str, tokens: list[str] | None = None) -> Any:
    match = textindex.grams_match(tokens or textindex.term_grams(term))
    return SQL("(SELECT rowid FROM case_grams WHERE case_grams MATCH ?)", (match,))


def digit_ids(term: str) -> Any:
    return SQL(
        "(SELECT rowid FROM case_digits WHERE case_digits MATCH ?)",
        (textindex.digits_phrase(term),),
    )


def kind_of(term: str) -> str:
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
    kind = kind_of(term)
    if kind == "digits":
        if not phones:
            return Resident.id < 0
        exact = has(Resident.phone, term) | has(Resident.id_number, term)
        if uses_fts():
            candidates = SQL(
                "(SELECT rowid FROM resident_digits WHERE resident_digits MATCH ?)",
                (textindex.digits_phrase(term),),
            )
            return Resident.id.in_(candidates) & exact
        return exact
    if kind == "initials":
        return Resident.initials.startswith(term.lower())
    if uses_fts():
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
        return Resident.id.in_(candidates) & (has(Resident.name, term) | has(home, term))
    by_address = Resident.household.in_(
        Household.select(Household.id).where(has(household_address(), term))
    )
    return has(Resident.name, term) | by_address


def case_condition(term: str, phones: bool = True) -> Expression:
    """Cases matching one term, by number, contact, text, address or their resident (SQL, for
    the board's filter; `find_cases` answers the search box faster with the same rule).
    Without `phones` digits match case numbers only (see resident_condition)."""
    kind = kind_of(term)
    if kind == "number":
        return Case.number.startswith(term)
    if kind == "digits" and not phones:
        return has(Case.number, term)
    residents = Resident.select(Resident.id).where(resident_condition(term))
    by_resident = Case.resident.in_(residents)
    if kind == "digits":
        if uses_fts():
            return by_resident | (
                Case.id.in_(digit_ids(term))
                & (has(Case.contact_phone, term) | has(Case.number, term))
            )
        return _any_of(term, by_resident, Case.contact_phone, Case.number)
    if kind == "initials":
        return by_resident
    if not uses_fts():
        return _any_of(term, by_resident, Case.text, Case.address, Case.contact_name)
    by_words = has(Case.text, term) | has(Case.address, term) | has(Case.contact_name, term)
    # The index finds the candidates; the exact test drops the rest.
    return by_resident | (Case.id.in_(indexed_ids(term)) & by_words)


def _any_of(term: str, by_resident: Expression, *columns: Any) -> Expression:
    """The resident condition or a substring of any column. On PostgreSQL, for 3+ characters,
    a UNION of one query per column, so that each uses its trigram index (an OR across a
    subquery can't; at a million cases that is one second against a few milliseconds)."""
    if uses_fts() or len(term) < 3:
        result = by_resident
        for column in columns:
            result |= has(column, term)
        return result
    ids = Case.select(Case.id).where(by_resident)
    for column in columns:
        ids = ids.union(Case.select(Case.id).where(has(column, term)))
    return Case.id.in_(ids)


def has(column: Any, term: str) -> Expression:
    """Substring test, case-sensitive like Python's `in`. On SQLite instr() is a plain byte
    search, a third faster than LIKE over 100k rows of text, and it needs no escaping;
    elsewhere LIKE with escaping, which PostgreSQL's trigram index serves."""
    if uses_fts():
        return fn.instr(column, term) > 0
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return NodeList((column, SQL("LIKE"), "%" + escaped + "%", SQL("ESCAPE '\\'")))


def contains(column: Any, term: str) -> Expression:
    """`has` for the search box's rule. PostgreSQL: strpos, which no index serves: with LIKE
    its planner joins the trigram indexes to the character index's bitmap, and then every
    candidate is rechecked by computing its pieces again (4 s for a courtyard's 30,000 cases
    at a million) instead of by the plain test alone."""
    return has(column, term) if uses_fts() else fn.strpos(column, term) > 0


def all_of(conditions: list[Expression]) -> Expression:
    result = conditions[0]
    for extra in conditions[1:]:
        result &= extra
    return result


def case_filter(text: str, phones: bool = True) -> Expression | None:
    """The WHERE clause for cases matching every term; None for an empty search."""
    terms = split_terms(text)
    return all_of([case_condition(t, phones) for t in terms]) if terms else None
