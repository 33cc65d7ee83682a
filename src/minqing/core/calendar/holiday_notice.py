"""Reading the State Council's annual holiday notice (国务院办公厅关于XXXX年部分节假日安排的通知).

For years the calendar library does not know yet, the notice is the only source of the
holidays, so an office pastes it once a year. Pasting breaks lines anywhere, mixes full- and
half-width punctuation and sometimes brings traditional characters; the parse survives that
and says, in Chinese, what it found doubtful (warnings) or could not read at all (DomainError).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

from minqing.core.errors import DomainError

MAX_NOTICE_CHARS = 20000
WEEKDAYS = "一二三四五六日"

# Only the characters the parse looks at: holiday names, keywords and the title.
_TRADITIONAL = str.maketrans(
    {
        "節": "节",
        "國": "国",
        "務": "务",
        "辦": "办",
        "關": "关",
        "於": "于",
        "勞": "劳",
        "動": "动",
        "慶": "庆",
        "調": "调",
        "週": "周",
        "農": "农",
        "曆": "历",
        "臘": "腊",
        "淸": "清",
        "與": "与",
        "間": "间",
        "號": "号",
        "發": "发",
        "電": "电",
        "連": "连",
        "後": "后",
        "來": "来",
        "為": "为",
        "個": "个",
        "將": "将",
        "體": "体",
        "單": "单",
    }
)
_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}
_HOLIDAY_NAMES = "元旦|春节|清明节|劳动节|端午节|中秋节|国庆节"
_ITEM = re.compile(
    rf"(?:[一二三四五六七八九十]{{1,3}}[、.])?(?P<name>(?:{_HOLIDAY_NAMES})(?:[、和与](?:{_HOLIDAY_NAMES}))*):"
)
_TITLE_YEAR = re.compile(r"关于(\d{4})年(?:部分)?节假日")
_PREAMBLE_YEAR = re.compile(r"现将(\d{4})年")
_DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日")
_RANGE_WORD = re.compile(r"^(?:至|到|-|~|—|–)$")
_KEYWORD = re.compile(r"放假|休息|上班")
_COUNT = re.compile(r"(?:共|放假)(\d{1,2}|[一二三四五六七八九十]{1,2})天")
_TRAILERS = ("节假日期间", "国务院办公厅")


class Holiday(NamedTuple):
    name: str
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range(self.days)]


class MakeupDay(NamedTuple):
    """A weekend day that becomes a working day (调休上班)."""

    name: str
    date: dt.date


@dataclass
class NoticeSchedule:
    year: int
    holidays: list[Holiday]
    workdays: list[MakeupDay]
    warnings: list[str] = field(default_factory=list)

    def overrides(self) -> dict[dt.date, tuple[bool, str]]:
        """Date → (is a working day, holiday name), as the calendar overrides would store them."""
        result = {d: (False, h.name) for h in self.holidays for d in h.dates()}
        result.update({m.date: (True, m.name) for m in self.workdays})
        return result


class _Token(NamedTuple):
    year: int | None
    month: int | None
    day: int
    text: str
    range_end: bool  # joined to the previous date by 至
    keyword: str  # 放假 / 上班, or "" when no keyword follows in the sentence


def normalise(text: str) -> str:
    """Fold widths and traditional characters, drop whitespace and parenthesised remarks."""
    text = unicodedata.normalize("NFKC", text).translate(_TRADITIONAL)
    text = re.sub(r"\s+", "", text)
    previous = None
    while previous != text:
        previous, text = text, re.sub(r"\([^()]*\)", "", text)
    return text.replace("(", "").replace(")", "")


def parse_notice(text: str, year: int | None = None) -> NoticeSchedule:
    """The holidays and make-up working days of one year's notice."""
    if not isinstance(text, str) or not text.strip():
        raise DomainError("notice", "请粘贴国务院办公厅关于节假日安排的通知全文。")
    if len(text) > MAX_NOTICE_CHARS:
        raise DomainError(
            "notice", f"粘贴的文字太长（{len(text)} 字）。请只粘贴一份节假日安排通知。"
        )
    flat = normalise(text)
    items = list(_ITEM.finditer(flat))
    if not items:
        raise DomainError(
            "notice",
            "没有认出节假日安排。请粘贴国务院办公厅《关于XXXX年部分节假日安排的通知》的正文，"
            "其中每一项形如“一、元旦：1月1日至3日放假调休，共3天。1月4日（周日）上班。”",
        )
    notice_year = _notice_year(flat, flat[: items[0].start()], year)
    schedule = NoticeSchedule(notice_year, [], [])
    for index, match in enumerate(items):
        end = items[index + 1].start() if index + 1 < len(items) else len(flat)
        body = _cut_trailer(flat[match.end() : end])
        _read_item(schedule, match.group("name"), body)
    _check_schedule(schedule)
    schedule.holidays.sort(key=lambda h: h.start)
    schedule.workdays.sort(key=lambda m: m.date)
    return schedule


