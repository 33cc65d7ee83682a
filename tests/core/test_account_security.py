"""Accounts under attack: parallel guesses, probing for names, a temporary password, and the
audit trail of a ledger import."""

from __future__ import annotations

import threading
import time

import openpyxl
import pytest

from minqing.cli import main
from minqing.core.accounts import services as service
from minqing.core.accounts.models import Account, AuditEvent
from minqing.core.errors import DomainError
from minqing.core.models import Staff, database_proxy
from minqing.core.registry import ledger_import
from minqing.core.storage.db import close_database


def test_parallel_wrong_passwords_are_checked_at_most_the_limit(accounts, monkeypatch):
    real = service._hasher
    checked = []

    class Slow:
        """The real hasher, slowed down so 30 guesses overlap."""

        def verify(self, hashed, password):
            checked.append(password)
            time.sleep(0.05)
            return real.verify(hashed, password)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(service, "_hasher", Slow())
    answers = []

    def guess(n):
        try:
            service.sign_in("张敏", f"guess-{n}")
        except DomainError as exc:
            answers.append(str(exc))
        finally:
            database_proxy.obj.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 30
    assert len(checked) <= service.max_failures()
    assert Account.get(Account.username == "张敏").locked_until is not None
    assert any("已锁定" in a for a in answers)


def test_one_answer_whoever_is_asked(accounts):
    answers = set()
    for name, password in (("nobody", "x-123456"), ("张敏", "wrong-pass")):
        with pytest.raises(DomainError) as caught:
            service.sign_in(name, password)
        answers.add(str(caught.value))
    service.set_active(staff_named("赵刚"), False, actor=accounts["admin"])
    with pytest.raises(DomainError) as caught:
        service.sign_in("赵刚", "secret-1")  # the right password of a deactivated account
    answers.add(str(caught.value))
    assert len(answers) == 1 and "用户名或密码不对" in answers.pop()


def staff_named(name):
    return Staff.get(Staff.name == name)


def test_command_line_enforces_must_change_password(db_path, accounts, capsys, monkeypatch):
    service.set_password("张敏", "temp-pass-1", actor=accounts["admin"])
    close_database()
    office_file = str(db_path)
    monkeypatch.setenv("MINQING_PASSWORD", "temp-pass-1")
    code = main(["--db", office_file, "--user", "张敏", "case", "list"])
    err = capsys.readouterr().err
    assert code == 2 and "minqing --user 张敏 password" in err
    monkeypatch.setenv("MINQING_NEW_PASSWORD", "mine-pass-2")
    assert main(["--db", office_file, "--user", "张敏", "password"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("MINQING_PASSWORD", "mine-pass-2")
    assert main(["--db", office_file, "--user", "张敏", "case", "list"]) == 0


def test_ledger_import_is_audited(accounts, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["姓名", "住址", "电话"])
    book.active.append(["王秀英", "中和小区3号楼2单元501室", "13900001234"])
    book.active.append(["李大山", "中和小区3号楼2单元502室", ""])
    book.save(tmp_path / "台账.xlsx")
    leader = accounts["leader"]
    plan = ledger_import.make_plan(
        ledger_import.read_ledger(tmp_path / "台账.xlsx"), leader.community
    )
    ledger_import.apply_plan(plan, actor=leader)
    events = list(AuditEvent.select().where(AuditEvent.table == "resident").order_by(AuditEvent.id))
    assert [(e.label, e.kind, e.actor_name) for e in events] == [
        ("王秀英", "create", "王书记"),
        ("李大山", "create", "王书记"),
    ]
    assert "台账.xlsx 第 2 行" in events[0].note
    homes = AuditEvent.select().where(AuditEvent.table == "household").count()
    assert homes == 2
