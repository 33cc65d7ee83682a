"""The register of party members (党员), the informants among them and the citizen monitors.

Like the case services: each function validates plain values, writes in one transaction and
appends MemberEvents (who, when, what, before → after), then returns what changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from peewee import JOIN, fn

from minqing.core import validate
from minqing.core.accounts import permissions
from minqing.core.cases.services import CaseChange, take_in
from minqing.core.enums import Channel, Labeled
from minqing.core.errors import DomainError, NotFound
from minqing.core.members.models import Member, MemberEvent, Monitor
from minqing.core.models import Case, Community, Grid, Household, Staff, Window, database_proxy


class MemberKind(Labeled):
    RETIRED = ("retired", "退休")
    LAID_OFF = ("laid_off", "下岗失业")
    MOBILE = ("mobile", "流动")
    EMPLOYED = ("employed", "在职")
    VETERAN = ("veteran", "复转军人")
    GRADUATE = ("graduate", "大中专毕业生")


# The source: 离退休、下岗失业、流动、非在职的复转军人和大中专毕业生党员 form the informants.
INFORMANT_KINDS = {k for k in MemberKind if k != MemberKind.EMPLOYED}

FIELD_NAMES: dict[str, str] = {
    "name": "姓名",
    "gender": "性别",
    "phone": "电话",
    "kind": "党员类别",
    "grid": "片区",
    "household": "住址",
    "joined_on": "入党日期",
    "is_informant": "民情信息员",
    "active": "在册",
    "note": "备注",
    "post": "岗位",
    "state": "状态",
    "text": "承诺内容",
    "leads": "五带头",
    "recommendations": "群众荐岗",
    "confirmed_on": "定岗日期",
    "term_end": "任期至",
    "ended_on": "结束日期",
    "link": "三联系",
}


@dataclass
class MemberChange:
    """What a service changed: the row saved (member, assignment, commitment…) and its events."""

    row: Any
    events: list[MemberEvent] = field(default_factory=list)


def show(value: Any) -> str:
    """How a value reads in the history: names and labels, not ids and codes."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Labeled):
        return value.label
    if isinstance(value, Household):
        return str(value.address)
    if hasattr(value, "name"):
        return str(value.name)
    return str(value)


def record(
    member: Member,
    kind: str,
    *,
    field: str = "",
    old: Any = None,
    new: Any = None,
    note: str = "",
    actor: Staff | None = None,
    assignment: Any = None,
    commitment: Any = None,
) -> MemberEvent:
    """Append one event; call inside the service's transaction."""
    event: MemberEvent = MemberEvent.create(
        member=member,
        assignment=assignment,
        commitment=commitment,
        actor=actor,
        actor_name=actor.name if actor else "",
        kind=kind,
        field=field,
        old=show(old),
        new=show(new),
        note=note,
    )
    return event


def describe_event(event: MemberEvent) -> str:
    parts = []
    if event.field:
        name = FIELD_NAMES.get(event.field, event.field)
        parts.append(f"{name}：{event.old or '（空）'} → {event.new or '（空）'}")
    if event.note:
        parts.append(event.note)
    return "；".join(parts)


def history(member: Member | int) -> list[MemberEvent]:
    mid = member.id if isinstance(member, Member) else int(member)
    return list(MemberEvent.select().where(MemberEvent.member == mid).order_by(MemberEvent.id))


def parse_kind(value: MemberKind | str | None) -> MemberKind:
    try:
        return MemberKind.parse(str(value.value if isinstance(value, MemberKind) else value))  # type: ignore[return-value]
    except ValueError:
        choices = "、".join(k.label for k in MemberKind)
        raise DomainError("kind", f"党员类别“{value or ''}”不认识，应为：{choices}。") from None


def get_member(value: Member | int | str, community: Community | None = None) -> Member:
    """By row, id or exact name (names are unique enough in one branch; ids always work)."""
    if isinstance(value, Member):
        return value
    text = str(value).strip()
    query = Member.select()
    if community is not None:
        query = query.where(Member.community == community)
    found = (
        query.where(Member.id == int(text)).first()
        if text.isdigit()
        else query.where(Member.name == text).order_by(Member.active.desc(), Member.id).first()
    )
    if found is None:
        raise NotFound(f"找不到党员“{text}”。")
    return found


