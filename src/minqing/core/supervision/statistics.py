"""统计: the rates, counts, mediation figures and recurring matters of a period — all in SQL.

One aggregate query gives every rate's numerator and denominator; the counts are one GROUP BY
each. Nothing loads case rows into Python, so a month of a 100,000-case office takes a few
tens of milliseconds. The definitions are in `rates`, where the panel and report read them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from peewee import JOIN, fn
from peewee import Case as SqlCase

from minqing.core.accounts import permissions
from minqing.core.cases.pipeline import OPEN_STAGES, STAGES
from minqing.core.cases.queries import CaseFilter
from minqing.core.enums import Channel, Disposition, Fault, Satisfaction, Stage
from minqing.core.members.models import Member
from minqing.core.models import Case, Grid, Household, Staff, SupervisionCheck, Window
from minqing.core.supervision.models import Callback
from minqing.core.supervision.rates import MEDIATION_WINDOW, Rate

CLOSED_OR_DONE = [Stage.FEEDBACK.value, Stage.SUPERVISION.value, Stage.CLOSED.value]
GOOD = [Satisfaction.SATISFIED.value, Satisfaction.FAIRLY.value]


@dataclass
class StatsFilter:
    """The period is by intake date (受理日期), both ends included; the rest narrows the cases."""

    date_from: dt.date
    date_to: dt.date
    window_id: int | None = None
    grid_id: int | None = None
    channel: str | None = None
    staff_id: int | None = None  # the owner (责任人)
    as_of: dt.date = field(default_factory=dt.date.today)

    def cases(self, dates: bool = True) -> Any:
        flt = CaseFilter(
            window_id=self.window_id,
            grid_id=self.grid_id,
            owner_id=self.staff_id,
            channel=self.channel,
            date_from=self.date_from if dates else None,
            date_to=self.date_to if dates else None,
        )
        return flt.where()

    def describe(self) -> str:
        parts = [f"{self.date_from.isoformat()} 至 {self.date_to.isoformat()}"]
        if self.window_id:
            parts.append(f"服务窗口：{Window.get_by_id(self.window_id).name}")
        if self.grid_id:
            parts.append(f"片区：{Grid.get_by_id(self.grid_id).name}")
        if self.channel:
            parts.append(f"渠道：{Channel(self.channel).label}")
        if self.staff_id:
            parts.append(f"责任人：{Staff.get_by_id(self.staff_id).name}")
        return "，".join(parts)


@dataclass
class FaultRow:
    owner: str
    not_handled: int = 0
    late: int = 0
    not_answered: int = 0

    @property
    def total(self) -> int:
        return self.not_handled + self.late + self.not_answered


@dataclass
class Mediation:
    reported: int
    screened: int
    mediated: int
    succeeded: int
    screening: Rate
    success: Rate


@dataclass
class Recurring:
    """The same window at the same building (or courtyard) again and again: look at the cause."""

    window: str
    place: str
    count: int
    still_open: int
    first: dt.date
    last: dt.date


@dataclass
class Statistics:
    filter: StatsFilter
    total: int
    overdue: int  # open now and past the deadline
    rates: dict[str, Rate]
    by_channel: list[tuple[str, int]]
    by_window: list[tuple[str, int]]
    by_disposition: list[tuple[str, int]]
    by_stage: list[tuple[str, int]]
    by_grid: list[tuple[str, int]]
    by_owner: list[tuple[str, int]]
    by_informant: list[tuple[str, int]]
    satisfaction: list[tuple[str, int]]
    trend: list[tuple[str, int]]
    faults: list[FaultRow]
    mediation: Mediation
    recurring: list[Recurring]

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["filter"] = {
            k: str(v) if isinstance(v, dt.date) else v for k, v in out["filter"].items()
        }
        out["rates"] = {
            k: {
                "name": r.definition.name,
                "value": r.value,
                "numerator": r.numerator,
                "denominator": r.denominator,
                "formula": r.definition.formula,
            }
            for k, r in self.rates.items()
        }
        for key in ("screening", "success"):
            rate: Rate = getattr(self.mediation, key)
            out["mediation"][key] = {"value": rate.value, "formula": rate.definition.formula}
        for item in out["faults"]:
            item["total"] = item["not_handled"] + item["late"] + item["not_answered"]
        for item in out["recurring"]:
            item["first"], item["last"] = str(item["first"]), str(item["last"])
        return out


def _count(condition: Any) -> Any:
    return fn.SUM(SqlCase(None, [(condition, 1)], 0))


def _latest_callback() -> Any:
    """The id of a case's latest callback (the verdict that stands), as a correlated subquery."""
    inner = Callback.alias()
    return inner.select(fn.MAX(inner.id)).where(inner.case == Case.id)


