"""跟踪监督: checks on a case (periodic, spot check or inspector) with any fault found, callbacks
to the resident, and random spot-check draws.

A fault names who is answerable for it — by default the case's owner — so the statistics can
count 能办未办 / 超时办理 / 未及时答复 per staff member. A callback's verdict stands on the case:
不满意 or “not resolved” sends it back to handling. A spot-check draw records its seed and a
digest of the population it drew from, so anyone can redo it and see the same cases.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import secrets
from dataclasses import dataclass
from typing import Any

from peewee import JOIN, fn

from minqing.core import validate
from minqing.core.accounts import permissions
from minqing.core.cases import stage_actions
from minqing.core.cases.history import CaseChange, Recorder, load_case, lookup
from minqing.core.cases.queries import by_due_date
from minqing.core.cases.services import move, record_satisfaction, reopen
from minqing.core.cases.stage_actions import guard
from minqing.core.enums import CheckKind, Fault, Satisfaction, Stage
from minqing.core.errors import DomainError, NotFound
from minqing.core.models import Case, Staff, SupervisionCheck, Window, database_proxy
from minqing.core.supervision.models import Callback, SpotCheckDraw, SpotCheckItem


def _parse(enum: Any, value: Any, field: str, label: str) -> Any:
    try:
        return enum.parse(value.value if isinstance(value, enum) else str(value))
    except ValueError:
        choices = "、".join(item.label for item in enum)
        raise DomainError(field, f"{label}应为：{choices}。") from None


def record_check(
    case: Case | str | int,
    kind: CheckKind | str,
    finding: str,
    *,
    checked_on: dt.date | str | None = None,
    checker: Staff | int | None = None,
    contact_method: str = "",
    fault: Fault | str | None = None,
    fault_owner: Staff | int | None = None,
    actor: Staff | None = None,
    expected_version: int | None = None,
) -> CaseChange:
    permissions.require(actor, "check.record")
    if kind in (None, ""):
        raise DomainError("kind", "请选择督查方式（定期督促、随机抽查或专人督察）。")
    check_kind = _parse(CheckKind, kind, "kind", "督查方式")
    text = validate.required_text("finding", finding, "督查情况", 2000)
    day = validate.date_value("checked_on", checked_on, "督查日期") or dt.date.today()
    method = validate.optional_text("contact_method", contact_method, "回访方式", 40)
    fault_kind = _parse(Fault, fault, "fault", "问题类型") if fault not in (None, "") else None
    with database_proxy.atomic():
        row = load_case(case, expected_version)
        guard(row, actor, "check")
        validate.not_before("checked_on", day, row.intake_date, "督查日期", "受理日期")
        if day > dt.date.today():
            raise DomainError("checked_on", "督查日期不能晚于今天。")
        who = lookup(Staff, checker, "checker", required=False) or actor
        answerable = None
        if fault_kind is not None:
            answerable = lookup(Staff, fault_owner, "fault_owner", required=False) or row.owner
            if answerable is None:
                raise DomainError("fault_owner", "发现问题时请选择问题责任人。")
        check = SupervisionCheck.create(
            case=row,
            kind=check_kind.value,
            checked_on=day,
            checker=who,
            contact_method=method,
            finding=text,
            fault=fault_kind.value if fault_kind else None,
            fault_owner=answerable,
        )
        if check_kind == CheckKind.SPOT:
            SpotCheckItem.update(check=check).where(
                (SpotCheckItem.case == row.id) & SpotCheckItem.check.is_null()
            ).execute()
        rec = Recorder(row, actor)
        note = f"{check_kind.label}：{text}"
        if fault_kind is not None and answerable is not None:
            note += f"（问题：{fault_kind.label}，责任人 {answerable.name}）"
        rec.event("check", "", None, check_kind.label, note)
        events = rec.save(expected_version)
    return CaseChange(row, events)


CALLBACK_METHODS = list(stage_actions.CALLBACK_METHODS)


def record_callback(
    case: Case | str | int,
    satisfaction: Satisfaction | str | None,
    resolved: bool,
    *,
    method: str = "电话回访",
    called_on: dt.date | str | None = None,
    caller: Staff | int | None = None,
    note: str = "",
    close: bool = True,
    actor: Staff | None = None,
    expected_version: int | None = None,
) -> CaseChange:
    """回访: the resident's verdict. 不满意 or unresolved reopens; satisfied and resolved closes."""
    permissions.require(actor, "callback.record")
    level = _parse(Satisfaction, satisfaction, "satisfaction", "满意度") if satisfaction else None
    day = validate.date_value("called_on", called_on, "回访日期") or dt.date.today()
    how = validate.optional_text("method", method, "回访方式", 40)
    remark = validate.optional_text("note", note, "回访情况", 1000)
    with database_proxy.atomic():
        row = load_case(case, expected_version)
        guard(row, actor, "callback")
        if row.replied_on is None and Stage(row.stage) not in (Stage.SUPERVISION, Stage.CLOSED):
            raise DomainError("stage", f"民情 {row.number} 还没有答复居民，暂时不能回访。")
        if row.replied_on is not None:
            validate.not_before("called_on", day, row.replied_on, "回访日期", "答复日期")
        if day > dt.date.today():
            raise DomainError("called_on", "回访日期不能晚于今天。")
        who = lookup(Staff, caller, "caller", required=False) or actor
        Callback.create(
            case=row,
            called_on=day,
            caller=who,
            method=how,
            satisfaction=level.value if level else None,
            resolved=bool(resolved),
            note=remark,
        )
        rec = Recorder(row, actor)
        verdict = level.label if level else "未表态"
        text = f"{how or '回访'}：{verdict}，{'问题已解决' if resolved else '问题未解决'}"
        rec.event("callback", "", None, verdict, text + (f"。{remark}" if remark else ""))
        events = rec.save(expected_version)
        if level is not None:
            change = record_satisfaction(row, level, actor=actor, note=remark or "回访：居民不满意")
            row, events = change.case, events + change.events
        if Stage(row.stage) != Stage.HANDLING and not resolved:
            change = reopen(row, reason=remark or "回访：居民反映问题未解决", actor=actor)
            row, events = change.case, events + change.events
        good = level in (Satisfaction.SATISFIED, Satisfaction.FAIRLY)
        if close and good and resolved and Stage(row.stage) == Stage.SUPERVISION:
            change = move(row, Stage.CLOSED, actor=actor)
            row, events = change.case, events + change.events
    return CaseChange(row, events)


