"""What may be shown in public — the paper notice (公示), the hall screen (电子显示屏), Open311.

One selection (cases marked for posting, by posting date) and one masking
(`privacy.mask_public_text`), used by all, so the wall and the screen cannot drift apart.

The public wording of a case is a reviewed summary: when a case is posted, the clerk sees
the default (the request and its outcome with numbers, names and doors masked), may edit it,
and what was posted is stored on the case (`public_summary`). Every output masks it again, so
a number typed into the edited summary is still hidden.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from minqing.core.enums import Satisfaction, Stage
from minqing.core.errors import DomainError
from minqing.core.models import Case, Community, Household, Resident, Window
from minqing.core.privacy import (
    mask_address,
    mask_free_address,
    mask_name,
    mask_phone,
    mask_public_text,
)

OUTCOME_MARK = "办理结果："  # starts the outcome's line in a public summary


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
    names: frozenset[str] = frozenset()  # full names to hide wherever they appear


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
        text=mask_public_text(row.text, row.names | {row.name}),
        outcome=mask_public_text(row.outcome, row.names | {row.name}),
        result=row.result,
    )


def registry_names(community: Community | int) -> frozenset[str]:
    """Every resident's full name, current or former: a neighbour named in a request's words
    is as private as the resident who asked."""
    query = (
        Resident.select(Resident.name)
        .join(Household, on=(Resident.household == Household.id))
        .where(Household.community == community)
        .distinct()
    )
    return frozenset(name for (name,) in query.tuples() if name)


def own_names(case: Case) -> set[str]:
    """The resident's and the contact's names as the case holds them."""
    names = {case.contact_name}
    if case.resident_id:
        names.add(case.resident.name)
    return {n for n in names if n}


def split_summary(summary: str) -> tuple[str, str]:
    """A public summary's request and outcome (its last line starting 办理结果：)."""
    head, mark, tail = ("\n" + summary).rpartition("\n" + OUTCOME_MARK)
    if not mark:
        return summary.strip(), ""
    return head.strip(), tail.strip()


def public_wording(case: Case) -> tuple[str, str]:
    """The request and outcome as they may be posted, before masking: the reviewed summary
    while the case is posted with one (a reopened case is no longer posted: its summary no
    longer holds), else the case's own words."""
    if case.public_summary and case.posted_on:
        return split_summary(case.public_summary)
    return case.text, case.outcome or case.reply_text


def default_summary(case: Case, names: frozenset[str] | None = None) -> str:
    """What the clerk is shown to review before posting: the request and the outcome, masked."""
    hidden = (names if names is not None else registry_names(case.community_id)) | own_names(case)
    text = mask_public_text(case.text, hidden)
    outcome = mask_public_text(case.outcome or case.reply_text, hidden)
    return f"{text}\n{OUTCOME_MARK}{outcome}"


def proposed_summary(case: Case) -> str:
    """The summary the post dialog starts from: the one posted, or a fresh default."""
    return case.public_summary if case.posted_on and case.public_summary else default_summary(case)


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
    names = registry_names(community)
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
        text, outcome = public_wording(c)
        rows.append(
            NoticeRow(
                number=c.number,
                intake_date=c.intake_date,
                window=c.window.name,
                text=text,
                outcome=outcome,
                result=result,
                name=name,
                phone=phone,
                address=address,
                posted_on=c.posted_on,
                names=names | own_names(c),
            )
        )
    return rows


def posted_cases(community: Community | int, start: dt.date, end: dt.date) -> list[PostedCase]:
    return [public(r) for r in notice_rows(community, start, end)]
