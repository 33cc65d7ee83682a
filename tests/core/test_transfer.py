"""`transfer`: an office moves between its SQLite file and a server database and back, whole.

With MINQING_TEST_DB set, db_path is the PostgreSQL server, so both directions cross between
SQLite and PostgreSQL; otherwise the same code copies file to file.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from minqing.cli import main
from minqing.core import community
from minqing.core.cases import search
from minqing.core.cases import services as cases
from minqing.core.errors import MinqingError
from minqing.core.models import Case, CaseEvent, Community, Staff
from minqing.core.storage import transfer
from minqing.core.storage.db import close_database, open_database
from minqing.core.storage.migrations import schema_models

pytestmark = pytest.mark.slow  # every test here copies a whole demo office, most of them twice

ADMIN = transfer.Credentials("管理员", "demo123")
HISTORY = ("audit_event", "export_log")  # each side records the transfer itself


def snapshot() -> dict[str, list[tuple]]:
    return {
        m._meta.table_name: sorted(
            m.select(*m._meta.sorted_fields).tuples(), key=lambda row: str(row)
        )
        for m in schema_models()
        if m._meta.table_name not in HISTORY
    }


def current(url) -> dict[str, list[tuple]]:
    open_database(url, daily_backup=False)
    try:
        return snapshot()
    finally:
        close_database()


@pytest.fixture
def office_data(built_demo):
    built_demo(60, 7, dt.date(2026, 5, 20))
    before = snapshot()
    close_database()
    return before


def test_round_trip_keeps_every_row(db_path, office_data, tmp_path):
    copy = tmp_path / "copy.sqlite"
    counts = transfer.copy_database(str(db_path), str(copy), credentials=ADMIN)
    source = current(db_path)  # signing in touched the account and settings, nothing else
    assert {t: r for t, r in source.items() if t not in ("account", "setting")} == {
        t: r for t, r in office_data.items() if t not in ("account", "setting")
    }
    assert {c.table: c.target for c in counts if c.table not in HISTORY} == {
        t: len(r) for t, r in source.items()
    }
    open_database(copy)
    assert snapshot() == source
    assert [c.number for c in search.find_cases("楼道")]  # the search index was built
    close_database()

    with pytest.raises(MinqingError, match="--replace"):
        transfer.copy_database(str(copy), str(db_path), credentials=ADMIN)
    transfer.copy_database(str(copy), str(db_path), replace=True, credentials=ADMIN)
    copied = current(copy)
    open_database(db_path)
    assert snapshot() == copied
    # New rows continue after the copied ids and numbers (sequences moved on).
    last_id = Case.select().order_by(Case.id.desc()).first().id
    added = cases.take_in(
        channel="walk_in",
        text="转移后受理",
        window=community.find_window("综合治理"),
        first_responder=Staff.select().first(),
        contact_name="匿名",
    ).case
    assert added.id == last_id + 1 and CaseEvent.select().where(CaseEvent.case == added).count()


def test_cli_both_ways(db_path, office_data, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MINQING_PASSWORD", "demo123")
    backup = tmp_path / "backup.sqlite"
    user = ["--user", "管理员"]
    assert main(["--db", str(backup), *user, "--json", "transfer", "--from", str(db_path)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert all(t["source"] == t["target"] for t in report["tables"])
    assert main(["--db", str(backup), *user, "transfer", "--to", str(db_path)]) == 2
    assert "--replace" in capsys.readouterr().err
    to = ["transfer", "--to", str(db_path), "--replace"]
    assert main(["--db", str(backup), *user, *to]) == 0
    assert "行数核对一致" in capsys.readouterr().out
    copied = current(backup)
    open_database(db_path)
    assert snapshot() == copied


def test_same_database_is_refused(db_path, office_data):
    with pytest.raises(MinqingError, match="同一个"):
        transfer.copy_database(str(db_path), str(db_path))


def test_transfer_needs_an_administrator_once_accounts_exist(
    db_path, office_data, tmp_path, capsys, monkeypatch
):
    copy = tmp_path / "copy.sqlite"
    code = main(["--db", str(db_path), "transfer", "--to", str(copy)])
    assert code == 2 and "--user" in capsys.readouterr().err
    assert not copy.exists()
    monkeypatch.setenv("MINQING_PASSWORD", "demo123")
    open_database(db_path, daily_backup=False)
    clerk = Staff.get(Staff.role == "front_desk").name
    close_database()
    code = main(["--db", str(db_path), "--user", clerk, "transfer", "--to", str(copy)])
    assert code == 2 and "管理员" in capsys.readouterr().err
    assert not copy.exists()
    # the replaced side must be signed into as well: its accounts and history are at stake
    plain = tmp_path / "no-accounts.sqlite"
    open_database(plain)
    Community.create(name="没有账号的社区")
    close_database()
    with pytest.raises(MinqingError, match="目标数据库已设账号"):
        transfer.copy_database(str(plain), str(db_path), replace=True)
    wrong = transfer.Credentials("管理员", "wrong-password")
    with pytest.raises(MinqingError, match="用户名或密码不对"):
        transfer.copy_database(str(plain), str(db_path), replace=True, credentials=wrong)
    open_database(db_path, daily_backup=False)
    assert Community.get().name != "没有账号的社区"  # untouched
    close_database()


def test_transfer_is_audited_on_both_sides(db_path, office_data, tmp_path):
    from minqing.core.accounts.models import AuditEvent, ExportLog

    copy = tmp_path / "copy.sqlite"
    transfer.copy_database(str(db_path), str(copy), credentials=ADMIN)
    open_database(copy)
    arrived = AuditEvent.select().where(AuditEvent.kind == "transfer_in").get()
    assert arrived.actor_name == "管理员" and arrived.actor.name == "管理员"
    close_database()
    open_database(db_path)
    left = AuditEvent.select().where(AuditEvent.kind == "transfer_out").get()
    assert left.actor_name == "管理员" and str(copy) in left.label
    logged = ExportLog.select().where(ExportLog.what == "全部数据（转移）").get()
    assert logged.rows > 0 and logged.actor_name == "管理员"


def test_nul_in_an_old_file_does_not_break_the_move(db_path, office_data, tmp_path):
    """Text saved before validation refused control characters still moves (to PostgreSQL
    the NUL is dropped; a SQLite copy keeps the text as it was)."""
    old = tmp_path / "old.sqlite"
    transfer.copy_database(str(db_path), str(old), credentials=ADMIN)
    open_database(old, daily_backup=False)
    Case.update(text="楼道\x00灯").where(Case.id == Case.select().first().id).execute()
    close_database()
    transfer.copy_database(str(old), str(db_path), replace=True, credentials=ADMIN)
    open_database(db_path, daily_backup=False)
    moved = Case.select().order_by(Case.id).first().text
    assert moved == ("楼道灯" if str(db_path).startswith("postgresql") else "楼道\x00灯")