# --- 随机抽查 -----------------------------------------------------------------------------------


def spot_population(
    period_from: dt.date,
    period_to: dt.date,
    window: int | None = None,
    *,
    as_drawn: SpotCheckDraw | None = None,
) -> list[int]:
    """Cases closed in the period and never drawn before; `as_drawn`: as they stood at that draw."""
    start = dt.datetime.combine(period_from, dt.time())
    end = dt.datetime.combine(period_to + dt.timedelta(days=1), dt.time())
    drawn = SpotCheckItem.select(SpotCheckItem.case)
    where = (Case.closed_at >= start) & (Case.closed_at < end)
    if as_drawn is None:
        where &= Case.stage == Stage.CLOSED.value
    else:
        drawn = drawn.where(SpotCheckItem.draw < as_drawn.id)
        mine = SpotCheckItem.select(SpotCheckItem.case).where(SpotCheckItem.draw == as_drawn.id)
        where = (where & (Case.closed_at <= as_drawn.drawn_at)) | Case.id.in_(mine)
    where &= Case.id.not_in(drawn)
    if window:
        where &= Case.window == window
    return [cid for (cid,) in Case.select(Case.id).where(where).order_by(Case.id).tuples()]


def _digest(ids: list[int]) -> str:
    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()


def _sample(ids: list[int], size: int, seed: str) -> list[int]:
    return random.Random(f"minqing-spot-check:{seed}").sample(ids, min(size, len(ids)))


