"""The demo community of the source document: 中和社区 with its people and a year of cases.

`build` makes it in an empty database, or tops up an existing demo to N cases. The same
seed gives the same rows byte for byte: people come from one random stream, and case i from
its own, so a top-up adds exactly the cases a bigger first build would have had. The seed
and reference date are kept in `Setting`, so a later top-up continues the same story.

Rows are generated in Python and inserted in bulk inside one transaction (100,000 cases
with their history take about a minute); the case services are not called per case, but
every case is made exactly as they would make it (see casegen).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from peewee import SqliteDatabase, fn

from minqing.core import community as community_service
from minqing.core import settings
from minqing.core.accounts import services as accounts
from minqing.core.calendar.workdays import load_calendar
from minqing.core.cases import pg_index
from minqing.core.cases.services import format_number
from minqing.core.demo import members as demo_members
from minqing.core.demo import outreach, people
from minqing.core.demo import registry as demo_registry
from minqing.core.demo import supervision as demo_supervision
from minqing.core.demo.casegen import Context, intake_moment, make_case
from minqing.core.demo.casegen import Resident as CaseResident
from minqing.core.demo.texts import WINDOWS
from minqing.core.errors import DomainError
from minqing.core.models import (
    ADDRESS_COLUMNS,
    Case,
    CaseCounter,
    CaseEvent,
    Community,
    DeadlineRule,
    Grid,
    Household,
    MaterialsWait,
    Resident,
    ResidentTag,
    Setting,
    Staff,
    SupervisionCheck,
    Window,
    database_proxy,
    format_address,
    plain_rows,
)
from minqing.core.storage.bulk import insert, sqlite_indexes_deferred

NAME = "中和社区"
DEFAULT_CASES = 2000
DEFAULT_SEED = 1
BATCH = 5000  # cases generated and inserted at a time, to bound memory
DEFER_INDEXES = 20000  # from this many new cases (and the existing), indexes made at the end
GRID_NAMES = [
    "第一",
    "第二",
    "第三",
    "第四",
    "第五",
    "第六",
    "第七",
    "第八",
    "第九",
    "第十",
    "第十一",
    "第十二",
]
SEED_KEY, REFERENCE_KEY, COUNT_KEY = "demo.seed", "demo.reference", "demo.cases"

Progress = Callable[[int, int], None]


@dataclass
class DemoResult:
    community: Community
    created: bool
    seed: int
    reference: dt.date
    added: int
    cases: int


def build(
    cases: int = DEFAULT_CASES,
    seed: int = DEFAULT_SEED,
    reference: dt.date | None = None,
    progress: Progress | None = None,
) -> DemoResult:
    """Create the demo in an empty database, or top the demo up so it holds `cases` cases.

    A top-up keeps the seed and reference date of the first build (they are stored), so the
    added cases are those a bigger first build would have made.
    """
    if cases < 0:
        raise DomainError("cases", "民情数量不能为负数。")
    with _journal_for_a_big_first_build(cases), database_proxy.atomic():
        community = Community.select().order_by(Community.id).first()
        created = community is None
        if community is None:
            reference = reference or dt.date.today()
            community = _create(seed, reference)
        else:
            stored = {
                s.key: s.value
                for s in Setting.select().where(Setting.key.in_([SEED_KEY, REFERENCE_KEY]))
            }
            if community.name != NAME or SEED_KEY not in stored:
                raise DomainError(
                    "community",
                    f"数据库里已有社区“{community.name}”，它不是演示社区。演示数据只能生成在空数据库"
                    "或演示数据库里，请用 --db 指定另一个文件。",
                )
            seed, reference = int(stored[SEED_KEY]), dt.date.fromisoformat(stored[REFERENCE_KEY])
        assert reference is not None
        have = Case.select().where(Case.community == community).count()
        made = int(Setting.get_or_none(Setting.key == COUNT_KEY).value) if not created else 0
        missing = max(0, cases - have)
        if missing:
            loaded = [
                m._meta.table_name for m in (Case, CaseEvent, MaterialsWait, SupervisionCheck)
            ]
            deferred = missing >= max(DEFER_INDEXES, have)
            with (
                pg_index.indexes_deferred(database_proxy.obj, loaded)
                if deferred
                else nullcontext(),
                sqlite_indexes_deferred(loaded) if deferred else nullcontext(),
            ):
                _add_cases(community, seed, reference, range(made, made + missing), progress)
            settings.put(COUNT_KEY, str(made + missing))
        if created:
            demo_registry.add(community, seed, reference)
            demo_members.build_branch(community, seed, reference)
        outreach.add(community, seed, reference)
        demo_supervision.add(community, seed, reference)
        if created:
            accounts.ensure_demo_accounts(community)
    if missing or created:
        from minqing.core.storage.db import refresh_planner_statistics

        refresh_planner_statistics()
    return DemoResult(community, created, seed, reference, missing, have + missing)


@contextmanager
def _journal_for_a_big_first_build(cases: int) -> Iterator[None]:
    """SQLite, a big build into a file without cases: a rollback journal instead of the WAL
    meanwhile. In WAL mode every page of the new file is written twice (to the WAL at the
    commit, then into the file: 2.7 GB each for a million cases, minutes on a busy disk);
    a rollback journal keeps only the pages the build changes among the few that existed,
    so the new pages are written once, and a failure still leaves the file as it was. Only
    when this is the file's only connection (the journal mode can't change otherwise);
    WAL again after."""
    database = database_proxy.obj
    switched = False
    if (
        isinstance(database, SqliteDatabase)
        and cases >= DEFER_INDEXES
        and not database.in_transaction()
        and not Case.select().exists()
    ):
        try:
            (mode,) = database.execute_sql("PRAGMA journal_mode = DELETE").fetchone()
            switched = str(mode).lower() == "delete"
        except Exception:  # another connection holds the file: stay in WAL
            switched = False
    try:
        yield
    finally:
        if switched:
            database.execute_sql("PRAGMA journal_mode = WAL")


# --- the community and its people -------------------------------------------------------------


def _create(seed: int, reference: dt.date) -> Community:
    rng = random.Random(f"{seed}:staff")
    maker = people.PeopleMaker(rng, reference)
    committee = [maker.person(rng.randint(28, 55)) for _ in range(people.GRIDS)]
    grids = [
        community_service.GridSpec(f"{GRID_NAMES[i]}片区", p.name, p.phone)
        for i, p in enumerate(committee)
    ]
    places = (
        "\n".join(
            f"{c}{b}号楼{u}单元楼道"
            for c, b, u in [
                ("中和街21号", 1, 2),
                ("比乐街25号", 1, 1),
                ("永新街46号", 1, 1),
                ("人和街14号", 1, 3),
            ]
        )
        + "\n"
        + "\n".join(f"{name}门口" for name in people.COURTYARD_NAMES[:18])
    )
    community = community_service.create_community(
        NAME,
        "0451-82651234",
        grids,
        mailbox_places=places,
        online_group="218460517",
    )
    Community.update(
        street_office="大成街道办事处",
        address="哈尔滨市南岗区宣化街与大成街交界处",
    ).where(Community.id == community.id).execute()
    grid_staff = [
        g.staff_id for g in Grid.select().where(Grid.community == community).order_by(Grid.sort)
    ]
    Staff.update(role="owner").where(Staff.id.in_(grid_staff)).execute()
    Staff.update(role="leader").where(Staff.id.in_(grid_staff[:2])).execute()  # 书记, 主任
    # The desk and the supervisor have fixed names, so the README's examples and the sign-in
    # hint name people every demo has; their phones still come from the seeded stream.
    for role, name in (("front_desk", "张敏"), ("front_desk", "刘洋"), ("supervisor", "陈静")):
        person = maker.person(rng.randint(25, 50))
        Staff.create(community=community, name=name, phone=person.phone, role=role)
    settings.put(SEED_KEY, str(seed))
    settings.put(REFERENCE_KEY, reference.isoformat())
    _add_people(community, seed, reference)
    return Community.get_by_id(community.id)


def _add_people(community: Community, seed: int, reference: dt.date) -> None:
    homes = people.make_people(seed, reference)
    grid_ids = [g.id for g in Grid.select().where(Grid.community == community).order_by(Grid.sort)]
    created = dt.datetime.combine(reference - dt.timedelta(days=400), dt.time(9))
    first_home = Household.select(fn.MAX(Household.id)).scalar() or 0
    insert(
        Household,
        ["community", "grid", "courtyard", "building", "unit", "door", "note", "created_at"],
        [
            (community.id, grid_ids[h.grid], h.courtyard, h.building, h.unit, h.door, "", created)
            for h in homes
        ],
    )
    home_ids = [
        hid
        for (hid,) in Household.select(Household.id)
        .where(Household.id > first_home)
        .order_by(Household.id)
        .tuples()
    ]
    first_person = Resident.select(fn.MAX(Resident.id)).scalar() or 0
    # The search indexes filled once after the load, not row by row: as triggers, each row
    # was a statement that wrote the FTS indexes a segment of their own to merge (1 s of a
    # demo's 4). The same rows and the same index terms either way.
    with sqlite_indexes_deferred([Resident._meta.table_name]):
        insert(
            Resident,
            [
                "household",
                "name",
                "initials",
                "phone",
                "id_number",
                "gender",
                "status",
                "note",
                "created_at",
            ],
            [
                (hid, p.name, p.initials, p.phone, p.id_number, p.gender, "active", "", created)
                for hid, h in zip(home_ids, homes, strict=True)
                for p in h.people
            ],
        )
    person_ids = [
        rid
        for (rid,) in Resident.select(Resident.id)
        .where(Resident.id > first_person)
        .order_by(Resident.id)
        .tuples()
    ]
    everyone = [p for h in homes for p in h.people]
    insert(
        ResidentTag,
        ["resident", "tag"],
        [(rid, t) for rid, p in zip(person_ids, everyone, strict=True) for t in p.tags],
    )


# --- cases ------------------------------------------------------------------------------------


def _context(community: Community, reference: dt.date) -> Context:
    windows = [
        (w.id, WINDOWS[w.name])
        for w in Window.select().order_by(Window.sort, Window.id)
        if w.name in WINDOWS and w.active
    ]
    staff = list(Staff.select().where(Staff.community == community).order_by(Staff.id))
    grids = list(Grid.select().where(Grid.community == community).order_by(Grid.sort))
    grid_index = {g.id: i for i, g in enumerate(grids)}
    homes = {
        hid: (format_address(yard, block, unit, door), grid_index.get(grid_id, 0))
        for hid, yard, block, unit, door, grid_id in plain_rows(
            Household.select(
                Household.id,
                *ADDRESS_COLUMNS,
                Household.grid,
            )
            .where(Household.community == community)
            .order_by(Household.id)
        )
    }
    residents = [
        CaseResident(rid, name, phone, hid, *homes[hid])
        for rid, name, phone, hid in plain_rows(
            Resident.select(Resident.id, Resident.name, Resident.phone, Resident.household)
            .join(Household)
            .where((Household.community == community) & (Resident.status == "active"))
            .order_by(Resident.id)
        )
    ]
    places = [
        CaseResident(None, "", "", hid, address, grid) for hid, (address, grid) in homes.items()
    ]
    return Context(
        community_id=community.id,
        reference=reference,
        calendar=load_calendar(),
        windows=windows,
        rules={(r.window_id, r.disposition): r.days for r in DeadlineRule.select()},
        names={s.id: s.name for s in staff},
        front_desk=[s.id for s in staff if s.role == "front_desk"],
        leaders=[s.id for s in staff if s.role == "leader"],
        grid_staff=[g.staff_id for g in grids],
        supervisor=next(s.id for s in staff if s.role == "supervisor"),
        residents=residents,
        places=places,
    )


CASE_COLUMNS = [
    "community",
    "year",
    "seq",
    "number",
    "channel",
    "resident",
    "household",
    "contact_name",
    "contact_phone",
    "address",
    "window",
    "text",
    "urgent",
    "first_responder",
    "owner",
    "disposition",
    "materials_needed",
    "escalated_to",
    "escalation_days",
    "return_reason",
    "promised_date",
    "stage",
    "taken_at",
    "intake_date",
    "started_on",
    "due_date",
    "follow_up_date",
    "outcome",
    "handled_on",
    "reply_method",
    "reply_text",
    "replied_on",
    "posted_on",
    "satisfaction",
    "reopen_count",
    "closed_at",
    "version",
    "updated_at",
]


def _add_cases(
    community: Community,
    seed: int,
    reference: dt.date,
    indices: Sequence[int],
    progress: Progress | None,
) -> None:
    """Number the new cases in intake order after the existing ones, then make them in batches."""
    ctx = _context(community, reference)
    with _makers(ctx, seed, len(indices)) as make:
        chunks = [indices[s : s + MOMENTS] for s in range(0, len(indices), MOMENTS)]
        order = sorted(pair for chunk in make(_moments, chunks) for pair in chunk)
        last = {
            c.year: c.last for c in CaseCounter.select().where(CaseCounter.community == community)
        }
        numbered: list[tuple[int, int, int]] = []
        for moment, i in order:
            year = moment.year
            last[year] = last.get(year, 0) + 1
            numbered.append((i, year, last[year]))
        del order
        for year, value in last.items():
            counter, _ = CaseCounter.get_or_create(community=community, year=year)
            CaseCounter.update(last=value).where(CaseCounter.id == counter.id).execute()
        batches = [numbered[s : s + BATCH] for s in range(0, len(numbered), BATCH)]
        done = 0
        for made in make(_made_batch, batches):
            first = Case.select(fn.MAX(Case.id)).scalar() or 0
            insert(Case, CASE_COLUMNS, [m[0] for m in made])
            number = CASE_COLUMNS.index("number")
            ids = dict(Case.select(Case.number, Case.id).where(Case.id > first).tuples())
            case_ids = [ids[m[0][number]] for m in made]
            insert(
                CaseEvent,
                ["case", "at", "actor", "actor_name", "kind", "field", "old", "new", "note"],
                [(cid, *e) for cid, m in zip(case_ids, made, strict=True) for e in m[1]],
            )
            insert(
                MaterialsWait,
                ["case", "materials", "requested_on", "received_on"],
                [(cid, *w) for cid, m in zip(case_ids, made, strict=True) for w in m[2]],
            )
            insert(
                SupervisionCheck,
                ["case", "kind", "checked_on", "checker", "contact_method", "finding"],
                [(cid, *k) for cid, m in zip(case_ids, made, strict=True) for k in m[3]],
            )
            done += len(made)
            if progress:
                progress(done, len(numbered))


# --- making cases in other processes -----------------------------------------------------------

PARALLEL_FROM = 50_000  # new cases from which other processes make them, where that is safe
MAKERS = 4  # at most this many processes (at most one per CPU)
AHEAD = 2  # batches handed to each process ahead of the one being written
MOMENTS = 20_000  # intake moments drawn per task
_state: tuple[Context, int] | None = None  # what a maker works from: set before the fork

MadeRows = tuple[
    tuple[Any, ...], list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]
]


def _moments(chunk: Sequence[int]) -> list[tuple[dt.datetime, int]]:
    assert _state is not None
    ctx, seed = _state
    return [(intake_moment(ctx, seed, i), i) for i in chunk]


def _made_batch(batch: Sequence[tuple[int, int, int]]) -> list[MadeRows]:
    """The rows of numbered cases (index, year, seq): the case's values, its events, waits and
    checks, as plain tuples (they travel back from a maker process)."""
    assert _state is not None
    ctx, seed = _state
    rows = []
    for i, year, seq in batch:
        item = make_case(ctx, seed, i)
        item.case.update(year=year, seq=seq, number=format_number(year, seq))
        rows.append(
            (tuple(item.case[c] for c in CASE_COLUMNS), item.events, item.waits, item.checks)
        )
    return rows


def _maker_count(cases: int) -> int:
    """Processes to make `cases` in: none (this one does) for a small load, on Windows or in
    a packaged program (no fork: a new process would start the program again), or off the
    main thread (the window builds its demo in a worker thread; forking a threaded Qt
    program is not safe)."""
    if cases < PARALLEL_FROM or getattr(sys, "frozen", False):
        return 0
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    if threading.current_thread() is not threading.main_thread():
        return 0
    return min(MAKERS, os.cpu_count() or 1)


@contextmanager
def _makers(ctx: Context, seed: int, cases: int) -> Iterator[Callable[..., Iterator[Any]]]:
    """`make(function, items)`: the function's results for the items, in order. For a big
    load the items are worked on in forked processes while this one writes (a million cases
    take about 150 s of one CPU to make): each case comes from its own random stream, so
    which process makes it changes nothing. A few batches ahead at most, to bound memory."""
    global _state
    _state = (ctx, seed)
    makers = _maker_count(cases)
    pool = multiprocessing.get_context("fork").Pool(makers) if makers else None

    def make(function: Callable[[Any], Any], items: Sequence[Any]) -> Iterator[Any]:
        if pool is None:
            yield from map(function, items)
            return
        pending: deque[Any] = deque()
        for item in items:
            pending.append(pool.apply_async(function, (item,)))
            if len(pending) > makers * AHEAD:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()

    try:
        yield make
    finally:
        _state = None
        if pool is not None:
            pool.terminate()
            pool.join()
