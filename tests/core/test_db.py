"""Opening files: new, current, older (upgraded after a backup), newer, foreign, not a database."""

from __future__ import annotations

import sqlite3

import pytest

from minqing.core.errors import DatabaseFileError
from minqing.core.models import ALL_MODELS, Community, SchemaVersion, database_proxy
from minqing.core.storage import backup, migrations
from minqing.core.storage.db import close_database, open_database


@pytest.mark.sqlite_only
def test_new_file_gets_current_schema_with_pragmas(db_path):
    opened = open_database(db_path)
    assert opened.created
    assert migrations.current_version(opened.database) == migrations.LATEST
    pragma = opened.database.execute_sql
    assert pragma("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert pragma("PRAGMA foreign_keys").fetchone()[0] == 1
    assert pragma("PRAGMA busy_timeout").fetchone()[0] >= 5000


@pytest.mark.sqlite_only
def test_default_location_is_the_data_folder(data_home, monkeypatch):
    opened = open_database()
    assert opened.path == data_home / "minqing.sqlite"
    close_database()
    monkeypatch.setenv("MINQING_DB", str(data_home / "other.sqlite"))
    assert open_database().path == data_home / "other.sqlite"


@pytest.mark.sqlite_only
def test_not_a_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("这是一份会议记录，不是数据库。", encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(DatabaseFileError, match="不是民情流水线的数据库文件"):
        open_database(path)
    assert path.read_bytes() == before


@pytest.mark.sqlite_only
def test_sqlite_file_of_another_program_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.close()
    with pytest.raises(DatabaseFileError, match="属于其他程序"):
        open_database(path)


@pytest.mark.sqlite_only
def test_newer_schema_is_refused_without_change(db_path):
    open_database(db_path)
    SchemaVersion.create(version=migrations.LATEST + 1)
    close_database()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseFileError, match="更新版本"):
        open_database(db_path)
    assert db_path.read_bytes() == before


def _make_version_1(path):
    """A file as version 1 of the program wrote it: the tables, no search index or guards."""
    from peewee import SqliteDatabase

    old = SqliteDatabase(str(path))
    database_proxy.initialize(old)
    old.create_tables(ALL_MODELS)
    SchemaVersion.create(version=1)
    Community.create(name="老社区")
    old.close()


@pytest.mark.sqlite_only
def test_older_file_is_backed_up_then_upgraded(db_path):
    _make_version_1(db_path)
    opened = open_database(db_path)
    assert opened.upgraded_from == 1
    assert migrations.current_version(opened.database) == migrations.LATEST
    assert Community.get().name == "老社区"
    copies = backup.list_backups(db_path)
    assert any(f"before-v{migrations.LATEST}" in p.name for p in copies)
    # the backup still holds the old version, untouched
    with sqlite3.connect(copies[0]) as conn:
        assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 1
    conn.close()
    assert "case_grams" in opened.database.get_tables()


@pytest.mark.sqlite_only
def test_daily_backup_once_a_day_and_pruned(db_path):
    open_database(db_path)
    close_database()
    first = open_database(db_path)
    assert first.backup is not None and first.backup.exists()
    close_database()
    assert open_database(db_path).backup is None  # already backed up today
    from minqing.core.models import Setting

    Setting.create(key="backup_keep", value="3")
    for _ in range(5):
        backup.make_backup(database_proxy.obj, db_path)
    assert len(backup.list_backups(db_path)) == 3


@pytest.mark.sqlite_only
def test_restore_brings_back_the_backed_up_state(db_path, office):
    copy = backup.make_backup(database_proxy.obj, db_path)
    Community.create(name="误加的社区")
    safety = backup.restore(database_proxy.obj, db_path, copy)
    assert [c.name for c in Community.select()] == ["中和社区"]
    assert safety.exists()  # the state before restoring is kept too


@pytest.mark.sqlite_only
def test_restore_refuses_a_file_that_is_not_a_backup(db_path, office, tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a backup at all")
    with pytest.raises(DatabaseFileError):
        backup.restore(database_proxy.obj, db_path, junk)
    assert Community.select().count() == 1


def test_newer_schema_is_refused_on_any_database(db_path):
    open_database(db_path)
    SchemaVersion.create(version=migrations.LATEST + 1)
    close_database()
    with pytest.raises(DatabaseFileError, match="更新版本"):
        open_database(db_path)
    close_database()
    # nothing was changed by the refusal: opening again refuses again, for the same reason
    with pytest.raises(DatabaseFileError, match=f"结构版本 {migrations.LATEST + 1}"):
        open_database(db_path)


def test_the_names_outside_tools_use_keep_working(db_path):
    """The team's window-at script opens a database and names the user to sign in with exactly
    these imports; core's regrouping must not break it."""
    from minqing.core import accounts, settings
    from minqing.core.accounts import services
    from minqing.core.db import open_database as old_name
    from minqing.core.storage.db import open_database

    assert old_name is open_database
    old_name(db_path, daily_backup=False)
    settings.put(accounts.LAST_USER_KEY, "zhangmin")
    assert services.last_user() == "zhangmin"


@pytest.mark.sqlite_only
def test_an_office_with_history_upgrades_through_the_new_columns_and_indexes(db_path, office):
    """Steps that touch "case" must not rebuild it: dropping the old table would delete its
    append-only history (the guard refuses, and the office could not open its file)."""
    from minqing.core import community
    from minqing.core.cases import search
    from minqing.core.cases import services as cases
    from minqing.core.models import Case, SchemaVersion, Staff, database_proxy

    clerk = Staff.get(Staff.name == "张敏")
    case = cases.take_in(
        channel="mailbox",
        text="楼道灯不亮",
        window=community.find_window("城建城管"),
        first_responder=clerk,
        contact_name="王",
        contact_phone="82651234",
    ).case
    database = database_proxy.obj
    for sql in (
        'ALTER TABLE "case" DROP COLUMN public_summary',
        "DROP TABLE case_digits",
        "DROP TABLE callback_latest",
    ):
        database.execute_sql(sql)
    SchemaVersion.delete().execute()
    SchemaVersion.create(version=8, program="test")
    close_database()
    opened = open_database(db_path)
    assert opened.upgraded_from == 8
    assert [c.id for c in search.find_cases("6512")] == [case.id]  # the digit index rebuilt
    assert Case.get_by_id(case.id).public_summary == ""


@pytest.mark.sqlite_only
def test_a_file_with_the_per_character_index_upgrades_to_the_grams_index(db_path, office):
    """Step 13 drops the per-character indexes of steps 2–12 (tables and triggers), step 14
    fills the grams indexes from the cases and residents already there."""
    from minqing.core import community
    from minqing.core.cases import search
    from minqing.core.cases import services as cases
    from minqing.core.models import Household, Resident, Staff

    clerk = Staff.get(Staff.name == "张敏")
    home = Household.create(community=office, courtyard="比乐街25号", building="1", door="301")
    person = Resident.create(household=home, name="王毓吉", phone="13812345678", initials="wyj")
    case = cases.take_in(
        channel="mailbox",
        text="楼道灯不亮",
        window=community.find_window("城建城管"),
        first_responder=clerk,
        resident=person,
        address="比乐街25号1号楼301室",
    ).case
    database = database_proxy.obj
    for table in ("case_grams", "resident_grams"):
        for (trigger,) in database.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE ?", (table + "%",)
        ).fetchall():
            database.execute_sql(f"DROP TRIGGER {trigger}")
        database.execute_sql(f"DROP TABLE {table}")
    database.execute_sql(
        "CREATE VIRTUAL TABLE case_chars USING fts5(chars, content='', columnsize=0)"
    )
    database.execute_sql(
        'CREATE TRIGGER case_chars_insert AFTER INSERT ON "case" BEGIN '
        "INSERT INTO case_chars(rowid, chars) VALUES (new.id, minqing_chars(new.text)); END"
    )
    database.execute_sql("CREATE VIRTUAL TABLE resident_chars USING fts5(chars)")
    SchemaVersion.delete().execute()
    SchemaVersion.create(version=12, program="test")
    close_database()

    opened = open_database(db_path)
    assert opened.upgraded_from == 12
    tables = opened.database.get_tables()
    assert "case_chars" not in tables and "resident_chars" not in tables
    assert {"case_grams", "resident_grams"} <= set(tables)
    assert [c.id for c in search.find_cases("灯不")] == [case.id]
    assert [c.id for c in search.find_cases("比乐街25号1号楼301室")] == [case.id]
    assert [r.id for r in search.find_residents("25号1号楼")] == [person.id]
    later = cases.take_in(  # the old trigger is gone: intake writes the new index only
        channel="mailbox",
        text="下水道堵了",
        window=community.find_window("城建城管"),
        first_responder=clerk,
        contact_name="李",
    ).case
    assert [c.id for c in search.find_cases("水道")] == [later.id]


@pytest.mark.sqlite_only
def test_a_file_of_step_13_gets_its_grams_rebuilt(db_path, office):
    """Step 13's grams had no threes: step 14 rebuilds both indexes (here emptied, so only the
    rebuild can find anything)."""
    from minqing.core import community
    from minqing.core.cases import search
    from minqing.core.cases import services as cases
    from minqing.core.models import Household, Resident, Staff

    home = Household.create(community=office, courtyard="比乐街25号", building="1", door="301")
    person = Resident.create(household=home, name="王毓吉", phone="13812345678", initials="wyj")
    case = cases.take_in(
        channel="mailbox",
        text="楼道灯不亮",
        window=community.find_window("城建城管"),
        first_responder=Staff.get(Staff.name == "张敏"),
        contact_name="李",
    ).case
    database = database_proxy.obj
    database.execute_sql("INSERT INTO case_grams(case_grams) VALUES ('delete-all')")
    database.execute_sql("DELETE FROM resident_grams")
    assert search.find_cases("灯不亮") == [] and search.find_residents("王毓吉") == []
    SchemaVersion.delete().execute()
    SchemaVersion.create(version=13, program="test")
    close_database()

    assert open_database(db_path).upgraded_from == 13
    assert [c.id for c in search.find_cases("道灯不亮")] == [case.id]
    assert [r.id for r in search.find_residents("比乐街25号1号楼301室")] == [person.id]
