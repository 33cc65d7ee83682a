"""`minqing case add|show|list|move` and the case actions (`case_actions`: assign, outcome,
reply, post …) — the pipeline from a script, through the same services as the window."""

from __future__ import annotations

import argparse
from typing import Any

from minqing.cli import actor, case_actions, emit, named_staff, open_db
from minqing.core import community
from minqing.core.accounts import permissions
from minqing.core.cases import queries
from minqing.core.cases import services as cases
from minqing.core.cases.history import FIELD_NAMES
from minqing.core.enums import Channel, Disposition, ReplyMethod, Satisfaction, Stage
from minqing.core.errors import DomainError
from minqing.core.models import Case, CaseEvent, Staff
from minqing.core.privacy import mask_phone, mask_phones_in_text


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    case = sub.add_parser("case", help="登记、查看、列出、流转民情")
    actions = case.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="受理登记一条民情")
    add.add_argument(
        "--channel", required=True, help="渠道：" + "、".join(c.label for c in Channel)
    )
    add.add_argument("--text", required=True, help="民情内容")
    add.add_argument("--window", required=True, help="服务窗口名称")
    add.add_argument("--responder", help="首问责任人（姓名；默认是 --user 登录的人）")
    add.add_argument("--resident", help="居民编号")
    add.add_argument("--contact", default="", help="联系人（匿名时）")
    add.add_argument("--phone", default="", help="联系电话")
    add.add_argument("--address", default="")
    add.add_argument("--urgent", action="store_true", help="重大/紧急事项，当天办理")
    _disposition_args(add)
    add.set_defaults(func=_add)

    show = actions.add_parser("show", help="显示一条民情及其办理记录")
    show.add_argument("number")
    show.set_defaults(func=_show)

    lst = actions.add_parser("list", help="列出民情")
    lst.add_argument("--stage", help="环节：" + "、".join(s.label for s in Stage))
    lst.add_argument("--overdue", action="store_true", help="只列超期未办")
    lst.add_argument("--window")
    lst.add_argument("--search", default="")
    lst.add_argument("--limit", type=int, default=50)
    lst.set_defaults(func=_list)

    mv = actions.add_parser("move", help="把民情转到下一环节")
    mv.add_argument("number")
    mv.add_argument("stage", help="目标环节：" + "、".join(s.label for s in Stage))
    mv.add_argument("--by", help="操作人（姓名）")
    mv.add_argument("--owner", help="责任人（交办时）")
    mv.add_argument("--outcome", help="办理结果（办理完成时）")
    mv.add_argument("--reply-method", help="答复方式：电话答复、上门告知、信函回复")
    mv.add_argument("--reply", help="答复内容")
    mv.add_argument("--replied-on", help="答复日期")
    mv.add_argument("--satisfaction", help="满意、基本满意、不满意")
    _disposition_args(mv)
    mv.set_defaults(func=_move)
    case_actions.register(actions)


def _disposition_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--disposition", help="五件制：" + "、".join(d.label for d in Disposition))
    parser.add_argument("--materials", help="补办件：需补交的材料")
    parser.add_argument("--escalated-to", help="上报件：上报单位")
    parser.add_argument("--escalation-days", help="上报件：上级预计办理工作日")
    parser.add_argument("--return-reason", help="退回件：退回原因")
    parser.add_argument("--promised-date", help="承诺件：承诺办结日期")


def _disposition_values(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "materials_needed": args.materials,
        "escalated_to": args.escalated_to,
        "escalation_days": args.escalation_days,
        "return_reason": args.return_reason,
        "promised_date": args.promised_date,
    }


# `case show` prints Chinese labels; --json keeps the English keys (listed in the README).
SHOWN_LABELS = {
    **FIELD_NAMES,
    "number": "编号",
    "channel": "渠道",
    "person": "反映人",
    "phone": "电话",
    "first_responder": "首问责任人",
    "intake_date": "受理日期",
    "waiting_materials": "等待补交材料",
}


def case_data(case: Case, viewer: Any = None) -> dict[str, Any]:
    """The case as the command line shows it; the phone is masked unless `viewer` (the
    signed-in user) may see it (permissions.can_see_personal)."""
    phone = case.contact_phone or (case.resident.phone if case.resident_id else "")
    return {
        "number": case.number,
        "stage": Stage(case.stage).label,
        "channel": Channel(case.channel).label,
        "person": case.resident.name if case.resident_id else (case.contact_name or "匿名"),
        "phone": permissions.shown_phone(viewer, phone, case),
        "address": case.address,
        "window": case.window.name,
        "text": permissions.shown_text(viewer, case.text, case),
        "urgent": case.urgent,
        "first_responder": case.first_responder.name,
        "owner": case.owner.name if case.owner_id else "",
        "disposition": Disposition(case.disposition).label if case.disposition else "",
        "materials_needed": permissions.shown_text(viewer, case.materials_needed, case),
        "escalated_to": case.escalated_to,
        "escalation_days": case.escalation_days,
        "return_reason": permissions.shown_text(viewer, case.return_reason, case),
        "promised_date": case.promised_date,
        "intake_date": case.intake_date,
        "due_date": case.due_date,
        "follow_up_date": case.follow_up_date,
        "waiting_materials": case.is_waiting,
        "outcome": permissions.shown_text(viewer, case.outcome, case),
        "reply_method": ReplyMethod(case.reply_method).label if case.reply_method else "",
        "reply_text": permissions.shown_text(viewer, case.reply_text, case),
        "replied_on": case.replied_on,
        "posted_on": case.posted_on,
        "satisfaction": Satisfaction(case.satisfaction).label if case.satisfaction else "",
        "reopen_count": case.reopen_count,
    }


