"""Demo cases: each one's whole life simulated step by step, as the case services would record it.

Case i of a seed is drawn from its own random stream, so it is the same whichever run makes
it; the services' rules are followed literally (what each step requires, how deadlines are
counted, which events each call appends and how each bumps the version). Nothing here
writes to the database: `make_case` returns plain values for a bulk insert.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from minqing.core.calendar.workdays import WorkCalendar
from minqing.core.cases import deadlines
from minqing.core.cases.deadlines import DEFAULT_DAYS
from minqing.core.demo.texts import (
    ESCALATED_OUTCOME,
    FINDINGS,
    REOPEN_REASONS,
    REPLY_TEMPLATES,
    RETURN_OUTCOME,
    REWORK_OUTCOME,
    Topic,
    WindowTexts,
)
from minqing.core.enums import Channel, CheckKind, Disposition, ReplyMethod, Satisfaction, Stage

CHANNEL_WEIGHTS = {
    Channel.WALK_IN: 25,
    Channel.HOTLINE: 22,
    Channel.CONTACT_CARD: 12,
    Channel.MAILBOX: 10,
    Channel.HOME_VISIT: 10,
    Channel.INFORMANT: 7,
    Channel.ONLINE_GROUP: 6,
    Channel.RECEPTION: 5,
    Channel.DIARY: 3,
}
# The disposition fields as take_in leaves them when no disposition is given yet.
EMPTY_VALUES: dict[str, Any] = {
    "materials_needed": "",
    "escalated_to": "",
    "escalation_days": None,
    "return_reason": "",
    "promised_date": None,
}
DISPOSITIONS = list(Disposition)  # the order of WindowTexts.dispositions
LABELS: dict[str, str] = {}
for _enum in (Stage, Disposition, Channel, ReplyMethod, Satisfaction):
    for _item in _enum:
        LABELS.setdefault(_item.value, _item.label)


def show(value: Any) -> str:
    """The history's text for a value, as case_history.show_value writes it."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    return LABELS.get(str(value), str(value))


@dataclass
class Resident:
    id: int | None
    name: str
    phone: str
    household_id: int | None
    address: str
    grid: int


@dataclass
class Context:
    """What every case draws on, loaded once."""

    community_id: int
    reference: dt.date  # the demo's "today": everything happens before it
    calendar: WorkCalendar
    windows: list[tuple[int, WindowTexts]]
    rules: dict[tuple[int | None, str], int]
    names: dict[int, str]
    front_desk: list[int]
    leaders: list[int]
    grid_staff: list[int]
    supervisor: int
    residents: list[Resident]
    places: list[Resident]  # household addresses, for cases of people who aren't registered

    @property
    def now(self) -> dt.datetime:
        return dt.datetime.combine(self.reference, dt.time())

    def rule_days(self, window_id: int, disposition: Disposition) -> int:
        """deadlines.rule_days, from rules loaded once."""
        if (window_id, disposition.value) in self.rules:
            return self.rules[(window_id, disposition.value)]
        return self.rules.get((None, disposition.value), DEFAULT_DAYS[disposition])


@dataclass
class Made:
    case: dict[str, Any]
    events: list[tuple[Any, ...]] = field(
        default_factory=list
    )  # at, actor, name, kind, field, old, new, note
    waits: list[tuple[str, dt.date, dt.date | None]] = field(default_factory=list)
    checks: list[tuple[str, dt.date, int, str, str]] = field(default_factory=list)


