"""接待日: schedule (Tuesday mornings, leaders' weekly), duty, visitors as cases, next session."""

from __future__ import annotations

import datetime as dt

import pytest

from minqing.core.channels import reception
from minqing.core.channels.reception import Duty, ReceptionKind
from minqing.core.enums import Channel
from minqing.core.errors import DomainError
from minqing.core.models import Staff, Window

DUTY = [("徐道荣", "人大代表"), ("王江荣", "政协委员")]


def test_schedule_and_duty(office):
    day = reception.schedule(office, "2026-12-01", duty=DUTY, place="两代表一委员联络服务站")
    rows = reception.days(office)
    assert len(rows) == 1
    row = rows[0]
    assert row.kind == "两代表一委员" and row.hours == "08:30–11:30"
    assert row.duty_text == "人大代表徐道荣、政协委员王江荣"
    with pytest.raises(DomainError):
        reception.schedule(office, "2026-12-01", duty=DUTY)
    reception.schedule(office, "2026-12-01", ReceptionKind.LEADERS, duty=[("李红", "社区书记")])
    reception.set_duty(day, [Duty("徐道荣", "人大代表")])
    assert reception.days(office)[0].duty_text == "人大代表徐道荣"
    with pytest.raises(DomainError):
        reception.schedule(office, "2026-12-02", starts=dt.time(11), ends=dt.time(9))


def test_weekly_on_tuesdays_skips_holidays_and_existing(office):
    reception.schedule(office, "2026-09-08", duty=DUTY)
    made = reception.schedule_weekly(
        office, dt.date(2026, 9, 1), dt.date(2026, 10, 31), rota=[DUTY, [("李红", "社区书记")]]
    )
    dates = [d.date for d in made]
    assert all(d.weekday() == 1 for d in dates)
    assert dt.date(2026, 9, 8) not in dates  # already there
    assert dt.date(2026, 10, 6) not in dates  # National Day holiday
    assert dt.date(2026, 9, 1) in dates and dt.date(2026, 9, 15) in dates


def test_visitor_becomes_reception_case(office):
    clerk = Staff.get(Staff.name == "张敏")
    today = dt.date.today()
    day = reception.schedule(office, today, starts=dt.time(0, 0), ends=dt.time(23, 59), duty=DUTY)
    change = reception.take_in_visitor(
        day,
        text="小区门口菜市场占道",
        window=Window.get(Window.name == "城建城管"),
        first_responder=clerk,
        contact_name="王毓吉",
        contact_phone="13900001234",
    )
    assert change.case.channel == Channel.RECEPTION.value
    assert change.case.intake_date == today
    assert [c.id for c in reception.visitors(day)] == [change.case.id]
    assert reception.days(office)[0].visitors == 1
    with pytest.raises(DomainError):
        reception.cancel(day)


def test_past_session_is_stamped_at_its_start_and_future_refused(office):
    clerk = Staff.get(Staff.name == "张敏")
    past = reception.schedule(office, dt.date.today() - dt.timedelta(days=7), duty=DUTY)
    change = reception.take_in_visitor(
        past,
        text="低保咨询",
        window=Window.get(Window.name == "民政低保"),
        first_responder=clerk,
        contact_name="匿名",
    )
    assert change.case.taken_at == dt.datetime.combine(past.date, past.starts)
    future = reception.schedule(office, dt.date.today() + dt.timedelta(days=7), duty=DUTY)
    with pytest.raises(DomainError):
        reception.take_in_visitor(
            future,
            text="x",
            window=Window.get(Window.name == "民政低保"),
            first_responder=clerk,
            contact_name="匿名",
        )
    reception.cancel(future)


def test_next_day_skips_a_session_that_is_over(office):
    today = dt.date.today()
    reception.schedule(office, today, starts=dt.time(8, 30), ends=dt.time(11, 30))
    later = reception.schedule(office, today + dt.timedelta(days=7), ReceptionKind.LEADERS)
    morning = dt.datetime.combine(today, dt.time(9))
    afternoon = dt.datetime.combine(today, dt.time(15))
    assert reception.next_day(office, morning).date == today
    assert reception.next_day(office, afternoon).id == later.id
    assert reception.next_day(office, afternoon + dt.timedelta(days=30)) is None
