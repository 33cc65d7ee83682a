"""What the screen in the service hall (电子显示屏) shows: this month's posted cases, masked as on
the paper notice, the month's numbers and the next reception sessions. Plain data, no Qt.

Only cases marked for posting (posted_on set) appear, chosen exactly as the paper notice
chooses them (printing.data.load_notice: posted_on inside the period), and each is masked
cell by cell as printing.notice.public_cells masks it. Core may not import printing, so the
selection is repeated here; tests/core/test_hall.py compares the two on every run, so the
screen and the notice cannot drift apart unnoticed.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from peewee import fn

from minqing.core import reception
from minqing.core.enums import Satisfaction, Stage
from minqing.core.models import Case, Community, Window
from minqing.core.privacy import (
    mask_address,
    mask_free_address,
    mask_name,
    mask_phone,
    mask_phones_in_text,
)


@dataclass(frozen=True)
class PostedCase:
    """A posted case with every cell already masked; `cells` has the notice's column order."""

    number: str
    intake_date: dt.date
    who: str
    window: str
    text: str
    outcome: str
    result: str

    @property
    def cells(self) -> list[str]:
        return [
            self.number,
            f"{self.intake_date:%Y-%m-%d}",
            self.who,
            self.window,
            self.text,
            self.outcome,
            self.result,
        ]


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


def _label(enum: type[Stage] | type[Satisfaction], code: str | None) -> str:
    return enum(code).label if code else ""


def posted_cases(community: Community | int, start: dt.date, end: dt.date) -> list[PostedCase]:
    """Cases posted between start and end, in intake order, masked for the public."""
    query = (
        Case.select(Case, Window)
        .join(Window)
        .switch(Case)
        .where(
            (Case.community == community)
            & Case.posted_on.is_null(False)
            & (Case.posted_on >= start)
            & (Case.posted_on <= end)
        )
        .order_by(Case.intake_date, Case.seq)
    )
    out = []
    for c in query:
        name, phone, address = c.contact_name, c.contact_phone, c.address
        if c.resident_id:
            name, phone = name or c.resident.name, phone or c.resident.phone
        if c.household_id:
            address = mask_address(c.household.courtyard, c.household.building)
        result = _label(Stage, c.stage)
        if c.satisfaction:
            result += f" · {_label(Satisfaction, c.satisfaction)}"
        who = "\n".join(
            x for x in (mask_name(name), mask_phone(phone), mask_free_address(address)) if x
        )
        out.append(
            PostedCase(
                number=c.number,
                intake_date=c.intake_date,
                who=who or "—",
                window=c.window.name,
                text=mask_phones_in_text(c.text),
                outcome=mask_phones_in_text(c.outcome or c.reply_text),
                result=result,
            )
        )
    return out


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
