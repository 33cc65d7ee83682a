"""The office's working-day calendar: importing the annual notice, single-date overrides, warnings.

Deadlines are only as good as the calendar. The library knows the official schedule up to
some year; after that the office imports the State Council's notice, and until it does, every
screen that shows a deadline should say that the year's holidays are missing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from minqing.core import validate
from minqing.core.accounts import permissions
from minqing.core.calendar.holiday_notice import Holiday, MakeupDay, NoticeSchedule, parse_notice
from minqing.core.calendar.workdays import forget_calendar, load_calendar, official_covers
from minqing.core.errors import DomainError
from minqing.core.models import CalendarOverride, Staff, database_proxy

OFFICE_SOURCE = "本单位设置"
OFFICIAL_SOURCE = "官方日历"
MAX_DEADLINE_DAYS = 365
Origin = Literal["office", "official"]

_OFFICIAL_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def notice_source(year: int) -> str:
    return f"{year}年通知"


def missing_warning(years: list[int]) -> str | None:
    if not years:
        return None
    names = "、".join(str(y) for y in years)
    return (
        f"{names}年的节假日安排还没有录入，暂按周一至周五计算工作日，办理时限可能不准。"
        "请在国务院办公厅发布放假通知后导入。"
    )


@dataclass
class ImportSummary:
    year: int
    source: str
    holidays: list[Holiday]
    workdays: list[MakeupDay]
    added: int
    changed: int
    removed: int
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ScheduleDay:
    date: dt.date
    workday: bool
    name: str
    origin: Origin
    source: str  # what the user reads: 本单位设置 / 2027年通知 / 官方日历


@dataclass
class YearSchedule:
    year: int
    days: list[ScheduleDay]
    covered: bool
    official: bool  # the library knows this year
    warning: str | None

    @property
    def holidays(self) -> list[tuple[str, dt.date, dt.date, str]]:
        """Consecutive days off of one name and source as (name, start, end, source)."""
        result: list[tuple[str, dt.date, dt.date, str]] = []
        for day in (d for d in self.days if not d.workday):
            last = result[-1] if result else None
            if (
                last
                and (last[0], last[3]) == (day.name, day.source)
                and (day.date - last[2]).days == 1
            ):
                result[-1] = (last[0], last[1], day.date, last[3])
            else:
                result.append((day.name, day.date, day.date, day.source))
        return result

    @property
    def workdays(self) -> list[ScheduleDay]:
        return [d for d in self.days if d.workday]


@dataclass(frozen=True)
class OverrideChange:
    date: dt.date
    before: tuple[bool, str, str] | None  # (workday, name, source)
    after: tuple[bool, str, str] | None


@dataclass(frozen=True)
class Deadline:
    intake: dt.date
    days: int
    due: dt.date
    warning: str | None


def preview_notice(text: str, year: int | None = None) -> NoticeSchedule:
    """What the notice says, without storing anything: the user checks it before importing."""
    return parse_notice(text, year)


def import_notice(
    text: str, replace: bool = True, year: int | None = None, *, actor: Staff | None = None
) -> ImportSummary:
    """Store the notice's dates as overrides in one transaction.

    With `replace`, rows an earlier import of the same year's notice left behind go, so a
    corrected notice leaves no stale holiday. Dates the office set by hand are overwritten
    (the notice is the newer word) and each such date is named in the warnings.
    """
    permissions.require(actor, "calendar.edit")
    if not isinstance(replace, bool):
        raise DomainError("replace", "请说明是否替换该年以前导入的通知。")
    schedule = parse_notice(text, year)
    source = notice_source(schedule.year)
    wanted = schedule.overrides()
    warnings = list(schedule.warnings)
    added = changed = removed = 0
    with database_proxy.atomic():
        existing = {row.date: row for row in CalendarOverride.select()}
        if replace:
            stale = [d for d, row in existing.items() if row.source == source and d not in wanted]
            if stale:
                removed = (
                    CalendarOverride.delete().where(CalendarOverride.date.in_(stale)).execute()
                )
        for day, (workday, name) in sorted(wanted.items()):
            row = existing.get(day)
            if row is None:
                CalendarOverride.create(date=day, workday=workday, name=name, source=source)
                added += 1
                continue
            if (row.workday, row.name, row.source) == (workday, name, source):
                continue
            if row.source != source and row.workday != workday:
                old = "上班" if row.workday else "放假"
                new = "上班" if workday else "放假"
                warnings.append(
                    f"{day:%Y-%m-%d}原先是{row.source or OFFICE_SOURCE}定的{old}，"
                    f"已按通知改为{new}（{name}）。"
                )
            row.workday, row.name, row.source = workday, name, source
            row.save()
            changed += 1
    forget_calendar()
    return ImportSummary(
        schedule.year,
        source,
        schedule.holidays,
        schedule.workdays,
        added,
        changed,
        removed,
        warnings,
    )


def parse_year(value: int | str) -> int:
    try:
        year = int(str(value).strip())
    except ValueError:
        raise DomainError("year", f"年份“{value}”不对，请写四位数字，例如 2027。") from None
    if not 2000 <= year <= 2100:
        raise DomainError("year", f"年份“{value}”不对，应在 2000 到 2100 之间。")
    return year


def _official_days(year: int) -> dict[dt.date, ScheduleDay]:
    if not official_covers(year):
        return {}
    from chinese_calendar import constants as official

    days: dict[dt.date, ScheduleDay] = {}
    for table, workday in ((official.holidays, False), (official.workdays, True)):
        for day, name in table.items():
            if day.year == year:
                label = _OFFICIAL_NAMES.get(str(name), str(name))
                days[day] = ScheduleDay(day, workday, label, "official", OFFICIAL_SOURCE)
    return days


def year_schedule(year: int | str) -> YearSchedule:
    """The year's days off and make-up working days, each with where it comes from."""
    year = parse_year(year)
    days = _official_days(year)
    rows = CalendarOverride.select().where(
        CalendarOverride.date.between(dt.date(year, 1, 1), dt.date(year, 12, 31))
    )
    for row in rows:
        days[row.date] = ScheduleDay(
            row.date, row.workday, row.name, "office", row.source or OFFICE_SOURCE
        )
    covered = load_calendar().covers(year)
    return YearSchedule(
        year,
        [days[d] for d in sorted(days)],
        covered,
        official_covers(year),
        None if covered else missing_warning([year]),
    )


