"""Every mistake a user can make on the command line exits 2 with one Chinese line."""

from __future__ import annotations

import sqlite3

import pytest

from minqing.cli import main
from minqing.core.errors import DatabaseBusy, DatabaseFileError, DomainError
from minqing.core.storage import db as storage_db
from minqing.core.storage.db import close_database
from minqing.core.storage.failures import user_error
from tests.conftest import TEST_DB

ADD = [
    "case",
    "add",
    "--channel",
    "来访",
    "--text",
    "楼道灯不亮",
    "--window",
    "城建城管",
    "--responder",
    "张敏",
    "--contact",
    "王先生",
]


@pytest.fixture
def office_file(db_path, office):
    close_database()
    return str(db_path)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_chinese_line(err):
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("错误：")
    assert "Traceback" not in err and "error:" not in err and "usage" not in err
    return lines[0]


@pytest.mark.parametrize(
    "argv, words",
    [
        (["case", "list", "--stage", "飞天"], "飞天"),
        (["case", "move", "2026-00001", "飞天"], "飞天"),
        (["case", "show", "99999999999999999999999"], "太大|找不到"),
        (["case", "show", "abc"], "abc"),
        (["case", "list", "--limit", "-1"], "不能是负数"),
        (["search", "楼道", "--limit", "-5"], "不能是负数"),
        (["case", "list", "--limit", "abc"], "不是有效的整数"),
        (["bogus"], "没有“bogus”这一项"),
        (["case", "add", "--text"], "后面要跟一个值"),
        (["print"], "缺少必需的参数"),
        (["case", "list", "--nonsense"], "无法识别的参数"),
    ],
)
def test_user_mistakes_exit_2_in_chinese(office_file, capsys, argv, words):
    code, _, err = run(capsys, "--db", office_file, *argv)
    assert code == 2
    line = one_chinese_line(err)
    assert any(word in line for word in words.split("|"))


def test_help_is_chinese(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["case", "list", "-h"])
    out = capsys.readouterr().out
    assert stop.value.code == 0
    assert out.startswith("用法：") and "显示这段帮助并退出" in out and "usage" not in out


def test_missing_output_folder_is_an_error_and_never_created(office_file, capsys, tmp_path):
    missing = tmp_path / "no" / "such" / "folder"
    for argv in (
        ["export", "12345", "--out", str(missing / "replies.xlsx")],
        ["residents", "export", "--out", str(missing / "residents.xlsx")],
        ["stats", "--from", "2026-01-01", "--to", "2026-12-31", "--excel", str(missing / "s.xlsx")],
    ):
        code, _, err = run(capsys, "--db", office_file, *argv)
        assert code == 2 and "不存在" in one_chinese_line(err)
    assert not (tmp_path / "no").exists()


@pytest.mark.sqlite_only
def test_truncated_database_file(office_file, capsys, tmp_path):
    cut = tmp_path / "cut.sqlite"
    cut.write_bytes(open(office_file, "rb").read()[:30000])
    code, _, err = run(capsys, "--db", str(cut), "case", "list")
    assert code == 2 and "已损坏" in one_chinese_line(err)


def test_malformed_server_address(capsys):
    code, _, err = run(capsys, "--db", "postgresql://u:secret@host:port/db", "case", "list")
    line = one_chinese_line(err)
    assert code == 2 and "格式不对" in line and "secret" not in line


@pytest.mark.sqlite_only
def test_writer_behind_a_long_import_is_told_busy(office_file, capsys, monkeypatch):
    monkeypatch.setitem(storage_db.SQLITE_PRAGMAS, "busy_timeout", 100)
    monkeypatch.setattr(storage_db, "BUSY_SECONDS", 0.1)
    monkeypatch.setattr(storage_db, "BUSY_RETRIES", 1)
    importer = sqlite3.connect(office_file, timeout=0.1)
    importer.execute("BEGIN IMMEDIATE")  # a long import holds the write lock
    try:
        code, _, err = run(capsys, "--db", office_file, *ADD)
    finally:
        importer.rollback()
        importer.close()
    assert code == 2 and "数据库正忙" in one_chinese_line(err)
    code, out, _ = run(capsys, "--db", office_file, *ADD)  # once it is done, it works
    assert code == 0