def _notice_year(flat: str, head: str, given: int | None) -> int:
    found = {int(y) for y in _TITLE_YEAR.findall(flat)}
    if not found:
        found = {int(y) for y in _PREAMBLE_YEAR.findall(head)}
    if len(found) > 1:
        years = "、".join(str(y) for y in sorted(found))
        raise DomainError(
            "notice", f"粘贴的文字里有几份通知（{years}年）。请一次只导入一年的通知。"
        )
    if given is not None:
        if isinstance(given, bool) or not isinstance(given, int) or not 2000 <= given <= 2100:
            raise DomainError("year", f"年份“{given}”不对，应为 2000 到 2100 之间的四位数。")
        if found and given not in found:
            raise DomainError(
                "year", f"通知标题写的是{found.pop()}年，与指定的{given}年不一致。请核对后再导入。"
            )
        return given
    if not found:
        raise DomainError(
            "year",
            "没有找到通知的年份。请连同标题（“国务院办公厅关于2027年部分节假日安排的通知”）"
            "一起粘贴，或另外指定年份。",
        )
    result = found.pop()
    if not 2000 <= result <= 2100:
        raise DomainError("year", f"通知的年份“{result}”不对。")
    return result


def _cut_trailer(body: str) -> str:
    cut = min((i for i in (body.find(t) for t in _TRAILERS) if i >= 0), default=len(body))
    return body[:cut]


def _tokens(sentence: str) -> list[_Token]:
    matches = list(_DATE.finditer(sentence))
    tokens = []
    for i, m in enumerate(matches):
        between = sentence[matches[i - 1].end() : m.start()] if i else ""
        after = sentence[m.end() :]
        keyword = _KEYWORD.search(after)
        word = "" if keyword is None else ("上班" if keyword.group() == "上班" else "放假")
        tokens.append(
            _Token(
                int(m.group(1)) if m.group(1) else None,
                int(m.group(2)) if m.group(2) else None,
                int(m.group(3)),
                m.group(),
                bool(i) and bool(_RANGE_WORD.match(between)),
                word,
            )
        )
    return tokens