class _Life:
    def __init__(self, ctx: Context, rng: random.Random) -> None:
        self.ctx = ctx
        self.rng = rng
        self.cal = ctx.calendar
        self.c: dict[str, Any] = {}
        self.made = Made(self.c)
        self.pending = False

    # --- recording, as case_history.Recorder does -------------------------------------------------
    def event(
        self,
        at: dt.datetime,
        actor: int,
        kind: str,
        fld: str = "",
        old: Any = None,
        new: Any = None,
        note: str = "",
    ) -> None:
        self.made.events.append(
            (at, actor, self.ctx.names[actor], kind, fld, show(old), show(new), note)
        )
        self.pending = True

    def set(
        self,
        at: dt.datetime,
        actor: int,
        name: str,
        value: Any,
        kind: str = "",
        display: Any = None,
        quiet: bool = False,
    ) -> None:
        old = self.c.get(name)
        if old == value or (old in (None, "") and value in (None, "")):
            return
        old_display = self.ctx.names[old] if name == "owner" and old else old
        self.c[name] = value
        if quiet:
            self.pending = True
        else:
            self.event(at, actor, kind, name, old_display, value if display is None else display)

    def save(self, at: dt.datetime) -> None:
        if self.pending:
            self.c["version"] += 1
            self.c["updated_at"] = at
            self.pending = False

    # --- time -------------------------------------------------------------------------------
    def workday(self, day: dt.date) -> dt.date:
        while not self.cal.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    def clock(self, day: dt.date, start: float = 8.0, end: float = 17.0) -> dt.datetime:
        minutes = self.rng.randint(int(start * 60), int(end * 60))
        return dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes)

    def later(self, t: dt.datetime, lo: int, hi: int) -> dt.datetime:
        """A few minutes to hours after t, moved to the next working morning after office hours."""
        out = t + dt.timedelta(minutes=self.rng.randint(lo, hi))
        if out.hour >= 17 or not self.cal.is_workday(out.date()) or out.date() != t.date():
            out = self.clock(self.workday(t.date() + dt.timedelta(days=1)), 8.0, 10.0)
        return out

    def on_or_after(self, day: dt.date, t: dt.datetime) -> dt.datetime:
        out = self.clock(day)
        return out if out > t else t + dt.timedelta(minutes=self.rng.randint(20, 120))

    # --- deadlines, as deadlines.compute counts them ----------------------------------------
    def deadlines(self) -> tuple[dt.date | None, dt.date | None]:
        c = self.c
        if not c["disposition"]:
            return None, None
        disposition = Disposition(c["disposition"])
        return deadlines.dates_for(
            disposition,
            c["started_on"],
            self.ctx.rule_days(c["window"], disposition),
            urgent=c["urgent"],
            escalation_days=c["escalation_days"],
            promised_date=c["promised_date"],
            pauses=[(a, b) for _, a, b in self.made.waits],
            calendar=self.cal,
        )

    def refresh_deadlines(self, at: dt.datetime, actor: int) -> None:
        due, follow_up = self.deadlines()
        self.set(at, actor, "due_date", due, "deadline")
        self.set(at, actor, "follow_up_date", follow_up, "deadline")


def _responder(ctx: Context, rng: random.Random, channel: Channel, grid: int) -> int:
    if channel in (Channel.HOTLINE, Channel.CONTACT_CARD, Channel.HOME_VISIT, Channel.INFORMANT):
        return ctx.grid_staff[grid] if rng.random() < 0.7 else rng.choice(ctx.front_desk)
    if channel in (Channel.DIARY, Channel.RECEPTION):
        return rng.choice(ctx.leaders)
    return rng.choice(ctx.front_desk)


def _intake_time(life: _Life, channel: Channel) -> dt.datetime:
    ctx, rng = life.ctx, life.rng
    day = ctx.reference - dt.timedelta(days=rng.randint(1, 365))
    if channel in (Channel.HOTLINE, Channel.CONTACT_CARD, Channel.ONLINE_GROUP):
        return life.clock(day, 7.0, 21.0)
    if channel == Channel.RECEPTION:  # 接待日: Tuesday mornings
        tuesday = day + dt.timedelta(days=(1 - day.weekday()) % 7)
        day = tuesday if tuesday < ctx.reference else day
    moved = life.workday(day)
    if moved < ctx.reference:
        day = moved
    if channel == Channel.MAILBOX:  # opened every morning
        return life.clock(day, 8.0, 9.5)
    if channel == Channel.RECEPTION:
        return life.clock(day, 8.5, 11.5)
    return life.clock(day)


def _start(ctx: Context, seed: int, index: int) -> tuple[_Life, Channel, dt.datetime]:
    """The first draws of case `index`: its channel and intake moment (enough to number it)."""
    rng = random.Random(f"{seed}:case:{index}")
    life = _Life(ctx, rng)
    channel = rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()))[0]
    return life, channel, _intake_time(life, channel)


def intake_moment(ctx: Context, seed: int, index: int) -> dt.datetime:
    return _start(ctx, seed, index)[2]