def _rates(flt: StatsFilter) -> tuple[int, int, dict[str, Rate]]:
    today = flt.as_of
    replied = Case.replied_on.is_null(False)
    handled = Case.handled_on.is_null(False)
    past_due = Case.due_date.is_null(False) & (Case.due_date < today)
    replied_in_time = replied & (Case.due_date.is_null() | (Case.replied_on <= Case.due_date))
    handled_in_time = handled & (Case.due_date.is_null() | (Case.handled_on <= Case.due_date))
    reopened = Case.reopen_count > 0
    open_stage = Case.stage.in_([s.value for s in OPEN_STAGES])
    row = (
        Case.select(
            fn.COUNT(Case.id),
            _count(open_stage & past_due),
            _count(replied_in_time),
            _count(replied | past_due),
            _count(handled_in_time),
            _count(handled | past_due),
            _count(reopened),
            _count(replied | reopened),
            _count(Callback.id.is_null(False)),
            _count(Callback.resolved == True),  # noqa: E712
            _count(Callback.satisfaction.is_null(False)),
            _count(Callback.satisfaction.in_(GOOD)),
        )
        .join(Callback, JOIN.LEFT_OUTER, on=(Callback.id == _latest_callback()))
        .where(flt.cases())
        .tuples()
        .first()
    )
    n = [int(v or 0) for v in row]
    rates = {
        "response": Rate("response", n[2], n[3]),
        "resolution": Rate("resolution", n[9], n[8]),
        "satisfaction": Rate("satisfaction", n[11], n[10]),
        "on_time": Rate("on_time", n[4], n[5]),
        "reopen": Rate("reopen", n[6], n[7]),
    }
    return n[0], n[1], rates


def _grouped(flt: StatsFilter, key: Any, *joins: tuple[Any, Any]) -> list[tuple[Any, int]]:
    query = Case.select(key, fn.COUNT(Case.id).alias("n"))
    for model, on in joins:
        query = query.join(model, JOIN.LEFT_OUTER, on=on)
    rows = query.where(flt.cases()).group_by(key).order_by(fn.COUNT(Case.id).desc()).tuples()
    return [(k, int(v)) for k, v in rows]


def _labelled(rows: list[tuple[Any, int]], order: list[Any], empty: str) -> list[tuple[str, int]]:
    counts = dict(rows)
    out = [(item.label, counts.pop(item.value, 0)) for item in order]
    if counts.get(None):
        out.append((empty, counts.pop(None)))
    out.extend((str(k), v) for k, v in counts.items())
    return out


def _informants(flt: StatsFilter) -> list[tuple[str, int]]:
    """Informant reports (渠道：民情信息员) per informant: the party member the case was filed
    for, else the contact named on the report."""
    key = fn.COALESCE(Member.name, fn.NULLIF(Case.contact_name, ""), "（未注明）")
    rows = (
        Case.select(key, fn.COUNT(Case.id))
        .join(Member, JOIN.LEFT_OUTER, on=(Case.informant == Member.id))
        .where(flt.cases() & (Case.channel == Channel.INFORMANT.value))
        .group_by(key)
        .order_by(fn.COUNT(Case.id).desc(), key)
        .tuples()
    )
    return [(str(k), int(v)) for k, v in rows]


