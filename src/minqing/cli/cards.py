"""`minqing cards issue --programme … [--grid …] [--out FILE.pdf]` and `minqing cards status`:
record the cards handed out (serial, date, who) and print them on card sheets."""

from __future__ import annotations

import argparse

from minqing.cli import actor, date_arg, emit, open_db


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("cards", help="连心卡：发卡登记、各卡发放情况")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    issue = actions.add_parser(
        "issue", help="给还没有这种卡的住户发卡（五彩连心卡只发给已登记的住户）"
    )
    issue.add_argument("--programme", default="plain", help="民情连心卡（默认）或 橙色夕阳卡 等")
    issue.add_argument("--grid", help="只发这个片区")
    issue.add_argument("--date", type=date_arg, help="发卡日期（默认今天）")
    issue.add_argument("--staff", help="发卡人（姓名或编号）")
    issue.add_argument("--out", help="同时打印这批卡到 PDF")
    issue.set_defaults(func=_issue)
    status = actions.add_parser("status", help="每种卡：登记户数、已发卡、尚未发卡")
    status.set_defaults(func=_status)


def _issue(args: argparse.Namespace) -> int:
    from minqing.core.community import find_staff, the_community
    from minqing.core.errors import DomainError
    from minqing.core.outreach import programmes
    from minqing.printing.data import find_grid

    if args.out and not args.out.lower().endswith(".pdf"):
        raise DomainError("out", "输出文件名应以 .pdf 结尾。")
    open_db(args)
    community = the_community()
    prog = programmes.get_programme(args.programme)
    grid = find_grid(community, args.grid) if args.grid else None
    staff = find_staff(community, args.staff) if args.staff else None
    made = programmes.issue_cards(
        prog, community, grid, on=args.date, by=staff or actor(args), actor=actor(args)
    )
    data: dict[str, object] = {
        "programme": prog.title,
        "issued": len(made),
        "serials": [c.serial for c in made],
    }
    text = f"{prog.title}：新发 {len(made)} 张" + (
        f"（{made[0].serial} … {made[-1].serial}）" if made else "（没有需要发卡的住户）"
    )
    if args.out and made:
        from minqing.printing import documents

        result = documents.print_cards(
            args.out, grid=args.grid, programme=prog.key, actor=actor(args)
        )
        data["out"] = str(result.path)
        text += f"\n已生成 {result.path}（{result.pages} 页，{result.items} 张）"
    emit(args, data, text)
    return 0


def _status(args: argparse.Namespace) -> int:
    from minqing.core.community import the_community
    from minqing.core.outreach import programmes

    open_db(args)
    community = the_community()
    rows = [programmes.summary(p, community) for p in programmes.programmes()]
    emit(
        args,
        [
            dict(
                programme=s.programme.title,
                enrolled=s.enrolled,
                eligible=s.eligible,
                cards=s.cards,
                without_card=s.without_card,
            )
            for s in rows
        ],
        "\n".join(
            f"{s.programme.title}：登记 {s.enrolled} 户，待登记 {s.eligible} 人，"
            f"持卡 {s.cards} 户，未发卡 {s.without_card} 户"
            for s in rows
        ),
    )
    return 0
