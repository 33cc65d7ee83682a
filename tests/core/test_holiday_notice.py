from __future__ import annotations

import datetime as dt
from pathlib import Path

import chinese_calendar
import pytest

from minqing.core.calendar.holiday_notice import Holiday, MakeupDay, normalise, parse_notice
from minqing.core.errors import DomainError

DATA = Path(__file__).parent / "data"


def notice(year: int) -> str:
    return (DATA / f"notice_{year}.txt").read_text(encoding="utf-8")


def plain_with(schedule, day: dt.date) -> bool:
    overrides = schedule.overrides()
    if day in overrides:
        return overrides[day][0]
    return day.weekday() < 5


@pytest.mark.parametrize("year", [2025, 2026])
def test_real_notices_agree_with_the_library_on_every_day(year):
    schedule = parse_notice(notice(year))
    assert schedule.year == year
    assert schedule.warnings == []
    day = dt.date(year, 1, 1)
    while day.year == year:
        assert plain_with(schedule, day) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)


def test_2026_notice_in_detail():
    schedule = parse_notice(notice(2026))
    assert schedule.holidays[1] == Holiday("春节", dt.date(2026, 2, 15), dt.date(2026, 2, 23))
    assert [m for m in schedule.workdays if m.name == "春节"] == [
        MakeupDay("春节", dt.date(2026, 2, 14)),
        MakeupDay("春节", dt.date(2026, 2, 28)),
    ]
    # the signature's date (2025年11月4日) is no holiday
    assert all(h.start.year == 2026 for h in schedule.holidays)


def test_2025_single_day_and_combined_name():
    schedule = parse_notice(notice(2025))
    assert schedule.holidays[0] == Holiday("元旦", dt.date(2025, 1, 1), dt.date(2025, 1, 1))
    assert schedule.holidays[-1].name == "国庆节、中秋节"
    assert schedule.holidays[-1].days == 8


def test_crafted_2027_notice():
    schedule = parse_notice(notice(2027))
    assert schedule.year == 2027
    assert len(schedule.holidays) == 7
    assert Holiday("端午节", dt.date(2027, 6, 9), dt.date(2027, 6, 9)) in schedule.holidays
    assert len(schedule.workdays) == 5
    assert all(m.date.weekday() >= 5 for m in schedule.workdays)


def test_survives_pasting_half_width_and_traditional():
    text = (
        "國務院辦公廳關於2027年部分節假日安排的通知\n"
        "一、元旦:1月\n1日(週五)至 3日(週日)放假,共3天。\n"
        "二、春節:2月5日(農曆除夕、週五)至13日\n(農曆正月初八、週六)放假調休,共9天。2月20日"
        "(週六)上班。\n三、國慶節：10月１日（周五）至7日（周四）放假调休，共7天。"
        "9月26日（周日）、10月9日（周六）上班。"
    )
    schedule = parse_notice(text)
    assert [(h.name, h.start, h.end) for h in schedule.holidays] == [
        ("元旦", dt.date(2027, 1, 1), dt.date(2027, 1, 3)),
        ("春节", dt.date(2027, 2, 5), dt.date(2027, 2, 13)),
        ("国庆节", dt.date(2027, 10, 1), dt.date(2027, 10, 7)),
    ]
    assert [m.date for m in schedule.workdays] == [
        dt.date(2027, 2, 20),
        dt.date(2027, 9, 26),
        dt.date(2027, 10, 9),
    ]


def test_range_crossing_from_the_previous_year():
    text = (
        "国务院办公厅关于2023年部分节假日安排的通知\n"
        "一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。\n"
        "二、春节：1月21日至27日放假调休，共7天。1月28日（星期六）、1月29日（星期日）上班。"
    )
    schedule = parse_notice(text)
    assert schedule.holidays[0] == Holiday("元旦", dt.date(2022, 12, 31), dt.date(2023, 1, 2))
    assert schedule.warnings == []
    # without the year prefixes the range still starts in December of the year before
    short = text.replace("2022年12月31日至2023年1月2日", "12月31日至1月2日")
    assert parse_notice(short).holidays[0].start == dt.date(2022, 12, 31)
    # a prefixed start and a bare end: the end runs into the next year
    mixed = text.replace("2022年12月31日至2023年1月2日", "2022年12月31日至1月2日")
    assert parse_notice(mixed).holidays[0].end == dt.date(2023, 1, 2)


def test_make_up_day_in_december_of_the_year_before():
    text = (
        "国务院办公厅关于2019年部分节假日安排的通知\n"
        "一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。12月29日（星期六）上班。"
    )
    schedule = parse_notice(text)
    assert schedule.workdays == [MakeupDay("元旦", dt.date(2018, 12, 29))]


def test_given_year_when_the_title_is_missing():
    body = "一、元旦：1月1日放假，共1天。\n二、春节：2月5日至13日放假调休，共9天。2月20日上班。"
    schedule = parse_notice(body, year=2027)
    assert schedule.holidays[0] == Holiday("元旦", dt.date(2027, 1, 1), dt.date(2027, 1, 1))
    with pytest.raises(DomainError) as missing:
        parse_notice(body)
    assert missing.value.field == "year"
    with pytest.raises(DomainError) as clash:
        parse_notice(notice(2026), year=2027)
    assert "2026" in clash.value.message


def test_count_mismatch_is_a_warning():
    text = notice(2026).replace("至23日（农历正月初七、周一）放假调休", "至22日放假调休")
    schedule = parse_notice(text)
    assert len(schedule.warnings) == 1
    assert "春节" in schedule.warnings[0] and "8天" in schedule.warnings[0]