def test_driver_errors_become_user_errors(tmp_path):
    path = tmp_path / "x.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE t (a)").connection.commit()
    readonly = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as caught:
        readonly.execute("INSERT INTO t VALUES (1)")
    readonly.close()
    assert isinstance(user_error(caught.value), DatabaseFileError)
    assert "只读" in str(user_error(caught.value))
    assert isinstance(user_error(sqlite3.OperationalError("database is locked")), DatabaseBusy)
    assert isinstance(user_error(OverflowError("Python int too large")), DomainError)
    assert user_error(RuntimeError("internal")) is None


def test_server_options_add_timeouts_unless_given():
    options = storage_db.server_options("postgresql://u@h/db")
    assert options["connect_timeout"] == storage_db.CONNECT_TIMEOUT
    assert "statement_timeout" in options["options"]
    given = storage_db.server_options("postgresql://u@h/db?connect_timeout=3")
    assert "connect_timeout" not in given


def test_server_that_never_answers_times_out(capsys, monkeypatch):
    """A port that accepts connections and never speaks: refused within the connect timeout."""
    import socket
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    port = listener.getsockname()[1]
    monkeypatch.setattr(storage_db, "CONNECT_TIMEOUT", 2)
    started = time.monotonic()
    try:
        code, _, err = run(capsys, "--db", f"postgresql://u@127.0.0.1:{port}/db", "case", "list")
    finally:
        listener.close()
    assert code == 2 and "服务器" in one_chinese_line(err)
    assert time.monotonic() - started < 10


def test_type_errors_read_as_one_sentence(office_file, capsys):
    code, _, err = run(capsys, "--db", office_file, "stats", "--from", "2026-13-01")
    line = one_chinese_line(err)
    assert code == 2 and "2026-13-01" in line and "。。" not in line


def test_stored_escape_sequences_never_reach_the_terminal(office_file, capsys):
    from minqing.core.models import Case
    from minqing.core.storage.db import open_database

    code, out, _ = run(capsys, "--db", office_file, *ADD)
    open_database(office_file, daily_backup=False)
    Case.update(text="灯\x1b[2J坏了\x07").execute()  # as an older version let it be saved
    close_database()
    code, out, _ = run(capsys, "--db", office_file, "case", "list")
    assert code == 0 and "灯[2J坏了" in out and "\x1b" not in out and "\x07" not in out
    code, out, _ = run(capsys, "--db", office_file, "--json", "case", "list")
    assert "\x1b" not in out and "\\u001b" in out


@pytest.mark.postgres_only
def test_statement_timeout_is_named(db):
    from peewee import DatabaseError

    db.execute_sql("SET statement_timeout = 100")
    with pytest.raises(DatabaseError) as caught:
        db.execute_sql("SELECT pg_sleep(2)")
    db.rollback()
    assert isinstance(user_error(caught.value), DatabaseBusy)
    assert "请稍后再试" in str(user_error(caught.value))


@pytest.mark.postgres_only
def test_writer_behind_another_pcs_lock_is_told_busy(db, office):
    import psycopg2
    from peewee import DatabaseError

    from minqing.core.models import Community

    other_pc = psycopg2.connect(TEST_DB)
    with other_pc.cursor() as cursor:  # a long import holds the row
        cursor.execute("SELECT id FROM community FOR UPDATE")
    db.execute_sql("SET lock_timeout = 200")
    try:
        with pytest.raises(DatabaseError) as caught:
            Community.update(name="改名").execute()
        db.rollback()
    finally:
        other_pc.rollback()
        other_pc.close()
    assert str(user_error(caught.value)).startswith("数据库正忙")