def _satisfaction(flt: StatsFilter) -> list[tuple[str, int]]:
    rows = (
        Case.select(Callback.satisfaction, fn.COUNT(Case.id))
        .join(Callback, on=(Callback.id == _latest_callback()))
        .where(flt.cases())
        .group_by(Callback.satisfaction)
        .tuples()
    )
    return _labelled([(k, int(v)) for k, v in rows], list(Satisfaction), "未表态")


def _trend(flt: StatsFilter) -> list[tuple[str, int]]:
    """Cases taken in per day for a period up to two months, else per month."""
    daily = (flt.date_to - flt.date_from).days <= 62
    rows = dict(
        Case.select(Case.intake_date, fn.COUNT(Case.id))
        .where(flt.cases())
        .group_by(Case.intake_date)
        .tuples()
    )
    counts: dict[str, int] = {}
    day = flt.date_from
    while day <= flt.date_to:
        label = day.strftime("%m-%d") if daily else day.strftime("%Y-%m")
        counts[label] = counts.get(label, 0)
        day += dt.timedelta(days=1)
    for when, n in rows.items():
        when = when if isinstance(when, dt.date) else dt.date.fromisoformat(str(when))
        label = when.strftime("%m-%d") if daily else when.strftime("%Y-%m")
        counts[label] = counts.get(label, 0) + int(n)
    return list(counts.items())


def _faults(flt: StatsFilter) -> list[FaultRow]:
    """Faults found by checks made in the period, per staff member answerable for them."""
    condition = (
        SupervisionCheck.fault.is_null(False)
        & (SupervisionCheck.checked_on >= flt.date_from)
        & (SupervisionCheck.checked_on <= flt.date_to)
    )
    narrowed = StatsFilter(flt.date_from, flt.date_to, flt.window_id, flt.grid_id, flt.channel)
    condition &= SupervisionCheck.case.in_(Case.select(Case.id).where(narrowed.cases(dates=False)))
    if flt.staff_id:
        condition &= SupervisionCheck.fault_owner == flt.staff_id
    rows = (
        SupervisionCheck.select(Staff.name, SupervisionCheck.fault, fn.COUNT(SupervisionCheck.id))
        .join(Staff, JOIN.LEFT_OUTER, on=(SupervisionCheck.fault_owner == Staff.id))
        .where(condition)
        .group_by(Staff.name, SupervisionCheck.fault)
        .tuples()
    )
    table: dict[str, FaultRow] = {}
    names = {
        Fault.NOT_HANDLED.value: "not_handled",
        Fault.LATE.value: "late",
        Fault.NOT_ANSWERED.value: "not_answered",
    }
    for name, fault, n in rows:
        item = table.setdefault(name or "（未指定）", FaultRow(name or "（未指定）"))
        setattr(item, names[fault], getattr(item, names[fault]) + int(n))
    return sorted(table.values(), key=lambda r: (-r.total, r.owner))


def _mediation(flt: StatsFilter) -> Mediation:
    window = Window.get_or_none(Window.name == MEDIATION_WINDOW)
    if window is None or (flt.window_id and flt.window_id != window.id):
        zero = (0, 0, 0, 0)
    else:
        screened = Case.stage != Stage.INTAKE.value
        done = Case.stage.in_(CLOSED_OR_DONE) & (
            Case.disposition.is_null() | (Case.disposition != Disposition.RETURNED.value)
        )
        row = (
            Case.select(
                fn.COUNT(Case.id),
                _count(screened),
                _count(done),
                _count(done & (Case.stage == Stage.CLOSED.value)),
            )
            .where(flt.cases() & (Case.window == window.id))
            .tuples()
            .first()
        )
        zero = tuple(int(v or 0) for v in row)  # type: ignore[assignment]
    reported, screened_n, mediated, succeeded = zero
    return Mediation(
        reported,
        screened_n,
        mediated,
        succeeded,
        Rate("screening", screened_n, reported),
        Rate("mediation_success", succeeded, mediated),
    )


