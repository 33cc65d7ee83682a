"""Staff accounts: passwords, signing in, locking after repeated failures.

Passwords are kept only as an Argon2id hash (argon2-cffi's PasswordHasher: salted, slow,
with its parameters in the hash so they can be raised later); a password is never stored,
logged nor put in an event. Changes to accounts go into the audit history.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from peewee import JOIN

from minqing.core import settings, validate
from minqing.core.accounts import LAST_USER_KEY, audit
from minqing.core.accounts.models import Account
from minqing.core.accounts.permissions import require, role_label
from minqing.core.community import GridSpec, create_community
from minqing.core.enums import StaffRole
from minqing.core.errors import DomainError, NotFound
from minqing.core.models import Community, Staff, database_proxy

MIN_LENGTH = 6
MAX_FAILURES_KEY = "accounts.max_failures"
LOCK_MINUTES_KEY = "accounts.lock_minutes"
DEMO_PASSWORD = "demo123"

_hasher = PasswordHasher()


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def max_failures() -> int:
    return int(settings.get(MAX_FAILURES_KEY, "5") or 5)


def lock_minutes() -> int:
    return int(settings.get(LOCK_MINUTES_KEY, "15") or 15)


def has_accounts() -> bool:
    return bool(Account.select().exists())


def check_strength(password: str) -> None:
    if len(password or "") < MIN_LENGTH:
        raise DomainError("password", f"密码至少要 {MIN_LENGTH} 个字符，请换一个更长的密码。")
    if password.strip() != password:
        raise DomainError("password", "密码的开头和结尾不能是空格。")


def hash_password(password: str) -> str:
    check_strength(password)
    return _hasher.hash(password)


def get_account(value: Account | Staff | str | int) -> Account:
    if isinstance(value, Account):
        return value
    if isinstance(value, Staff):
        account = Account.get_or_none(Account.staff == value)
    elif isinstance(value, int):
        account = Account.get_or_none(Account.id == value)
    else:
        account = Account.get_or_none(Account.username == value.strip())
    if account is None:
        raise NotFound(f"找不到账号“{value if not isinstance(value, Staff) else value.name}”。")
    return account


def create_account(
    staff: Staff,
    password: str,
    *,
    username: str = "",
    must_change_password: bool = False,
    actor: Staff | None = None,
) -> Account:
    require(actor, "accounts.manage")
    username = validate.required_text("username", username or staff.name, "用户名", max_len=40)
    if Account.select().where(Account.username == username).exists():
        raise DomainError("username", f"用户名“{username}”已被使用，请换一个。")
    if Account.select().where(Account.staff == staff).exists():
        raise DomainError("staff", f"{staff.name}已经有账号了。")
    password_hash = hash_password(password)
    with database_proxy.atomic():
        account = Account.create(
            staff=staff,
            username=username,
            password_hash=password_hash,
            must_change_password=must_change_password,
        )
        audit.record(actor, "account", account.id, username, "create", note=role_label(staff.role))
    return account


def create_administrator(
    community: Community, name: str, password: str, phone: str = ""
) -> Account:
    """The first account of an office (welcome or an upgraded file): the program makes it."""
    name = validate.required_text("name", name, "管理员姓名", max_len=30)
    check_strength(password)
    with database_proxy.atomic():
        staff = Staff.get_or_none((Staff.community == community) & (Staff.name == name))
        if staff is None:
            staff = Staff.create(
                community=community, name=name, phone=phone, role=StaffRole.ADMIN.value
            )
        elif staff.role != StaffRole.ADMIN.value:
            Staff.update(role=StaffRole.ADMIN.value).where(Staff.id == staff.id).execute()
            staff = Staff.get_by_id(staff.id)
        return create_account(staff, password)


def set_up_office(
    community_name: str,
    admin_name: str,
    password: str,
    *,
    hotline: str = "",
    grids: Sequence[GridSpec] = (),
) -> Account:
    """A new office in an empty database: its community and its administrator, both or neither
    (the welcome screen and `minqing init` share this). Refused once a community exists."""
    if Community.select().exists():
        raise DomainError("community", "这个数据库里已经有社区了：新办公室请用一个新的数据库文件。")
    check_strength(password)
    with database_proxy.atomic():
        community = create_community(community_name, hotline, grids)
        return create_administrator(community, admin_name, password)


@dataclass
class SignInFailure:
    remaining: int
    locked_until: dt.datetime | None


def _locked_message(until: dt.datetime) -> str:
    return f"账号已锁定，请在 {until:%H:%M} 以后再试，或请管理员解锁。"


def _refused() -> DomainError:
    """The one answer for an unknown user name, a wrong password and a deactivated account,
    so trying names reveals nothing about who works here."""
    return DomainError(
        "password",
        f"用户名或密码不对，请重新输入。连续输错 {max_failures()} 次，"
        f"账号将锁定 {lock_minutes()} 分钟。",
    )


def _take_attempt(account_id: int, now: dt.datetime) -> int | None:
    """Count the attempt before the password is checked, in one statement: parallel guesses
    each get their own number and those past the limit are never checked. None: locked."""
    rows = list(
        Account.update(failed_count=Account.failed_count + 1)
        .where(
            (Account.id == account_id)
            & (Account.locked_until.is_null() | (Account.locked_until <= now))
        )
        .returning(Account.failed_count)
        .tuples()
        .execute()
    )
    return int(rows[0][0]) if rows else None


def _lock(account: Account, now: dt.datetime) -> DomainError:
    until = now + dt.timedelta(minutes=lock_minutes())
    Account.update(failed_count=0, locked_until=until).where(Account.id == account.id).execute()
    audit.record(None, "account", account.id, account.username, "lock", note="密码连续输错")
    return DomainError("password", _locked_message(until))


def sign_in(username: str, password: str, now: dt.datetime | None = None) -> Staff:
    """The staff member of this account, or a DomainError saying why not: one message for an
    unknown name, a wrong password and a deactivated account; a locked account is told when
    it may try again."""
    now = now or _now()
    account = Account.get_or_none(Account.username == (username or "").strip())
    if account is None:
        with contextlib.suppress(VerificationError, InvalidHashError):
            _hasher.verify(_dummy_hash(), password or "")
        raise _refused()
    attempt = _take_attempt(account.id, now)
    if attempt is None:
        locked = Account.get_by_id(account.id).locked_until
        raise DomainError("password", _locked_message(locked or now))
    if attempt > max_failures():  # guesses sent together past the limit: not checked at all
        raise _lock(account, now)
    try:
        _hasher.verify(account.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        if attempt >= max_failures():
            raise _lock(account, now) from None
        raise _refused() from None
    if not account.staff.active:
        raise _refused()
    values: dict[str, object] = {"failed_count": 0, "locked_until": None, "last_login_at": now}
    if _hasher.check_needs_rehash(account.password_hash):
        values["password_hash"] = _hasher.hash(password)
    Account.update(values).where(Account.id == account.id).execute()
    settings.put(LAST_USER_KEY, account.username)
    return account.staff


_dummy: list[str] = []


def _dummy_hash() -> str:
    """A hash to check unknown names against, so they take as long as a wrong password."""
    if not _dummy:
        _dummy.append(_hasher.hash("no such account"))
    return _dummy[0]


def last_user() -> str:
    return settings.get(LAST_USER_KEY, "") or ""


def change_password(staff: Staff, old: str, new: str) -> Account:
    """The signed-in person's own change: they must know the old password."""
    account = get_account(staff)
    try:
        _hasher.verify(account.password_hash, old or "")
    except (VerificationError, InvalidHashError):
        raise DomainError("old", "原密码不对。") from None
    if old == new:
        raise DomainError("password", "新密码不能和原密码相同。")
    check_strength(new)
    password_hash = hash_password(new)
    with database_proxy.atomic():
        Account.update(password_hash=password_hash, must_change_password=False).where(
            Account.id == account.id
        ).execute()
        audit.record(staff, "account", account.id, account.username, "change_password")
    return Account.get_by_id(account.id)


