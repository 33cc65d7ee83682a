"""The case services: intake and every later change, each in one transaction with its events.

The window and the command line call only these functions, so both obey the same rules.
Each returns a CaseChange: the case as saved and the events appended (case_history).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from minqing.core import validate
from minqing.core.accounts import permissions
from minqing.core.cases import deadlines, pipeline
from minqing.core.cases.history import (
    CaseChange,
    ConflictError,
    Recorder,
    describe_event,
    get_case,
    load_case,
    lookup,
    now,
)
from minqing.core.cases.public import default_summary
from minqing.core.cases.stage_actions import ACTIONS, guard

# What the rest of the program uses from here; the history helpers live in case_history.
__all__ = [
    "CaseChange",
    "ConflictError",
    "describe_event",
    "get_case",
    "format_number",
    "take_in",
    "edit",
    "assign_owner",
    "set_disposition",
    "materials_received",
    "record_outcome",
    "record_reply",
    "post_publicly",
    "move",
    "record_satisfaction",
    "reopen",
]
from minqing.core.enums import Channel, Disposition, ReplyMethod, Satisfaction, Stage
from minqing.core.errors import DomainError
from minqing.core.models import (
    Case,
    CaseCounter,
    CaseEvent,
    Community,
    MaterialsWait,
    Resident,
    Staff,
    Window,
    database_proxy,
)

NUMBER_WIDTH = 5


def format_number(year: int, seq: int) -> str:
    """Read aloud as “2026年第42号”; zero-padded so that text order is number order."""
    return f"{year}-{seq:0{NUMBER_WIDTH}d}"


def _next_seq(community: Community, year: int) -> int:
    """The next number of the year, taken inside the caller's transaction.

    The UPDATE locks the counter row until the intake commits (PostgreSQL row lock; SQLite's
    write lock), so numbers are unique and gap-free: a refused intake rolls its number back.
    """
    query = (
        CaseCounter.update(last=CaseCounter.last + 1)
        .where((CaseCounter.community == community) & (CaseCounter.year == year))
        .returning(CaseCounter.last)
    )
    row = next(iter(query.execute()), None)
    if row is None:  # the year's first case: the row is made (once, by one intake), then taken
        CaseCounter.insert(community=community, year=year, last=0).on_conflict_ignore().execute()
        row = next(iter(query.clone().execute()))
    return int(row.last)


def _disposition_fields(
    disposition: Disposition | None, values: dict[str, Any], intake: dt.date
) -> dict[str, Any]:
    """Validate the field each disposition needs; the others are cleared."""
    out: dict[str, Any] = {
        "materials_needed": "",
        "escalated_to": "",
        "escalation_days": None,
        "return_reason": "",
        "promised_date": None,
    }
    if disposition is None:
        return out
    if disposition == Disposition.SUPPLEMENT:
        out["materials_needed"] = validate.required_text(
            "materials_needed",
            values.get("materials_needed"),
            "需补交的材料（告诉居民要带什么）",
            1000,
        )
    elif disposition == Disposition.ESCALATED:
        out["escalated_to"] = validate.required_text(
            "escalated_to", values.get("escalated_to"), "上报单位", 100
        )
        out["escalation_days"] = validate.positive_days(
            "escalation_days", values.get("escalation_days"), "上级预计办理时间"
        )
    elif disposition == Disposition.RETURNED:
        out["return_reason"] = validate.required_text(
            "return_reason", values.get("return_reason"), "退回原因（要向居民详细说明）", 1000
        )
    elif disposition == Disposition.PROMISED:
        promised = validate.date_value("promised_date", values.get("promised_date"), "承诺办结日期")
        if promised is None:
            raise DomainError("promised_date", "承诺件必须填写承诺办结日期。")
        validate.not_before("promised_date", promised, intake, "承诺办结日期", "受理日期")
        out["promised_date"] = promised
    return out


def _parse_disposition(value: Disposition | str | None) -> Disposition | None:
    if value in (None, ""):
        return None
    try:
        return Disposition.parse(str(value.value if isinstance(value, Disposition) else value))  # type: ignore[return-value]
    except ValueError:
        choices = "、".join(d.label for d in Disposition)
        raise DomainError("disposition", f"办理类型“{value}”不认识，应为：{choices}。") from None


def _refresh_deadlines(rec: Recorder) -> None:
    due, follow_up = deadlines.compute(rec.case)
    rec.set("due_date", due, "deadline")
    rec.set("follow_up_date", follow_up, "deadline")


def take_in(
    *,
    channel: Channel | str,
    text: str,
    window: Window | int,
    first_responder: Staff | int,
    resident: Resident | int | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    address: str = "",
    urgent: bool = False,
    disposition: Disposition | str | None = None,
    owner: Staff | int | None = None,
    taken_at: dt.datetime | None = None,
    actor: Staff | None = None,
    **disposition_values: Any,
) -> CaseChange:
    """受理: register a case. The first responder is required; the rest can follow later."""
    try:
        channel = Channel.parse(channel.value if isinstance(channel, Channel) else str(channel))
    except ValueError:
        raise DomainError(
            "channel", f"渠道“{channel}”不认识，应为：{'、'.join(c.label for c in Channel)}。"
        ) from None
    body = validate.required_text("text", text, "民情内容", validate.MAX_TEXT)
    responder = lookup(Staff, first_responder, "first_responder")
    permissions.require(actor, "case.take_in")
    if actor is not None and responder.id != actor.id:
        permissions.require(actor, "case.choose_responder")
    if not responder.active:
        raise DomainError("first_responder", f"{responder.name} 已停用，请选择在岗的首问责任人。")
    win = lookup(Window, window, "window")
    if not win.active:
        raise DomainError("window", f"服务窗口“{win.name}”已停用，请选择其他窗口。")
    person = lookup(Resident, resident, "resident", required=False)
    contact_name = validate.optional_text("contact_name", contact_name, "联系人", 40)
    contact_phone = validate.phone("contact_phone", contact_phone, "联系电话", required=False)
    if person is None and not (contact_name or contact_phone):
        raise DomainError(
            "resident", "请选择反映人，或填写联系人/联系电话（匿名反映请在联系人处写“匿名”）。"
        )
    address = validate.optional_text("address", address, "地址", 200)
    if not address and person is not None and person.household_id:
        address = person.household.address
    stamp = (taken_at or now()).replace(microsecond=0)
    if stamp > now() + dt.timedelta(minutes=5):
        raise DomainError("taken_at", "受理时间不能晚于现在。")
    kind = _parse_disposition(disposition)
    fields = _disposition_fields(kind, disposition_values, stamp.date())
    owner_row = lookup(Staff, owner, "owner", required=False)
    if owner_row is not None:
        check_owner(owner_row)
    community = Community.get_by_id(responder.community_id)

    with database_proxy.atomic():
        case = Case(
            community=community,
            year=stamp.year,
            channel=channel.value,
            resident=person,
            household=person.household_id if person else None,
            contact_name=contact_name,
            contact_phone=contact_phone,
            address=address,
            window=win,
            text=body,
            urgent=bool(urgent),
            first_responder=responder,
            owner=owner_row,
            disposition=kind.value if kind else None,
            taken_at=stamp,
            intake_date=stamp.date(),
            started_on=stamp.date(),
            updated_at=now(),
            **fields,
        )
        waiting = kind == Disposition.SUPPLEMENT
        case.due_date, case.follow_up_date = deadlines.compute(
            case, pauses=[(stamp.date(), None)] if waiting else []
        )
        # The number last: its counter row stays locked until the commit, so every other
        # intake waits meanwhile (at 8 clerks on the server, most of an intake's time).
        case.seq = _next_seq(community, stamp.year)
        case.number = format_number(stamp.year, case.seq)
        case.save(force_insert=True)
        if waiting:
            MaterialsWait.create(
                case=case, materials=fields["materials_needed"], requested_on=stamp.date()
            )
        rec = Recorder(case, actor or responder)
        rec.event("created", note=f"{channel.label}受理，首问责任人 {responder.name}")
        events = rec.save_events()
    return CaseChange(case, events)


def edit(
    case: Case | str | int,
    *,
    actor: Staff | None = None,
    expected_version: int | None = None,
    **values: Any,
) -> CaseChange:
    """Correct intake details: text, address, window, urgency, contact."""
    allowed = {"text", "address", "window", "urgent", "contact_name", "contact_phone"}
    unknown = set(values) - allowed
    if unknown:
        raise DomainError(sorted(unknown)[0], f"不能在这里修改：{'、'.join(sorted(unknown))}。")
    with database_proxy.atomic():
        row = load_case(case, expected_version)
        guard(row, actor, "edit")
        rec = Recorder(row, actor)
        if "text" in values:
            rec.set("text", validate.required_text("text", values["text"], "民情内容"))
        if "address" in values:
            rec.set("address", validate.optional_text("address", values["address"], "地址", 200))
        if "contact_name" in values:
            rec.set(
                "contact_name",
                validate.optional_text("contact_name", values["contact_name"], "联系人", 40),
            )
        if "contact_phone" in values:
            rec.set(
                "contact_phone",
                validate.phone("contact_phone", values["contact_phone"], "联系电话", False),
            )
        if "window" in values:
            rec.set("window", lookup(Window, values["window"], "window"))
        if "urgent" in values:
            rec.set("urgent", bool(values["urgent"]))
        _refresh_deadlines(rec)
        events = rec.save(expected_version)
    return CaseChange(row, events)


def check_owner(person: Staff) -> None:
    if not permissions.may_own_cases(person):
        raise DomainError(
            "owner",
            f"{person.name}是{permissions.role_label(person.role)}，不能当责任人：请选择责任人或领导。",
        )


def assign_owner(
    case: Case | str | int,
    owner: Staff | int,
    *,
    actor: Staff | None = None,
    expected_version: int | None = None,
) -> CaseChange:
    with database_proxy.atomic():
        row = load_case(case, expected_version)
        guard(row, actor, "owner")
        person = lookup(Staff, owner, "owner")
        if not person.active:
            raise DomainError("owner", f"{person.name} 已停用，请选择在岗的责任人。")
        check_owner(person)
        rec = Recorder(row, actor)
        rec.set("owner", person, "owner")
        events = rec.save(expected_version)
    return CaseChange(row, events)


def set_disposition(
    case: Case | str | int,
    disposition: Disposition | str,
    *,
    actor: Staff | None = None,
    expected_version: int | None = None,
    **values: Any,
) -> CaseChange:
    """五件制: classify (or reclassify) with the field the disposition needs; deadlines follow."""
    kind = _parse_disposition(disposition)
    if kind is None:
        raise DomainError("disposition", "请选择办理类型（五件制）。")
    with database_proxy.atomic():
        row = load_case(case, expected_version)
        guard(row, actor, "disposition")
        fields = _disposition_fields(kind, values, row.intake_date)
        rec = Recorder(row, actor)
        rec.set("disposition", kind.value, "disposition")
        for name, value in fields.items():
            rec.set(name, value, "disposition")
        open_wait = MaterialsWait.get_or_none(
            (MaterialsWait.case == row.id) & MaterialsWait.received_on.is_null()
        )
        if kind == Disposition.SUPPLEMENT and open_wait is None:
            MaterialsWait.create(
                case=row, materials=fields["materials_needed"], requested_on=dt.date.today()
            )
            rec.event(
                "materials",
                "materials_needed",
                None,
                fields["materials_needed"],
                "开始等待补交材料，期间不计办理时限",
            )
        elif kind != Disposition.SUPPLEMENT and open_wait is not None:
            open_wait.received_on = dt.date.today()
            open_wait.save()
        _refresh_deadlines(rec)
        events = rec.save(expected_version)
    return CaseChange(row, events)


def materials_received(
    case: Case | str | int,
    *,
    on: dt.date | str | None = None,
    actor: Staff | None = None,
    expected_version: int | None = None,
) -> CaseChange:
    """The resident brought the materials: the deadline clock runs again from the next working day."""
    day = validate.date_value("received_on", on, "收到材料日期") or dt.date.today()
    with database_proxy.atomic():
        row = load_case(case, expected_version)
        guard(row, actor, "materials")
        wait = MaterialsWait.get_or_none(
            (MaterialsWait.case == row.id) & MaterialsWait.received_on.is_null()
        )
        if wait is None:
            raise DomainError("materials", f"民情 {row.number} 没有在等待补交材料。")
        validate.not_before(
            "received_on", day, wait.requested_on, "收到材料日期", "要求补交材料的日期"
        )
        if day > dt.date.today():
            raise DomainError("received_on", "收到材料日期不能晚于今天。")
        wait.received_on = day
        wait.save()
        rec = Recorder(row, actor)
        rec.event(
            "materials", "materials_needed", "等待补交", "已补齐", f"{day.isoformat()} 收到材料"
        )
        _refresh_deadlines(rec)
        events = rec.save(expected_version)
    return CaseChange(row, events)


def record_outcome(
    case: Case | str | int,
    outcome: str,
    *,
    actor: Staff | None = None,
    expected_version: int | None = None,
) -> CaseChange:
    with database_proxy.atomic():
        row = load_case(case, expected_version)
        guard(row, actor, "outcome")
        rec = Recorder(row, actor)
        rec.set("outcome", validate.required_text("outcome", outcome, "办理结果", 2000), "outcome")
        events = rec.save(expected_version)
    return CaseChange(row, events)


def record_reply(
    case: Case | str | int,
    method: ReplyMethod | str,
    text: str,
    *,
    on: dt.date | str | None = None,
    actor: Staff | None = None,
    expected_version: int | None = None,
) -> CaseChange:
    """答复: how and what the resident was told."""
    try:
        kind = ReplyMethod.parse(method.value if isinstance(method, ReplyMethod) else str(method))
    except ValueError:
        raise DomainError(
            "reply_method", f"答复方式应为：{'、'.join(m.label for m in ReplyMethod)}。"
        ) from None
    body = validate.required_text("reply_text", text, "答复内容", 2000)
    day = validate.date_value("replied_on", on, "答复日期") or dt.date.today()
    with database_proxy.atomic():
        row = load_case(case, expected_version)
        guard(row, actor, "reply")
        validate.not_before("replied_on", day, row.intake_date, "答复日期", "受理日期")
        if day > dt.date.today():
            raise DomainError("replied_on", "答复日期不能晚于今天。")
        rec = Recorder(row, actor)
        rec.set("reply_method", kind.value, "reply")
        rec.set("reply_text", body, "reply")
        rec.set("replied_on", day, "reply")
        events = rec.save(expected_version)
    return CaseChange(row, events)


def post_publicly(
    case: Case | str | int,
    posted: bool = True,
    *,
    on: dt.date | str | None = None,
    actor: Staff | None = None,
    expected_version: int | None = None,
    public_summary: str | None = None,
) -> CaseChange:
    """公示: mark the case for the notice board, or take it down. What is posted is the
    reviewed `public_summary` (as the clerk edited it; by default the request and outcome with
    names and numbers masked), stored on the case; every public output masks it once more."""
    day = (validate.date_value("posted_on", on, "公示日期") or dt.date.today()) if posted else None
    summary = validate.optional_text("public_summary", public_summary, "公示内容")
    with database_proxy.atomic():
        row = load_case(case, expected_version)
        guard(row, actor, "post")
        if posted and not row.outcome:
            raise DomainError("outcome", "请先填写办理结果，再公示。公示栏要写明“办了什么”。")
        rec = Recorder(row, actor)
        rec.set("posted_on", day, "posting")
        if posted:
            rec.set("public_summary", summary or default_summary(row), "posting")
        events = rec.save(expected_version)
    return CaseChange(row, events)


def move(
    case: Case | str | int,
    target: Stage | str,
    *,
    actor: Staff | None = None,
    expected_version: int | None = None,
    **values: Any,
) -> CaseChange:
    """Move a case one step along the pipeline, filling what that step requires from `values`.

    Allowed keys: materials_received (+ received_on), owner, disposition (+ its field),
    outcome, reply_method, reply_text, replied_on, satisfaction. Each value is recorded by its
    stage action in the stage that action belongs to: before the step when the case's current
    stage allows it, else just after entering the target (a reply given with 办理完成). Either
    everything needed is there and the move happens, or a DomainError names the first missing
    field and nothing is written.
    """
    try:
        stage = Stage.parse(target.value if isinstance(target, Stage) else str(target))
    except ValueError:
        raise DomainError(
            "stage", f"环节“{target}”不认识，应为：{'、'.join(s.label for s in Stage)}。"
        ) from None
    with database_proxy.atomic():
        row = load_case(case, expected_version)
        permissions.require(actor, pipeline.ENTRY_PERMISSION[stage], row)
        current = Stage(row.stage)
        step = pipeline.transition(current, stage)  # type: ignore[arg-type]
        if step is None:
            following = pipeline.next_transition(current)  # type: ignore[arg-type]
            hint = (
                f"下一步只能是“{following.target.label}”（{following.action}）。"
                if following
                else "它已办结。"
            )
            raise DomainError(
                "stage",
                f"民情 {row.number} 现在处于“{current.label}”，不能直接转到“{stage.label}”。{hint}",
            )
        before, after = [], []
        for key, run in _move_values(values, actor):
            stages = ACTIONS[key].stages
            (after if current not in stages and stage in stages else before).append(run)
        for run in before:
            row = run(row)
        gaps = pipeline.missing(row, step)
        if gaps:
            first = gaps[0]
            raise DomainError(
                first.key,
                f"“{step.action}”前还需要：{'、'.join(g.label for g in gaps)}。请先填写{first.label}。",
            )
        rec = Recorder(row, actor)
        rec.set("stage", stage.value, "stage")
        for name, value in step.on_enter:
            rec.set(name, value(), quiet=True)
        events = rec.save()
        for run in after:
            row = run(row)
    return CaseChange(row, events)


def _move_values(values: dict[str, Any], actor: Staff | None) -> list[tuple[str, Any]]:
    """The stage actions that `move`'s values ask for, in pipeline order: (key, run(case))."""
    out: list[tuple[str, Any]] = []
    if values.get("materials_received"):
        on = values.get("received_on")
        out.append(("materials", lambda r: materials_received(r, on=on, actor=actor).case))
    if values.get("owner") not in (None, ""):
        owner = values["owner"]
        out.append(("owner", lambda r: assign_owner(r, owner, actor=actor).case))
    if values.get("disposition") not in (None, ""):
        extra = {k: values[k] for k in pipeline.FIELD_LABELS if k in values and k != "owner"}
        kind = extra.pop("disposition")
        out.append(("disposition", lambda r: set_disposition(r, kind, actor=actor, **extra).case))
    if values.get("outcome"):
        text = values["outcome"]
        out.append(("outcome", lambda r: record_outcome(r, text, actor=actor).case))
    if values.get("reply_method") or values.get("reply_text"):
        method, body = values.get("reply_method") or "", values.get("reply_text") or ""
        on_day = values.get("replied_on")
        out.append(("reply", lambda r: record_reply(r, method, body, on=on_day, actor=actor).case))
    if values.get("satisfaction"):
        level = values["satisfaction"]
        out.append(("satisfaction", lambda r: _set_satisfaction(r, level, actor)))
    return out