def _check_informant(kind: MemberKind, informant: bool) -> None:
    if informant and kind not in INFORMANT_KINDS:
        raise DomainError(
            "is_informant",
            "在职党员不担任民情信息员（信息员由退休、下岗失业、流动、复转军人和大中专毕业生党员组成）。",
        )


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "name" in values:
        out["name"] = validate.required_text("name", values["name"], "姓名", 20)
    if "gender" in values:
        gender = (values["gender"] or "").strip()
        if gender not in ("", "男", "女"):
            raise DomainError("gender", "性别应为“男”或“女”。")
        out["gender"] = gender
    if "phone" in values:
        out["phone"] = validate.phone("phone", values["phone"], "电话", required=False)
    if "kind" in values:
        out["kind"] = parse_kind(values["kind"]).value
    if "joined_on" in values:
        joined = validate.date_value("joined_on", values["joined_on"], "入党日期")
        if joined is not None and joined > dt.date.today():
            raise DomainError("joined_on", "入党日期不能晚于今天。")
        out["joined_on"] = joined
    if "grid" in values:
        out["grid"] = _row(Grid, values["grid"], "片区")
    if "household" in values:
        out["household"] = _row(Household, values["household"], "住户")
    if "is_informant" in values:
        out["is_informant"] = bool(values["is_informant"])
    if "note" in values:
        out["note"] = validate.optional_text("note", values["note"], "备注", 500)
    return out


def _row(model: Any, value: Any, label: str) -> Any:
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value
    row = model.get_or_none(model.id == int(value))
    if row is None:
        raise NotFound(f"找不到{label}（编号 {value}）。")
    return row


def add_member(
    community: Community | int,
    *,
    name: str,
    kind: MemberKind | str,
    actor: Staff | None = None,
    **values: Any,
) -> MemberChange:
    """登记党员. Values: gender, phone, grid, household, joined_on, is_informant, note."""
    permissions.require(actor, "member.edit")
    unknown = set(values) - {
        "gender",
        "phone",
        "grid",
        "household",
        "joined_on",
        "is_informant",
        "note",
    }
    if unknown:
        raise DomainError(sorted(unknown)[0], f"不认识的项目：{'、'.join(sorted(unknown))}。")
    clean = _clean({"name": name, "kind": kind, **values})
    _check_informant(MemberKind(clean["kind"]), clean.get("is_informant", False))
    if clean.get("household") is not None and clean.get("grid") is None:
        clean["grid"] = clean["household"].grid
    with database_proxy.atomic():
        member = Member.create(community=community, **clean)
        events = [
            record(
                member, "created", note=f"登记为{MemberKind(member.kind).label}党员", actor=actor
            )
        ]
        if member.is_informant:
            events.append(
                record(member, "informant", field="is_informant", old=False, new=True, actor=actor)
            )
    return MemberChange(member, events)


def edit_member(
    member: Member | int | str, *, actor: Staff | None = None, **values: Any
) -> MemberChange:
    """Correct register details; each changed field becomes an event."""
    permissions.require(actor, "member.edit")
    allowed = {
        "name",
        "gender",
        "phone",
        "kind",
        "grid",
        "household",
        "joined_on",
        "is_informant",
        "note",
    }
    unknown = set(values) - allowed
    if unknown:
        raise DomainError(sorted(unknown)[0], f"不能在这里修改：{'、'.join(sorted(unknown))}。")
    clean = _clean(values)
    with database_proxy.atomic():
        row = get_member(member)
        kind = MemberKind(clean.get("kind", row.kind))
        _check_informant(kind, clean.get("is_informant", row.is_informant))
        events = []
        for name, value in clean.items():
            model_field = Member._meta.fields[name]
            old = getattr(row, name)
            old_cmp = getattr(row, name + "_id") if hasattr(model_field, "rel_model") else old
            new_cmp = value.id if hasattr(value, "id") else value
            if old_cmp == new_cmp or (old in (None, "") and value in (None, "")):
                continue
            shown_old = MemberKind(old) if name == "kind" else old
            shown_new = MemberKind(value) if name == "kind" else value
            setattr(row, name, value)
            events.append(
                record(row, "edit", field=name, old=shown_old, new=shown_new, actor=actor)
            )
        if events:
            row.save()
    return MemberChange(row, events)


