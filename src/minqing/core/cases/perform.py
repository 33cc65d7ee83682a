"""Do a stage action by its key with the values its fields asked for (stage_actions.ACTIONS).

The window's action dialogs and the command line's case verbs both come here, so a field
declared in the table reaches the same service with the same meaning from either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from minqing.core.cases import services as cases
from minqing.core.cases.history import CaseChange
from minqing.core.cases.stage_actions import ACTIONS
from minqing.core.errors import DomainError
from minqing.core.models import Case, Staff
from minqing.core.supervision import services as supervision

Runner = Callable[[Any, Any, "int | None", dict[str, Any]], CaseChange]


def _resolved(value: Any) -> bool:
    if value in (True, False):
        return bool(value)
    if value in ("yes", "已解决", "是"):
        return True
    if value in ("no", "未解决", "否"):
        return False
    raise DomainError("resolved", "请选择问题是否解决（已解决或未解决）。")


def _disposition(case: Any, actor: Any, version: int | None, v: dict[str, Any]) -> CaseChange:
    kind = v.pop("disposition", None) or ""
    return cases.set_disposition(case, kind, actor=actor, expected_version=version, **v)


def _check(case: Any, actor: Any, version: int | None, v: dict[str, Any]) -> CaseChange:
    return supervision.record_check(
        case,
        v.get("kind") or "",
        v.get("finding") or "",
        checked_on=v.get("checked_on"),
        contact_method=v.get("contact_method") or "",
        fault=v.get("fault"),
        fault_owner=v.get("fault_owner"),
        actor=actor,
        expected_version=version,
    )


def _callback(case: Any, actor: Any, version: int | None, v: dict[str, Any]) -> CaseChange:
    return supervision.record_callback(
        case,
        v.get("satisfaction") or None,
        _resolved(v.get("resolved")),
        method=v.get("method") or "电话回访",
        called_on=v.get("called_on"),
        caller=actor if isinstance(actor, Staff) else None,
        note=v.get("note") or "",
        actor=actor,
        expected_version=version,
    )


RUNNERS: dict[str, Runner] = {
    "edit": lambda c, a, ver, v: cases.edit(c, actor=a, expected_version=ver, **v),
    "owner": lambda c, a, ver, v: cases.assign_owner(
        c, v.get("owner") or "", actor=a, expected_version=ver
    ),
    "disposition": _disposition,
    "materials": lambda c, a, ver, v: cases.materials_received(
        c, on=v.get("on"), actor=a, expected_version=ver
    ),
    "outcome": lambda c, a, ver, v: cases.record_outcome(
        c, v.get("outcome") or "", actor=a, expected_version=ver
    ),
    "reply": lambda c, a, ver, v: cases.record_reply(
        c,
        v.get("reply_method") or "",
        v.get("reply_text") or "",
        on=v.get("replied_on"),
        actor=a,
        expected_version=ver,
    ),
    "post": lambda c, a, ver, v: cases.post_publicly(
        c,
        True,
        on=v.get("on"),
        actor=a,
        expected_version=ver,
        public_summary=v.get("public_summary"),
    ),
    "check": _check,
    "satisfaction": lambda c, a, ver, v: cases.record_satisfaction(
        c, v.get("satisfaction") or "", actor=a, note=v.get("note") or "", expected_version=ver
    ),
    "callback": _callback,
    "reopen": lambda c, a, ver, v: cases.reopen(
        c, reason=v.get("reason") or "", actor=a, expected_version=ver
    ),
}


def perform(
    key: str,
    case: Case | str | int,
    *,
    actor: Staff | None = None,
    expected_version: int | None = None,
    **values: Any,
) -> CaseChange:
    """Run the stage action `key` on `case` with `values` keyed by its fields' keys."""
    item = ACTIONS[key]
    known = {a.key for a in item.asks}
    unknown = sorted(set(values) - known)
    if unknown:
        raise DomainError(unknown[0], f"“{item.label}”不需要填写：{'、'.join(unknown)}。")
    return RUNNERS[key](case, actor, expected_version, dict(values))
