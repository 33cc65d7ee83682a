"""接待日: the schedule of reception sessions, who is on duty, and intake during a session.

Two kinds, both from the source document: every Tuesday morning the 两代表一委员 (people's
congress deputies and CPPCC members) receive residents at the liaison station, and the
leaders receive residents once a week. Each visitor in a session becomes a case (channel 接待日)
through cases.take_in, so the usual rules apply; a session's cases are those of that channel
taken in on its date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from peewee import fn

from minqing.core import validate
from minqing.core.accounts import permissions
from minqing.core.calendar.workdays import load_calendar
from minqing.core.cases import services as cases
from minqing.core.enums import Channel, Labeled
from minqing.core.errors import DomainError, NotFound
from minqing.core.models import Case, Community, Staff, Window, database_proxy
from minqing.core.outreach.models import ReceptionDay, ReceptionDuty


class ReceptionKind(Labeled):
    REPRESENTATIVES = ("representatives", "两代表一委员")
    LEADERS = ("leaders", "领导接待")


ROLES = ["人大代表", "政协委员", "党代表", "社区书记", "社区主任", "街道领导"]
MORNING = (dt.time(8, 30), dt.time(11, 30))


@dataclass(frozen=True)
class Duty:
    person: str
    role: str = ""
    staff: int | None = None


@dataclass(frozen=True)
class DayRow:
    """A session as the schedule and the hall screen show it."""

    id: int
    date: dt.date
    kind: str  # label
    starts: dt.time
    ends: dt.time
    place: str
    note: str
    duty: tuple[Duty, ...]
    visitors: int

    @property
    def duty_text(self) -> str:
        return "、".join(f"{d.role}{d.person}" for d in self.duty)

    @property
    def hours(self) -> str:
        return f"{self.starts:%H:%M}–{self.ends:%H:%M}"


def _kind(value: ReceptionKind | str) -> ReceptionKind:
    try:
        return ReceptionKind.parse(value.value if isinstance(value, ReceptionKind) else str(value))  # type: ignore[return-value]
    except ValueError:
        names = "、".join(k.label for k in ReceptionKind)
        raise DomainError("kind", f"接待类型“{value}”不认识，应为：{names}。") from None


def _duty(people: Sequence[Duty | tuple[str, str] | tuple[str, str, int | None]]) -> list[Duty]:
    out = []
    for item in people:
        duty = item if isinstance(item, Duty) else Duty(*item)
        name = validate.required_text("duty", duty.person, "值班人员姓名", 40)
        out.append(
            Duty(name, validate.optional_text("duty", duty.role, "值班人员身份", 20), duty.staff)
        )
    return out


def get_day(day: ReceptionDay | int) -> ReceptionDay:
    row = ReceptionDay.get_or_none(
        ReceptionDay.id == (day.id if isinstance(day, ReceptionDay) else int(day))
    )
    if row is None:
        raise NotFound(f"找不到这个接待日（编号 {day}）。")
    return row


def schedule(
    community: Community | int,
    date: dt.date | str,
    kind: ReceptionKind | str = ReceptionKind.REPRESENTATIVES,
    *,
    starts: dt.time = MORNING[0],
    ends: dt.time = MORNING[1],
    place: str = "",
    note: str = "",
    duty: Sequence[Duty | tuple[str, str] | tuple[str, str, int | None]] = (),
    actor: Staff | None = None,
) -> ReceptionDay:
    """One session; the same kind twice on one date is refused."""
    permissions.require(actor, "reception.edit")
    day = validate.date_value("date", date, "接待日期")
    if day is None:
        raise DomainError("date", "请填写接待日期。")
    what = _kind(kind)
    if ends <= starts:
        raise DomainError("ends", "结束时间要晚于开始时间。")
    people = _duty(duty)
    exists = ReceptionDay.get_or_none(
        (ReceptionDay.community == community)
        & (ReceptionDay.date == day)
        & (ReceptionDay.kind == what.value)
    )
    if exists is not None:
        raise DomainError("date", f"{day:%Y-%m-%d} 已经安排了{what.label}，请修改那一次的安排。")
    with database_proxy.atomic():
        row = ReceptionDay.create(
            community=community,
            date=day,
            kind=what.value,
            starts=starts,
            ends=ends,
            place=validate.optional_text("place", place, "接待地点", 100),
            note=validate.optional_text("note", note, "备注", 500),
        )
        _write_duty(row, people)
    return row


def _write_duty(day: ReceptionDay, people: list[Duty]) -> None:
    ReceptionDuty.delete().where(ReceptionDuty.day == day).execute()
    for d in people:
        ReceptionDuty.create(day=day, person=d.person, role=d.role, staff=d.staff)


def set_duty(
    day: ReceptionDay | int,
    people: Sequence[Duty | tuple[str, str] | tuple[str, str, int | None]],
    *,
    actor: Staff | None = None,
) -> ReceptionDay:
    """Replace who is on duty in a session."""
    permissions.require(actor, "reception.edit")
    row = get_day(day)
    duty = _duty(people)
    with database_proxy.atomic():
        _write_duty(row, duty)
    return row


def cancel(day: ReceptionDay | int, *, actor: Staff | None = None) -> None:
    """Take a session off the schedule; one that already received visitors stays (it happened)."""
    permissions.require(actor, "reception.edit")
    row = get_day(day)
    if visitors(row):
        raise DomainError("date", f"{row.date:%Y-%m-%d} 的接待已经登记了来访居民，不能取消。")
    row.delete_instance(recursive=True)


def schedule_weekly(
    community: Community | int,
    first: dt.date,
    last: dt.date,
    *,
    weekday: int = 1,
    kind: ReceptionKind | str = ReceptionKind.REPRESENTATIVES,
    starts: dt.time = MORNING[0],
    ends: dt.time = MORNING[1],
    place: str = "",
    rota: Sequence[Sequence[Duty | tuple[str, str]]] = (),
    actor: Staff | None = None,
) -> list[ReceptionDay]:
    """Every `weekday` (0 = Monday; Tuesday by default) from first to last that is a working day
    and not yet scheduled; the rota's duty lists take turns week by week."""
    permissions.require(actor, "reception.edit")
    if last < first:
        raise DomainError("last", "结束日期不能早于开始日期。")
    if (last - first).days > 366 * 2:
        raise DomainError("last", "一次最多安排两年。")
    what = _kind(kind)
    calendar = load_calendar()
    taken = {
        d.date
        for d in ReceptionDay.select(ReceptionDay.date).where(
            (ReceptionDay.community == community)
            & (ReceptionDay.kind == what.value)
            & ReceptionDay.date.between(first, last)
        )
    }
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7)
    made: list[ReceptionDay] = []
    week = 0
    with database_proxy.atomic():
        while day <= last:
            if day not in taken and calendar.is_workday(day):
                duty = rota[week % len(rota)] if rota else ()
                made.append(
                    schedule(community, day, what, starts=starts, ends=ends, place=place, duty=duty)
                )
            day += dt.timedelta(days=7)
            week += 1
    return made