def set_password(
    account: Account | Staff | str | int, password: str, *, actor: Staff | None = None
) -> Account:
    """An administrator's reset: the person must choose their own at next sign-in."""
    require(actor, "accounts.manage")
    account = get_account(account)
    password_hash = hash_password(password)
    with database_proxy.atomic():
        Account.update(
            password_hash=password_hash,
            must_change_password=True,
            failed_count=0,
            locked_until=None,
        ).where(Account.id == account.id).execute()
        audit.record(actor, "account", account.id, account.username, "reset_password")
    return Account.get_by_id(account.id)


def unlock(account: Account | Staff | str | int, *, actor: Staff | None = None) -> Account:
    require(actor, "accounts.manage")
    account = get_account(account)
    with database_proxy.atomic():
        Account.update(failed_count=0, locked_until=None).where(Account.id == account.id).execute()
        audit.record(actor, "account", account.id, account.username, "unlock")
    return Account.get_by_id(account.id)


def set_role(staff: Staff, role: StaffRole | str, *, actor: Staff | None = None) -> Staff:
    require(actor, "accounts.manage")
    new = StaffRole(role).value if not isinstance(role, StaffRole) else role.value
    if actor is not None and actor.id == staff.id and new != staff.role:
        raise DomainError("role", "不能修改自己的角色，请由另一位管理员操作。")
    with database_proxy.atomic():
        Staff.update(role=new).where(Staff.id == staff.id).execute()
        audit.record(
            actor,
            "staff",
            staff.id,
            staff.name,
            "edit",
            "role",
            role_label(staff.role),
            role_label(new),
        )
    return Staff.get_by_id(staff.id)


