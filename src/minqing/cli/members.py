"""`minqing members …` — the party branch: register, posts (设岗定责), three links (三联系) and
quarterly public commitments (公开承诺). Every change goes through the core services."""

from __future__ import annotations

import argparse
from typing import Any

from minqing.cli import actor, emit, open_db


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("members", help="党员：登记、设岗定责、三联系、公开承诺")
    cmds = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p = cmds.add_parser(name, help=help_text)
        p.set_defaults(func=_run)
        return p

    ls = add("list", "党员名单")
    ls.add_argument("--all", action="store_true", help="包括已不在册的")
    new = add("add", "登记党员")
    new.add_argument("name")
    new.add_argument(
        "--kind", required=True, help="退休、下岗失业、流动、在职、复转军人、大中专毕业生"
    )
    new.add_argument("--gender", default="")
    new.add_argument("--phone", default="")
    new.add_argument("--joined", help="入党日期 1985-07-01")
    new.add_argument("--informant", action="store_true", help="担任民情信息员")
    add("posts", "岗位：在岗人数、缺员和未定岗党员")
    ap = add("apply", "党员申报选岗")
    ap.add_argument("name")
    ap.add_argument("post")
    ap.add_argument("--on", help="申报日期")
    rec = add("recommend", "群众荐岗：登记一位居民的推荐")
    rec.add_argument("name")
    rec.add_argument("--by", required=True, help="推荐人")
    rec.add_argument("--on", help="推荐日期")
    con = add("confirm", "支部定岗")
    con.add_argument("name")
    con.add_argument("--on", help="定岗日期")
    con.add_argument("--term-end", help="任期结束日期（默认一年）")
    add("links", "三联系：还没联系齐的党员")
    quarter = add("quarter", "一个季度的公开承诺：谁还没承诺、履诺、点评")
    quarter.add_argument("quarter", help="如 2026Q4")
    pledge = add("pledge", "公开承诺")
    pledge.add_argument("name")
    pledge.add_argument("--quarter", required=True)
    pledge.add_argument("--text", required=True, help="承诺内容")
    pledge.add_argument("--on", help="承诺日期")
    fulfil = add("fulfil", "记录履诺")
    fulfil.add_argument("name")
    fulfil.add_argument("--quarter", required=True)
    fulfil.add_argument("--what", required=True, help="做了什么")
    fulfil.add_argument("--on", help="履诺日期")
    fulfil.add_argument("--case", help="帮助办结的民情编号")
    review = add("review", "领导点评")
    review.add_argument("name")
    review.add_argument("--quarter", required=True)
    review.add_argument("--text", required=True)
    review.add_argument("--by", required=True, help="点评的领导（工作人员姓名）")
    review.add_argument("--on", help="点评日期")


def _commitment(community: Any, name: str, quarter: str) -> Any:
    from minqing.core.errors import NotFound
    from minqing.core.members import commitments
    from minqing.core.members.services import get_member

    member = get_member(name, community)
    row = commitments.find(member, quarter)
    if row is None:
        q = commitments.parse_quarter(quarter)
        raise NotFound(f"{member.name} 还没有作出{q.label}的公开承诺。")
    return row


def _run(args: argparse.Namespace) -> int:
    from minqing.core.community import find_staff, the_community
    from minqing.core.members import commitments, links, posts
    from minqing.core.members import services as members

    open_db(args)
    community = the_community()
    action = args.action
    if action == "list":
        rows = [
            {
                "id": m.id,
                "name": m.name,
                "kind": members.MemberKind(m.kind).label,
                "phone": m.phone,
                "informant": m.is_informant,
                "post": getattr(posts.current_post(m), "name", ""),
                "active": m.active,
            }
            for m in members.members(community, active_only=not args.all)
        ]
        lines = [
            "\t".join([r["name"], r["kind"], r["post"] or "未定岗"] + ["信息员"] * r["informant"])
            for r in rows
        ]
        emit(args, rows, "\n".join(lines) or "还没有登记党员。")
    elif action == "add":
        member = members.add_member(
            community, name=args.name, kind=args.kind, gender=args.gender, phone=args.phone,
            joined_on=args.joined, is_informant=args.informant, actor=actor(args),
        ).row  # fmt: skip
        emit(
            args,
            {"id": member.id, "name": member.name},
            f"已登记党员 {member.name}（编号 {member.id}）",
        )
    elif action == "posts":
        overview = posts.overview(community)
        rows = [
            {"post": x.post.name, "needed": x.post.needed, "holders": x.holders,
             "pending": x.pending, "short": x.short}
            for x in overview
        ]  # fmt: skip
        without = [m.name for m in posts.without_post(community)]
        text = "\n".join(
            f"{r['post']}\t{len(r['holders'])}/{r['needed']}"
            + (f"\t缺 {r['short']} 人" if r["short"] else "")
            for r in rows
        )
        text += "\n未定岗：" + ("、".join(without) or "无")
        emit(args, {"posts": rows, "without_post": without}, text)
    elif action == "apply":
        row = posts.apply(args.name, args.post, on=args.on, actor=actor(args)).row
        emit(args, {"assignment": row.id}, f"{row.member.name} 已申报“{row.post.name}”岗位")
    elif action in ("recommend", "confirm"):
        member = members.get_member(args.name, community)
        open_row = posts.open_assignment(member)
        if open_row is None:
            from minqing.core.errors import DomainError

            raise DomainError("post", f"{member.name} 还没有申报岗位，请先 minqing members apply。")
        if action == "recommend":
            row = posts.recommend(open_row, by_name=args.by, on=args.on, actor=actor(args)).row
            emit(
                args,
                {"recommendations": row.recommendations},
                f"已登记推荐，共 {row.recommendations} 人推荐",
            )
        else:
            row = posts.confirm(open_row, on=args.on, term_end=args.term_end, actor=actor(args)).row
            emit(args, {"confirmed_on": row.confirmed_on}, f"{member.name} 已定岗：{row.post.name}")
    elif action == "links":
        rows = [{"name": s.member.name, "missing": s.missing} for s in links.unlinked(community)]
        text = "\n".join(f"{r['name']}\t还差：{'、'.join(r['missing'])}" for r in rows)
        emit(args, rows, text or "全部党员已联系齐。")
    elif action == "quarter":
        lines = commitments.quarter_view(community, args.quarter)
        behind = commitments.outstanding(lines)
        data = {k: [x.member.name for x in v] for k, v in behind.items()}
        data["总人数"] = [str(len(lines))]
        text = "\n".join(
            f"{k}（{len(v)}）：{'、'.join(v) or '无'}" for k, v in data.items() if k != "总人数"
        )
        emit(args, data, text)
    elif action == "pledge":
        row = commitments.pledge(
            args.name, args.quarter, args.text, on=args.on, actor=actor(args)
        ).row
        emit(args, {"commitment": row.id}, f"{row.member.name} 已作出公开承诺（{row.post.name}岗）")
    elif action == "fulfil":
        row = commitments.fulfil(
            _commitment(community, args.name, args.quarter),
            args.what,
            on=args.on,
            case=args.case,
            actor=actor(args),
        ).row
        emit(args, {"state": row.state}, f"已记录 {row.member.name} 的履诺情况")
    elif action == "review":
        leader = find_staff(community, args.by)
        row = commitments.review(
            _commitment(community, args.name, args.quarter),
            args.text,
            reviewer=leader,
            on=args.on,
            actor=actor(args),
        ).row
        emit(args, {"state": row.state}, f"{leader.name} 已点评 {row.member.name} 的承诺")
    return 0