def _set_satisfaction(row: Case, value: Satisfaction | str, actor: Staff | None) -> Case:
    try:
        level = Satisfaction.parse(value.value if isinstance(value, Satisfaction) else str(value))
    except ValueError:
        raise DomainError(
            "satisfaction", f"满意度应为：{'、'.join(s.label for s in Satisfaction)}。"
        ) from None
    rec = Recorder(row, actor)
    rec.set("satisfaction", level.value, "satisfaction")
    rec.save()
    return row


def record_satisfaction(
    case: Case | str | int,
    satisfaction: Satisfaction | str,
    *,
    actor: Staff | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> CaseChange:
    """回访: the resident's verdict. 不满意 reopens the case (counted); otherwise it may close."""
    with database_proxy.atomic():
        row = load_case(case, expected_version)
        guard(row, actor, "satisfaction")
        row = _set_satisfaction(row, satisfaction, actor)
        events: list[CaseEvent] = []
        if row.satisfaction == Satisfaction.DISSATISFIED:
            change = reopen(row, actor=actor, reason=note or "居民不满意")
            row, events = change.case, change.events
    return CaseChange(row, events)


def reopen(
    case: Case | str | int,
    *,
    reason: str,
    actor: Staff | None = None,
    expected_version: int | None = None,
) -> CaseChange:
    """重新办理: back to handling with a fresh deadline from today; counted against the case."""
    why = validate.required_text("reason", reason, "重新办理的原因", 500)
    with database_proxy.atomic():
        row = load_case(case, expected_version)
        guard(row, actor, "reopen")
        rec = Recorder(row, actor)
        rec.set("stage", Stage.HANDLING.value, "reopen")
        rec.set("reopen_count", row.reopen_count + 1, quiet=True)
        rec.set("started_on", dt.date.today(), quiet=True)
        rec.set("closed_at", None, quiet=True)
        rec.set("handled_on", None, quiet=True)
        # The old answer and posting no longer hold: the case must be handled and answered again.
        for name in ("outcome", "reply_method", "reply_text", "replied_on", "posted_on"):
            rec.set(name, "" if name in ("outcome", "reply_text") else None, "reopen")
        rec.event("reopen", note=why)
        _refresh_deadlines(rec)
        events = rec.save(expected_version)
    return CaseChange(row, events)
