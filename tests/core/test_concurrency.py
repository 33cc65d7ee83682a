"""Two desks registering at the same moment never get the same number."""

from __future__ import annotations

import multiprocessing

from minqing.core.db import close_database
from minqing.core.models import Case, CaseCounter, Staff


def _register(path: str, count: int, label: str) -> None:
    from minqing.core import cases, community
    from minqing.core.db import open_database

    open_database(path, daily_backup=False)
    clerk = Staff.get(Staff.name == "张敏")
    window = community.find_window("综合治理")
    for i in range(count):
        cases.take_in(
            channel="walk_in", text=f"{label} 第{i}件", window=window,
            first_responder=clerk, contact_name="匿名",
        )


def test_parallel_intake_gives_distinct_contiguous_numbers(db_path, office):
    close_database()
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_register, args=(str(db_path), 15, f"桌{n}")) for n in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    from minqing.core.db import open_database

    open_database(db_path)
    seqs = sorted(s for (s,) in Case.select(Case.seq).tuples())
    assert seqs == list(range(1, 61))
    assert len({n for (n,) in Case.select(Case.number).tuples()}) == 60
    assert CaseCounter.get().last == 60