def draw_spot_check(
    size: int,
    period_from: dt.date | str,
    period_to: dt.date | str,
    *,
    window: int | None = None,
    seed: str | None = None,
    by: Staff | int | None = None,
) -> SpotCheckDraw:
    permissions.require(by if isinstance(by, Staff) else None, "spot_check.draw")
    """随机抽查: draw `size` cases closed in the period, none drawn before; the draw is recorded."""
    if not isinstance(size, int) or size < 1 or size > 500:
        raise DomainError("size", "抽查数量应为 1 到 500 之间的整数。")
    start = validate.date_value("period_from", period_from, "办结日期从")
    end = validate.date_value("period_to", period_to, "办结日期到")
    if start is None or end is None:
        raise DomainError("period_from", "请填写抽查的办结日期范围。")
    validate.not_before("period_to", end, start, "办结日期到", "办结日期从")
    seed = str(seed) if seed not in (None, "") else str(secrets.randbelow(10**12))
    with database_proxy.atomic():
        who = lookup(Staff, by, "by", required=False)
        population = spot_population(start, end, window)
        if not population:
            raise DomainError("period_from", "这段时间没有可抽查的已办结民情（已抽过的不再抽）。")
        picked = _sample(population, size, seed)
        draw = SpotCheckDraw.create(
            by=who,
            period_from=start,
            period_to=end,
            window=window,
            size=size,
            seed=seed,
            population=len(population),
            population_digest=_digest(population),
            case_ids=",".join(map(str, picked)),
        )
        SpotCheckItem.insert_many(
            [{"draw": draw.id, "case": cid, "position": i} for i, cid in enumerate(picked, 1)]
        ).execute()
    return draw


def drawn_ids(draw: SpotCheckDraw) -> list[int]:
    return [int(x) for x in draw.case_ids.split(",") if x]


def verify_draw(draw: SpotCheckDraw | int) -> bool:
    """Redo a draw from its seed: True when the population and the cases picked are the same.

    Cases closed after the draw are left out; a case reopened since then has no closing time
    and is missed, so a draw over a period with reopened cases may no longer verify.
    """
    row = draw if isinstance(draw, SpotCheckDraw) else SpotCheckDraw.get_by_id(draw)
    population = spot_population(row.period_from, row.period_to, row.window_id, as_drawn=row)
    same = _digest(population) == row.population_digest
    return same and _sample(population, row.size, row.seed) == drawn_ids(row)


# --- what the supervision panel lists ---------------------------------------------------------


@dataclass
class DueRow:
    """A case to check or call back, as the supervision panel lists it."""

    id: int
    number: str
    stage: Stage
    window: str
    owner: str
    text: str
    due_date: dt.date | None
    replied_on: dt.date | None
    last_checked: dt.date | None


def _due_rows(where: Any, order: list[Any], limit: int) -> list[DueRow]:
    last = SupervisionCheck.select(fn.MAX(SupervisionCheck.checked_on)).where(
        SupervisionCheck.case == Case.id
    )
    query = (
        Case.select(
            Case.id,
            Case.number,
            Case.stage,
            Window.name,
            Staff.name,
            Case.text,
            Case.due_date,
            Case.replied_on,
            last.alias("last"),
        )
        .join(Window, on=(Case.window == Window.id))
        .switch(Case)
        .join(Staff, JOIN.LEFT_OUTER, on=(Case.owner == Staff.id))
        .where(where)
        .order_by(*order)
        .limit(limit)
        .tuples()
    )
    return [
        DueRow(i, n, Stage(s), w, o or "", t, _as_date(d), _as_date(r), _as_date(c))
        for i, n, s, w, o, t, d, r, c in query
    ]


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def due_for_check(today: dt.date | None = None, days: int = 3, limit: int = 500) -> list[DueRow]:
    """定期督促: cases being handled (or handled, not answered) due within `days` or overdue."""
    today = today or dt.date.today()
    where = (
        Case.stage.in_([Stage.HANDLING.value, Stage.FEEDBACK.value])
        & Case.due_date.is_null(False)
        & (Case.due_date <= today + dt.timedelta(days=days))
    )
    return _due_rows(where, [by_due_date(), Case.id], limit)


def awaiting_callback(limit: int = 500) -> list[DueRow]:
    """回访待办: answered cases in supervision with no callback since the answer."""
    since = Callback.select(Callback.case).where(
        (Callback.case == Case.id) & (Callback.called_on >= Case.replied_on)
    )
    where = (Case.stage == Stage.SUPERVISION.value) & ~fn.EXISTS(since)
    return _due_rows(where, [Case.replied_on, Case.id], limit)


