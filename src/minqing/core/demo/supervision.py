"""Demo 跟踪监督: a year of callbacks, faults found by checks, and monthly spot-check draws.

Made after the cases, from what their history already says: every satisfaction event becomes
the callback that gave it; late handling, late answers and cases left undone draw a check
with the fault against the owner (not every one: supervision misses some, as in life); each
past month gets a spot-check draw of ten cases closed in it, drawn by the real rule so it
verifies. Each case's choices come from its own random stream, so a top-up adds only the new
cases' records and the same seed gives the same rows.
"""

from __future__ import annotations

import datetime as dt
import random
from contextlib import nullcontext
from typing import Any

from peewee import fn

from minqing.core import settings
from minqing.core.enums import CheckKind, Fault, Satisfaction, Stage
from minqing.core.models import Case, CaseEvent, Community, Setting, Staff, SupervisionCheck
from minqing.core.storage.bulk import insert, sqlite_indexes_deferred
from minqing.core.supervision import services as supervision
from minqing.core.supervision import statindex
from minqing.core.supervision.models import Callback, SpotCheckDraw, SpotCheckItem

DONE_KEY = "demo.supervision_upto"  # the last case id whose records were made
SPOT_SIZE = 10
BY_LABEL = {s.label: s.value for s in Satisfaction}
FINDINGS = {
    Fault.LATE: "定期督促：超过办理时限才办结，已提醒责任人。",
    Fault.NOT_ANSWERED: "定期督促：办结后未及时答复居民，已督促答复。",
    Fault.NOT_HANDLED: "专人督察：社区职责内能办理的事项超期未办，责令限期办结。",
}
SPOT_FINDINGS = [
    "电话抽查，居民确认问题已解决，对办理结果满意。",
    "入户抽查，现场查看已整改到位。",
    "电话抽查，居民表示办理及时、答复清楚。",
]


def add(community: Community, seed: int, reference: dt.date) -> None:
    from minqing.core.demo import DEFER_INDEXES

    upto = Setting.get_or_none(Setting.key == DONE_KEY)
    first = int(upto.value) if upto else 0
    last = Case.select(fn.MAX(Case.id)).where(Case.community == community).scalar() or 0
    staff = Staff.select().where(Staff.community == community)
    checker = next((s.id for s in staff if s.role == "supervisor"), None)
    leaders = [s.id for s in staff if s.role == "leader"] or [checker]
    if last > first:
        callbacks = _callbacks(seed, first, last)
        many = len(callbacks) >= max(DEFER_INDEXES, Callback.select().count())
        with (
            sqlite_indexes_deferred(
                [Callback._meta.table_name], {"callback_latest_insert": statindex.REBUILD}
            )
            if many
            else nullcontext()
        ):
            insert(
                Callback,
                [
                    "case",
                    "called_on",
                    "caller",
                    "method",
                    "satisfaction",
                    "resolved",
                    "note",
                    "created_at",
                ],
                callbacks,
            )
        insert(
            SupervisionCheck,
            [
                "case",
                "kind",
                "checked_on",
                "checker",
                "contact_method",
                "finding",
                "fault",
                "fault_owner",
            ],
            _fault_checks(seed, first, last, reference, checker, leaders),
        )
        settings.put(DONE_KEY, str(last))
    _draws(seed, reference, checker)


def _callbacks(seed: int, first: int, last: int) -> list[tuple[Any, ...]]:
    rows = []
    events = (
        CaseEvent.select(CaseEvent.case, CaseEvent.at, CaseEvent.actor, CaseEvent.new)
        .where((CaseEvent.kind == "satisfaction") & CaseEvent.case.between(first + 1, last))
        .order_by(CaseEvent.id)
        .tuples()
    )
    for case_id, at, actor, label in events:
        rng = random.Random(f"{seed}:callback:{case_id}:{at}")
        level = BY_LABEL.get(label)
        if level is None:
            continue
        unhappy = level == Satisfaction.DISSATISFIED.value
        resolved = (
            not unhappy or rng.random() < 0.3
        )  # 不满意 yet resolved: the manner, not the matter
        method = "电话回访" if rng.random() < 0.8 else "上门回访"
        note = (
            "居民对处理方式有意见" if unhappy and resolved else ("问题仍未解决" if unhappy else "")
        )
        stamp = at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(str(at))
        rows.append((case_id, stamp.date(), actor, method, level, resolved, note, stamp))
    return rows