def _date(value: dt.date | str | None, name: str = "date", label: str = "日期") -> dt.date:
    day = validate.date_value(name, value, label)
    if day is None:
        raise DomainError(name, f"请填写{label}，例如 2027-10-08。")
    if not 2000 <= day.year <= 2100:
        raise DomainError(name, f"{label}“{value}”不在 2000 到 2100 年之间。")
    return day


def _snapshot(row: CalendarOverride | None) -> tuple[bool, str, str] | None:
    return None if row is None else (bool(row.workday), str(row.name), str(row.source))


def set_override(
    day: dt.date | str, workday: bool, name: str = "", *, actor: Staff | None = None
) -> OverrideChange:
    """The office's own word on one date: a local holiday, or a working day."""
    permissions.require(actor, "calendar.edit")
    day = _date(day)
    if not isinstance(workday, bool):
        raise DomainError("workday", "请说明这一天是放假还是上班。")
    label = validate.optional_text("name", name, "名称", max_len=30) or (
        "上班" if workday else "放假"
    )
    with database_proxy.atomic():
        row = CalendarOverride.get_or_none(CalendarOverride.date == day)
        before = _snapshot(row)
        if row is None:
            row = CalendarOverride(date=day)
        row.workday, row.name, row.source = workday, label, OFFICE_SOURCE
        row.save()
    forget_calendar()
    return OverrideChange(day, before, _snapshot(row))


def remove_override(day: dt.date | str, *, actor: Staff | None = None) -> OverrideChange:
    """Back to the official calendar (or Monday–Friday) for one date."""
    permissions.require(actor, "calendar.edit")
    day = _date(day)
    with database_proxy.atomic():
        row = CalendarOverride.get_or_none(CalendarOverride.date == day)
        if row is None:
            raise DomainError("date", f"{day:%Y-%m-%d}没有单独设置的放假或上班安排，无需删除。")
        before = _snapshot(row)
        row.delete_instance()
    forget_calendar()
    return OverrideChange(day, before, None)


def calendar_warning(today: dt.date | None = None) -> str | None:
    """The banner text while this year's or next year's holidays are unknown."""
    today = today or dt.date.today()
    if not isinstance(today, dt.date):
        raise DomainError("today", "日期不对。")
    return missing_warning(load_calendar().missing_years(today))


def deadline(intake: dt.date | str, days: int | str) -> Deadline:
    """The due date of a case taken in on `intake` with `days` working days."""
    start = _date(intake, "intake", "受理日期")
    try:
        count = int(str(days).strip())
    except ValueError:
        raise DomainError("days", f"工作日数“{days}”不对，应为 0 或正整数，例如 3。") from None
    if not 0 <= count <= MAX_DEADLINE_DAYS:
        raise DomainError("days", f"工作日数应在 0 到 {MAX_DEADLINE_DAYS} 之间（0 表示当天办结）。")
    calendar = load_calendar()
    due = calendar.add_workdays(start, count)
    missing = [y for y in range(start.year, due.year + 1) if not calendar.covers(y)]
    return Deadline(start, count, due, missing_warning(missing))
