"""The registry's small forms: household, resident, status, grid move, visit. Each is a
FormDialog whose submit calls the core service, so a refused value keeps the dialog open."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from minqing.core import community as community_service
from minqing.core.outreach import visits
from minqing.core.registry import services as registry
from minqing.gui.context import AppContext
from minqing.gui.dialogs.form import Field, ask, staff_choices

if TYPE_CHECKING:
    from minqing.core.models import Household, Resident


def grid_choices(ctx: AppContext) -> list[tuple[int, str]]:
    return [(g.id, g.name) for g in community_service.grids(ctx.community)]


def _split_tags(text: str) -> list[str]:
    return [t for t in text.replace("，", "、").replace(",", "、").split("、") if t.strip()]


def edit_household(parent: QWidget, ctx: AppContext, home: Household | None = None) -> Any:
    """Add (home None) or edit a household; returns the saved one or None."""
    fields = [
        Field("courtyard", "院落/小区", value=home.courtyard if home else ""),
        Field("building", "楼号", value=home.building if home else "", hint="如 3"),
        Field("unit", "单元", value=home.unit if home else ""),
        Field("door", "门牌", value=home.door if home else "", hint="如 501"),
        Field("grid", "片区", "choice", grid_choices(ctx), home.grid_id if home else None),
        Field("note", "备注", value=home.note if home else ""),
    ]
    saved: list[Household] = []

    def submit(values: dict[str, Any]) -> None:
        if home is None:
            saved.append(registry.add_household(ctx.community, actor=ctx.staff, **values))
        else:
            saved.append(registry.edit_household(home, actor=ctx.staff, **values))

    title = "添加住户" if home is None else f"编辑住户 {home.address}"
    return saved[0] if ask(parent, title, fields, submit) else None


def move_household(parent: QWidget, ctx: AppContext, home: Household) -> bool:
    others = [(gid, name) for gid, name in grid_choices(ctx) if gid != home.grid_id]
    fields = [Field("grid", "转入片区", "choice", others)]
    return ask(
        parent,
        f"转片区：{home.address}",
        fields,
        lambda v: registry.move_household(home, v["grid"], actor=ctx.staff),
        intro="住户连同居民、民情、走访记录一起转到新片区，由新片区的工作人员负责。",
    )


def edit_resident(
    parent: QWidget, home: Household, person: Resident | None = None, actor: Any = None
) -> Resident | None:
    tags = "、".join(registry.tags_of(person.id)) if person else ""
    fields = [
        Field("name", "姓名", value=person.name if person else ""),
        Field(
            "gender",
            "性别",
            "choice",
            [("男", "男"), ("女", "女")],
            person.gender if person else None,
        ),
        Field(
            "id_number",
            "身份证号",
            value=(person.id_number or "") if person else "",
            hint="18 位，最后一位校验码会被检查",
        ),
        Field(
            "phone", "联系电话", value=person.phone if person else "", hint="手机 11 位，固话带区号"
        ),
        Field(
            "tags",
            "标签",
            value=tags,
            hint="用顿号分隔，如：低保、空巢老人。可用：" + "、".join(registry.known_tags()),
        ),
        Field("note", "备注", value=person.note if person else ""),
    ]
    saved: list[Resident] = []

    def submit(values: dict[str, Any]) -> None:
        values["tags"] = _split_tags(values.get("tags") or "")
        values["gender"] = values.get("gender") or ""
        if person is None:
            saved.append(registry.add_resident(home, values.pop("name"), actor=actor, **values))
        else:
            saved.append(registry.edit_resident(person, actor=actor, **values))

    title = f"添加居民：{home.address}" if person is None else f"编辑居民 {person.name}"
    return saved[0] if ask(parent, title, fields, submit) else None


def mark_status(parent: QWidget, person: Resident, actor: Any = None) -> bool:
    fields = [
        Field(
            "status",
            "状态",
            "choice",
            [(k, v) for k, v in registry.STATUSES.items()],
            person.status,
        ),
        Field("on", "日期", "date", person.status_date or dt.date.today()),
    ]
    return ask(
        parent,
        f"居民状态：{person.name}",
        fields,
        lambda v: registry.mark_status(person, v["status"] or "", v["on"], actor=actor),
        intro="迁出或去世的居民仍保留在台账里（历史民情和走访记录不受影响），只是不再出现在名单中。",
    )


def record_visit(parent: QWidget, ctx: AppContext, home: Household) -> visits.VisitResult | None:
    windows = [(w.id, w.name) for w in community_service.windows(active_only=True)]
    people = [(r.id, r.name) for r in registry.current_residents(home)]
    fields = [
        Field("visited_on", "走访日期", "date", dt.date.today()),
        Field(
            "staff",
            "走访人",
            "choice",
            staff_choices(ctx.community.id if ctx.community else None),
            ctx.staff.id if ctx.staff else None,
        ),
        Field("learned", "了解到的情况", "longtext", hint="就业、就医、就学、住房、困难……"),
        Field("open_case", "民情", "choice", [("no", "只记录走访"), ("yes", "同时开民情件")], "no"),
        Field(
            "resident",
            "反映人",
            "choice",
            people,
            people[0][0] if people else None,
            show_when=("open_case", "yes"),
        ),
        Field("window", "服务窗口", "choice", windows, show_when=("open_case", "yes")),
        Field(
            "case_text",
            "民情内容",
            "longtext",
            hint="不填则用“了解到的情况”",
            show_when=("open_case", "yes"),
        ),
    ]
    saved: list[visits.VisitResult] = []

    def submit(values: dict[str, Any]) -> None:
        values["open_case"] = values.get("open_case") == "yes"
        saved.append(visits.record_visit(home, actor=ctx.staff, **values))

    if not ask(parent, f"记录走访：{home.address}", fields, submit):
        return None
    result = saved[0]
    if result.case is not None:
        ctx.case_changed.emit(result.case.id)
    return result
