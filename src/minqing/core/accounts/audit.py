"""The audit trail: changes to residents, households and accounts, and every export of
personal data; plus the administrator's merged view of all histories (cases, members, these).

Writes here are append-only rows (the database refuses to change them). Reading merges the
three histories in SQL order by time, so a month of an office's work stays quick to show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from minqing.core.accounts import permissions
from minqing.core.accounts.models import AuditEvent, ExportLog
from minqing.core.members.models import Member, MemberEvent
from minqing.core.models import Case, CaseEvent, Staff
from minqing.core.privacy import mask_id_number, mask_phone

TABLE_NAMES = {
    "resident": "居民",
    "household": "住户",
    "account": "账号",
    "staff": "工作人员",
    "database": "数据库",
}

KINDS = {"case": "民情", "member": "党员", "audit": "居民与账号", "export": "导出"}


def _clip(value: Any) -> str:
    text = "" if value is None else str(value)
    return text[:500]


def record(
    actor: Staff | None,
    table: str,
    row_id: int,
    label: str,
    kind: str,
    field: str = "",
    old: Any = "",
    new: Any = "",
    note: str = "",
) -> AuditEvent:
    return AuditEvent.create(
        actor=actor.id if actor else None,
        actor_name=actor.name if actor else "",
        table=table,
        row_id=row_id,
        label=_clip(label),
        kind=kind,
        field=field,
        old=_clip(old),
        new=_clip(new),
        note=_clip(note),
    )


def log_export(
    actor: Staff | None, what: str, rows: int, path: str | Path | None = ""
) -> ExportLog:
    """Called by every export and print that carries residents' names, phones or ID numbers."""
    return ExportLog.create(
        actor=actor.id if actor else None,
        actor_name=actor.name if actor else "",
        what=what,
        rows=rows,
        path=str(path or ""),
    )


_SHOWN: dict[str, Callable[[str], str]] = {
    "phone": mask_phone,
    "id_number": mask_id_number,
}  # the history needs no full numbers
_FIELD_NAMES = {
    "address": "地址",
    "grid": "片区",
    "note": "备注",
    "name": "姓名",
    "phone": "电话",
    "id_number": "身份证号",
    "gender": "性别",
    "tags": "标签",
    "household": "住户",
}


def _value(row: Any, name: str) -> str:
    value = getattr(row, name)
    if name in ("grid", "household"):
        value = getattr(value, "name", None) or getattr(value, "address", "") if value else ""
    if isinstance(value, list):
        value = "、".join(value)
    return _SHOWN.get(name, str)(value or "")


def record_changes(
    actor: Staff | None, table: str, before: Any, after: Any, names: Iterable[str], label: str
) -> None:
    for name in names:
        old, new = _value(before, name), _value(after, name)
        if old != new or getattr(before, name) != getattr(after, name):
            record(actor, table, after.id, label, "edit", _FIELD_NAMES[name], old, new)


@dataclass
class AuditLine:
    at: dt.datetime
    who: str
    kind: str  # a key of KINDS
    subject: str  # the case number, member name, resident…
    action: str
    detail: str


def _when(query: Any, column: Any, since: dt.date | None, until: dt.date | None) -> Any:
    if since is not None:
        query = query.where(column >= dt.datetime.combine(since, dt.time.min))
    if until is not None:
        query = query.where(column < dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min))
    return query


def _detail(field: str, old: str, new: str, note: str) -> str:
    parts = []
    if field:
        parts.append(f"{field}：{old or '（空）'} → {new or '（空）'}" if old or new else field)
    if note:
        parts.append(note)
    return "；".join(parts)


def lines(
    *,
    who: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    kinds: Iterable[str] = tuple(KINDS),
    limit: int = 2000,
    actor: Staff | None = None,
) -> list[AuditLine]:
    """The newest `limit` lines of every history, merged by time (newest first). They name
    who did what to which resident: audit.view."""
    permissions.require(actor, "audit.view")
    from minqing.core.cases.services import describe_event
    from minqing.core.members.services import describe_event as describe_member_event

    kinds = set(kinds)
    out: list[AuditLine] = []
    if "case" in kinds:
        query = CaseEvent.select(CaseEvent, Case.number).join(Case)
        query = _when(query, CaseEvent.at, since, until)
        if who:
            query = query.where(CaseEvent.actor_name == who)
        for event in query.order_by(CaseEvent.at.desc(), CaseEvent.id.desc()).limit(limit):
            out.append(
                AuditLine(
                    event.at,
                    event.actor_name,
                    "case",
                    event.case.number,
                    describe_event(event),
                    event.note,
                )
            )
    if "member" in kinds:
        query = MemberEvent.select(MemberEvent, Member.name).join(Member)
        query = _when(query, MemberEvent.at, since, until)
        if who:
            query = query.where(MemberEvent.actor_name == who)
        for event in query.order_by(MemberEvent.at.desc(), MemberEvent.id.desc()).limit(limit):
            out.append(
                AuditLine(
                    event.at,
                    event.actor_name,
                    "member",
                    event.member.name,
                    describe_member_event(event),
                    event.note,
                )
            )
    if "audit" in kinds:
        query = _when(AuditEvent.select(), AuditEvent.at, since, until)
        if who:
            query = query.where(AuditEvent.actor_name == who)
        for event in query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit):
            subject = f"{TABLE_NAMES.get(event.table, event.table)} {event.label}"
            out.append(
                AuditLine(
                    event.at,
                    event.actor_name,
                    "audit",
                    subject,
                    ACTION_NAMES.get(event.kind, event.kind),
                    _detail(event.field, event.old, event.new, event.note),
                )
            )
    if "export" in kinds:
        query = _when(ExportLog.select(), ExportLog.at, since, until)
        if who:
            query = query.where(ExportLog.actor_name == who)
        for log in query.order_by(ExportLog.at.desc(), ExportLog.id.desc()).limit(limit):
            out.append(
                AuditLine(
                    log.at, log.actor_name, "export", log.what, f"导出 {log.rows} 行", log.path
                )
            )
    out.sort(key=lambda line: line.at, reverse=True)
    return out[:limit]


ACTION_NAMES = {
    "create": "新建",
    "edit": "修改",
    "status": "变更状态",
    "move": "迁移",
    "tag": "修改标签",
    "lock": "锁定",
    "unlock": "解锁",
    "reset_password": "重设密码",
    "change_password": "修改密码",
    "activate": "启用",
    "deactivate": "停用",
    "restore": "从备份恢复",
    "transfer_in": "转入全部数据",
    "transfer_out": "转出全部数据",
}

HEADERS = ["时间", "操作人", "类别", "对象", "操作", "详情"]


def export_lines(rows: list[AuditLine], path: str | Path, *, actor: Staff | None = None) -> int:
    """The audit view as an Excel file; the export itself is logged (it names residents)."""
    from minqing.core.spreadsheet import Column, write_table

    columns = [Column(h, 20 if h in ("时间", "对象") else 12) for h in HEADERS]
    columns[-1] = Column("详情", 50)
    lines = (
        [line.at, line.who or "（系统）", KINDS[line.kind], line.subject, line.action, line.detail]
        for line in rows
    )
    return write_table(path, "操作记录", columns, lines, len(rows), actor=actor)
