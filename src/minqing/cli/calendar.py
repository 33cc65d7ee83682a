"""`minqing deadline` and `minqing calendar …`: due dates and the office's holiday calendar."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from minqing.cli import actor, emit, open_db
from minqing.core.errors import DomainError

MAX_FILE_BYTES = 1_000_000


def register(subparsers: Any) -> None:
    deadline = subparsers.add_parser(
        "deadline",
        help="计算办理时限：受理日期之后第 N 个工作日",
        description="受理当天不算；DAYS 为 0 表示当天办结。",
    )
    deadline.add_argument("date", metavar="DATE", help="受理日期，例如 2026-09-30")
    deadline.add_argument("days", metavar="DAYS", help="工作日数，例如 3")
    deadline.set_defaults(func=cmd_deadline)

    calendar = subparsers.add_parser("calendar", help="节假日安排：导入放假通知、查看、单独设置")
    sub = calendar.add_subparsers(dest="calendar_command", metavar="ACTION", required=True)
    imp = sub.add_parser("import", help="导入国务院办公厅的节假日安排通知（文本文件）")
    imp.add_argument("file", metavar="FILE", help="通知全文的文本文件（UTF-8 或 GBK）")
    imp.add_argument("--dry-run", action="store_true", help="只显示识别结果，不保存")
    imp.add_argument("--year", help="通知的年份（标题里没有年份时需要）")
    imp.set_defaults(func=cmd_import)

    show = sub.add_parser("show", help="查看某年的放假和调休上班日")
    show.add_argument("year", metavar="YEAR")
    show.set_defaults(func=cmd_show)

    set_ = sub.add_parser("set", help="单独设置某一天放假或上班（本单位安排）")
    set_.add_argument("date", metavar="DATE")
    kind = set_.add_mutually_exclusive_group(required=True)
    kind.add_argument("--holiday", dest="workday", action="store_false", help="这一天放假")
    kind.add_argument("--workday", dest="workday", action="store_true", help="这一天上班")
    set_.add_argument("--name", default="", help="名称，例如 “社区换届选举”")
    set_.set_defaults(func=cmd_set)

    unset = sub.add_parser("unset", help="取消某一天的单独设置，恢复通常安排")
    unset.add_argument("date", metavar="DATE")
    unset.set_defaults(func=cmd_unset)


def _day(value: Any) -> str:
    from minqing.core.calendar.holiday_notice import weekday_name

    return f"{value:%Y-%m-%d}（{weekday_name(value)}）"


def _warn(text: str | None) -> None:
    if text:
        print(f"警告：{text}", file=sys.stderr)


def cmd_deadline(args: argparse.Namespace) -> int:
    from minqing.core.calendar import service as calendar_service

    open_db(args)
    result = calendar_service.deadline(args.date, args.days)
    data = {
        "intake": result.intake.isoformat(),
        "days": result.days,
        "due": result.due.isoformat(),
        "warning": result.warning,
    }
    emit(args, data, result.due.isoformat())
    _warn(result.warning)
    return 0


def read_notice_file(name: str) -> str:
    """The notice as text; offices' Windows PCs often save GBK, so that is tried second."""
    path = Path(name)
    if not path.exists():
        raise DomainError("file", f"找不到文件“{name}”。请检查路径。")
    if not path.is_file():
        raise DomainError("file", f"“{name}”不是文件。请指定保存通知全文的文本文件。")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DomainError("file", f"无法读取“{name}”：{exc.strerror}。") from exc
    if len(data) > MAX_FILE_BYTES:
        raise DomainError("file", f"“{name}”太大，不像是一份放假通知。请只保存通知全文。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise DomainError("file", f"“{name}”不是文本文件。请把通知全文粘贴到记事本中保存后再导入。")


def cmd_import(args: argparse.Namespace) -> int:
    from minqing.core.calendar import service as calendar_service

    text = read_notice_file(args.file)
    year = None
    if args.year is not None:
        year = calendar_service.parse_year(args.year)
    schedule = calendar_service.preview_notice(text, year)
    lines = [f"{schedule.year}年节假日安排："]
    for h in schedule.holidays:
        span = _day(h.start) if h.days == 1 else f"{_day(h.start)} 至 {_day(h.end)}"
        lines.append(f"  放假  {h.name}：{span}，共{h.days}天")
    for m in schedule.workdays:
        lines.append(f"  上班  {m.name}：{_day(m.date)} 调休上班")
    data: dict[str, Any] = {
        "year": schedule.year,
        "holidays": [
            {"name": h.name, "start": h.start.isoformat(), "end": h.end.isoformat(), "days": h.days}
            for h in schedule.holidays
        ],
        "workdays": [{"name": m.name, "date": m.date.isoformat()} for m in schedule.workdays],
        "dry_run": args.dry_run,
    }
    warnings = list(schedule.warnings)
    if args.dry_run:
        lines.append("试运行：没有保存。去掉 --dry-run 即可导入。")
    else:
        open_db(args)
        summary = calendar_service.import_notice(text, replace=True, year=year, actor=actor(args))
        warnings = summary.warnings
        lines.append(
            f"已保存为“{summary.source}”：新增 {summary.added} 天，修改 {summary.changed} 天，"
            f"删除 {summary.removed} 天。"
        )
        data.update(
            source=summary.source,
            added=summary.added,
            changed=summary.changed,
            removed=summary.removed,
        )
    data["warnings"] = warnings
    lines.extend(f"注意：{w}" for w in warnings)
    emit(args, data, "\n".join(lines))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from minqing.core.calendar import service as calendar_service

    year = calendar_service.parse_year(args.year)
    open_db(args)
    schedule = calendar_service.year_schedule(year)
    lines = [f"{schedule.year}年节假日安排："]
    for name, start, end, source in schedule.holidays:
        days = (end - start).days + 1
        span = _day(start) if days == 1 else f"{_day(start)} 至 {_day(end)}"
        lines.append(f"  放假  {name}：{span}，共{days}天（来源：{source}）")
    for day in schedule.workdays:
        lines.append(f"  上班  {day.name}：{_day(day.date)}（来源：{day.source}）")
    if not schedule.days:
        lines.append("  （没有放假或调休安排）")
    if schedule.warning:
        lines.append(f"警告：{schedule.warning}")
    data = {
        "year": schedule.year,
        "covered": schedule.covered,
        "official": schedule.official,
        "warning": schedule.warning,
        "holidays": [
            {"name": n, "start": s.isoformat(), "end": e.isoformat(), "source": src}
            for n, s, e, src in schedule.holidays
        ],
        "workdays": [
            {"name": d.name, "date": d.date.isoformat(), "source": d.source}
            for d in schedule.workdays
        ],
    }
    emit(args, data, "\n".join(lines))
    return 0


def _change_data(change: Any) -> dict[str, Any]:
    def side(value: tuple[bool, str, str] | None) -> dict[str, Any] | None:
        if value is None:
            return None
        return {"workday": value[0], "name": value[1], "source": value[2]}

    return {
        "date": change.date.isoformat(),
        "before": side(change.before),
        "after": side(change.after),
    }


def cmd_set(args: argparse.Namespace) -> int:
    from minqing.core.calendar import service as calendar_service

    open_db(args)
    change = calendar_service.set_override(args.date, args.workday, args.name, actor=actor(args))
    assert change.after is not None
    kind = "上班" if change.after[0] else "放假"
    emit(args, _change_data(change), f"{_day(change.date)}设为{kind}（{change.after[1]}）。")
    return 0


def cmd_unset(args: argparse.Namespace) -> int:
    from minqing.core.calendar import service as calendar_service

    open_db(args)
    change = calendar_service.remove_override(args.date, actor=actor(args))
    emit(args, _change_data(change), f"{_day(change.date)}已恢复通常安排。")
    return 0
