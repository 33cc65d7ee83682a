"""Due dates and follow-up dates of a case, from its disposition and the office's rules."""

from __future__ import annotations

import datetime as dt

from minqing.core.calendar.workdays import Pause, WorkCalendar, load_calendar
from minqing.core.enums import Disposition
from minqing.core.models import Case, DeadlineRule, MaterialsWait

# Working days per disposition unless the office sets others (per window or for all).
# Immediate: handled on the spot. Escalated: the number is when to chase the higher unit.
DEFAULT_DAYS: dict[Disposition, int] = {
    Disposition.IMMEDIATE: 0,
    Disposition.SUPPLEMENT: 3,
    Disposition.ESCALATED: 5,
    Disposition.RETURNED: 3,
    Disposition.PROMISED: 3,
}


def rule_days(window_id: int | None, disposition: Disposition) -> int:
    rules = {
        r.window_id: r.days
        for r in DeadlineRule.select().where(
            (DeadlineRule.disposition == disposition.value)
            & ((DeadlineRule.window == window_id) | DeadlineRule.window.is_null())
        )
    }
    if window_id in rules:
        return rules[window_id]
    return rules.get(None, DEFAULT_DAYS[disposition])


def pauses_of(case_id: int) -> list[Pause]:
    return [
        (w.requested_on, w.received_on)
        for w in MaterialsWait.select().where(MaterialsWait.case == case_id)
    ]


def compute(
    case: Case, pauses: list[Pause] | None = None, calendar: WorkCalendar | None = None
) -> tuple[dt.date | None, dt.date | None]:
    """(due date, follow-up date). No due date while waiting for materials."""
    if not case.disposition:
        return None, None
    disposition = Disposition(case.disposition)
    if pauses is None and disposition not in (Disposition.PROMISED, Disposition.ESCALATED):
        pauses = pauses_of(case.id) if case.id else []
    return dates_for(
        disposition,
        case.started_on,
        rule_days(case.window_id, disposition),
        urgent=case.urgent,
        escalation_days=case.escalation_days,
        promised_date=case.promised_date,
        pauses=pauses or [],
        calendar=calendar or load_calendar(),
    )


def dates_for(
    disposition: Disposition,
    start: dt.date,
    days: int,
    *,
    urgent: bool,
    escalation_days: int | None,
    promised_date: dt.date | None,
    pauses: list[Pause],
    calendar: WorkCalendar,
) -> tuple[dt.date | None, dt.date | None]:
    """The rule itself, on plain values: the services (through `compute`) and the demo
    generator both count with it, so the demo's cases are dated exactly as real ones."""
    if disposition == Disposition.PROMISED:
        if promised_date is not None and promised_date >= start:
            return promised_date, None
        # reopened after the promised date: a fresh deadline from the reopening
        return calendar.add_workdays(start, days), None
    if disposition == Disposition.ESCALATED:
        follow_up = on_workday(start, calendar) if urgent else calendar.add_workdays(start, days)
        due = calendar.add_workdays(start, escalation_days) if escalation_days else None
        return due, follow_up
    if any(end is None for _, end in pauses):
        return None, None
    if urgent or days == 0:
        return on_workday(start, calendar), None
    return calendar.add_workdays(start, days, pauses), None


def on_workday(day: dt.date, calendar: WorkCalendar) -> dt.date:
    """A same-day deadline of a case taken on a Sunday or holiday falls on the next working
    day: nobody is there to handle it “today”."""
    return day if calendar.is_workday(day) else calendar.next_workday(day)


PROMISED_DEFAULT_DAYS = 5


def default_promised_date(today: dt.date) -> dt.date:
    """What the intake form proposes for 承诺件: a working week ahead, on a working day."""
    return load_calendar().add_workdays(today, PROMISED_DEFAULT_DAYS)


def preview(
    window_id: int,
    disposition: Disposition,
    urgent: bool,
    escalation_days: int | None,
    promised_date: dt.date | None,
    start: dt.date,
) -> tuple[dt.date | None, dt.date | None]:
    """(due, follow-up) a case would get if taken in on `start` — nothing is written."""
    draft = Case(
        window=window_id,
        disposition=disposition.value,
        urgent=urgent,
        started_on=start,
        escalation_days=escalation_days,
        promised_date=promised_date,
    )
    return compute(draft, pauses=[])


def days_left_wording(days_left: int) -> str:
    """One wording for a deadline everywhere (board, detail, 今日待办, lists): working days."""
    if days_left < 0:
        return f"超期{-days_left}个工作日"
    if days_left == 0:
        return "今天到期"
    return f"剩{days_left}个工作日"
