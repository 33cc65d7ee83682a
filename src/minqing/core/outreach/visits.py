"""进百家门: every household visited at least once a year. Recording a visit, optionally
opening a case from what was learned (channel 入户走访) in the same transaction; coverage by
grid and the households still to visit, in walking order (grid, courtyard, building, unit, door).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peewee import JOIN, fn
from peewee import Case as SqlCase

from minqing.core import validate
from minqing.core.accounts import permissions
from minqing.core.cases import services as cases
from minqing.core.enums import Channel
from minqing.core.errors import DomainError
from minqing.core.models import (
    Case,
    Community,
    Grid,
    Household,
    Resident,
    Staff,
    Window,
    database_proxy,
    format_address,
)
from minqing.core.registry.models import Visit
from minqing.core.registry.services import ADDRESS_ORDER, get_household, get_resident
from minqing.core.spreadsheet import Progress, write_table


@dataclass
class VisitResult:
    visit: Visit
    case: Case | None


def record_visit(
    household: Household | int,
    *,
    staff: Staff | int,
    visited_on: dt.date | str | None = None,
    learned: str = "",
    open_case: bool = False,
    window: Window | int | None = None,
    case_text: str = "",
    resident: Resident | int | None = None,
    urgent: bool = False,
    actor: Staff | None = None,
) -> VisitResult:
    """One visit; with `open_case` a case is taken in from it (text: `case_text` or `learned`)."""
    permissions.require(actor, "visit.record")
    home = get_household(household)
    if staff in (None, ""):
        raise DomainError("staff", "请选择走访的工作人员。")
    visitor = staff if isinstance(staff, Staff) else Staff.get_by_id(int(staff))
    day = validate.date_value("visited_on", visited_on, "走访日期") or dt.date.today()
    if day > dt.date.today():
        raise DomainError("visited_on", "走访日期不能晚于今天。")
    learned = validate.optional_text("learned", learned, "了解到的情况", validate.MAX_TEXT)
    person = get_resident(resident) if resident not in (None, "") else None
    if person is not None and person.household_id != home.id:
        raise DomainError("resident", f"{person.name} 不是这一户的居民。")
    with database_proxy.atomic():
        case = None
        if open_case:
            if person is None:
                person = (
                    Resident.select()
                    .where((Resident.household == home) & (Resident.status == "active"))
                    .order_by(Resident.id)
                    .first()
                )
            text = validate.required_text("case_text", case_text or learned, "民情内容")
            taken_at = dt.datetime.combine(day, dt.time(10)) if day < dt.date.today() else None
            case = cases.take_in(
                channel=Channel.HOME_VISIT,
                text=text,
                window=window,
                first_responder=visitor,
                resident=person,
                contact_name="" if person else f"{home.address}住户",
                address=home.address,
                urgent=urgent,
                taken_at=taken_at,
            ).case
            if case.household_id is None:
                Case.update(household=home).where(Case.id == case.id).execute()
                case = Case.get_by_id(case.id)
        visit = Visit.create(
            household=home, visited_on=day, staff=visitor, learned=learned, case=case
        )
    return VisitResult(visit, case)


def _year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _occupied(community: Community | int) -> Any:
    """Households with someone living there: an empty flat is not on the round."""
    alive = Resident.select(Resident.household).where(Resident.status == "active")
    return (Household.community == community) & Household.id.in_(alive)


def _visited_ids(year: int) -> Any:
    start, end = _year_range(year)
    return Visit.select(Visit.household).where(Visit.visited_on.between(start, end))


@dataclass
class Coverage:
    grid_id: int | None
    grid: str
    staff: str
    households: int
    visited: int

    @property
    def percent(self) -> float:
        return 100.0 * self.visited / self.households if self.households else 0.0

    @property
    def missing(self) -> int:
        return self.households - self.visited


def coverage(community: Community | int, year: int) -> list[Coverage]:
    """Per grid: occupied households and how many were visited this year (two grouped queries)."""
    visited_flag = fn.SUM(SqlCase(None, [(Household.id.in_(_visited_ids(year)), 1)], 0))
    rows = (
        Household.select(Household.grid, fn.COUNT(Household.id), visited_flag)
        .where(_occupied(community))
        .group_by(Household.grid)
        .tuples()
    )
    counts = {grid_id: (total, int(seen or 0)) for grid_id, total, seen in rows}
    grids = (
        Grid.select(Grid, Staff)
        .join(Staff, JOIN.LEFT_OUTER, on=(Grid.staff == Staff.id))
        .where(Grid.community == community)
        .order_by(Grid.sort, Grid.id)
    )
    out = [
        Coverage(g.id, g.name, g.staff.name if g.staff_id else "", *counts.get(g.id, (0, 0)))
        for g in grids
    ]
    if None in counts:
        out.append(Coverage(None, "（未分片区）", "", *counts[None]))
    return out


@dataclass
class Unvisited:
    household_id: int
    grid: str
    address: str
    people: int
    last_visit: dt.date | None


def unvisited(
    community: Community | int, year: int, grid: Grid | int | None = None, limit: int | None = None
) -> list[Unvisited]:
    """Households not visited this year, in walking order, with their last visit before."""
    people = Resident.select(fn.COUNT(Resident.id)).where(
        (Resident.household == Household.id) & (Resident.status == "active")
    )
    last = Visit.select(fn.MAX(Visit.visited_on)).where(Visit.household == Household.id)
    query = (
        Household.select(
            Household.id,
            Grid.name,
            Household.courtyard,
            Household.building,
            Household.unit,
            Household.door,
            people.alias("people"),
            last.alias("last_visit"),
        )
        .join(Grid, JOIN.LEFT_OUTER, on=(Household.grid == Grid.id))
        .where(_occupied(community) & Household.id.not_in(_visited_ids(year)))
        .order_by(Grid.sort, *ADDRESS_ORDER)
    )
    if grid is not None:
        query = query.where(Household.grid == grid)
    if limit:
        query = query.limit(limit)
    return [
        Unvisited(hid, gname or "", format_address(c, b, u, d), n, _as_date(lv))
        for hid, gname, c, b, u, d, n, lv in query.tuples()
    ]


UNVISITED_COLUMNS = [("片区", 10), ("住址", 28), ("在册人数", 8), ("上次走访", 12)]


def export_unvisited(
    path: str | Path,
    community: Community | int,
    year: int,
    grid: Grid | int | None = None,
    progress: Progress | None = None,
    *,
    actor: Staff | None = None,
) -> int:
    """The households still to visit, as Excel; logged (the list points at homes)."""
    rows = [(u.grid, u.address, u.people, u.last_visit) for u in unvisited(community, year, grid)]
    return write_table(
        path, "未走访住户", UNVISITED_COLUMNS, rows, len(rows), progress, actor=actor
    )


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def visits_of_year(community: Community | int, year: int, limit: int = 500) -> list[Visit]:
    start, end = _year_range(year)
    return list(
        Visit.select(Visit, Household, Staff)
        .join(Household)
        .switch(Visit)
        .join(Staff, JOIN.LEFT_OUTER)
        .where((Household.community == community) & Visit.visited_on.between(start, end))
        .order_by(Visit.visited_on.desc(), Visit.id.desc())
        .limit(limit)
    )
