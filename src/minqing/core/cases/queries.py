"""Read-only views of cases for the board, the case list and the Today panel — all in SQL.

Only the ids of a query are held by lists; rows are fetched for the part on screen.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from peewee import JOIN, SQL, fn

from minqing.core.calendar.workdays import WorkCalendar, load_calendar
from minqing.core.cases.conditions import case_filter
from minqing.core.cases.pipeline import OPEN_STAGES, STAGES
from minqing.core.enums import Channel, Disposition, Stage
from minqing.core.models import (
    Case,
    CaseEvent,
    Household,
    MaterialsWait,
    Resident,
    Staff,
    Window,
)


@dataclass
class CaseFilter:
    window_id: int | None = None
    grid_id: int | None = None
    owner_id: int | None = None
    channel: str | None = None
    stage: str | None = None
    disposition: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    overdue: bool = False
    urgent: bool = False
    text: str = ""
    today: dt.date = field(default_factory=dt.date.today)
    phones: bool = True  # whether digits in `text` may match phone numbers (personal.view)

    def where(self) -> Any:
        result = Case.id > 0
        for condition in self.conditions():
            result &= condition
        return result

    def conditions(self) -> list[Any]:
        """What narrows the cases; none: every case."""
        conditions = []
        if self.window_id:
            conditions.append(Case.window == self.window_id)
        if self.grid_id:
            conditions.append(
                Case.household.in_(
                    Household.select(Household.id).where(Household.grid == self.grid_id)
                )
            )
        if self.owner_id:
            conditions.append(Case.owner == self.owner_id)
        if self.channel:
            conditions.append(Case.channel == self.channel)
        if self.stage:
            conditions.append(Case.stage == self.stage)
        if self.disposition:
            conditions.append(Case.disposition == self.disposition)
        if self.date_from:
            conditions.append(Case.intake_date >= self.date_from)
        if self.date_to:
            conditions.append(Case.intake_date <= self.date_to)
        if self.overdue:
            conditions.append(overdue_condition(self.today))
        if self.urgent:
            conditions.append(Case.urgent == True)  # noqa: E712
        text_filter = case_filter(self.text, self.phones) if self.text else None
        if text_filter is not None:
            conditions.append(text_filter)
        return conditions


def overdue_condition(today: dt.date) -> Any:
    return Case.stage.in_([s.value for s in OPEN_STAGES]) & (Case.due_date < today)


def by_due_date() -> Any:
    """ORDER BY the due date for lists of open cases: the date as text, the same order (ISO
    dates). Ordered by the column itself, SQLite serves the order from the due-date index and
    walks every closed case's date to find the few open ones (170-290 ms at 100,000 cases);
    this way it reads the open stages' (stage, due date) rows and sorts those (7-20 ms). Its
    statistics cannot see that nearly every case is closed."""
    return Case.due_date.concat("")


def board_counts(flt: CaseFilter | None = None) -> dict[Stage, int]:
    flt = flt or CaseFilter()
    # COUNT(*) and no WHERE for the unfiltered board: PostgreSQL then counts from the stage
    # index alone (an index-only scan, 3-4x faster at a million cases); the same on SQLite.
    rows = Case.select(Case.stage, fn.COUNT(SQL("*")).alias("n")).group_by(Case.stage).tuples()
    if flt != CaseFilter(today=flt.today, phones=flt.phones):
        rows = rows.where(flt.where())
    counts = dict.fromkeys(STAGES, 0)
    for stage, n in rows:
        counts[Stage(stage)] = n
    return counts


@dataclass
class CaseRow:
    """One case as lists and cards show it."""

    id: int
    number: str
    stage: Stage
    channel: Channel
    person: str
    window: str
    owner: str
    text: str
    address: str
    intake_date: dt.date
    due_date: dt.date | None
    urgent: bool
    disposition: Disposition | None
    waiting: bool
    reopen_count: int
    version: int
    days_left: int | None = None  # working days; negative when overdue
    owner_id: int | None = None  # who may move an owner's card (stage_actions.movable)
    # filled by today_lists for the group where they matter
    follow_up_date: dt.date | None = None  # 上报件: when to chase the higher office
    waiting_since: dt.date | None = None  # 等补材料: when the materials were asked for

    @property
    def overdue(self) -> bool:
        return self.stage in OPEN_STAGES and self.days_left is not None and self.days_left < 0


OwnerAlias = Staff.alias()


def _row_query() -> Any:
    waiting = MaterialsWait.select(fn.COUNT(MaterialsWait.id)).where(
        (MaterialsWait.case == Case.id) & MaterialsWait.received_on.is_null()
    )
    return (
        Case.select(
            Case.id,
            Case.number,
            Case.stage,
            Case.channel,
            Case.text,
            Case.address,
            Case.intake_date,
            Case.due_date,
            Case.urgent,
            Case.disposition,
            Case.reopen_count,
            Case.version,
            Case.contact_name,
            Case.owner,
            Resident.name.alias("resident_name"),
            Window.name.alias("window_name"),
            OwnerAlias.name.alias("owner_name"),
            waiting.alias("waiting"),
        )
        .join(Resident, JOIN.LEFT_OUTER, on=(Case.resident == Resident.id))
        .switch(Case)
        .join(Window, on=(Case.window == Window.id))
        .switch(Case)
        .join(OwnerAlias, JOIN.LEFT_OUTER, on=(Case.owner == OwnerAlias.id))
    )


def _to_rows(query: Any, today: dt.date, calendar: WorkCalendar | None = None) -> list[CaseRow]:
    calendar = calendar or load_calendar()
    rows = []
    for r in query.dicts():
        due = r["due_date"]
        stage = Stage(r["stage"])
        left = calendar.workdays_between(today, due) if due and stage in OPEN_STAGES else None
        if left is not None and left == 0 and due < today:
            left = -1
        rows.append(
            CaseRow(
                id=r["id"],
                number=r["number"],
                stage=stage,
                channel=Channel(r["channel"]),
                person=r["resident_name"] or r["contact_name"] or "匿名",
                window=r["window_name"],
                owner=r["owner_name"] or "",
                text=r["text"],
                address=r["address"],
                intake_date=r["intake_date"],
                due_date=due,
                urgent=bool(r["urgent"]),
                disposition=Disposition(r["disposition"]) if r["disposition"] else None,
                waiting=bool(r["waiting"]),
                reopen_count=r["reopen_count"],
                version=r["version"],
                days_left=left,
                owner_id=r["owner"],
            )
        )
    return rows


def _stage_order(stage: Stage) -> list[Any]:
    if stage == Stage.CLOSED:
        return [Case.id.desc()]
    # Urgent first, then the nearest deadline; cases without one (waiting) last. The same
    # expressions as the case_board_order index (storage.migrations.BOARD_ORDER), which then
    # serves the order: false (a date) sorts before true on both databases.
    return [Case.urgent.desc(), Case.due_date.is_null(), Case.due_date, Case.id]


def board_cards(
    stage: Stage | str, flt: CaseFilter | None = None, offset: int = 0, limit: int = 50
) -> list[CaseRow]:
    flt = flt or CaseFilter()
    stage = Stage(stage)
    query = (
        _row_query()
        .where(flt.where() & (Case.stage == stage.value))
        .order_by(*_stage_order(stage))
        .offset(offset)
        .limit(limit)
    )
    return _to_rows(query, flt.today)


SORTABLE = {
    "number": (Case.community, Case.year, Case.seq),  # the unique index serves the order
    "intake_date": (Case.intake_date, Case.id),
    "due_date": (Case.due_date, Case.id),
    "stage": (Case.stage, Case.id),
    "window": (Case.window, Case.id),
    "channel": (Case.channel, Case.id),
    "owner": (Case.owner, Case.id),
}


# The most cases a list on screen holds: a street office's ten years are a million cases, whose
# ids alone took 7 s and 170 MB to load for every keystroke in the list's search. Beyond this,
# the list says how many match and asks for a narrower filter; exports still take them all.
LIST_LIMIT = 20000


def case_ids(
    flt: CaseFilter | None = None,
    sort: str = "number",
    descending: bool = True,
    limit: int | None = None,
) -> list[int]:
    """Ids of the matching cases in display order (the first `limit`): what a lazy table
    model holds."""
    flt = flt or CaseFilter()
    keys = SORTABLE.get(sort, SORTABLE["number"])
    order = [k.desc() if descending else k.asc() for k in keys]
    query = Case.select(Case.id).where(flt.where()).order_by(*order)
    if limit is not None:
        query = query.limit(limit)
    return [i for (i,) in query.tuples()]


@dataclass
class ListIds:
    ids: list[int]  # the first LIST_LIMIT in display order
    total: int  # how many match


def list_ids(flt: CaseFilter, sort: str = "number", descending: bool = True) -> ListIds:
    """What the case list shows: at most LIST_LIMIT ids, and how many match in all (counted
    only when there are more)."""
    ids = case_ids(flt, sort, descending, LIST_LIMIT + 1)
    if len(ids) <= LIST_LIMIT:
        return ListIds(ids, len(ids))
    count = Case.select(fn.COUNT(SQL("*")))
    if flt.conditions():  # with no WHERE at all SQLite counts off its smallest index
        count = count.where(flt.where())
    return ListIds(ids[:LIST_LIMIT], int(count.scalar()))


def case_rows(ids: list[int], today: dt.date | None = None) -> list[CaseRow]:
    """Rows for these ids, in the same order."""
    if not ids:
        return []
    found = {
        r.id: r for r in _to_rows(_row_query().where(Case.id.in_(ids)), today or dt.date.today())
    }
    return [found[i] for i in ids if i in found]


@dataclass
class TodayLists:
    overdue: list[CaseRow]
    due_today: list[CaseRow]
    due_tomorrow: list[CaseRow]
    waiting_materials: list[CaseRow]
    escalated_follow_up: list[CaseRow]

    @property
    def total(self) -> int:
        return sum(len(getattr(self, key)) for key in TODAY_URGENCY)


# The groups from most to least urgent: a case appears once, in the first group it belongs to.
TODAY_URGENCY = ("overdue", "due_today", "escalated_follow_up", "due_tomorrow", "waiting_materials")


def today_lists(
    today: dt.date | None = None, owner_id: int | None = None, limit: int = 200
) -> TodayLists:
    """What needs attention now, each case once in its most urgent group. Tomorrow means the
    next working day."""
    today = today or dt.date.today()
    calendar = load_calendar()
    tomorrow = calendar.next_workday(today)
    base = _row_query()
    mine = (Case.owner == owner_id) if owner_id else (Case.id > 0)
    open_stage = Case.stage.in_([s.value for s in OPEN_STAGES])

    def fetch(where: Any, *order: Any) -> list[CaseRow]:
        return _to_rows(base.where(where & mine).order_by(*order).limit(limit), today, calendar)

    waiting_ids = MaterialsWait.select(MaterialsWait.case).where(
        MaterialsWait.received_on.is_null()
    )
    lists = TodayLists(
        overdue=fetch(overdue_condition(today), by_due_date(), Case.id),
        due_today=fetch(open_stage & (Case.due_date == today), Case.urgent.desc(), Case.id),
        due_tomorrow=fetch(
            open_stage & (Case.due_date > today) & (Case.due_date <= tomorrow),
            Case.due_date,
            Case.id,
        ),
        waiting_materials=fetch(open_stage & Case.id.in_(waiting_ids), Case.intake_date, Case.id),
        escalated_follow_up=fetch(
            open_stage
            & (Case.disposition == Disposition.ESCALATED.value)
            & (Case.follow_up_date <= today),
            Case.follow_up_date,
            Case.id,
        ),
    )
    seen: set[int] = set()
    for key in TODAY_URGENCY:
        rows = [r for r in getattr(lists, key) if r.id not in seen]
        seen.update(r.id for r in rows)
        setattr(lists, key, rows)
    _add_dates(lists)
    return lists


def _add_dates(lists: TodayLists) -> None:
    """The date that matters for each group: the follow-up date, when materials were asked."""
    escalated = {r.id: r for r in lists.escalated_follow_up}
    if escalated:
        for case_id, follow_up in (
            Case.select(Case.id, Case.follow_up_date).where(Case.id.in_(list(escalated))).tuples()
        ):
            escalated[case_id].follow_up_date = follow_up
    waiting = {r.id: r for r in lists.waiting_materials}
    if waiting:
        for case_id, requested in (
            MaterialsWait.select(MaterialsWait.case, fn.MIN(MaterialsWait.requested_on))
            .where(MaterialsWait.case.in_(list(waiting)) & MaterialsWait.received_on.is_null())
            .group_by(MaterialsWait.case)
            .tuples()
        ):
            waiting[case_id].waiting_since = requested


SIMILAR_DAYS = 30


def _pairs(text: str) -> set[str]:
    """Two-character pieces of the Chinese (and whole Latin/digit words): Chinese has no spaces."""
    words = set(re.findall(r"[A-Za-z0-9]{2,}", text))
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        words.update(run[i : i + 2] for i in range(len(run) - 1))
    return words


def similar_cases(resident_id: int, window_id: int | None, text: str, today: dt.date) -> list[Case]:
    """The resident's cases of the last 30 days with the same window or overlapping words: the
    desk is told (not stopped) before registering the same matter twice."""
    recent = list(
        Case.select()
        .where(
            (Case.resident == resident_id)
            & (Case.intake_date >= today - dt.timedelta(days=SIMILAR_DAYS))
        )
        .order_by(Case.id.desc())
        .limit(20)
    )
    words = _pairs(text)
    return [
        c
        for c in recent
        if (window_id is not None and c.window_id == window_id) or len(words & _pairs(c.text)) >= 2
    ]


def case_events(case_id: int) -> list[CaseEvent]:
    """A case's history in the order it happened."""
    return list(
        CaseEvent.select().where(CaseEvent.case == case_id).order_by(CaseEvent.at, CaseEvent.id)
    )


def materials_waits(case_id: int) -> list[MaterialsWait]:
    """Each time the case waited for a resident's materials (补办件), oldest first."""
    return list(
        MaterialsWait.select()
        .where(MaterialsWait.case == case_id)
        .order_by(MaterialsWait.requested_on, MaterialsWait.id)
    )
