"""What the screen in the service hall (电子显示屏) shows: this month's posted cases, masked as on
the paper notice, the month's numbers and the next reception sessions. Plain data, no Qt.

Only cases marked for posting appear, selected and masked by core.public — the same
function the paper notice uses, so the screen and the wall show the same thing.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from peewee import fn

from minqing.core.cases.public import PostedCase, posted_cases
from minqing.core.channels import reception
from minqing.core.enums import Satisfaction, Stage
from minqing.core.models import Case, Community


@dataclass(frozen=True)
class MonthNumbers:
    received: int
    closed: int
    posted: int
    rated: int  # closed this month with the resident's verdict
    satisfied: int  # of those, 满意 or 基本满意

    @property
    def satisfaction(self) -> str:
        return f"{self.satisfied * 100 // self.rated}%" if self.rated else "—"


@dataclass(frozen=True)
class HallData:
    office: str
    hotline: str
    month: str  # 2026年11月
    posted: list[PostedCase]
    numbers: MonthNumbers
    receptions: list[reception.DayRow]  # the next session of each kind, soonest first


def month_range(day: dt.date) -> tuple[dt.date, dt.date]:
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def month_numbers(community: Community | int, start: dt.date, end: dt.date) -> MonthNumbers:
    mine = Case.community == community
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    closed = (
        mine
        & (Case.stage == Stage.CLOSED.value)
        & (Case.closed_at >= dt.datetime.combine(start, dt.time()))
        & (Case.closed_at < after)
    )
    rated = closed & Case.satisfaction.is_null(False)
    good = rated & Case.satisfaction.in_([Satisfaction.SATISFIED.value, Satisfaction.FAIRLY.value])

    def count(where: object) -> int:
        return int(Case.select(fn.COUNT(Case.id)).where(where).scalar() or 0)

    return MonthNumbers(
        received=count(mine & Case.intake_date.between(start, end)),
        closed=count(closed),
        posted=count(mine & Case.posted_on.between(start, end)),
        rated=count(rated),
        satisfied=count(good),
    )


def hall_data(community: Community, now: dt.datetime | None = None) -> HallData:
    moment = now or dt.datetime.now()
    start, end = month_range(moment.date())
    sessions = [
        row
        for kind in reception.ReceptionKind
        if (row := reception.next_day(community, moment, kind)) is not None
    ]
    return HallData(
        office=community.name,
        hotline=community.hotline or community.hotline2,
        month=f"{start.year}年{start.month}月",
        posted=posted_cases(community, start, end),
        numbers=month_numbers(community, start, end),
        receptions=sorted(sessions, key=lambda r: (r.date, r.starts)),
    )