def _staff(name: str | None) -> Staff | None:
    return community.find_staff(community.the_community(), name) if name else None


def _responder(args: argparse.Namespace, office: Any) -> Staff:
    """The signed-in person by default; naming another needs the first-responder permission."""
    if actor(args) is not None:
        return named_staff(args, args.responder, "--responder", "case.choose_responder")
    if not args.responder:
        raise DomainError("responder", "请用 --responder 写明首问责任人（工作人员姓名）。")
    return community.find_staff(office, args.responder)


def _add(args: argparse.Namespace) -> int:
    open_db(args)
    office = community.the_community()
    change = cases.take_in(
        channel=args.channel,
        text=args.text,
        window=community.find_window(args.window),
        first_responder=_responder(args, office),
        resident=args.resident,
        contact_name=args.contact,
        contact_phone=args.phone,
        address=args.address,
        urgent=args.urgent,
        disposition=args.disposition,
        actor=actor(args),
        **_disposition_values(args),
    )
    case = change.case
    due = (
        f"，办理时限 {case.due_date}"
        if case.due_date
        else ("，等待补交材料" if case.is_waiting else "")
    )
    emit(args, case_data(case, actor(args)), f"已受理：{case.number}{due}")
    return 0


def _show(args: argparse.Namespace) -> int:
    open_db(args)
    case = cases.get_case(args.number)
    data = case_data(case, actor(args))
    rows = list(CaseEvent.select().where(CaseEvent.case == case.id).order_by(CaseEvent.id))
    hide = not permissions.can_see_personal(actor(args), case)
    for e in rows:  # the history repeats what the fields held: masked the same way
        if hide and e.field == "contact_phone":
            e.old, e.new = mask_phone(e.old or ""), mask_phone(e.new or "")
        elif hide:
            e.old, e.new = mask_phones_in_text(e.old or ""), mask_phones_in_text(e.new or "")
            e.note = mask_phones_in_text(e.note or "")
    data["events"] = [
        {
            "at": e.at,
            "who": e.actor_name,
            "kind": e.kind,
            "field": e.field,
            "old": e.old,
            "new": e.new,
            "note": e.note,
        }
        for e in rows
    ]
    lines = [
        f"{SHOWN_LABELS[k]}：{'是' if v is True else v}"
        for k, v in data.items()
        if k != "events" and v not in (None, "", False, 0)
    ]
    lines.append(case_actions.next_steps(case, actor(args)))
    lines.append("办理记录：")
    lines += [
        f"  {e.at:%Y-%m-%d %H:%M} {e.actor_name or '—'}  {cases.describe_event(e)}" for e in rows
    ]
    emit(args, data, "\n".join(lines))
    return 0


def _list(args: argparse.Namespace) -> int:
    open_db(args)
    flt = queries.CaseFilter(
        stage=Stage.parse(args.stage).value if args.stage else None,
        overdue=args.overdue,
        window_id=community.find_window(args.window).id if args.window else None,
        text=args.search,
    )
    ids = queries.case_ids(flt)
    rows = queries.case_rows(ids[: args.limit])
    for r in rows:  # a phone or ID number written into the request's words
        r.text = permissions.shown_text(actor(args), r.text)
    data = [
        {
            "number": r.number,
            "stage": r.stage.label,
            "person": r.person,
            "window": r.window,
            "owner": r.owner,
            "intake_date": r.intake_date,
            "due_date": r.due_date,
            "days_left": r.days_left,
            "overdue": r.overdue,
            "text": r.text,
        }
        for r in rows
    ]
    lines = [
        f"{r.number}  {r.stage.label:<4}  {r.intake_date}  期限 {r.due_date or '—'}"
        f"{'  超期' if r.overdue else ''}  {r.window}  {r.person}  {r.text[:24]}"
        for r in rows
    ]
    lines.append(
        f"共 {len(ids)} 条" + (f"，显示前 {args.limit} 条" if len(ids) > args.limit else "")
    )
    emit(args, {"total": len(ids), "cases": data}, "\n".join(lines))
    return 0


def _move(args: argparse.Namespace) -> int:
    open_db(args)
    owner = _staff(args.owner)
    change = cases.move(
        args.number,
        args.stage,
        actor=named_staff(args, args.by, "--by"),
        owner=owner,
        disposition=args.disposition,
        outcome=args.outcome,
        reply_method=args.reply_method,
        reply_text=args.reply,
        replied_on=args.replied_on,
        satisfaction=args.satisfaction,
        **_disposition_values(args),
    )
    emit(
        args,
        case_data(change.case, actor(args)),
        f"{change.case.number} 已转到“{Stage(change.case.stage).label}”",
    )
    return 0