def _fault_checks(
    seed: int, first: int, last: int, reference: dt.date, checker: int | None, leaders: list[int]
) -> list[tuple[Any, ...]]:
    rows = []
    cases = (
        Case.select(
            Case.id, Case.stage, Case.due_date, Case.handled_on, Case.replied_on, Case.owner
        )
        .where(
            Case.id.between(first + 1, last)
            & Case.owner.is_null(False)
            & Case.due_date.is_null(False)
        )
        .tuples()
    )
    for case_id, stage, due, handled, replied, owner in cases:
        rng = random.Random(f"{seed}:fault:{case_id}")
        fault: Fault | None = None
        day = None
        if handled and handled > due and rng.random() < 0.35:
            fault, day = Fault.LATE, handled
        elif replied and handled and handled <= due < replied and rng.random() < 0.25:
            fault, day = Fault.NOT_ANSWERED, replied
        elif (
            stage == Stage.HANDLING.value
            and due < reference - dt.timedelta(days=5)
            and rng.random() < 0.5
        ):
            fault, day = (
                Fault.NOT_HANDLED,
                min(reference, due + dt.timedelta(days=rng.randint(3, 5))),
            )
        if fault is None or day is None:
            continue
        kind = CheckKind.INSPECTOR if fault == Fault.NOT_HANDLED else CheckKind.PERIODIC
        who = rng.choice(leaders) if kind == CheckKind.INSPECTOR else checker
        rows.append((case_id, kind.value, day, who, "电话", FINDINGS[fault], fault.value, owner))
    return rows


def _draws(seed: int, reference: dt.date, checker: int | None) -> None:
    """One draw per past month not drawn yet, on the 1st of the next month."""

    done = {d for (d,) in SpotCheckDraw.select(SpotCheckDraw.period_from).tuples()}
    month = dt.date(reference.year - 1, reference.month, 1)
    while True:
        nxt = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        if nxt > reference:
            return
        if month not in done:
            _draw(seed, month, nxt, reference, checker, insert)
        month = nxt


def _draw(
    seed: int, month: dt.date, nxt: dt.date, reference: dt.date, checker: int | None, insert: Any
) -> None:
    end = nxt - dt.timedelta(days=1)
    population = supervision.spot_population(month, end)
    if not population:
        return
    key = f"{seed}-{month:%Y-%m}"
    picked = supervision._sample(population, SPOT_SIZE, key)
    draw = SpotCheckDraw.create(
        drawn_at=dt.datetime.combine(nxt, dt.time(9)),
        by=checker,
        period_from=month,
        period_to=end,
        window=None,
        size=SPOT_SIZE,
        seed=key,
        population=len(population),
        population_digest=supervision._digest(population),
        case_ids=",".join(map(str, picked)),
    )
    rng = random.Random(f"{seed}:spot:{month}")
    first_check = SupervisionCheck.select(fn.MAX(SupervisionCheck.id)).scalar() or 0
    insert(
        SupervisionCheck,
        ["case", "kind", "checked_on", "checker", "contact_method", "finding"],
        [
            (
                cid,
                CheckKind.SPOT.value,
                nxt + dt.timedelta(days=rng.randint(1, 6)),
                checker,
                rng.choice(("电话", "入户")),
                rng.choice(SPOT_FINDINGS),
            )
            for cid in picked
        ],
    )
    checks = dict(
        SupervisionCheck.select(SupervisionCheck.case, SupervisionCheck.id)
        .where(SupervisionCheck.id > first_check)
        .tuples()
    )
    insert(
        SpotCheckItem,
        ["draw", "case", "position", "check"],
        [(draw.id, cid, i, checks.get(cid)) for i, cid in enumerate(picked, 1)],
    )
