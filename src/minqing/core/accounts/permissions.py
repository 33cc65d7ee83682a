"""What each role may do: one table, read by the services, the window and the command line.

Rules:

- Every core service that changes data calls `require(actor, ACTION)` first; the window
  only hides or disables what `allowed()` refuses, so the service is the real guard.
- `actor=None` means the program itself (a migration, the demo generator, an import the
  administrator started, tests of services that are not about permissions). The window and
  the command line never pass None once the office has accounts: the window always signs
  someone in, and the command line refuses to change data without `--user`.
- Roles are enforced once the office has at least one account. A file from before accounts
  (schema ≤ 6) stays open until its administrator account is created, which the window asks
  for at once on start; from then on every staff actor is checked.
- A supervisor never handles, replies to or edits a case: they check what others did, and
  nobody may be checker and handler of the same work. An owner handles only the cases they
  own; a leader may do everything with cases; the administrator looks after accounts,
  windows, the calendar and backups, and takes no part in the pipeline itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from minqing.core.enums import StaffRole
from minqing.core.errors import DomainError
from minqing.core.models import Staff
from minqing.core.privacy import mask_id_number, mask_phone, mask_phones_in_text

FRONT = StaffRole.FRONT_DESK.value
OWNER = StaffRole.OWNER.value
LEADER = StaffRole.LEADER.value
SUPERVISOR = StaffRole.SUPERVISOR.value
ADMIN = StaffRole.ADMIN.value

# action → (the roles that may do it, what it is called in a refusal)
ACTIONS: dict[str, tuple[frozenset[str], str]] = {
    "case.take_in": (frozenset({FRONT, LEADER}), "登记民情"),
    "case.edit": (frozenset({FRONT, LEADER}), "修改民情登记内容"),
    "case.assign": (frozenset({FRONT, LEADER}), "分派责任人和定件"),
    "case.handle": (frozenset({OWNER, LEADER}), "办理民情、填写办理结果"),
    "case.reply": (frozenset({FRONT, OWNER, LEADER}), "答复居民、公示"),
    "case.reopen": (frozenset({SUPERVISOR, LEADER}), "让民情重新办理"),
    "case.choose_responder": (frozenset({LEADER}), "替他人登记为首问责任人"),
    "check.record": (frozenset({SUPERVISOR, LEADER}), "记录督查"),
    "callback.record": (frozenset({SUPERVISOR, LEADER}), "记录回访"),
    "spot_check.draw": (frozenset({SUPERVISOR, LEADER}), "随机抽查"),
    "registry.edit": (frozenset({FRONT, LEADER}), "修改居民和住户登记"),
    "programme.edit": (frozenset({FRONT, LEADER}), "办理连心卡和服务项目"),
    "programme.setup": (frozenset({LEADER}), "修改连心卡项目的名称、对象和服务内容"),
    "visit.record": (frozenset({FRONT, OWNER, LEADER}), "记录入户走访"),
    "member.edit": (frozenset({LEADER}), "修改党员信息、岗位和三联系"),
    "commitment.edit": (frozenset({LEADER}), "登记党员承诺和履诺"),
    "commitment.review": (frozenset({LEADER}), "点评承诺"),
    "diary.write": (frozenset({LEADER}), "写民情日记"),
    "reception.edit": (frozenset({FRONT, LEADER, ADMIN}), "安排接待日"),
    "city_orders.import": (frozenset({FRONT, LEADER}), "导入12345工单"),
    "ledger.import": (frozenset({LEADER, ADMIN}), "导入台账"),
    "stats.view": (frozenset({LEADER, SUPERVISOR, ADMIN}), "查看统计"),
    "personal.view": (frozenset({FRONT, LEADER, ADMIN}), "查看居民完整电话和身份证号"),
    "export.personal": (frozenset({LEADER, ADMIN}), "导出含居民个人信息的表格"),
    "audit.view": (frozenset({ADMIN, LEADER}), "查看操作记录"),
    "accounts.manage": (frozenset({ADMIN}), "管理账号"),
    "windows.edit": (frozenset({ADMIN}), "修改服务窗口"),
    "calendar.edit": (frozenset({ADMIN}), "修改工作日历"),
    "backup.restore": (frozenset({ADMIN}), "恢复备份"),
    "data.transfer": (frozenset({ADMIN}), "转移全部数据"),
}

WHO_INSTEAD = {
    "case.handle": "请由责任人或领导操作",
    "case.assign": "请由前台或领导操作",
    "case.take_in": "请由前台或领导登记",
    "check.record": "请由督查员或领导操作",
    "callback.record": "请由督查员或领导操作",
    "spot_check.draw": "请由督查员或领导操作",
    "accounts.manage": "请由管理员操作",
    "calendar.edit": "请由管理员操作",
    "windows.edit": "请由管理员操作",
    "backup.restore": "请由管理员操作",
    "data.transfer": "请由管理员操作",
}


def role_label(role: str) -> str:
    try:
        return StaffRole(role).label
    except ValueError:
        return role or "未设角色"


def may_own_cases(staff: Staff) -> bool:
    """Whether a case may be given to this person: only roles that handle cases own them (a
    supervisor checks, the administrator looks after the system). Before the office has
    accounts every role may."""
    return not enforced() or staff.role in ACTIONS["case.handle"][0]


def enforced() -> bool:
    """Roles count once the office has an account (see the module docstring)."""
    from minqing.core.accounts.models import Account

    return bool(Account.select().exists())


def refusal(actor: Staff, action: str, case: Any = None) -> str | None:
    """Why `actor` may not do `action` (to `case`), or None when they may."""
    roles, what = ACTIONS[action]
    if not actor.active:
        return f"{actor.name}的账号已停用，不能{what}。"
    if actor.role not in roles:
        instead = WHO_INSTEAD.get(action, "")
        text = f"{role_label(actor.role)}人员不能{what}"
        return text + (f"，{instead}。" if instead else "。")
    if (
        action in ("case.handle", "case.reply")
        and actor.role == OWNER
        and case is not None
        and case.owner_id not in (None, actor.id)
    ):
        owner = getattr(case.owner, "name", case.owner)  # a Case, or a board card's name
        return f"这件民情的责任人是{owner}，{actor.name}不能办理或答复别人的民情。"
    return None


def allowed(actor: Staff | None, action: str, case: Any = None) -> bool:
    if action not in ACTIONS:
        raise KeyError(action)
    if actor is None or not enforced():
        return True
    return refusal(actor, action, case) is None


def require(actor: Staff | None, action: str, case: Any = None) -> None:
    """Raises a DomainError (field None) saying what the actor's role may not do."""
    if action not in ACTIONS:
        raise KeyError(action)
    if actor is None or not enforced():
        return
    message = refusal(actor, action, case)
    if message:
        raise DomainError(None, message)


