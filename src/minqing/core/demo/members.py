"""The demo's party branch, as the source document describes it: 40 members of every kind on
the nine posts, their three links, a quarter of public commitments in every state, the
informants who filed the demo's 民情信息员 cases, and a few citizen monitors.

Made through the member services (so every row and event is as the program would make it),
from its own random stream, dated up to the reference date.
"""

from __future__ import annotations

import datetime as dt
import random

from minqing.core.demo.people import PeopleMaker
from minqing.core.members import commitments, links, posts
from minqing.core.members import services as members
from minqing.core.members.models import Member
from minqing.core.members.services import MemberKind
from minqing.core.models import Case, Community, Household, Staff

MEMBERS = 40
KINDS = (
    [MemberKind.RETIRED] * 14
    + [MemberKind.LAID_OFF] * 6
    + [MemberKind.MOBILE] * 4
    + [MemberKind.EMPLOYED] * 8
    + [MemberKind.VETERAN] * 4
    + [MemberKind.GRADUATE] * 4
)
MONITORS = 5

PLEDGES = {
    "政策宣讲": "每月在{yard}宣讲一次低保、医保和再就业政策，把群众的疑问带回社区",
    "帮扶助困": "每月至少两次走访联系的困难户，帮助代缴水电费、代购生活用品",
    "民事帮教": "协助调解{yard}的邻里纠纷，每月与帮教对象谈心一次",
    "平安安全": "每周参加两次夜间巡逻，排查{yard}楼道的火灾隐患",
    "美化环境": "每月10、20、30日环境卫生整治日带头清扫{yard}楼道和院落",
    "文体组织": "组织{yard}居民参加秧歌队和太极拳晨练，筹备节日演出",
    "科普宣传": "每月出一期黑板报，宣传防诈骗和冬季取暖安全知识",
    "文明监督": "劝导乱堆乱放和不文明养犬，发现问题及时报告社区",
    "革命传统教育": "给社区青少年讲一次革命传统故事，组织参观纪念馆",
}
DEEDS = {
    "政策宣讲": ["在{yard}宣讲医保政策，解答居民问题12个", "入户讲解暖气补助申请办法"],
    "帮扶助困": ["为联系的困难户代缴水电费", "陪同空巢老人就医取药", "帮助困难户申请暖气补助"],
    "民事帮教": ["调解{yard}楼上漏水引起的纠纷", "与帮教对象谈心，帮助联系就业"],
    "平安安全": ["夜间巡逻四次，发现并报告楼道堆放杂物", "检查{yard}灭火器，更换过期两具"],
    "美化环境": ["环境卫生整治日清理{yard}楼道", "组织居民清除小广告"],
    "文体组织": ["组织秧歌队排练三次", "组织太极拳晨练，参加40余人"],
    "科普宣传": ["出黑板报一期：防范电信诈骗", "发放冬季取暖安全宣传单200份"],
    "文明监督": ["劝导乱停车五起", "报告占道经营问题，已由社区协调解决"],
    "革命传统教育": ["给马家溝小学学生讲革命故事", "组织老党员座谈会"],
}
REVIEWS = [
    "履诺认真，群众反映好，望继续保持。",
    "承诺事项全部兑现，起到了带头作用。",
    "能结合岗位为群众办实事，下季度可在帮带新党员上再下功夫。",
    "按时履诺，记录完整，群众满意。",
]


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def build_branch(community: Community, seed: int, reference: dt.date) -> None:
    rng = random.Random(f"{seed}:members")
    maker = PeopleMaker(rng, reference)
    limit = min(reference, dt.date.today())
    quarter = commitments.quarter_of(limit)
    leaders = list(
        Staff.select()
        .where((Staff.community == community) & (Staff.role == "leader"))
        .order_by(Staff.id)
    )
    actor = leaders[0] if leaders else None
    homes = [
        hid
        for (hid,) in Household.select(Household.id)
        .where(Household.community == community)
        .order_by(Household.id)
        .tuples()
    ]
    kinds = list(KINDS)
    rng.shuffle(kinds)
    branch: list[Member] = []
    for kind in kinds:
        person = maker.person(
            rng.randint(60, 78) if kind == MemberKind.RETIRED else rng.randint(24, 58)
        )
        home = Household.get_by_id(rng.choice(homes))
        joined = person.birth.replace(year=person.birth.year + rng.randint(19, 24), day=1)
        branch.append(
            members.add_member(
                community, name=person.name, kind=kind, gender=person.gender, phone=person.phone,
                household=home, joined_on=min(joined, limit), actor=actor,
                is_informant=kind != MemberKind.EMPLOYED and rng.random() < 0.7,
            ).row
        )  # fmt: skip
    for _ in range(MONITORS):
        person = maker.person(rng.randint(45, 70))
        members.add_monitor(
            community, name=person.name, phone=person.phone,
            appointed_on=limit - dt.timedelta(days=rng.randint(200, 500)),
        )  # fmt: skip

    # 设岗定责: 37 hold a post, 2 are on the way (applied, one recommended), 1 has none.
    slots = [p for p in posts.posts() for _ in range(p.needed)]
    rng.shuffle(slots)
    start = quarter.start - dt.timedelta(days=300)
    for i, member in enumerate(branch[:39]):
        applied = _day(rng, start, start + dt.timedelta(days=20))
        a = posts.apply(member, slots[i], on=applied, actor=actor).row
        if i >= 38:
            continue
        for _ in range(rng.randint(1, 4)):
            who = maker.person(rng.randint(30, 75)).name
            posts.recommend(
                a, by_name=f"居民{who}", on=applied + dt.timedelta(days=rng.randint(3, 12))
            )
        if i < 37:
            posts.confirm(a, on=applied + dt.timedelta(days=30), by=actor, actor=actor)

    # 三联系: the nearest groups, poor household and person in rehabilitation still free.
    for member in branch:
        since = _day(rng, start, start + dt.timedelta(days=60))
        for kind, count in (
            ("group", rng.choice([1, 2, 2])),
            ("poor_household", 1),
            ("rehabilitation", 1),
        ):
            if rng.random() < 0.08:
                continue  # a few links still to be made: the panel shows them
            for row, _label in links.propose(member, kind, limit=count):
                links.link(member, kind, row, since=since, actor=actor)

    _informant_cases(community, branch, rng)
    _quarter(branch, quarter, limit, leaders, rng)