@dataclass
class Record:
    """A check or a callback done, newest first in the panel."""

    day: dt.date
    kind: str
    case_id: int
    number: str
    who: str
    method: str
    finding: str
    fault: str
    fault_owner: str


def recent_records(limit: int = 300) -> list[Record]:
    owner = Staff.alias()
    checks = (
        SupervisionCheck.select(
            SupervisionCheck.checked_on,
            SupervisionCheck.kind,
            Case.id,
            Case.number,
            Staff.name,
            SupervisionCheck.contact_method,
            SupervisionCheck.finding,
            SupervisionCheck.fault,
            owner.name,
        )
        .join(Case)
        .switch(SupervisionCheck)
        .join(Staff, JOIN.LEFT_OUTER, on=(SupervisionCheck.checker == Staff.id))
        .switch(SupervisionCheck)
        .join(owner, JOIN.LEFT_OUTER, on=(SupervisionCheck.fault_owner == owner.id))
        .order_by(SupervisionCheck.checked_on.desc(), SupervisionCheck.id.desc())
        .limit(limit)
        .tuples()
    )
    out = [
        Record(
            _as_date(d) or dt.date.min,
            CheckKind(k).label,
            cid,
            n,
            who or "",
            m,
            f,
            Fault(fault).label if fault else "",
            fo or "",
        )
        for d, k, cid, n, who, m, f, fault, fo in checks
    ]
    calls = (
        Callback.select(
            Callback.called_on,
            Case.id,
            Case.number,
            Staff.name,
            Callback.method,
            Callback.satisfaction,
            Callback.resolved,
            Callback.note,
        )
        .join(Case)
        .switch(Callback)
        .join(Staff, JOIN.LEFT_OUTER, on=(Callback.caller == Staff.id))
        .order_by(Callback.called_on.desc(), Callback.id.desc())
        .limit(limit)
        .tuples()
    )
    for d, cid, n, who, m, sat, resolved, note in calls:
        verdict = Satisfaction(sat).label if sat else "未表态"
        finding = f"{verdict}，{'已解决' if resolved else '未解决'}" + (f"。{note}" if note else "")
        out.append(
            Record(_as_date(d) or dt.date.min, "回访", cid, n, who or "", m, finding, "", "")
        )
    out.sort(key=lambda r: r.day, reverse=True)
    return out[:limit]


def case_checks(case_id: int) -> list[SupervisionCheck]:
    """A case's supervision checks, oldest first (the detail panel's 督查记录)."""
    return list(
        SupervisionCheck.select()
        .where(SupervisionCheck.case == case_id)
        .order_by(SupervisionCheck.checked_on, SupervisionCheck.id)
    )


def recent_draws(limit: int = 60) -> list[SpotCheckDraw]:
    return list(SpotCheckDraw.select().order_by(SpotCheckDraw.id.desc()).limit(limit))


def get_draw(draw_id: int) -> SpotCheckDraw:
    draw = SpotCheckDraw.get_or_none(SpotCheckDraw.id == draw_id)
    if draw is None:
        raise NotFound(f"找不到这次抽查（编号 {draw_id}）。")
    return draw


@dataclass
class DrawnCase:
    position: int
    case_id: int
    number: str
    window: str
    owner: str
    result: str  # the check's date and finding, or 待抽查
    fault: bool  # the check found a fault


def draw_items(draw: SpotCheckDraw | int) -> list[DrawnCase]:
    """The cases one draw picked, in drawing order, with what their check found."""
    rows = (
        SpotCheckItem.select(SpotCheckItem, Case)
        .join(Case)
        .where(SpotCheckItem.draw == draw)
        .order_by(SpotCheckItem.position)
    )
    result = []
    for it in rows:
        check = it.check
        result.append(
            DrawnCase(
                it.position,
                it.case_id,
                it.case.number,
                it.case.window.name,
                it.case.owner.name if it.case.owner_id else "未指定",
                f"{check.checked_on.isoformat()} {check.finding}" if check else "待抽查",
                bool(check and check.fault),
            )
        )
    return result