def recurring(
    flt: StatsFilter, months: int = 3, at_least: int = 3, limit: int = 50
) -> list[Recurring]:
    """Window + courtyard + building seen `at_least` times in the last `months` months."""
    start = _months_before(flt.date_to, months)
    open_stage = Case.stage.in_([Stage.INTAKE.value, Stage.HANDLING.value, Stage.FEEDBACK.value])
    n = fn.COUNT(Case.id)
    rows = (
        Case.select(
            Window.name,
            Household.courtyard,
            Household.building,
            n,
            _count(open_stage),
            fn.MIN(Case.intake_date),
            fn.MAX(Case.intake_date),
        )
        .join(Household, on=(Case.household == Household.id))
        .switch(Case)
        .join(Window, on=(Case.window == Window.id))
        .where(
            flt.cases(dates=False) & (Case.intake_date >= start) & (Case.intake_date <= flt.date_to)
        )
        .group_by(Window.name, Household.courtyard, Household.building)
        .having(n >= at_least)
        .order_by(n.desc(), Household.courtyard, Household.building)
        .limit(limit)
        .tuples()
    )
    out = []
    for window, courtyard, building, count, still_open, first, last in rows:
        place = f"{courtyard}{building}号楼" if building else f"{courtyard}（整个庭院）"
        out.append(
            Recurring(window, place, int(count), int(still_open or 0), _day(first), _day(last))
        )
    return out


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _months_before(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months - 1` months before `day`'s: 3 months to 30 Nov → 1 Sep."""
    index = day.year * 12 + day.month - 1 - (months - 1)
    return dt.date(index // 12, index % 12 + 1, 1)


def month_range(text: str) -> tuple[dt.date, dt.date]:
    """“2026-11” → the first and last day of that month."""
    try:
        first = dt.date.fromisoformat(f"{text}-01")
    except ValueError:
        from minqing.core.errors import DomainError

        raise DomainError("month", f"月份“{text}”格式不对，应为 2026-11。") from None
    nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def compute(flt: StatsFilter, *, actor: Staff | None = None) -> Statistics:
    """Every figure of the statistics panel, the report and `minqing stats` (stats.view: the
    figures name staff with their faults)."""
    permissions.require(actor, "stats.view")
    total, overdue, rates = _rates(flt)
    grid_key = Household.grid
    grids = dict(Grid.select(Grid.id, Grid.name).tuples())
    by_grid = [
        (grids.get(k, "（未关联住户）"), v)
        for k, v in _grouped(flt, grid_key, (Household, Case.household == Household.id))
    ]
    owners = [
        (name or "（未指定）", v)
        for name, v in _grouped(flt, Staff.name, (Staff, Case.owner == Staff.id))
    ]
    return Statistics(
        filter=flt,
        total=total,
        overdue=overdue,
        rates=rates,
        by_channel=_labelled(_grouped(flt, Case.channel), list(Channel), "（未知）"),
        by_window=[
            (str(k), v) for k, v in _grouped(flt, Window.name, (Window, Case.window == Window.id))
        ],
        by_disposition=_labelled(_grouped(flt, Case.disposition), list(Disposition), "未分类"),
        by_stage=_labelled(_grouped(flt, Case.stage), STAGES, "（未知）"),
        by_grid=by_grid,
        by_owner=owners,
        by_informant=_informants(flt),
        satisfaction=_satisfaction(flt),
        trend=_trend(flt),
        faults=_faults(flt),
        mediation=_mediation(flt),
        recurring=recurring(flt),
    )