def _informant_cases(community: Community, branch: list[Member], rng: random.Random) -> None:
    """The demo's 民情信息员 cases, credited to the informants who filed them."""
    informants = [m for m in branch if m.is_informant]
    ids = [
        c.id
        for c in Case.select(Case.id)
        .where((Case.community == community) & (Case.channel == "informant"))
        .order_by(Case.id)
    ]
    by_member: dict[int, list[int]] = {}
    for cid in ids:
        by_member.setdefault(rng.choice(informants).id, []).append(cid)
    for mid, case_ids in by_member.items():
        Case.update(informant=mid).where(Case.id.in_(case_ids)).execute()


def _quarter(
    branch: list[Member], quarter: commitments.Quarter, limit: dt.date, leaders: list[Staff],
    rng: random.Random,
) -> None:  # fmt: skip
    """Every state: a few not yet committed, some pledged, some fulfilled, most reviewed."""
    holding = [(m, posts.current_post(m, quarter.start)) for m in branch]
    holding = [(m, p) for m, p in holding if p is not None]
    for n, (member, post) in enumerate(holding):
        if n % 12 == 11:
            continue  # not yet committed
        yard = member.household.courtyard if member.household_id else "社区"
        pledged = quarter.start - dt.timedelta(days=rng.randint(0, 10))
        c = commitments.pledge(
            member, quarter, PLEDGES[post.name].format(yard=yard), on=pledged,
            leads=None if rng.random() < 0.7 else rng.sample(list(commitments.FiveLead), 3),
        ).row  # fmt: skip
        if n % 4 == 0 or limit <= pledged:
            continue  # pledged only
        first = max(pledged + dt.timedelta(days=1), quarter.start)
        deeds = rng.sample(DEEDS[post.name], rng.randint(1, len(DEEDS[post.name])))
        days = sorted(_day(rng, first, limit) for _ in deeds)
        filed = list(
            Case.select().where(
                (Case.informant == member.id) & (Case.stage == "closed")
                & (Case.intake_date >= quarter.start) & (Case.intake_date <= limit)
            ).limit(1)
        )  # fmt: skip
        for i, (day, deed) in enumerate(zip(days, deeds, strict=True)):
            deed = deed.format(yard=yard)
            if i == 0 and filed:
                deed, day = (
                    "及时反映居民诉求，协助社区办结",
                    max(day, filed[0].intake_date),
                )
            commitments.fulfil(c, deed, on=day, case=filed[0] if i == 0 and filed else None)
        if n % 4 == 1 or not leaders:
            continue  # fulfilled, not yet reviewed
        last = max(f.on for f in c.fulfilments)
        commitments.review(
            c, rng.choice(REVIEWS), reviewer=rng.choice(leaders), on=_day(rng, last, limit)
        )
