"""Deadlines that fall on working days: a same-day case taken on a Sunday, the promised default."""

from __future__ import annotations

import datetime as dt

from minqing.core.calendar.workdays import load_calendar
from minqing.core.cases import deadlines
from minqing.core.enums import Disposition
from minqing.core.models import Window

SUNDAY = dt.date(2025, 3, 2)
MONDAY = dt.date(2025, 3, 3)


def test_a_same_day_case_taken_on_sunday_is_due_the_next_working_day(office):
    window = Window.get(Window.name == "城建城管").id
    assert deadlines.preview(window, Disposition.IMMEDIATE, False, None, None, SUNDAY) == (
        MONDAY,
        None,
    )
    assert deadlines.preview(window, Disposition.SUPPLEMENT, True, None, None, SUNDAY)[0] == MONDAY
    assert deadlines.preview(window, Disposition.IMMEDIATE, False, None, None, MONDAY)[0] == MONDAY
    follow_up = deadlines.preview(window, Disposition.ESCALATED, True, 10, None, SUNDAY)[1]
    assert follow_up == MONDAY


def test_the_promised_date_proposed_is_a_working_day(db):
    calendar = load_calendar()
    for offset in range(14):
        day = SUNDAY + dt.timedelta(days=offset)
        proposed = deadlines.default_promised_date(day)
        assert calendar.is_workday(proposed) and proposed > day
