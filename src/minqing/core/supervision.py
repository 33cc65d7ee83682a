"""跟踪监督: recording a check on a case (periodic, spot check or inspector) and any fault found.

A fault names who is answerable for it — by default the case's owner — so the statistics can
count 能办未办 / 超时办理 / 未及时答复 per staff member.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from minqing.core import validate
from minqing.core.cases import CaseChange, _get, _load, _Recorder
from minqing.core.enums import CheckKind, Fault, Stage
from minqing.core.errors import DomainError
from minqing.core.models import Case, Staff, SupervisionCheck, database_proxy


def _parse(enum: Any, value: Any, field: str, label: str) -> Any:
    try:
        return enum.parse(value.value if isinstance(value, enum) else str(value))
    except ValueError:
        choices = "、".join(item.label for item in enum)
        raise DomainError(field, f"{label}应为：{choices}。") from None


def record_check(
    case: Case | str | int,
    kind: CheckKind | str,
    finding: str,
    *,
    checked_on: dt.date | str | None = None,
    checker: Staff | int | None = None,
    contact_method: str = "",
    fault: Fault | str | None = None,
    fault_owner: Staff | int | None = None,
    actor: Staff | None = None,
    expected_version: int | None = None,
) -> CaseChange:
    if kind in (None, ""):
        raise DomainError("kind", "请选择督查方式（定期督促、随机抽查或专人督察）。")
    check_kind = _parse(CheckKind, kind, "kind", "督查方式")
    text = validate.required_text("finding", finding, "督查情况", 2000)
    day = validate.date_value("checked_on", checked_on, "督查日期") or dt.date.today()
    method = validate.optional_text("contact_method", contact_method, "回访方式", 40)
    fault_kind = _parse(Fault, fault, "fault", "问题类型") if fault not in (None, "") else None
    with database_proxy.atomic():
        row = _load(case, expected_version)
        if Stage(row.stage) == Stage.INTAKE:
            raise DomainError("stage", f"民情 {row.number} 还没有交办，暂时不能督查。")
        validate.not_before("checked_on", day, row.intake_date, "督查日期", "受理日期")
        if day > dt.date.today():
            raise DomainError("checked_on", "督查日期不能晚于今天。")
        who = _get(Staff, checker, "checker", required=False) or actor
        answerable = None
        if fault_kind is not None:
            answerable = _get(Staff, fault_owner, "fault_owner", required=False) or row.owner
            if answerable is None:
                raise DomainError("fault_owner", "发现问题时请选择问题责任人。")
        SupervisionCheck.create(
            case=row,
            kind=check_kind.value,
            checked_on=day,
            checker=who,
            contact_method=method,
            finding=text,
            fault=fault_kind.value if fault_kind else None,
            fault_owner=answerable,
        )
        rec = _Recorder(row, actor)
        note = f"{check_kind.label}：{text}"
        if fault_kind is not None and answerable is not None:
            note += f"（问题：{fault_kind.label}，责任人 {answerable.name}）"
        rec.event("check", "", None, check_kind.label, note)
        events = rec.save(expected_version)
    return CaseChange(row, events)