def visitors(day: ReceptionDay) -> list[Case]:
    return list(
        Case.select()
        .where(
            (Case.community == day.community_id)
            & (Case.channel == Channel.RECEPTION.value)
            & (Case.intake_date == day.date)
        )
        .order_by(Case.taken_at, Case.id)
    )


def _row(day: ReceptionDay, counts: dict[dt.date, int]) -> DayRow:
    return DayRow(
        id=day.id,
        date=day.date,
        kind=ReceptionKind(day.kind).label,
        starts=day.starts,
        ends=day.ends,
        place=day.place,
        note=day.note,
        duty=tuple(
            Duty(d.person, d.role, d.staff_id)
            for d in ReceptionDuty.select()
            .where(ReceptionDuty.day == day)
            .order_by(ReceptionDuty.id)
        ),
        visitors=counts.get(day.date, 0),
    )


def days(
    community: Community | int, start: dt.date | None = None, end: dt.date | None = None
) -> list[DayRow]:
    """The schedule in date order, each session with its duty and number of visitors so far."""
    query = ReceptionDay.select().where(ReceptionDay.community == community)
    if start:
        query = query.where(ReceptionDay.date >= start)
    if end:
        query = query.where(ReceptionDay.date <= end)
    rows = list(query.order_by(ReceptionDay.date, ReceptionDay.starts, ReceptionDay.id))
    counts: dict[dt.date, int] = {}
    if rows:
        counts = dict(
            Case.select(Case.intake_date, fn.COUNT(Case.id))
            .where(
                (Case.community == community)
                & (Case.channel == Channel.RECEPTION.value)
                & Case.intake_date.between(rows[0].date, rows[-1].date)
            )
            .group_by(Case.intake_date)
            .tuples()
        )
    return [_row(d, counts) for d in rows]


def next_day(
    community: Community | int,
    now: dt.datetime | None = None,
    kind: ReceptionKind | str | None = None,
) -> DayRow | None:
    """The next session not yet over: today's if it is still running, else the next one."""
    moment = now or dt.datetime.now()
    query = ReceptionDay.select().where(
        (ReceptionDay.community == community) & (ReceptionDay.date >= moment.date())
    )
    if kind is not None:
        query = query.where(ReceptionDay.kind == _kind(kind).value)
    for day in query.order_by(ReceptionDay.date, ReceptionDay.starts).limit(5):
        if day.date > moment.date() or day.ends > moment.time():
            return _row(day, {})
    return None


def take_in_visitor(
    day: ReceptionDay | int,
    *,
    text: str,
    window: Window | int,
    first_responder: Staff | int,
    taken_at: dt.datetime | None = None,
    actor: Staff | None = None,
    **intake: Any,
) -> cases.CaseChange:
    """One visitor of a session becomes a case. Registered during the session it is stamped
    now; written up afterwards, it is stamped at the session's start so it counts for that day."""
    row = get_day(day)
    now = dt.datetime.now().replace(microsecond=0)
    if row.date > now.date():
        raise DomainError("date", f"{row.date:%Y-%m-%d} 的接待还没有开始，不能登记来访。")
    if taken_at is None:
        taken_at = now if row.date == now.date() else dt.datetime.combine(row.date, row.starts)
    elif taken_at.date() != row.date:
        raise DomainError("taken_at", f"来访时间应在接待当天（{row.date:%Y-%m-%d}）。")
    return cases.take_in(
        channel=Channel.RECEPTION,
        text=text,
        window=window,
        first_responder=first_responder,
        taken_at=taken_at,
        actor=actor,
        **intake,
    )
