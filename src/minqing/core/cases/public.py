"""What may be shown in public — the paper notice (公示) and the hall screen (电子显示屏).

One selection (cases marked for posting, by posting date) and one masking, used by both,
so the wall and the screen cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from minqing.core.enums import Satisfaction, Stage
from minqing.core.errors import DomainError
from minqing.core.models import Case, Community, Window
from minqing.core.privacy import (
    mask_address,
    mask_free_address,
    mask_name,
    mask_phone,
    mask_private_text,
)


@dataclass(frozen=True)
class NoticeRow:
    """A posted case before masking; `address` is already courtyard + building when known."""

    number: str
    intake_date: dt.date
    window: str
    text: str
    outcome: str
    result: str  # e.g. 办结 · 满意
    name: str = ""
    phone: str = ""
    address: str = ""
    posted_on: dt.date | None = None


@dataclass(frozen=True)
class PostedCase:
    """A posted case with every cell masked, in the notice's column order."""

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


def public(row: NoticeRow) -> PostedCase:
    who = "\n".join(
        x for x in (mask_name(row.name), mask_phone(row.phone), mask_free_address(row.address)) if x
    )
    return PostedCase(
        number=row.number,
        intake_date=row.intake_date,
        who=who or "—",
        window=row.window,
        text=mask_private_text(row.text),
        outcome=mask_private_text(row.outcome),
        result=row.result,
    )


def notice_rows(
    community: Community | int, start: dt.date | None, end: dt.date | None
) -> list[NoticeRow]:
    """Cases marked for posting whose posting date falls in the period, in intake order."""
    if start and end and start > end:
        raise DomainError("start", "开始日期不能晚于结束日期。")
    query = (
        Case.select(Case, Window)
        .join(Window)
        .switch(Case)
        .where((Case.community == community) & Case.posted_on.is_null(False))
        .order_by(Case.intake_date, Case.seq)
    )
    if start:
        query = query.where(Case.posted_on >= start)
    if end:
        query = query.where(Case.posted_on <= end)
    rows = []
    for c in query:
        name, phone, address = c.contact_name, c.contact_phone, c.address
        if c.resident_id:
            name, phone = name or c.resident.name, phone or c.resident.phone
        if c.household_id:
            address = mask_address(c.household.courtyard, c.household.building)
        result = Stage(c.stage).label
        if c.satisfaction:
            result += f" · {Satisfaction(c.satisfaction).label}"
        rows.append(
            NoticeRow(
                number=c.number,
                intake_date=c.intake_date,
                window=c.window.name,
                text=c.text,
                outcome=c.outcome or c.reply_text,
                result=result,
                name=name,
                phone=phone,
                address=address,
                posted_on=c.posted_on,
            )
        )
    return rows


def posted_cases(community: Community | int, start: dt.date, end: dt.date) -> list[PostedCase]:
    return [public(r) for r in notice_rows(community, start, end)]
