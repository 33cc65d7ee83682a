"""Secrets: a server's password is kept only in PostgreSQL's own password file, and personal
numbers never reach the log file."""

from __future__ import annotations

import logging
import os
import stat

import pytest

from minqing.cli import main
from minqing.core.storage import connection, db
from minqing.core.storage.db import close_database
from minqing.logs import log_file, setup_logging
from tests.conftest import TEST_DB

ID_NUMBER = "11010519491231002X"


@pytest.fixture
def pgpass(tmp_path, monkeypatch):
    path = tmp_path / "pgpass"
    monkeypatch.setenv("PGPASSFILE", str(path))
    return path


def test_password_moves_to_pgpass(pgpass):
    kept = connection.remember_password("postgresql://minqing:pa%3Ass@192.168.1.10/office")
    assert kept == "postgresql://minqing@192.168.1.10/office"
    assert pgpass.read_text() == "192.168.1.10:5432:office:minqing:pa\\:ss\n"
    if os.name != "nt":
        assert stat.S_IMODE(pgpass.stat().st_mode) == 0o600
    connection.remember_password("postgresql://minqing:new-one@192.168.1.10/office")
    connection.remember_password("postgresql://other:x@192.168.1.10:5433/office")
    assert pgpass.read_text().splitlines() == [
        "192.168.1.10:5432:office:minqing:new-one",
        "192.168.1.10:5433:office:other:x",
    ]
    assert connection.remember_password("postgresql://minqing@h/db") == "postgresql://minqing@h/db"
    assert connection.remember_password("/data/office.sqlite") == "/data/office.sqlite"


@pytest.mark.postgres_only
def test_address_without_password_connects_through_pgpass(pgpass, db_path):
    bare = connection.remember_password(TEST_DB)
    assert ":minqing_test@" not in bare
    database = db.connect(bare)
    database.connect()
    assert database.execute_sql("SELECT 1").fetchone() == (1,)
    database.close()


def test_personal_numbers_never_reach_the_log(data_home):
    setup_logging()
    log = logging.getLogger("minqing.test")
    try:
        raise ValueError(f"Key (id_number)=({ID_NUMBER}) already exists; phone 13812345678")
    except ValueError:
        log.exception("insert failed for %s, 0451-86123456", ID_NUMBER)
    for handler in logging.getLogger("minqing").handlers:
        handler.flush()
    text = log_file().read_text(encoding="utf-8")
    assert "already exists" in text and "110105********002X" in text
    assert ID_NUMBER not in text and "13812345678" not in text and "86123456" not in text


def test_failed_command_logs_no_arguments(db_path, office, capsys, monkeypatch):
    from minqing.core.cases import search

    close_database()

    def boom(*args, **kwargs):
        raise RuntimeError("internal")

    monkeypatch.setattr(search, "search", boom)
    assert main(["--db", str(db_path), "search", "王秀英"]) == 1
    capsys.readouterr()
    text = log_file().read_text(encoding="utf-8")
    assert "command failed: search" in text and "王秀英" not in text
