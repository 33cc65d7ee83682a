"""Finding cases and residents from one search box: residents first, then the newest cases,
masked for the viewer. What a term matches is conditions.py's rule; the newest matching cases
come from newest.py's walk of the indexes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from peewee import JOIN

from minqing.core.accounts import permissions
from minqing.core.cases.conditions import all_of, resident_condition, split_terms, uses_fts
from minqing.core.cases.newest import WALK_RESIDENTS, Term, among, newest_case_ids, newest_ids
from minqing.core.models import Case, Household, Resident, Staff, database_proxy, format_address
from minqing.core.privacy import mask_phone, mask_phones_in_text

BY_NAME = 3000  # SQLite: above this many matching residents, list them by the name index


@dataclass
class SearchHit:
    kind: str  # "case" | "resident"
    id: int
    title: str
    detail: str


def find_cases(text: str, limit: int = 50, phones: bool = True) -> list[Case]:
    ids = newest_case_ids(text, limit, phones)
    if not ids:
        return []
    return list(Case.select().where(Case.id.in_(ids)).order_by(Case.id.desc()))


def find_residents(
    text: str, limit: int = 20, include_inactive: bool = False, phones: bool = True
) -> list[Resident]:
    terms = split_terms(text)
    if not terms:
        return []
    where = all_of([resident_condition(t, phones) for t in terms])
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
    terms = [Term(t, phones) for t in split_terms(text)]
    if not terms:
        return []
    known = [t.residents for t in terms if t.residents is not None]
    people: set[int] | None = set.intersection(*known) if known else None
    residents: list[tuple[Any, ...]] = []
    if people is not None and people and uses_fts():
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
            among(Resident.id, people)
            if people is not None and (uses_fts() or len(people) <= WALK_RESIDENTS)
            else all_of([resident_condition(t.term, phones) for t in terms])
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
    ids = newest_ids(terms, limit)
    if ids and uses_fts():
        rows = database_proxy.obj.execute_sql(
            'SELECT id, number, text, owner_id FROM "case" '
            "WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id DESC",
            (json.dumps(ids),),
        ).fetchall()
    elif ids:
        query = (
            Case.select(Case.id, Case.number, Case.text, Case.owner)
            .where(among(Case.id, ids))
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