def test_chinese_numeral_count():
    text = "关于2027年部分节假日安排的通知 一、元旦：1月1日至3日放假，共三天。"
    assert parse_notice(text).warnings == []


@pytest.mark.parametrize(
    "text",
    ["", "   ", "今天天气很好，社区组织了文艺演出。", "各位居民：1月1日至3日放假。"],
)
def test_not_a_notice(text):
    with pytest.raises(DomainError) as error:
        parse_notice(text, year=2027)
    assert error.value.field == "notice"
    assert "通知" in error.value.message


def test_impossible_date():
    text = notice(2027).replace("2月20日（周六）上班", "2月30日（周六）上班")
    with pytest.raises(DomainError) as error:
        parse_notice(text)
    assert "2月30日" in error.value.message and "不存在" in error.value.message


def test_item_without_dates():
    with pytest.raises(DomainError) as error:
        parse_notice("关于2027年部分节假日安排的通知 一、元旦：放假安排另行通知。")
    assert "元旦" in error.value.message


def test_same_day_off_and_on_is_an_error():
    text = notice(2027).replace("2月20日（周六）上班", "2月13日（周六）上班")
    with pytest.raises(DomainError) as error:
        parse_notice(text)
    assert "2027-02-13" in error.value.message


def test_make_up_day_on_a_weekday_is_a_warning():
    text = notice(2027).replace("2月20日（周六）上班", "2月17日上班")
    schedule = parse_notice(text)
    assert any("2027-02-17" in w and "本来就是工作日" in w for w in schedule.warnings)


def test_two_notices_at_once_are_refused():
    with pytest.raises(DomainError) as error:
        parse_notice(notice(2026) + "\n" + notice(2027))
    assert "一年" in error.value.message


def test_normalise_strips_nested_remarks():
    assert normalise("2月15日（农历腊月二十八、周日）\n至 23 日") == "2月15日至23日"


# Storing the notice (calendar_service)


def test_import_overwrites_office_entries_and_says_so(db):
    from minqing.core.calendar import service
    from minqing.core.models import CalendarOverride

    service.set_override("2027-10-04", True, "值班")
    service.set_override("2027-11-11", False, "社区活动")
    summary = service.import_notice(notice(2027))
    assert summary.added == 33 and summary.changed == 1
    assert any("2027-10-04" in w and "放假" in w for w in summary.warnings)
    row = CalendarOverride.get(CalendarOverride.date == dt.date(2027, 10, 4))
    assert (row.workday, row.name, row.source) == (False, "国庆节", "2027年通知")
    # the office's own date elsewhere in the year stays
    kept = CalendarOverride.get(CalendarOverride.date == dt.date(2027, 11, 11))
    assert kept.source == "本单位设置"


def test_import_without_replace_keeps_earlier_rows(db):
    from minqing.core.calendar import service

    service.import_notice(notice(2027))
    shorter = notice(2027).replace("六、中秋节：9月15日（周三）放假，共1天。", "")
    assert service.import_notice(shorter, replace=False).removed == 0
    assert any(d.date == dt.date(2027, 9, 15) for d in service.year_schedule(2027).days)
    assert service.import_notice(shorter).removed == 1
    assert not any(d.date == dt.date(2027, 9, 15) for d in service.year_schedule(2027).days)


def test_preview_stores_nothing(db):
    from minqing.core.calendar import service
    from minqing.core.models import CalendarOverride

    assert service.preview_notice(notice(2027)).year == 2027
    assert CalendarOverride.select().count() == 0


def test_year_schedule_origins(db):
    from minqing.core.calendar import service

    service.set_override(dt.date(2026, 10, 8), False, "调休")
    schedule = service.year_schedule(2026)
    assert schedule.covered and schedule.official and schedule.warning is None
    by_date = {d.date: d for d in schedule.days}
    assert by_date[dt.date(2026, 10, 1)].origin == "official"
    assert by_date[dt.date(2026, 10, 8)].source == "本单位设置"
    missing = service.year_schedule("2027")
    assert not missing.covered and missing.days == [] and "2027" in missing.warning


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda s: s.set_override("2027-02-30", False), "date"),
        (lambda s: s.set_override("", False), "date"),
        (lambda s: s.set_override("2027-03-02", "yes"), "workday"),
        (lambda s: s.set_override("2027-03-02", False, "名" * 31), "name"),
        (lambda s: s.remove_override("2027-03-02"), "date"),
        (lambda s: s.year_schedule("1999"), "year"),
        (lambda s: s.deadline("2026-11-27", -1), "days"),
        (lambda s: s.deadline("9999-12-30", 3), "intake"),
        (lambda s: s.import_notice("随便写的", replace="yes"), "replace"),
    ],
)
def test_service_validation(db, call, field):
    from minqing.core.calendar import service

    with pytest.raises(DomainError) as error:
        call(service)
    assert error.value.field == field
    assert error.value.message


def test_calendar_warning(db):
    from minqing.core.calendar import service

    assert service.calendar_warning(dt.date(2025, 5, 1)) is None
    # next year counts too, so the banner shows all through 2026 until the notice is in
    assert "2027年" in service.calendar_warning(dt.date(2026, 5, 1))
    assert "2027年" in service.calendar_warning(dt.date(2026, 11, 27))
    assert "2027、2028年" in service.calendar_warning(dt.date(2027, 1, 4))
