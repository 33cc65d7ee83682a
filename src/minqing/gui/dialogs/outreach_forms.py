"""The small forms of the diary and reception panels, each handing its values to one core call."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from minqing.core import community as community_service
from minqing.core.cases.services import CaseChange
from minqing.core.channels import diary, reception
from minqing.core.channels.reception import Duty, ReceptionKind
from minqing.core.errors import DomainError
from minqing.gui.context import AppContext
from minqing.gui.dialogs.form import Field, ask, staff_choices
from minqing.gui.widgets.suggestion import suggested_choices

if TYPE_CHECKING:
    from minqing.core.outreach.models import DiaryEntry, ReceptionDay


def window_choices() -> list[tuple[int, str]]:
    return [(w.id, w.name) for w in community_service.windows(active_only=True)]


def write_entry(parent: QWidget | None, ctx: AppContext) -> DiaryEntry | None:
    community = ctx.community.id if ctx.community else None
    fields = [
        Field("written_on", "日期", "date", value=dt.date.today()),
        Field(
            "author",
            "记录人",
            "choice",
            staff_choices(community),
            ctx.staff.id if ctx.staff else None,
        ),
        Field("text", "日记内容", "longtext", hint="听到了什么、看到了什么、答应了什么"),
    ]
    made: list[DiaryEntry] = []

    def submit(values: dict[str, Any]) -> None:
        if values["author"] is None:
            raise DomainError("author", "请选择记录人。")
        made.append(
            diary.write(values["author"], values["text"], values["written_on"], actor=ctx.staff)
        )

    return made[0] if ask(parent, "写民情日记", fields, submit) else None


def entry_to_case(parent: QWidget | None, ctx: AppContext, entry_id: int) -> CaseChange | None:
    entry = diary.get_entry(entry_id)
    community = ctx.community.id if ctx.community else None
    windows, suggested = suggested_choices(entry.text, window_choices())
    fields = [
        Field("text", "民情内容", "longtext", value=entry.text),
        Field("window", "服务窗口", "choice", windows),
        Field("first_responder", "首问责任人", "choice", staff_choices(community), entry.author_id),
        Field("contact_name", "联系人", hint="反映问题的居民；不知道可留空"),
        Field("contact_phone", "联系电话"),
        Field("address", "地址"),
        Field("urgent", "紧急", "check", hint="重大/紧急事项，当天办理"),
    ]
    made: list[CaseChange] = []

    def submit(values: dict[str, Any]) -> None:
        made.append(diary.to_case(entry.id, actor=ctx.staff, **values))

    day = f"{entry.written_on:%Y-%m-%d}"
    intro = f"把 {day} {entry.author.name} 的日记登记为一条民情（渠道：民情日记）。"
    if suggested:
        intro += f"\n{suggested}（排在服务窗口列表最前，请选择）"
    return made[0] if ask(parent, "登记为民情", fields, submit, intro) else None


def _time(text: str, field: str, label: str) -> dt.time:
    match = re.fullmatch(r"\s*(\d{1,2})[:：](\d{2})\s*", text or "")
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise DomainError(field, f"{label}应写成 8:30 这样的时间。")
    return dt.time(int(match.group(1)), int(match.group(2)))


def parse_duty(text: str) -> list[Duty]:
    """One person a line, “人大代表 徐道荣” or just the name."""
    people = []
    for line in (text or "").splitlines():
        parts = line.replace("：", " ").replace(":", " ").split()
        if not parts:
            continue
        role, name = (parts[0], "".join(parts[1:])) if len(parts) > 1 else ("", parts[0])
        people.append(Duty(name, role))
    return people


def duty_text(duty: tuple[Duty, ...] | list[Duty]) -> str:
    return "\n".join(f"{d.role} {d.person}".strip() for d in duty)


def _kinds() -> list[tuple[str, str]]:
    return [(str(k.value), k.label) for k in ReceptionKind]


def schedule_day(parent: QWidget | None, ctx: AppContext) -> ReceptionDay | None:
    if ctx.community is None:
        return None
    community = ctx.community
    fields = [
        Field("date", "日期", "date", value=dt.date.today()),
        Field("kind", "接待类型", "choice", _kinds(), ReceptionKind.REPRESENTATIVES.value),
        Field("starts", "开始", value="8:30"),
        Field("ends", "结束", value="11:30"),
        Field("place", "地点", value=reception_place(ReceptionKind.REPRESENTATIVES)),
        Field("duty", "值班人员", "longtext", hint="每行一人：人大代表 徐道荣"),
    ]
    made: list[ReceptionDay] = []

    def submit(values: dict[str, Any]) -> None:
        made.append(
            reception.schedule(
                community,
                values["date"],
                values["kind"] or "",
                starts=_time(values["starts"], "starts", "开始时间"),
                ends=_time(values["ends"], "ends", "结束时间"),
                place=values["place"],
                duty=parse_duty(values["duty"]),
                actor=ctx.staff,
            )
        )

    return made[0] if ask(parent, "安排接待日", fields, submit) else None


def schedule_weeks(parent: QWidget | None, ctx: AppContext) -> list[ReceptionDay]:
    """Every Tuesday morning (or another weekday) for a stretch, skipping holidays."""
    if ctx.community is None:
        return []
    community = ctx.community
    days = ["星期一", "星期二", "星期三", "星期四", "星期五"]
    fields = [
        Field("first", "从", "date", value=dt.date.today()),
        Field("last", "到", "date", value=dt.date.today() + dt.timedelta(weeks=12)),
        Field("weekday", "每周", "choice", list(enumerate(days)), 1),
        Field("kind", "接待类型", "choice", _kinds(), ReceptionKind.REPRESENTATIVES.value),
        Field("starts", "开始", value="8:30"),
        Field("ends", "结束", value="11:30"),
        Field("place", "地点", value=reception_place(ReceptionKind.REPRESENTATIVES)),
        Field("duty", "值班人员", "longtext", hint="每行一人：人大代表 徐道荣"),
    ]
    made: list[ReceptionDay] = []

    def submit(values: dict[str, Any]) -> None:
        duty = parse_duty(values["duty"])
        made.extend(
            reception.schedule_weekly(
                community,
                values["first"],
                values["last"],
                weekday=values["weekday"] if values["weekday"] is not None else 1,
                kind=values["kind"] or "",
                starts=_time(values["starts"], "starts", "开始时间"),
                ends=_time(values["ends"], "ends", "结束时间"),
                place=values["place"],
                rota=[duty] if duty else (),
                actor=ctx.staff,
            )
        )

    return (
        made
        if ask(parent, "按周安排接待日", fields, submit, "节假日自动跳过，已安排的日子不变。")
        else []
    )


def edit_duty(
    parent: QWidget | None, day_id: int, current: tuple[Duty, ...], actor: Any = None
) -> bool:
    fields = [
        Field(
            "duty",
            "值班人员",
            "longtext",
            value=duty_text(current),
            hint="每行一人：人大代表 徐道荣",
        )
    ]
    return ask(
        parent,
        "值班人员",
        fields,
        lambda v: reception.set_duty(day_id, parse_duty(v["duty"]), actor=actor),
    )


def reception_place(kind: ReceptionKind) -> str:
    return "两代表一委员联络服务站" if kind == ReceptionKind.REPRESENTATIVES else "社区居务大厅"