def can_see_personal(actor: Staff | None, case: Any = None) -> bool:
    """Whether lists and prints may show full phone and ID numbers to this actor."""
    if allowed(actor, "personal.view"):
        return True
    return _owns(actor, case)


def _owns(actor: Staff | None, case: Any) -> bool:
    return bool(actor is not None and case is not None and case.owner_id == actor.id)


def shown_phone(actor: Staff | None, phone: str | None, case: Any = None) -> str:
    """A resident's phone as this actor may see it: full, or masked (138****5678)."""
    return (phone or "") if can_see_personal(actor, case) else mask_phone(phone or "")


def shown_id_number(actor: Staff | None, id_number: str | None, case: Any = None) -> str:
    return (id_number or "") if can_see_personal(actor, case) else mask_id_number(id_number)


def shown_text(actor: Staff | None, text: str | None, case: Any = None) -> str:
    """Free text (a request's words, an outcome, a reply, a history line) as this actor may
    see it: phone and ID numbers typed into it are masked unless they may see personal data."""
    return (text or "") if can_see_personal(actor, case) else mask_phones_in_text(text or "")


def text_shower(actor: Staff | None) -> Callable[[str | None, Any], str]:
    """`shown_text` for a list of many rows: the actor's role is looked up once, not once
    per row (each look-up is a query; 200 rows of 今日待办 took 0.5 s)."""
    if allowed(actor, "personal.view"):
        return lambda text, case=None: text or ""

    def shown(text: str | None, case: Any = None) -> str:
        return (text or "") if _owns(actor, case) else mask_phones_in_text(text or "")

    return shown


def may_search_phones(actor: Staff | None) -> bool:
    """Whether a search by phone number may find residents and cases for this actor: finding
    who owns a number would reveal what masking hides."""
    return allowed(actor, "personal.view")


def may_export_personal(actor: Staff | None) -> bool:
    """Whether a file or paper list leaving the screen (Excel export, the printed register)
    may carry full phone and ID numbers: one rule for both, so the two cannot differ."""
    return allowed(actor, "export.personal")