def set_informant(
    member: Member | int | str, informant: bool, *, actor: Staff | None = None
) -> MemberChange:
    permissions.require(actor, "member.edit")
    return edit_member(member, is_informant=informant, actor=actor)


def set_active(
    member: Member | int | str, active: bool, *, reason: str = "", actor: Staff | None = None
) -> MemberChange:
    """Off: moved away, transferred out, deceased. The member's history stays."""
    permissions.require(actor, "member.edit")
    with database_proxy.atomic():
        row = get_member(member)
        if row.active == bool(active):
            return MemberChange(row, [])
        row.active = bool(active)
        if not active:
            row.is_informant = False
        row.save()
        event = record(
            row,
            "active",
            field="active",
            old=not active,
            new=bool(active),
            note=reason,
            actor=actor,
        )
    return MemberChange(row, [event])


def members(community: Community | int, *, active_only: bool = True) -> list[Member]:
    query = Member.select().where(Member.community == community)
    if active_only:
        query = query.where(Member.active == True)  # noqa: E712
    return list(query.order_by(Member.name, Member.id))


def informants(community: Community | int) -> list[Member]:
    return [m for m in members(community) if m.is_informant]


def file_case(
    member: Member | int | str,
    *,
    text: str,
    window: Window | int,
    first_responder: Staff | int,
    actor: Staff | None = None,
    **values: Any,
) -> CaseChange:
    """An informant reports in their own name: a case of channel 民情信息员 credited to them.

    The resident concerned (if any) goes in `resident` / `address` as for any intake.
    """
    row = get_member(member)
    if not row.active or not row.is_informant:
        raise DomainError(
            "informant", f"{row.name} 不是在册的民情信息员，请先在党员登记中设为信息员。"
        )
    values.setdefault("contact_name", row.name)
    values.setdefault("contact_phone", row.phone)
    with database_proxy.atomic():
        change = take_in(
            channel=Channel.INFORMANT,
            text=text,
            window=window,
            first_responder=first_responder,
            actor=actor,
            **values,
        )
        Case.update(informant=row).where(Case.id == change.case.id).execute()
        change.case.informant = row
    return change


def cases_per_informant(
    community: Community | int, start: dt.date | None = None, end: dt.date | None = None
) -> list[tuple[Member, int]]:
    """Every informant with the number of cases filed in their name (intake date in range)."""
    condition = Case.informant == Member.id
    if start is not None:
        condition &= Case.intake_date >= start
    if end is not None:
        condition &= Case.intake_date <= end
    count = fn.COUNT(Case.id)
    rows = (
        Member.select(Member, count.alias("filed"))
        .join(Case, JOIN.LEFT_OUTER, on=condition)
        .where(Member.community == community)
        .group_by(Member.id)
        .having(Member.is_informant | (count > 0))
        .order_by(count.desc(), Member.name)
    )
    return [(m, int(m.filed)) for m in rows]


def add_monitor(
    community: Community | int,
    *,
    name: str,
    phone: str = "",
    appointed_on: dt.date | str | None = None,
    note: str = "",
    actor: Staff | None = None,
) -> Monitor:
    """聘请民情监督员."""
    permissions.require(actor, "member.edit")
    day = validate.date_value("appointed_on", appointed_on, "聘请日期") or dt.date.today()
    monitor: Monitor = Monitor.create(
        community=community,
        name=validate.required_text("name", name, "姓名", 20),
        phone=validate.phone("phone", phone, "电话", required=False),
        appointed_on=day,
        note=validate.optional_text("note", note, "备注", 500),
    )
    return monitor


def end_monitor(
    monitor: Monitor | int, on: dt.date | str | None = None, *, actor: Staff | None = None
) -> Monitor:
    permissions.require(actor, "member.edit")
    row = _row(Monitor, monitor, "民情监督员")
    day = validate.date_value("ended_on", on, "解聘日期") or dt.date.today()
    validate.not_before("ended_on", day, row.appointed_on, "解聘日期", "聘请日期")
    row.ended_on = day
    row.save()
    return row  # type: ignore[no-any-return]


def monitors(community: Community | int, *, current_only: bool = True) -> list[Monitor]:
    query = Monitor.select().where(Monitor.community == community)
    if current_only:
        query = query.where(Monitor.ended_on.is_null())
    return list(query.order_by(Monitor.appointed_on, Monitor.id))
