"""`minqing case assign|materials|outcome|reply|post|check|satisfaction|callback|reopen|edit`.

One verb for every case action the window has. The options are built from the fields each
stage action declares in core (`stage_actions.ACTIONS`) and the values go through the same
`perform` as the window's dialogs, so the stages, roles and messages are the window's.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

from minqing.cli import emit, named_staff, open_db
from minqing.core import community
from minqing.core.cases import services as cases
from minqing.core.cases import stage_actions
from minqing.core.cases.perform import perform
from minqing.core.cases.pipeline import Ask, Transition
from minqing.core.errors import DomainError
from minqing.core.models import database_proxy


@dataclass(frozen=True)
class Verb:
    name: str
    keys: tuple[str, ...]  # the stage actions it runs, in order
    help: str


VERBS = [
    Verb("assign", ("owner", "disposition"), "分派：指定或更换责任人，定件（五件制）"),
    Verb("materials", ("materials",), "补办件：登记居民已交来材料，办理时限重新计算"),
    Verb("outcome", ("outcome",), "填写办理结果"),
    Verb("reply", ("reply",), "记录如何答复了居民（方式、内容、日期）"),
    Verb("post", ("post",), "在公开栏公示办理结果（公示内容会隐去个人信息）"),
    Verb("check", ("check",), "记录一次督查（定期督促、随机抽查或专人督察）"),
    Verb("satisfaction", ("satisfaction",), "记录居民满意度；不满意时退回重新办理"),
    Verb("callback", ("callback",), "回访居民：评价与问题是否解决；未解决或不满意时退回重新办理"),
    Verb("reopen", ("reopen",), "退回重新办理（计入重新办理次数）"),
    Verb("edit", ("edit",), "修改登记内容（民情内容、地址、联系人、电话、紧急）"),
]
# The command-line names of fields whose key reads long, matching `case add` and `case move`.
OPTION_NAMES = {
    "materials_needed": "--materials",
    "reply_method": "--method",
    "reply_text": "--text",
    "replied_on": "--on",
    "checked_on": "--on",
    "called_on": "--on",
    "contact_name": "--contact",
    "contact_phone": "--phone",
}
YES_NO = {"是": True, "否": False}
METAVARS = {"staff": "姓名", "date": "日期", "days": "工作日", "choice": "选项", "check": "是或否"}


def option(ask: Ask) -> str:
    return OPTION_NAMES.get(ask.key, "--" + ask.key.replace("_", "-"))


def _help(ask: Ask) -> str:
    text = ask.label
    if ask.kind == "staff":
        text += "（工作人员姓名）"
    elif ask.kind == "date":
        text += "（如 2026-11-01" + ("，默认今天）" if ask.key.endswith("on") else "）")
    elif ask.kind == "check":
        text += "：是 或 否"
    elif ask.choices:
        text += "：" + "、".join(label for _code, label in ask.choices)
    if ask.show_when:
        field, value = ask.show_when
        shown = dict(_ask(field).choices).get(value, value) if _ask(field) else value
        text += f"（{shown}时填写）"
    return text


def _ask(key: str) -> Ask | None:
    for item in stage_actions.ACTIONS.values():
        for a in item.asks:
            if a.key == key:
                return a
    return None


def register(actions: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    for verb in VERBS:
        parser = actions.add_parser(verb.name, help=verb.help, description=verb.help)
        parser.add_argument("number", metavar="编号", help="民情编号，如 2026-00042")
        parser.add_argument("--by", metavar="姓名", help="操作人（默认是 --user 登录的人）")
        seen: set[str] = set()
        for key in verb.keys:
            for ask in stage_actions.ACTIONS[key].asks:
                name = option(ask)
                if name in seen:
                    continue
                seen.add(name)
                choices = list(YES_NO) if ask.kind == "check" else None
                parser.add_argument(
                    name,
                    dest=ask.key,
                    help=_help(ask),
                    choices=choices,
                    metavar=METAVARS.get(ask.kind, "文字"),
                )
        parser.set_defaults(func=_run, verb=verb)


def _value(ask: Ask, text: str) -> Any:
    if ask.kind == "staff":
        return community.find_staff(community.the_community(), text).id
    if ask.kind == "check":
        return YES_NO[text]
    return text


def _values(verb: Verb, args: argparse.Namespace) -> list[tuple[str, dict[str, Any]]]:
    """(action key, values) for each action of the verb that was given something to do."""
    out = []
    for key in verb.keys:
        asks = stage_actions.ACTIONS[key].asks
        given = {a.key: _value(a, getattr(args, a.key)) for a in asks if getattr(args, a.key)}
        if len(verb.keys) > 1:
            lead = asks[0]
            if not given:
                continue
            if lead.key not in given:
                extra = "、".join(option(a) for a in asks if a.key in given)
                raise DomainError(lead.key, f"{extra} 要和 {option(lead)} 一起使用。")
        out.append((key, given))
    if not out:
        wanted = "或".join(option(stage_actions.ACTIONS[k].asks[0]) for k in verb.keys)
        raise DomainError(verb.keys[0], f"请用 {wanted} 写明要改什么。")
    return out


def _run(args: argparse.Namespace) -> int:
    from minqing.cli.cases import case_data

    open_db(args)
    verb: Verb = args.verb
    who = named_staff(args, args.by, "--by")
    case = cases.get_case(args.number)
    steps = _values(verb, args)
    with database_proxy.atomic():
        for key, values in steps:
            perform(key, case.id, actor=who, **values)
    fresh = cases.get_case(case.id)
    done = "；".join(stage_actions.ACTIONS[k].done.format(number=fresh.number) for k, _ in steps)
    emit(args, case_data(fresh, who), done)
    return 0


def next_steps(case: Any, actor: Any) -> str:
    """What the signed-in person may do with the case now, as commands (for `case show`)."""
    verbs = {k: v.name for v in VERBS for k in v.keys}
    shown: dict[str, list[str]] = {}  # command → the actions it does (assign does two)
    for item in stage_actions.available_actions(case, actor):
        if isinstance(item, Transition):
            shown[f"case move {case.number} {item.target.label}"] = [item.action]
        elif item.key in verbs:
            shown.setdefault(f"case {verbs[item.key]} {case.number}", []).append(item.label)
    if not shown:
        return "您现在不能再对这条民情做什么。"
    return "可以：" + "；".join(f"{'、'.join(labels)}（{cmd}）" for cmd, labels in shown.items())
