"""A case's history: the Recorder that turns field changes into append-only events, how
values and fields read in that history, and the refusal when someone else saved first.

Shared by every service that changes a case (cases, supervision); the events are what the
detail panel, the audit view and the conflict message show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from minqing.core.cases import pipeline
from minqing.core.enums import Channel, Disposition, ReplyMethod, Satisfaction, Stage
from minqing.core.errors import DomainError, NotFound
from minqing.core.models import Case, CaseEvent, Resident, Staff, Window

# What kind of step an event records, as the history column names it.
EVENT_KINDS: dict[str, str] = {
    "created": "受理",
    "edit": "修改",
    "owner": "责任人",
    "disposition": "办理类型",
    "deadline": "办理时限",
    "materials": "补交材料",
    "outcome": "办理结果",
    "reply": "答复",
    "posting": "公示",
    "stage": "转环节",
    "satisfaction": "满意度",
    "reopen": "重新办理",
    "check": "督查",
    "callback": "回访",
}

# How a case's fields are named wherever a person reads about them (history, detail panel,
# conflict message); the glossary's terms.
FIELD_NAMES: dict[str, str] = {
    "number": "编号",
    "channel": "渠道",
    "resident": "反映人",
    "first_responder": "首问责任人",
    "text": "民情内容",
    "address": "地址",
    "window": "服务窗口",
    "urgent": "紧急",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
    "owner": "责任人",
    "disposition": "办理类型",
    "materials_needed": "需补交材料",
    "escalated_to": "上报单位",
    "escalation_days": "上级预计办理工作日",
    "return_reason": "退回原因",
    "promised_date": "承诺办结日期",
    "stage": "环节",
    "due_date": "办理时限",
    "follow_up_date": "跟进日期",
    "outcome": "办理结果",
    "reply_method": "答复方式",
    "reply_text": "答复内容",
    "replied_on": "答复日期",
    "posted_on": "公示日期",
    "public_summary": "公示内容",
    "satisfaction": "满意度",
    "reopen_count": "重新办理次数",
    "started_on": "计时起点",
    "handled_on": "办理完成日期",
    "closed_at": "办结时间",
}


def describe_event(event: CaseEvent) -> str:
    """One line of history: “环节：受理 → 办理”, or the note."""
    parts = []
    if event.field:
        name = FIELD_NAMES.get(event.field, event.field)
        parts.append(f"{name}：{event.old or '（空）'} → {event.new or '（空）'}")
    if event.note:
        parts.append(event.note)
    return "；".join(parts)


@dataclass
class CaseChange:
    case: Case
    events: list[CaseEvent] = field(default_factory=list)


class ConflictError(DomainError):
    """Someone else saved the case since it was read: the change is refused, nothing written.
    `changes` lists what the others changed since then, as (field label, before, after)."""

    def __init__(self, message: str, changes: list[tuple[str, str, str]] | None = None) -> None:
        super().__init__(None, message)
        self.changes = changes or []


def _brief(value: str) -> str:
    return "（空）" if not value else value if len(value) <= 20 else value[:19] + "…"


def conflict_error(case_id: int, read_version: int) -> ConflictError:
    """The refusal, saying who saved the case since `read_version` and what they changed.

    Each save writes its events at one moment, so the newest (current − read) groups of events
    with the same time and author are the saves the user has not seen.
    """
    fresh = Case.get_by_id(case_id)
    saves = max(1, fresh.version - read_version)
    groups: list[list[CaseEvent]] = []
    newest = CaseEvent.select().where(CaseEvent.case == case_id).order_by(CaseEvent.id.desc())
    for event in newest.limit(200):
        if groups and (groups[-1][0].at, groups[-1][0].actor_name) == (event.at, event.actor_name):
            groups[-1].append(event)
        elif len(groups) < saves:
            groups.append([event])
        else:
            break
    seen = [e for group in reversed(groups) for e in reversed(group)]
    labels = {**FIELD_NAMES, **pipeline.FIELD_LABELS}
    changes = [(labels[e.field], e.old, e.new) for e in seen if e.field in labels]
    names = "、".join(dict.fromkeys(e.actor_name for e in seen if e.actor_name))
    what = "；".join(f"{label}：{_brief(old)} → {_brief(new)}" for label, old, new in changes)
    return ConflictError(
        f"民情 {fresh.number} 刚被{f' {names} ' if names else '其他人'}修改过"
        + (f"（{what}）" if what else "")
        + "，您的修改没有保存。请重新打开这条民情，查看最新内容后再修改。",
        changes,
    )


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def lookup(model: Any, value: Any, label: str, required: bool = True) -> Any:
    if value is None or value == "":
        if required:
            raise DomainError(label, f"请选择{pipeline.FIELD_LABELS.get(label, label)}。")
        return None
    if isinstance(value, model):
        return value
    row = model.get_or_none(model.id == int(value))
    if row is None:
        raise NotFound(f"找不到{pipeline.FIELD_LABELS.get(label, label)}（编号 {value}）。")
    return row


def get_case(number_or_id: str | int) -> Case:
    text = str(number_or_id).strip()
    case = Case.get_or_none(Case.number == text)
    if case is None and text.isdigit():
        case = Case.get_or_none(Case.id == int(text))
    if case is None:
        raise NotFound(f"找不到编号为“{text}”的民情。编号形如 2026-00042。")
    return case


def show_value(value: Any) -> str:
    """How a value appears in the history: names and Chinese labels, not ids and codes."""
    if value is None or value == "":
        return ""
    if isinstance(value, Staff | Window | Resident):
        return str(value.name)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    for enum in (Stage, Disposition, Channel, ReplyMethod, Satisfaction):
        try:
            return enum(value).label
        except ValueError:
            continue
    return str(value)


class Recorder:
    """Collects field changes on one case and the events that describe them."""

    def __init__(self, case: Case, actor: Staff | None) -> None:
        self.case = case
        self.actor = actor
        self.events: list[dict[str, Any]] = []

    def event(
        self, kind: str, field: str = "", old: Any = None, new: Any = None, note: str = ""
    ) -> None:
        self.events.append(
            dict(
                kind=kind,
                field=field,
                old=show_value(old),
                new=show_value(new),
                note=note,
                actor=self.actor.id if self.actor else None,
                actor_name=self.actor.name if self.actor else "",
            )
        )

    def set(self, name: str, value: Any, kind: str = "edit", quiet: bool = False) -> None:
        """Change a field; `quiet` for bookkeeping dates that the stage events already tell."""
        model_field = Case._meta.fields[name]
        old = getattr(self.case, name)
        old_cmp = (
            getattr(self.case, model_field.name + "_id")
            if hasattr(model_field, "rel_model")
            else old
        )
        new_cmp = value.id if hasattr(value, "id") else value
        if old_cmp == new_cmp or (old in (None, "") and value in (None, "")):
            return
        setattr(self.case, name, value)
        if not quiet:
            self.event(kind, name, old, value)

    def save(self, expected_version: int | None = None) -> list[CaseEvent]:
        """Write the changed fields if nobody else saved the case meanwhile, then the events."""
        case = self.case
        base = case.version if expected_version is None else expected_version
        dirty = {f: case.__data__[f.name] for f in case.dirty_fields}
        if dirty or self.events:
            dirty[Case.version] = base + 1
            dirty[Case.updated_at] = now()
            updated = (
                Case.update(dirty).where((Case.id == case.id) & (Case.version == base)).execute()
            )
            if updated != 1:
                raise conflict_error(case.id, base)
            case.version = base + 1
        case._dirty.clear()
        return self.save_events()

    def save_events(self) -> list[CaseEvent]:
        stamp = now()
        rows = [CaseEvent(case=self.case, at=stamp, **e) for e in self.events]
        if rows:
            CaseEvent.bulk_create(rows)
        return rows


def load_case(case: Case | str | int, expected_version: int | None) -> Case:
    fresh = get_case(case.id if isinstance(case, Case) else case)
    if expected_version is not None and fresh.version != expected_version:
        raise conflict_error(fresh.id, expected_version)
    return fresh
