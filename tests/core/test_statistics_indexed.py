"""The statistics read off indexes (SQLite, whole office) equal the direct queries on random
histories: cases at random stages and dates, callbacks added, changed and deleted,
intake dates corrected — so the callback_latest triggers and the index expressions are checked too."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from minqing.core import community
from minqing.core.cases import services as cases
from minqing.core.enums import Channel, Disposition, Satisfaction, Stage
from minqing.core.models import Case, Grid, Household, Staff, Window, database_proxy
from minqing.core.supervision import statistics
from minqing.core.supervision.models import Callback

D = dt.date
START = D(2026, 1, 1)

day = st.integers(0, 60).map(lambda n: START + dt.timedelta(days=n))
maybe_day = st.one_of(st.none(), day)
case_rows = st.lists(
    st.fixed_dictionaries(
        {
            "intake": day,
            "stage": st.sampled_from([s.value for s in Stage]),
            "due_date": maybe_day,
            "replied_on": maybe_day,
            "handled_on": maybe_day,
            "reopen_count": st.integers(0, 2),
            "disposition": st.one_of(st.none(), st.sampled_from([d.value for d in Disposition])),
            "channel": st.sampled_from([c.value for c in Channel]),
            "window": st.sampled_from(["城建城管", "司法调解", "民政"]),
            "owner": st.sampled_from([None, "李红", "赵刚"]),
            "home": st.integers(-1, 2),
            "callbacks": st.lists(
                st.tuples(
                    st.one_of(st.none(), st.sampled_from([s.value for s in Satisfaction])),
                    st.booleans(),
                ),
                max_size=3,
            ),
            "change_last": st.booleans(),
            "drop_first": st.booleans(),
        }
    ),
    min_size=1,
    max_size=12,
)


@pytest.mark.sqlite_only
@settings(
    max_examples=30,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=case_rows,
    start=day,
    length=st.integers(0, 60),
    as_of=day,
    move_first=st.booleans(),
)
def test_indexed_statistics_equal_the_direct_ones(office, rows, start, length, as_of, move_first):
    clerk = Staff.get(Staff.name == "张敏")
    grid = Grid.get(Grid.name == "第一片区")
    homes = [
        Household.create(
            community=office,
            grid=grid if i else None,
            courtyard="中和街21号",
            building=str(i),
            door=str(Household.select().count() + 1),
        )
        for i in range(3)
    ]
    made = []
    for row in rows:
        window = Window.get_or_none(Window.name == row["window"]) or community.find_window(
            "城建城管"
        )
        case = cases.take_in(
            channel="hotline",
            text="测试",
            window=window,
            first_responder=clerk,
            contact_name="王",
            taken_at=dt.datetime.combine(row["intake"], dt.time(9)),
        ).case
        owner = Staff.get(Staff.name == row["owner"]) if row["owner"] else None
        Case.update(
            stage=row["stage"],
            due_date=row["due_date"],
            replied_on=row["replied_on"],
            handled_on=row["handled_on"],
            reopen_count=row["reopen_count"],
            disposition=row["disposition"],
            channel=row["channel"],
            owner=owner,
            household=homes[row["home"]] if row["home"] >= 0 else None,
        ).where(Case.id == case.id).execute()
        calls = [
            Callback.create(case=case, called_on=row["intake"], satisfaction=s, resolved=r)
            for s, r in row["callbacks"]
        ]
        if calls and row["change_last"]:
            Callback.update(satisfaction="satisfied", resolved=True).where(
                Callback.id == calls[-1].id
            ).execute()
        if len(calls) > 1 and row["drop_first"]:
            Callback.delete().where(Callback.id == calls[-1].id).execute()
        made.append(case)
    if move_first:  # history is append-only, so cases are never deleted; dates can be corrected
        Case.update(intake_date=START).where(Case.id == made[0].id).execute()
    period = statistics.StatsFilter(start, start + dt.timedelta(days=length), as_of=as_of)
    assert statistics._indexed(period)
    fast = statistics.compute(period).to_dict()
    slow = statistics.compute(period, direct=True).to_dict()
    for key in ("by_channel", "by_window", "by_disposition", "by_stage", "by_grid", "by_owner"):
        fast[key], slow[key] = sorted(fast[key]), sorted(slow[key])  # ties may come in any order
    assert fast == slow


@pytest.mark.sqlite_only
def test_the_indexed_path_reads_indexes(office):
    period = statistics.StatsFilter(D(2026, 1, 1), D(2026, 12, 31))
    plan = " ".join(
        str(r)
        for r in database_proxy.obj.execute_sql(
            f'EXPLAIN QUERY PLAN SELECT {statistics.statindex.FLAGS}, COUNT(*) FROM "case" '
            "INDEXED BY case_stat_flags WHERE intake_date >= ? AND intake_date <= ? "
            f"GROUP BY {statistics.statindex.FLAGS}",
            [period.date_from.isoformat(), period.date_to.isoformat()],
        )
    )
    assert "INDEX case_stat_flags" in plan and "TEMP B-TREE" not in plan  # no sort
