"""Several desks on one database, with real processes: numbers stay unique and gap-free, a
stale save is refused and says what changed, a killed writer leaves nothing half-written,
and two busy programs on one SQLite file never see "database is locked".

Runs on SQLite by default and on PostgreSQL with MINQING_TEST_DB (db_path is then a URL).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import traceback

import pytest

from minqing.core.models import Case, CaseCounter, CaseEvent, Staff
from minqing.core.storage.db import close_database, open_database

SPAWN = multiprocessing.get_context("spawn")
WRITERS = 8
CASES_EACH = 250  # 2,000 intakes from 8 processes interleave thoroughly (8 × 1,000 took 22 s)


def _open(path: str) -> None:
    open_database(path, daily_backup=False)


def _take_in(label: str) -> Case:
    from minqing.core import community
    from minqing.core.cases import services as cases

    return cases.take_in(
        channel="walk_in",
        text=label,
        window=community.find_window("综合治理"),
        first_responder=Staff.get(Staff.name == "张敏"),
        contact_name="匿名",
    ).case


def _register(path: str, count: int, label: str, start, errors) -> None:
    try:
        _open(path)
        start.wait(120)
        for i in range(count):
            _take_in(f"{label} 第{i}件")
    except BaseException:
        errors.put(f"{label}: {traceback.format_exc()}")
        raise


def _run(processes: list, timeout: float = 600) -> list:
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout)
    return [p.exitcode for p in processes]


def _drain(queue) -> list:
    out = []
    while not queue.empty():
        out.append(queue.get())
    return out


@pytest.mark.slow
def test_eight_writers_get_distinct_contiguous_numbers(db_path, office):
    close_database()
    start, errors = SPAWN.Barrier(WRITERS), SPAWN.Queue()
    workers = [
        SPAWN.Process(target=_register, args=(str(db_path), CASES_EACH, f"桌{n}", start, errors))
        for n in range(WRITERS)
    ]
    codes = _run(workers)
    assert _drain(errors) == []
    assert codes == [0] * WRITERS
    _open(str(db_path))
    total = WRITERS * CASES_EACH
    seqs = sorted(s for (s,) in Case.select(Case.seq).tuples())
    assert seqs == list(range(1, total + 1))
    assert Case.select(Case.number).distinct().count() == total
    assert CaseCounter.get().last == total
    assert CaseEvent.select().where(CaseEvent.kind == "created").count() == total


def _edit(path: str, case_id: int, version: int, who: str, start, results) -> None:
    from minqing.core.cases import services as cases

    _open(path)
    me = Staff.get(Staff.name == who)
    start.wait(60)
    try:
        if who == "李红":
            cases.assign_owner(case_id, me, actor=me, expected_version=version)
        else:
            cases.edit(case_id, text="张敏改过的内容", actor=me, expected_version=version)
        results.put((who, "saved", ""))
    except cases.ConflictError as exc:
        results.put((who, "refused", str(exc)))


def test_two_editors_one_refusal_no_lost_change(db_path, office):
    case = _take_in("楼道灯不亮")
    close_database()
    start, results = SPAWN.Barrier(2), SPAWN.Queue()
    editors = [
        SPAWN.Process(target=_edit, args=(str(db_path), case.id, case.version, who, start, results))
        for who in ("李红", "张敏")
    ]
    assert _run(editors, 120) == [0, 0]
    outcome = {who: (what, message) for who, what, message in _drain(results)}
    assert sorted(what for what, _ in outcome.values()) == ["refused", "saved"]
    _open(str(db_path))
    fresh = Case.get_by_id(case.id)
    assert fresh.version == case.version + 1
    if outcome["李红"][0] == "saved":  # the owner change won; the text edit was refused
        assert fresh.owner.name == "李红" and fresh.text == "楼道灯不亮"
        assert "刚被 李红 修改过（责任人：（空） → 李红）" in outcome["张敏"][1]
    else:
        assert fresh.owner_id is None and fresh.text == "张敏改过的内容"
        assert "刚被 张敏 修改过（民情内容：楼道灯不亮 → 张敏改过的内容）" in outcome["李红"][1]


def _die_mid_intake(path: str, ready) -> None:
    """Takes in one case and stops for good between the case row and its history."""
    import time

    _open(path)

    def stall(*args, **kwargs):
        ready.set()
        time.sleep(600)

    CaseEvent.bulk_create = stall
    _take_in("写到一半")


def test_killed_writer_leaves_nothing_half_written(db_path, office):
    _take_in("第一件")
    close_database()
    ready = SPAWN.Event()
    writer = SPAWN.Process(target=_die_mid_intake, args=(str(db_path), ready))
    writer.start()
    assert ready.wait(60)
    os.kill(writer.pid, signal.SIGKILL)
    writer.join(30)
    _open(str(db_path))
    assert [c.text for c in Case.select()] == ["第一件"]
    assert CaseCounter.get().last == 1
    assert all(c.events.count() for c in Case.select())
    assert _take_in("第二件").seq == 2  # the dead writer's number was rolled back, not lost


def _hammer(path: str, kind: str, rounds: int, errors) -> None:
    from minqing.core.cases import services as cases
    from minqing.core.errors import MinqingError

    try:
        _open(path)
        owner = Staff.get(Staff.name == "李红")
        for i in range(rounds):
            if kind == "intake":
                _take_in(f"连续受理 {i}")
                continue
            for case in list(Case.select().where(Case.owner.is_null()).limit(5)):
                try:
                    cases.assign_owner(case.id, owner, expected_version=case.version)
                except MinqingError:
                    pass  # a refusal the user would be shown is fine; "locked" is not
    except BaseException:
        errors.put(f"{kind}: {traceback.format_exc()}")
        raise


def test_two_busy_programs_never_see_a_locked_database(db_path, office):
    for i in range(20):
        _take_in(f"已有 {i}")
    close_database()
    errors = SPAWN.Queue()
    programs = [
        SPAWN.Process(target=_hammer, args=(str(db_path), kind, 300, errors))
        for kind in ("intake", "moves")
    ]
    codes = _run(programs, 300)
    assert _drain(errors) == []
    assert codes == [0, 0]
    _open(str(db_path))
    assert Case.select().count() == 320
    assert Case.select().where(Case.owner.is_null()).count() < 320


def _start(path: str, start, errors) -> None:
    try:
        start.wait(60)
        _open(path)
    except BaseException:
        errors.put(traceback.format_exc())
        raise


def test_four_pcs_starting_on_a_new_database_at_once(db_path):
    start, errors = SPAWN.Barrier(4), SPAWN.Queue()
    pcs = [SPAWN.Process(target=_start, args=(str(db_path), start, errors)) for _ in range(4)]
    codes = _run(pcs, 120)
    assert _drain(errors) == []
    assert codes == [0] * 4
    from minqing.core.models import SchemaVersion
    from minqing.core.registry.models import Programme
    from minqing.core.storage.migrations import LATEST

    _open(str(db_path))
    assert [v.version for v in SchemaVersion.select()] == [LATEST]
    assert Programme.select().count() == len({p.key for p in Programme.select()})
