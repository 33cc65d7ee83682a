"""Accounts: hashes only, counting failures, locking, unlocking, the remembered user."""

from __future__ import annotations

import datetime as dt

import pytest

from minqing.core.accounts import audit
from minqing.core.accounts import services as accounts
from minqing.core.accounts.models import Account, AuditEvent
from minqing.core.errors import DomainError
from minqing.core.models import Staff


@pytest.fixture
def admin(office):
    return accounts.create_administrator(office, "管理员", "secret-1").staff


@pytest.fixture
def clerk_account(office, admin):
    clerk = Staff.get(Staff.name == "张敏")
    return accounts.create_account(clerk, "zhangmin1", actor=admin)


def test_password_is_stored_only_as_a_slow_salted_hash(clerk_account, office, admin):
    row = Account.get_by_id(clerk_account.id)
    assert "zhangmin1" not in row.password_hash
    assert row.password_hash.startswith("$argon2id$")
    other = accounts.create_account(Staff.get(Staff.name == "李红"), "zhangmin1", actor=admin)
    assert other.password_hash != row.password_hash  # salted
    assert all("zhangmin1" not in (e.note + e.new + e.old) for e in AuditEvent.select())


def test_the_real_hasher_is_argon2id_at_production_cost(cheap_password_hashes, monkeypatch):
    """The suite hashes cheaply (conftest); the program's own hasher is checked here, once."""
    import argon2

    real = cheap_password_hashes
    monkeypatch.setattr(accounts, "_hasher", real)
    hashed = accounts.hash_password("zhangmin1")
    params = argon2.extract_parameters(hashed)
    assert hashed.startswith("$argon2id$")
    assert params.time_cost >= 3 and params.memory_cost >= 64 * 1024
    assert real.verify(hashed, "zhangmin1")
    assert not real.check_needs_rehash(hashed)


def test_short_password_refused_in_chinese(office):
    with pytest.raises(DomainError, match="至少要 6 个字符"):
        accounts.create_administrator(office, "管理员", "12345")


def test_sign_in_returns_staff_and_remembers_user(clerk_account):
    staff = accounts.sign_in("张敏", "zhangmin1")
    assert staff.name == "张敏"
    assert accounts.last_user() == "张敏"
    assert Account.get_by_id(clerk_account.id).last_login_at is not None


def test_wrong_password_counts_and_locks_after_five(clerk_account):
    now = dt.datetime(2024, 5, 6, 9, 0)
    for failed in (1, 2, 3, 4):
        with pytest.raises(DomainError, match="用户名或密码不对"):
            accounts.sign_in("张敏", "wrong", now=now)
        assert Account.get_by_id(clerk_account.id).failed_count == failed
    with pytest.raises(DomainError, match="锁定，请在 09:15 以后"):
        accounts.sign_in("张敏", "wrong", now=now)
    with pytest.raises(DomainError, match="已锁定"):  # even the right password, while locked
        accounts.sign_in("张敏", "zhangmin1", now=now + dt.timedelta(minutes=5))
    assert accounts.sign_in("张敏", "zhangmin1", now=now + dt.timedelta(minutes=16)).name == "张敏"


def test_admin_unlocks_and_resets(clerk_account, admin):
    now = dt.datetime.now()
    for _ in range(5):
        with pytest.raises(DomainError):
            accounts.sign_in("张敏", "wrong", now=now)
    clerk = Staff.get(Staff.name == "张敏")
    with pytest.raises(DomainError, match="前台人员不能管理账号"):
        accounts.unlock(clerk_account, actor=clerk)
    accounts.unlock(clerk_account, actor=admin)
    assert accounts.sign_in("张敏", "zhangmin1").name == "张敏"
    reset = accounts.set_password(clerk_account, "newpass1", actor=admin)
    assert reset.must_change_password
    accounts.change_password(clerk, "newpass1", "mine-456")
    assert not Account.get_by_id(clerk_account.id).must_change_password
    kinds = [line.action for line in audit.lines(kinds=["audit"])]
    assert {"解锁", "重设密码", "修改密码", "锁定"} <= set(kinds)


def test_unknown_user_and_deactivated(clerk_account, admin):
    with pytest.raises(DomainError, match="用户名或密码不对"):
        accounts.sign_in("nobody", "zhangmin1")
    with pytest.raises(DomainError) as wrong:
        accounts.sign_in("张敏", "wrong-password")
    accounts.set_active(clerk_account.staff, False, actor=admin)
    with pytest.raises(DomainError) as deactivated:
        accounts.sign_in("张敏", "zhangmin1")
    with pytest.raises(DomainError) as unknown:
        accounts.sign_in("nobody", "zhangmin1")
    # one answer: trying names tells nobody who works here or who left
    assert str(wrong.value) == str(deactivated.value) == str(unknown.value)


def test_rows_list_staff_without_accounts(clerk_account, office):
    rows = {r.name: r for r in accounts.account_rows(office)}
    assert rows["张敏"].username == "张敏" and rows["李红"].account_id is None
