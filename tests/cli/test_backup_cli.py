"""`minqing backup | restore` from the command line: refusals keep the data, only an
administrator restores, non-administrators back up once an hour."""

from __future__ import annotations

import json
import sqlite3

import pytest

from minqing.cli import main
from minqing.core.storage.db import close_database

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def office_file(db_path, accounts, monkeypatch):
    close_database()
    monkeypatch.setenv("MINQING_PASSWORD", "secret-1")
    return str(db_path)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def as_user(office_file, user, *argv):
    return ["--db", office_file, "--user", user, "--json", *argv]


def offices(capsys, office_file):
    code, out, _ = run(capsys, *as_user(office_file, "管理员", "check"))
    return [item["detail"] for item in json.loads(out) if item["name"] == "数据量"]


def test_corrupt_and_schema_only_backups_refused_data_intact(office_file, capsys, tmp_path):
    code, out, _ = run(capsys, *as_user(office_file, "管理员", "backup"))
    copy = json.loads(out)["backup"]
    before = offices(capsys, office_file)
    data = bytearray(open(copy, "rb").read())
    data[12288:24288] = b"\x5a" * 12000
    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(bytes(data))
    schema_only = tmp_path / "schema-only.sqlite"
    with sqlite3.connect(schema_only) as conn:
        conn.execute("CREATE TABLE schema_version (id INTEGER PRIMARY KEY, version INTEGER)")
        conn.execute("INSERT INTO schema_version (version) VALUES (1)")
    conn.close()
    for bad in (corrupt, schema_only):
        code, out, err = run(capsys, *as_user(office_file, "管理员", "restore", str(bad)))
        assert code == 2 and "没有改动" in err and "已从" not in out
        assert offices(capsys, office_file) == before
        code, out, _ = run(capsys, *as_user(office_file, "管理员", "check"))
        assert code == 0


def test_restore_only_by_administrator(office_file, capsys):
    code, out, _ = run(capsys, *as_user(office_file, "管理员", "backup"))
    copy = json.loads(out)["backup"]
    code, _, err = run(capsys, *as_user(office_file, "王书记", "restore", copy))
    assert code == 2 and "管理员" in err
    code, out, _ = run(capsys, *as_user(office_file, "管理员", "restore", copy))
    assert code == 0 and json.loads(out)["restored"] == copy


def test_front_desk_backs_up_once_an_hour(office_file, capsys):
    assert run(capsys, *as_user(office_file, "张敏", "backup"))[0] == 0
    code, _, err = run(capsys, *as_user(office_file, "张敏", "backup"))
    assert code == 2 and "每小时只能手动备份一次" in err