def set_active(staff: Staff, active: bool, *, actor: Staff | None = None) -> Staff:
    require(actor, "accounts.manage")
    if actor is not None and actor.id == staff.id and not active:
        raise DomainError("active", "不能停用自己的账号。")
    with database_proxy.atomic():
        Staff.update(active=active).where(Staff.id == staff.id).execute()
        audit.record(actor, "staff", staff.id, staff.name, "activate" if active else "deactivate")
    return Staff.get_by_id(staff.id)


def add_staff(
    community: Community,
    name: str,
    role: StaffRole | str,
    password: str,
    *,
    phone: str = "",
    username: str = "",
    actor: Staff | None = None,
) -> Account:
    """A new colleague with an account in one step (the 账号管理 dialog)."""
    require(actor, "accounts.manage")
    name = validate.required_text("name", name, "姓名", max_len=30)
    check_strength(password)
    role_value = StaffRole(role).value
    with database_proxy.atomic():
        staff = Staff.get_or_none((Staff.community == community) & (Staff.name == name))
        if staff is None:
            staff = Staff.create(community=community, name=name, phone=phone, role=role_value)
            audit.record(actor, "staff", staff.id, name, "create", note=role_label(role_value))
        elif staff.role != role_value:
            staff = set_role(staff, role_value, actor=actor)
        return create_account(
            staff, password, username=username, must_change_password=True, actor=actor
        )


@dataclass
class AccountRow:
    account_id: int | None
    staff_id: int
    name: str
    username: str
    role: str
    active: bool
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None


def account_rows(community: Community | None = None) -> list[AccountRow]:
    """Every staff member with their account (or none yet), for the accounts dialog."""
    query = Staff.select(Staff, Account).join(
        Account, JOIN.LEFT_OUTER, on=(Account.staff == Staff.id), attr="account"
    )
    if community is not None:
        query = query.where(Staff.community == community)
    rows = []
    for staff in query.order_by(Staff.id):
        account = staff.account if getattr(staff, "account", None) and staff.account.id else None
        rows.append(
            AccountRow(
                account.id if account else None,
                staff.id,
                staff.name,
                account.username if account else "",
                staff.role,
                staff.active,
                account.locked_until if account else None,
                account.last_login_at if account else None,
            )
        )
    return rows


def ensure_demo_accounts(community: Community) -> int:
    """The demo office: an account for every staff member (user name = name, password
    DEMO_PASSWORD) and an administrator, so each role can be tried. Never for a real file."""
    made = 0
    with database_proxy.atomic():
        if not Staff.select().where(Staff.role == StaffRole.ADMIN.value).exists():
            Staff.create(community=community, name="管理员", role=StaffRole.ADMIN.value)
        for staff in Staff.select().where(Staff.community == community).order_by(Staff.id):
            if not Account.select().where(Account.staff == staff).exists():
                create_account(staff, DEMO_PASSWORD)
                made += 1
    return made
