"""The demo's diaries and reception days: a year of leaders' diary entries (each demo case of
channel 民情日记 has the entry it came from, the rest are notes that led to nothing), the
Tuesday-morning 两代表一委员 reception with the people on duty, and the leaders' weekly one.

Called at the end of every build: reception days are made once, and diary cases added by a
top-up get their entries then. The same seed gives the same rows.
"""

from __future__ import annotations

import datetime as dt
import random

from minqing.core.channels import reception
from minqing.core.channels.reception import Duty, ReceptionKind
from minqing.core.enums import Channel
from minqing.core.models import Case, Community, Staff
from minqing.core.outreach.models import DiaryEntry, ReceptionDay

# 徐道荣 and 王江荣 are named in the source document; the party deputy is invented.
DEPUTIES = [Duty("徐道荣", "人大代表"), Duty("王江荣", "政协委员"), Duty("刘桂芝", "党代表")]
STATION = "两代表一委员联络服务站"
HALL = "社区居务大厅"
AHEAD = 8 * 7  # days of schedule after the reference date

NOTES = (
    "走访{place}，居民反映楼道里堆放杂物较多，已提醒楼长组织清理。",
    "在{place}和几位老人聊天，大家关心今年供暖什么时候开始。",
    "{place}的健身器材有松动，记下来请物业检查。",
    "看望{place}的空巢老人，身体尚好，子女每周来一次。",
    "{place}门口晚上停车乱，居民希望划线。先观察一周。",
    "参加{place}居民小组会，讨论文明养犬公约，大家基本同意。",
    "{place}有居民询问再就业培训报名时间，已告知社区居务大厅。",
    "路过{place}，垃圾清运及时，环境比上月好。",
    "{place}的低保户反映冬季取暖费有困难，需进一步了解。",
    "与{place}的民情信息员碰头，本周没有新的矛盾纠纷。",
)
PLACES = ("中和街21号", "比乐街25号", "永新街46号", "人和街14号", "公园巷", "石洞小学门口")


def add(community: Community, seed: int, reference: dt.date) -> None:
    rng = random.Random(f"{seed}:outreach")
    leaders = list(
        Staff.select()
        .where((Staff.community == community) & (Staff.role == "leader"))
        .order_by(Staff.id)
    )
    if not leaders:
        return
    if not ReceptionDay.select().where(ReceptionDay.community == community).exists():
        _receptions(community, leaders, reference)
        _notes(community, leaders, rng, reference)
    _diary_cases(community)


def _receptions(community: Community, leaders: list[Staff], reference: dt.date) -> None:
    first, last = reference - dt.timedelta(days=365), reference + dt.timedelta(days=AHEAD)
    titles = ["社区书记", "社区主任"]
    rota = [
        [DEPUTIES[0], DEPUTIES[1], Duty(leaders[0].name, titles[0], leaders[0].id)],
        [DEPUTIES[2], DEPUTIES[0], Duty(leaders[-1].name, titles[-1], leaders[-1].id)],
    ]
    reception.schedule_weekly(
        community, first, last, weekday=1, place=STATION, rota=rota
    )  # 每周二上午
    reception.schedule_weekly(
        community,
        first,
        last,
        weekday=3,
        kind=ReceptionKind.LEADERS,
        starts=dt.time(14, 30),
        ends=dt.time(17, 0),
        place=HALL,
        rota=[[Duty(s.name, titles[min(i, 1)], s.id)] for i, s in enumerate(leaders)],
    )


def _notes(
    community: Community, leaders: list[Staff], rng: random.Random, reference: dt.date
) -> None:
    """About two notes a week over the year that did not become cases."""
    rows = []
    for back in range(365, 0, -1):
        day = reference - dt.timedelta(days=back)
        if day.weekday() < 5 and rng.random() < 0.4:
            text = rng.choice(NOTES).format(place=rng.choice(PLACES))
            rows.append(
                {
                    "community": community.id,
                    "written_on": day,
                    "author": rng.choice(leaders).id,
                    "text": text,
                }
            )
    if rows:
        DiaryEntry.insert_many(rows).execute()


def _diary_cases(community: Community) -> None:
    """Each diary case gets its entry: written by its first responder on its intake day."""
    linked = DiaryEntry.select(DiaryEntry.case).where(DiaryEntry.case.is_null(False))
    rows = [
        {
            "community": community.id,
            "written_on": c.intake_date,
            "author": c.first_responder_id,
            "text": c.text,
            "case": c.id,
        }
        for c in Case.select(Case.id, Case.intake_date, Case.first_responder, Case.text)
        .where(
            (Case.community == community)
            & (Case.channel == Channel.DIARY.value)
            & Case.id.not_in(linked)
        )
        .order_by(Case.id)
    ]
    for start in range(0, len(rows), 500):
        DiaryEntry.insert_many(rows[start : start + 500]).execute()