def _make_date(name: str, year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DomainError(
            "notice",
            f"“{name}”一项中的日期“{text}”不存在（{year}年{month}月没有{day}日），请核对通知原文。",
        ) from None


def _read_item(schedule: NoticeSchedule, name: str, body: str) -> None:
    year = schedule.year
    off: list[dt.date] = []
    work_tokens: list[tuple[_Token, int]] = []  # with the month it inherited
    month: int | None = None
    for sentence in re.split(r"[。;]", body):
        tokens = _tokens(sentence)
        previous: tuple[_Token, dt.date] | None = None
        for token in tokens:
            month = token.month or month
            if month is None:
                raise DomainError("notice", f"“{name}”一项中的“{token.text}”看不出是几月。")
            if token.keyword == "上班":
                work_tokens.append((token, month))
                previous = None
                continue
            if token.keyword != "放假":
                previous = None
                continue  # a date without 放假 or 上班 after it, e.g. the signature's date
            if token.range_end and previous is not None:
                start_token, start = previous
                end_year = token.year or start.year
                end = _make_date(name, end_year, month, token.day, token.text)
                if end < start and token.year is None:
                    if start_token.year is None and start.year == year:
                        start = _make_date(name, year - 1, start.month, start.day, start_token.text)
                        off[off.index(previous[1])] = start
                    else:
                        end = _make_date(name, end_year + 1, month, token.day, token.text)
                if end < start:
                    raise DomainError(
                        "notice",
                        f"“{name}”一项的放假日期“{start_token.text}至{token.text}”前后颠倒了。",
                    )
                off.extend(start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1))
                previous = None
            else:
                day = _make_date(name, token.year or year, month, token.day, token.text)
                off.append(day)
                previous = (token, day)
    if not off:
        raise DomainError(
            "notice", f"“{name}”一项没有看到放假日期。每一项应写明如“10月1日至7日放假”的日期。"
        )
    off = sorted(set(off))
    runs = _runs(off)
    schedule.holidays.extend(Holiday(name, first, last) for first, last in runs)
    for token, token_month in work_tokens:
        near = off[0]
        if token.year is not None:
            day = _make_date(name, token.year, token_month, token.day, token.text)
        else:
            candidates = [
                _make_date(name, y, token_month, token.day, token.text)
                for y in (year - 1, year, year + 1)
                if _valid(y, token_month, token.day)
            ] or [_make_date(name, year, token_month, token.day, token.text)]
            day = min(candidates, key=lambda d: abs((d - near).days))
        schedule.workdays.append(MakeupDay(name, day))
    counts = {_number(c) for c in _COUNT.findall(body)}
    total = len(off)
    if counts and total not in counts:
        written = "、".join(f"{c}天" for c in sorted(counts))
        ranges = "、".join(_format_range(a, b) for a, b in runs)
        schedule.warnings.append(
            f"“{name}”：通知写的是共{written}，但{ranges}是{total}天。请核对日期是否粘贴完整。"
        )


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 2 and text[0] == "十":
        return 10 + _NUMERALS[text[1]]
    return _NUMERALS[text]


def _runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    runs: list[tuple[dt.date, dt.date]] = []
    for day in days:
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _format_range(start: dt.date, end: dt.date) -> str:
    if start == end:
        return f"{start:%Y-%m-%d}"
    return f"{start:%Y-%m-%d}至{end:%Y-%m-%d}"


def weekday_name(day: dt.date) -> str:
    return "周" + WEEKDAYS[day.weekday()]


def _check_schedule(schedule: NoticeSchedule) -> None:
    year = schedule.year
    seen: dict[dt.date, str] = {}
    kept: list[Holiday] = []
    for holiday in schedule.holidays:
        dup = [d for d in holiday.dates() if d in seen]
        if dup:
            schedule.warnings.append(
                f"“{holiday.name}”的{_format_range(dup[0], dup[-1])}已在“{seen[dup[0]]}”中出现，"
                "重复的部分只算一次。"
            )
            if len(dup) == holiday.days:
                continue
        kept.append(holiday)
        for d in holiday.dates():
            seen.setdefault(d, holiday.name)
        if holiday.days > 14:
            schedule.warnings.append(
                f"“{holiday.name}”放假{holiday.days}天"
                f"（{_format_range(holiday.start, holiday.end)}），比通常长得多，请核对。"
            )
        start = holiday.start
        if not (start.year == year or (start.year == year - 1 and start.month == 12)):
            schedule.warnings.append(
                f"“{holiday.name}”的日期{_format_range(holiday.start, holiday.end)}不在{year}年。"
            )
    schedule.holidays[:] = kept
    unique: dict[dt.date, MakeupDay] = {}
    for makeup in schedule.workdays:
        if makeup.date in seen:
            raise DomainError(
                "notice",
                f"{makeup.date:%Y-%m-%d}既写成放假（{seen[makeup.date]}），又写成上班（{makeup.name}）。"
                "请核对通知原文。",
            )
        unique.setdefault(makeup.date, makeup)
        if makeup.date.weekday() < 5:
            schedule.warnings.append(
                f"{makeup.date:%Y-%m-%d}（{weekday_name(makeup.date)}）本来就是工作日，"
                f"“{makeup.name}”的调休上班日是否写错了？"
            )
        gaps = [
            min(abs((makeup.date - h.start).days), abs((makeup.date - h.end).days))
            for h in schedule.holidays
            if h.name == makeup.name
        ]
        if gaps and min(gaps) > 40:
            schedule.warnings.append(
                f"“{makeup.name}”的调休上班日{makeup.date:%Y-%m-%d}离假期很远，请核对。"
            )
    schedule.workdays[:] = list(unique.values())
