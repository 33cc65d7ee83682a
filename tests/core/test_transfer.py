"""`transfer`: an office moves between its SQLite file and a server database and back, whole.

With MINQING_TEST_DB set, db_path is the PostgreSQL server, so both directions cross between
SQLite and PostgreSQL; otherwise the same code copies file to file.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from minqing.cli import main
from minqing.core import community, demo
from minqing.core.cases import search
from minqing.core.cases import services as cases
from minqing.core.errors import MinqingError
from minqing.core.models import Case, CaseEvent, Staff
from minqing.core.storage import transfer
from minqing.core.storage.db import close_database, open_database
from minqing.core.storage.migrations import schema_models


def snapshot() -> dict[str, list[tuple]]:
    return {
        m._meta.table_name: sorted(
            m.select(*m._meta.sorted_fields).tuples(), key=lambda row: str(row)
        )
        for m in schema_models()
    }


@pytest.fixture
def office_data(db_path):
    open_database(db_path)
    demo.build(60, seed=7, reference=dt.date(2026, 5, 20))
    before = snapshot()
    close_database()
    return before


def test_round_trip_keeps_every_row(db_path, office_data, tmp_path):
    copy = tmp_path / "copy.sqlite"
    counts = transfer.copy_database(str(db_path), str(copy))
    assert {c.table: c.target for c in counts} == {t: len(r) for t, r in office_data.items()}
    open_database(copy)
    assert snapshot() == office_data
    assert [c.number for c in search.find_cases("楼道")]  # the search index was built
    close_database()

    with pytest.raises(MinqingError, match="--replace"):
        transfer.copy_database(str(copy), str(db_path))
    transfer.copy_database(str(copy), str(db_path), replace=True)
    open_database(db_path)
    assert snapshot() == office_data
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


def test_cli_both_ways(db_path, office_data, tmp_path, capsys):
    backup = tmp_path / "backup.sqlite"
    assert main(["--db", str(backup), "--json", "transfer", "--from", str(db_path)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert all(t["source"] == t["target"] for t in report["tables"])
    assert main(["--db", str(backup), "transfer", "--to", str(db_path)]) == 2
    assert "--replace" in capsys.readouterr().err
    assert main(["--db", str(backup), "transfer", "--to", str(db_path), "--replace"]) == 0
    assert "行数核对一致" in capsys.readouterr().out
    open_database(db_path)
    assert snapshot() == office_data


def test_same_database_is_refused(db_path, office_data):
    with pytest.raises(MinqingError, match="同一个"):
        transfer.copy_database(str(db_path), str(db_path))