def make_case(ctx: Context, seed: int, index: int) -> Made:
    life, channel, t0 = _start(ctx, seed, index)
    rng, c = life.rng, life.c
    window_id, texts = rng.choices(ctx.windows, [t.weight for _, t in ctx.windows])[0]
    topic: Topic = rng.choice(texts.topics)
    roll = rng.random()
    person = None
    contact_name = contact_phone = ""
    if roll < 0.03:
        place = rng.choice(ctx.places)
        contact_name = "匿名"
        if channel in (Channel.HOTLINE, Channel.CONTACT_CARD):
            contact_phone = rng.choice(ctx.residents).phone
    elif roll < 0.06:
        place = rng.choice(ctx.places)
        other = rng.choice(ctx.residents)
        contact_name, contact_phone = other.name, other.phone or "13904510000"
    else:
        person = rng.choice(ctx.residents)
        place = person
    responder = _responder(ctx, rng, channel, place.grid)
    owner = (
        ctx.grid_staff[place.grid]
        if rng.random() < 0.85
        else rng.choice(ctx.grid_staff + ctx.leaders)
    )
    disposition = rng.choices(DISPOSITIONS, texts.dispositions)[0]
    urgent = rng.random() < 0.05
    values: dict[str, Any] = dict(EMPTY_VALUES)
    if disposition == Disposition.SUPPLEMENT:
        values["materials_needed"] = rng.choice(texts.materials)
    elif disposition == Disposition.ESCALATED:
        values["escalated_to"] = rng.choice(texts.units)
        values["escalation_days"] = rng.choice((5, 10, 15, 20, 30))
    elif disposition == Disposition.RETURNED:
        values["return_reason"] = rng.choice(texts.reasons)
    elif disposition == Disposition.PROMISED:
        values["promised_date"] = life.workday(t0.date() + dt.timedelta(days=rng.randint(3, 20)))
    classified = disposition == Disposition.SUPPLEMENT or rng.random() < 0.4

    # 受理 (cases.take_in)
    c.update(
        community=ctx.community_id,
        channel=channel.value,
        resident=person.id if person else None,
        household=person.household_id if person else None,
        contact_name=contact_name,
        contact_phone=contact_phone,
        address=place.address,
        window=window_id,
        text=topic.text.format(addr=place.address),
        urgent=urgent,
        first_responder=responder,
        owner=owner if classified else None,
        disposition=disposition.value if classified else None,
        stage=Stage.INTAKE.value,
        taken_at=t0,
        intake_date=t0.date(),
        started_on=t0.date(),
        outcome="",
        handled_on=None,
        reply_method=None,
        reply_text="",
        replied_on=None,
        posted_on=None,
        satisfaction=None,
        reopen_count=0,
        closed_at=None,
        version=1,
        updated_at=t0,
        **(values if classified else EMPTY_VALUES),
    )
    if disposition == Disposition.SUPPLEMENT:
        life.made.waits.append((values["materials_needed"], t0.date(), None))
    c["due_date"], c["follow_up_date"] = life.deadlines()
    life.event(
        t0, responder, "created", note=f"{channel.label}受理，首问责任人 {ctx.names[responder]}"
    )
    life.pending = False  # take_in inserts the case once: it starts at version 1
    now = ctx.now

    t = t0
    if (
        disposition == Disposition.SUPPLEMENT
    ):  # the resident brings the materials (materials_received)
        received = t0.date() + dt.timedelta(days=rng.randint(1, 12))
        tm = life.on_or_after(received, t0)
        recent = (ctx.reference - t0.date()).days <= 45
        if (recent and rng.random() < 0.3) or tm >= now:  # still waiting for the materials
            return life.made
        life.made.waits[0] = (values["materials_needed"], t0.date(), tm.date())
        life.event(
            tm,
            responder,
            "materials",
            "materials_needed",
            "等待补交",
            "已补齐",
            f"{tm.date().isoformat()} 收到材料",
        )
        life.refresh_deadlines(tm, responder)
        life.save(tm)
        t = tm

    # 交办 (move to handling, with owner and disposition)
    t1 = life.later(t, 10, 60) if urgent else life.later(t, 20, 300)
    if t1 >= now:
        return life.made
    if not classified:
        life.set(t1, responder, "owner", owner, "owner", ctx.names[owner])
        life.save(t1)
        life.set(t1, responder, "disposition", disposition.value, "disposition")
        for name, value in values.items():
            life.set(t1, responder, name, value, "disposition")
        life.refresh_deadlines(t1, responder)
        life.save(t1)
    life.set(t1, responder, "stage", Stage.HANDLING.value, "stage")
    life.save(t1)

    rounds = 0
    while True:
        # 办理完成 (move to feedback, with the outcome)
        start = c["started_on"]
        if disposition == Disposition.IMMEDIATE or (
            urgent and disposition != Disposition.ESCALATED
        ):
            done = t1.date()
        elif disposition == Disposition.ESCALATED:
            done = life.cal.add_workdays(
                start, max(1, values["escalation_days"] + rng.randint(-3, 3))
            )
        elif disposition == Disposition.PROMISED and rounds == 0:
            done = max(t1.date(), values["promised_date"] - dt.timedelta(days=rng.randint(0, 2)))
        else:
            done = life.cal.add_workdays(start, rng.randint(1, 3))
        if rng.random() < 0.07:
            done = life.cal.add_workdays(done, rng.randint(1, 6))  # handled late
        t2 = life.on_or_after(done, t1)
        stuck = (ctx.reference - t1.date()).days <= 120 and rng.random() < 0.02
        if t2 >= now or stuck:  # still being handled (overdue once past its due date)
            return life.made
        if disposition == Disposition.RETURNED:
            outcome = RETURN_OUTCOME
        elif disposition == Disposition.ESCALATED:
            outcome = ESCALATED_OUTCOME.format(unit=values["escalated_to"], outcome=topic.outcome)
        else:
            outcome = topic.outcome
        if rounds:
            outcome = REWORK_OUTCOME.format(outcome=outcome)
        life.set(t2, owner, "outcome", outcome, "outcome")
        life.save(t2)
        life.set(t2, owner, "stage", Stage.FEEDBACK.value, "stage")
        life.set(t2, owner, "handled_on", t2.date(), quiet=True)
        life.save(t2)

        # 答复居民 (move to supervision, with the reply); 公示 for most
        t3 = life.on_or_after(life.cal.add_workdays(t2.date(), rng.choice((0, 0, 1, 2))), t2)
        if t3 >= now:
            return life.made
        method = rng.choices(list(ReplyMethod), (60, 30, 10))[0]
        reply = REPLY_TEMPLATES[method.value].format(
            reply=c["return_reason"] if disposition == Disposition.RETURNED else topic.reply
        )
        life.set(t3, owner, "reply_method", method.value, "reply")
        life.set(t3, owner, "reply_text", reply, "reply")
        life.set(t3, owner, "replied_on", t3.date(), "reply")
        life.save(t3)
        life.set(t3, owner, "stage", Stage.SUPERVISION.value, "stage")
        life.save(t3)
        if rng.random() < 0.7:
            tp = life.later(t3, 10, 90)
            if tp < now:
                poster = rng.choice(ctx.front_desk)
                life.set(tp, poster, "posted_on", tp.date(), "posting")
                life.save(tp)
                t3 = tp

        # 回访 and 办结, or 重新办理 when the resident is dissatisfied
        t4 = life.on_or_after(life.cal.add_workdays(t3.date(), rng.randint(1, 8)), t3)
        if t4 >= now:
            return life.made
        sup = ctx.supervisor
        if rng.random() < 0.3:
            kind = rng.choice(list(CheckKind))
            life.made.checks.append(
                (
                    kind.value,
                    t4.date(),
                    sup,
                    rng.choice(("电话回访", "入户回访")),
                    rng.choice(FINDINGS),
                )
            )
        level = rng.choices(list(Satisfaction), (80, 15, 5))[0]
        if level == Satisfaction.DISSATISFIED and (
            rounds >= 2 or disposition == Disposition.PROMISED
        ):
            level = Satisfaction.SATISFIED
        life.set(t4, sup, "satisfaction", level.value, "satisfaction")
        life.save(t4)
        if level != Satisfaction.DISSATISFIED:
            life.set(t4, sup, "stage", Stage.CLOSED.value, "stage")
            life.set(t4, sup, "closed_at", t4, quiet=True)
            life.save(t4)
            return life.made
        life.set(t4, sup, "stage", Stage.HANDLING.value, "reopen")
        life.set(t4, sup, "reopen_count", c["reopen_count"] + 1, quiet=True)
        life.set(t4, sup, "started_on", t4.date(), quiet=True)
        life.set(t4, sup, "closed_at", None, quiet=True)
        life.set(t4, sup, "handled_on", None, quiet=True)
        for name in ("outcome", "reply_method", "reply_text", "replied_on", "posted_on"):
            life.set(t4, sup, name, "" if name in ("outcome", "reply_text") else None, "reopen")
        life.event(t4, sup, "reopen", note=rng.choice(REOPEN_REASONS))
        life.refresh_deadlines(t4, sup)
        life.save(t4)
        t1 = t4
        rounds += 1
