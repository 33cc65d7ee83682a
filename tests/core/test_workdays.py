"""The deadline rules: the N-th working day after intake, pauses not counted, overrides first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minqing.core.calendar import service as calendar_service
from minqing.core.calendar.workdays import WorkCalendar, forget_calendar, load_calendar

DATA = Path(__file__).parent / "data"
PLAIN = WorkCalendar()

# the library knows 2004-2026 only: a start late in 2026 plus 30 working days (about six weeks)
# would ask it about 2027, which it refuses
official_dates = st.dates(dt.date(2004, 1, 1), dt.date(2026, 10, 31))
any_dates = st.dates(dt.date(2020, 1, 1), dt.date(2028, 6, 30))
day_counts = st.integers(0, 40)


@st.composite
def pauses(draw, around: dt.date):
    result = []
    for _ in range(draw(st.integers(0, 3))):
        start = around + dt.timedelta(days=draw(st.integers(-5, 60)))
        result.append((start, start + dt.timedelta(days=draw(st.integers(0, 20)))))
    return result


@st.composite
def override_maps(draw):
    days = draw(st.lists(st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)), max_size=20))
    return {d: draw(st.booleans()) for d in days}


def counted(calendar: WorkCalendar, start: dt.date, end: dt.date, paused=()) -> int:
    day, total = start, 0
    while day < end:
        day += dt.timedelta(days=1)
        total += calendar.is_workday(day) and not any(a <= day <= b for a, b in paused)
    return total


@pytest.fixture(autouse=True)
def fresh_cache():
    # load_calendar caches by the database object's id, which a new test's database may reuse
    forget_calendar()
    yield
    forget_calendar()


@given(any_dates, st.integers(1, 40), override_maps())
def test_due_is_a_later_working_day_with_exactly_n_days_counted(start, n, overrides):
    calendar = WorkCalendar(overrides)
    due = calendar.add_workdays(start, n)
    assert due > start
    assert calendar.is_workday(due)
    assert calendar.workdays_between(start, due) == n
    # and the day before the due date has one working day fewer
    assert calendar.workdays_between(start, due - dt.timedelta(days=1)) == n - 1


@given(any_dates)
def test_zero_days_is_the_intake_day(start):
    assert PLAIN.add_workdays(start, 0) == start


@given(any_dates, day_counts, override_maps())
def test_monotonic_in_n(start, n, overrides):
    calendar = WorkCalendar(overrides)
    assert calendar.add_workdays(start, n) < calendar.add_workdays(start, n + 1)


@given(official_dates, st.integers(1, 30))
def test_agrees_with_the_library_from_a_working_day(start, n):
    if not chinese_calendar.is_workday(start):
        start = chinese_calendar.find_workday(0, start)
    assert PLAIN.add_workdays(start, n) == chinese_calendar.find_workday(n, start)


@given(st.data(), any_dates, st.integers(1, 20))
def test_days_inside_pauses_never_count(data, start, n):
    paused = data.draw(pauses(start))
    without = PLAIN.add_workdays(start, n)
    due = PLAIN.add_workdays(start, n, paused)
    assert due >= without
    assert PLAIN.is_workday(due)
    assert not any(a <= due <= b for a, b in paused)
    assert counted(PLAIN, start, due, paused) == n
    # every working day paused before the due date pushes it back by one working day
    paused_workdays = PLAIN.workdays_between(start, due) - n
    assert PLAIN.add_workdays(start, n + paused_workdays) == due
    # pauses entirely after the plain due date change nothing
    later = [(a, b) for a, b in paused if a > without]
    assert PLAIN.add_workdays(start, n, later) == without


def test_pause_examples():
    # intake Monday 2026-11-02, 3 days → Thursday 11-05; waiting Tue–Wed adds two working days
    assert PLAIN.add_workdays(dt.date(2026, 11, 2), 3) == dt.date(2026, 11, 5)
    pause = [(dt.date(2026, 11, 3), dt.date(2026, 11, 4))]
    assert PLAIN.add_workdays(dt.date(2026, 11, 2), 3, pause) == dt.date(2026, 11, 9)
    with pytest.raises(ValueError):
        PLAIN.add_workdays(dt.date(2026, 11, 2), 3, [(dt.date(2026, 11, 3), None)])
    with pytest.raises(ValueError):
        PLAIN.add_workdays(dt.date(2026, 11, 2), -1)


@given(override_maps(), st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)))
def test_overrides_win(overrides, day):
    calendar = WorkCalendar(overrides)
    if day in overrides:
        assert calendar.is_workday(day) is overrides[day]
    else:
        assert calendar.is_workday(day) == PLAIN.is_workday(day)


def test_make_up_saturday_counts_and_office_holiday_does_not():
    friday, saturday = dt.date(2026, 11, 6), dt.date(2026, 11, 7)
    assert PLAIN.add_workdays(friday, 1) == dt.date(2026, 11, 9)
    assert WorkCalendar({saturday: True}).add_workdays(friday, 1) == saturday
    monday, tuesday = dt.date(2026, 11, 2), dt.date(2026, 11, 3)
    assert PLAIN.add_workdays(monday, 1) == tuesday
    assert WorkCalendar({tuesday: False}).add_workdays(monday, 1) == dt.date(2026, 11, 4)
    # an override beats the library both ways: a National Day holiday worked, a make-up day off
    assert WorkCalendar({dt.date(2026, 10, 5): True}).is_workday(dt.date(2026, 10, 5))
    assert not WorkCalendar({dt.date(2026, 10, 10): False}).is_workday(dt.date(2026, 10, 10))


@pytest.mark.parametrize(
    ("intake", "days", "due"),
    [
        # Oct 1–7 off, Oct 8 (Thu) and 9 (Fri) count, Oct 10 is a make-up Saturday: the 3rd
        ("2026-09-30", 3, "2026-10-10"),
        ("2026-09-30", 4, "2026-10-12"),
        ("2026-09-30", 0, "2026-09-30"),
        ("2026-09-18", 1, "2026-09-20"),  # make-up Sunday before National Day
        ("2026-02-13", 1, "2026-02-14"),  # make-up Saturday before the Spring Festival
        ("2026-02-14", 1, "2026-02-24"),  # the Spring Festival Feb 15–23
        ("2025-09-30", 1, "2025-10-09"),  # National Day and Mid-autumn 2025, Oct 1–8
        ("2026-12-31", 1, "2027-01-01"),  # 2027 unknown: plain Friday
    ],
)
def test_known_cases(intake, days, due):
    start = dt.date.fromisoformat(intake)
    assert PLAIN.add_workdays(start, days) == dt.date.fromisoformat(due)
    if days and start.year <= 2026 and dt.date.fromisoformat(due).year <= 2026:
        assert chinese_calendar.is_workday(dt.date.fromisoformat(due))


def test_after_2026_plain_weekdays_until_a_notice_is_imported(db):
    assert not PLAIN.covers(2027)
    assert PLAIN.covers(2026)
    assert PLAIN.missing_years(dt.date(2026, 11, 27)) == [2027]
    day = dt.date(2027, 1, 1)
    while day.year == 2027:
        assert PLAIN.is_workday(day) == (day.weekday() < 5)
        day += dt.timedelta(days=1)
    assert not load_calendar().covers(2027)
    assert calendar_service.calendar_warning(dt.date(2026, 11, 27)) is not None
    calendar_service.import_notice((DATA / "notice_2027.txt").read_text(encoding="utf-8"))
    calendar = load_calendar()
    assert calendar.covers(2027)
    assert not calendar.is_workday(dt.date(2027, 10, 4))  # a Monday in National Day
    assert calendar.is_workday(dt.date(2027, 10, 9))  # make-up Saturday
    # Oct 8 (Fri) is the first, make-up Saturday Oct 9 the second, Monday Oct 11 the third
    assert calendar.add_workdays(dt.date(2027, 9, 30), 2) == dt.date(2027, 10, 9)
    assert calendar.add_workdays(dt.date(2027, 9, 30), 3) == dt.date(2027, 10, 11)
    assert calendar_service.calendar_warning(dt.date(2026, 11, 27)) is None
    assert "2028" in calendar_service.calendar_warning(dt.date(2027, 3, 1))


@settings(max_examples=30)
@given(official_dates)
def test_plain_calendar_is_the_library_where_it_knows(day):
    assert PLAIN.is_workday(day) == chinese_calendar.is_workday(day)
