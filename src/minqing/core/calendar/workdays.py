"""Working days: the office's own overrides, then the official calendar, then Monday–Friday.

A due date is the N-th working day after the intake day (the intake day never counts);
working days inside a pause (waiting for a resident's materials) don't count either.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from minqing.core.models import CalendarOverride

Pause = tuple[dt.date, dt.date | None]  # inclusive; an open pause has no end yet
MAX_SPAN_DAYS = 3660  # a deadline ten years out is a typing mistake, not a plan


@lru_cache(maxsize=64)
def official_covers(year: int) -> bool:
    import chinese_calendar  # on first use (the first deadline), not at start-up

    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@dataclass
class WorkCalendar:
    overrides: dict[dt.date, bool] = field(default_factory=dict)
    notice_years: set[int] = field(default_factory=set)  # years whose holiday notice was imported
    # Per year: whether each day is a working day, and running counts, built on first use.
    # Boards and lists ask for thousands of days; the library costs ~15 µs a call.
    _years: dict[int, tuple[list[bool], list[int]]] = field(default_factory=dict, repr=False)

    def _year(self, year: int) -> tuple[list[bool], list[int]]:
        table = self._years.get(year)
        if table is None:
            first = dt.date(year, 1, 1)
            days = (dt.date(year + 1, 1, 1) - first).days
            flags = [self._decide(first + dt.timedelta(days=i)) for i in range(days)]
            running, total = [], 0
            for flag in flags:
                total += flag
                running.append(total)
            table = self._years[year] = (flags, running)
        return table

    def _decide(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if official_covers(day.year):
            import chinese_calendar

            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5

    def is_workday(self, day: dt.date) -> bool:
        return self._year(day.year)[0][day.timetuple().tm_yday - 1]

    def _count_to(self, day: dt.date, base_year: int) -> int:
        """Working days from 1 January of base_year up to and including day."""
        total = sum(self._year(y)[1][-1] for y in range(base_year, day.year))
        return total + self._year(day.year)[1][day.timetuple().tm_yday - 1]

    def covers(self, year: int) -> bool:
        """True when the year's holidays are known: from the library or an imported notice."""
        return official_covers(year) or year in self.notice_years

    def missing_years(self, around: dt.date) -> list[int]:
        """Of this year and next, the ones whose schedule is missing (for a warning banner)."""
        return [y for y in (around.year, around.year + 1) if not self.covers(y)]

    def add_workdays(self, start: dt.date, days: int, pauses: Sequence[Pause] = ()) -> dt.date:
        """The `days`-th counted working day after `start`; `start` itself when days == 0.

        Raises ValueError while a pause is still open, since no due date exists then.
        """
        if days < 0:
            raise ValueError("days must not be negative")
        if any(end is None for _, end in pauses):
            raise ValueError("an open pause has no due date")
        day, counted = start, 0
        limit = start + dt.timedelta(days=MAX_SPAN_DAYS)
        while counted < days:
            day += dt.timedelta(days=1)
            if day > limit:
                raise ValueError("deadline too far away")
            if self.is_workday(day) and not _paused(day, pauses):
                counted += 1
        return day

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.workdays_between(end, start)
        return self._count_to(end, start.year) - self._count_to(start, start.year)

    def next_workday(self, day: dt.date) -> dt.date:
        return self.add_workdays(day, 1)


def _paused(day: dt.date, pauses: Iterable[Pause]) -> bool:
    return any(start <= day <= end for start, end in pauses if end is not None)


NOTICE_SOURCE = re.compile(r"^(\d{4})年通知$")
_cache: list[WorkCalendar] = []


def load_calendar() -> WorkCalendar:
    """The calendar of the open database, cached until its overrides change or another opens."""
    if not _cache:
        rows = list(
            CalendarOverride.select(
                CalendarOverride.date, CalendarOverride.workday, CalendarOverride.source
            )
        )
        years = {int(m.group(1)) for r in rows if (m := NOTICE_SOURCE.match(r.source or ""))}
        _cache.append(WorkCalendar({r.date: r.workday for r in rows}, years))
    return _cache[0]


def forget_calendar() -> None:
    """Called whenever overrides change and whenever a database is opened."""
    _cache.clear()
