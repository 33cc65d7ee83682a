"""Backups and restore: nothing unchecked replaces the data, nothing is lost on the way."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3

import pytest
from peewee import IntegrityError, OperationalError

from minqing.core.accounts.models import AuditEvent
from minqing.core.errors import DatabaseFileError, DomainError
from minqing.core.models import Community, Setting, database_proxy
from minqing.core.storage import backup, migrations
from minqing.core.storage.db import close_database, open_database

pytestmark = pytest.mark.sqlite_only


def _live():
    return database_proxy.obj


def _corrupt(path):
    """Overwrite pages in the middle of the file, as a failing disk or a cut copy would."""
    data = bytearray(path.read_bytes())
    assert len(data) > 40000
    for i in range(12288, 12288 + 12000):
        data[i] = 0x5A
    path.write_bytes(bytes(data))


def test_corrupt_backup_is_refused_and_data_intact(db_path, office):
    copy = backup.make_backup(_live(), db_path)
    Community.create(name="之后加的")
    _corrupt(copy)
    with pytest.raises(DatabaseFileError, match="损坏|不是"):
        backup.restore(_live(), db_path, copy)
    assert {c.name for c in Community.select()} == {"中和社区", "之后加的"}
    assert not any(p.name.startswith(".restore") for p in backup.backups_dir(db_path).iterdir())


@pytest.mark.parametrize("version", [1, migrations.LATEST])
def test_schema_only_file_is_refused(db_path, office, tmp_path, version):
    fake = tmp_path / "schema-only.sqlite"
    with sqlite3.connect(fake) as conn:
        conn.execute("CREATE TABLE schema_version (id INTEGER PRIMARY KEY, version INTEGER)")
        conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
    conn.close()
    with pytest.raises(DatabaseFileError, match="不是完整的民情流水线备份"):
        backup.restore(_live(), db_path, fake)
    assert [c.name for c in Community.select()] == ["中和社区"]
    assert backup.list_backups(db_path) == []  # refused before anything was written


def test_backup_of_another_office_is_refused(db_path, office, tmp_path):
    other_path = tmp_path / "other" / "other.sqlite"
    open_database(other_path)
    Community.create(name="别的社区")
    other = backup.make_backup(_live(), other_path)
    close_database()
    open_database(db_path)
    with pytest.raises(DatabaseFileError, match="不是同一个社区"):
        backup.restore(_live(), db_path, other)
    assert [c.name for c in Community.select()] == ["中和社区"]


def test_newer_backup_is_refused(db_path, office):
    copy = backup.make_backup(_live(), db_path)
    with sqlite3.connect(copy) as conn:
        conn.execute(
            "INSERT INTO schema_version (version, program, applied_at) VALUES (99, 'x', '2030-01-01')"
        )
    conn.close()
    with pytest.raises(DatabaseFileError, match="更新版本"):
        backup.restore(_live(), db_path, copy)


def test_restore_is_for_administrators(db_path, accounts):
    copy = backup.make_backup(_live(), db_path)
    with pytest.raises(DomainError, match="管理员"):
        backup.restore(_live(), db_path, copy, actor=accounts["front_desk"])


def test_restore_is_audited_and_history_kept(db_path, accounts):
    from minqing.core.accounts import services as account_service

    copy = backup.make_backup(_live(), db_path)
    account_service.unlock("张敏", actor=accounts["admin"])  # recorded after the backup
    Community.create(name="误加的社区")
    before = AuditEvent.select().count()
    safety = backup.restore(_live(), db_path, copy, actor=accounts["admin"])
    assert [c.name for c in Community.select()] == ["中和社区"]
    kinds = [e.kind for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert AuditEvent.select().count() == before + 1
    assert kinds[-2:] == ["unlock", "restore"]
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
    assert event.actor_name == "管理员" and event.label == copy.name
    assert safety.name in event.old and "中和社区" in event.old
    assert backup.reason_of(safety) == "before-restore"
    with pytest.raises(IntegrityError):  # still append-only after the restore
        AuditEvent.delete().execute()


def test_older_backup_is_upgraded_on_the_way_in(db_path, office, tmp_path):
    copy = backup.make_backup(_live(), db_path)
    with sqlite3.connect(copy) as conn:  # as version 6 left it: no accounts tables
        for table in ("account", "audit_event", "export_log"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("UPDATE schema_version SET version = 6")
    conn.close()
    backup.restore(_live(), db_path, copy)
    assert migrations.current_version(_live()) == migrations.LATEST
    assert AuditEvent.select().where(AuditEvent.kind == "restore").count() == 1


def test_rotation_keeps_newest_before_restore_and_before_upgrade(db_path, office):
    Setting.create(key="backup_keep", value="3")
    folder = backup.backups_dir(db_path)
    for name in ("office-20200101-000000-before-restore", "office-20200102-000000-before-v7"):
        (folder / f"{name}.sqlite").write_bytes(b"")
    for _ in range(5):
        backup.make_backup(_live(), db_path)
    reasons = [backup.reason_of(p) for p in backup.list_backups(db_path)]
    assert reasons.count("manual") == 3
    assert "before-restore" in reasons and "before-v7" in reasons


def test_backup_is_verified_after_writing(db_path, office, monkeypatch):
    monkeypatch.setattr(backup, "integrity", lambda path, quick=False: "database is malformed")
    with pytest.raises(DatabaseFileError, match="校验未通过"):
        backup.make_backup(_live(), db_path)
    assert list(backup.backups_dir(db_path).iterdir()) == []


def test_daily_backup_skipped_while_another_program_takes_it(db_path, office):
    lock = backup.backups_dir(db_path) / f".{db_path.stem}.backup-lock"
    lock.write_text("12345")
    assert backup.daily_backup(_live(), db_path) is None
    old = dt.datetime.now().timestamp() - backup.LOCK_STALE_SECONDS - 5
    os.utime(lock, (old, old))  # left by a program that crashed
    made = backup.daily_backup(_live(), db_path)
    assert made is not None and backup.reason_of(made) == "daily"
    assert not lock.exists()
    assert backup.daily_backup(_live(), db_path) is None  # once a day


def test_manual_backups_by_non_administrators_once_an_hour(db_path, accounts):
    backup.manual_backup(_live(), db_path, actor=accounts["front_desk"])
    with pytest.raises(DomainError, match="每小时只能手动备份一次"):
        backup.manual_backup(_live(), db_path, actor=accounts["leader"])
    backup.manual_backup(_live(), db_path, actor=accounts["admin"])
    backup.manual_backup(_live(), db_path, actor=accounts["admin"])
    assert len(backup.list_backups(db_path)) == 3


def test_failed_upgrade_is_backed_up_once_a_day(db_path, tmp_path):
    with sqlite3.connect(db_path) as conn:  # a version-1 file without its tables
        conn.execute("CREATE TABLE schema_version (id INTEGER PRIMARY KEY, version INTEGER)")
        conn.execute("INSERT INTO schema_version (version) VALUES (1)")
    conn.close()
    for _ in range(3):
        with pytest.raises(OperationalError):
            open_database(db_path)
        close_database()
    reasons = [backup.reason_of(p) for p in backup.list_backups(db_path)]
    assert reasons == [f"before-v{migrations.LATEST}"]


def test_backup_is_one_self_contained_file(db_path, office):
    copy = backup.make_backup(_live(), db_path)
    assert backup.integrity(copy) == "ok"
    with sqlite3.connect(f"file:{copy}?mode=ro", uri=True) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert sorted(p.name for p in backup.backups_dir(db_path).iterdir()) == [copy.name]
