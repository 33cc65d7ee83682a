"""The demo's programme enrolments, issued cards and a year of household visits.

Made from the demo's own people: enrolments come from the tags (eligibility), the plain card
reached most households, a few cards were lost and reissued, and the visit round of the
reference year is unfinished, unevenly per grid, so coverage and the to-visit list show
something true. Visits also stand behind the demo's cases that came in by household visit.
"""

from __future__ import annotations

import datetime as dt
import random

from minqing.core.models import Case, Community, Grid, Household, Resident
from minqing.core.outreach import programmes
from minqing.core.registry.models import CardIssue, Enrolment, Programme, Visit
from minqing.core.storage.bulk import insert

ENROL_SHARE = 0.8
PLAIN_SHARE = 0.93
CARD_SHARE = 0.85
REISSUE_SHARE = 0.02
LEARNED = (
    "家中一切正常，宣传了社区医保和暖气补助政策。",
    "老人身体尚好，子女每周来看望，留了片区民情专线。",
    "反映楼道堆放杂物，已当场劝说清理。",
    "询问小额担保贷款办理条件，已讲解所需材料。",
    "家中无人，在门上留了民情连心卡和联系电话。",
    "了解到孩子上学路远，已记录，暂无其他困难。",
    "低保复核材料已齐全，提醒按时提交。",
    "宣传了“法律进社区”讲座时间，居民表示会参加。",
)


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def add(community: Community, seed: int, reference: dt.date) -> None:

    rng = random.Random(f"{seed}:registry")
    staff_of = {g.id: g.staff_id for g in Grid.select().where(Grid.community == community)}
    alive = Resident.select(Resident.household).where(Resident.status == "active")
    homes = list(
        Household.select(Household.id, Household.grid)
        .where((Household.community == community) & Household.id.in_(alive))
        .order_by(Household.id)
        .tuples()
    )
    grid_of = dict(homes)
    year_start = dt.date(reference.year, 1, 1)
    made = dt.datetime.combine(reference, dt.time(9))
    last_year = reference - dt.timedelta(days=365)

    enrolled: list[tuple[int, int, int, dt.date]] = []  # programme, household, staff, day
    rows = []
    for prog in Programme.select().where(Programme.key != programmes.PLAIN_KEY):
        seen: set[int] = set()
        for item in programmes.eligible(prog):
            if item.household_id in seen or rng.random() > ENROL_SHARE:
                continue
            seen.add(item.household_id)
            staff = staff_of.get(grid_of.get(item.household_id))
            day = _day(rng, last_year, reference)
            rows.append((prog.id, item.household_id, item.resident_id, day, staff, ""))
            enrolled.append((prog.id, item.household_id, staff or 0, day))
    insert(Enrolment, ["programme", "household", "resident", "enrolled_on", "by", "note"], rows)

    codes = {p.id: p.code for p in Programme.select()}
    cards = []
    for hid, grid in homes:
        if rng.random() < PLAIN_SHARE:
            day = _day(rng, reference - dt.timedelta(days=500), reference - dt.timedelta(days=200))
            cards.append(
                (None, hid, f"MQ{day.year % 100:02d}-{hid:05d}", day, staff_of.get(grid), "", made)
            )
    for prog_id, hid, staff, since in enrolled:
        if rng.random() < CARD_SHARE:
            day = _day(rng, since, min(since + dt.timedelta(days=30), reference))
            serial = f"{codes[prog_id]}{day.year % 100:02d}-{hid:05d}"
            cards.append((prog_id, hid, serial, day, staff or None, "", made))
    columns = ["programme", "household", "serial", "issued_on", "issued_by", "reason", "created_at"]
    insert(CardIssue, columns, cards)
    lost = [
        c
        for c in CardIssue.select(
            CardIssue.id,
            CardIssue.programme,
            CardIssue.household,
            CardIssue.serial,
            CardIssue.issued_on,
            CardIssue.issued_by,
        )
        .order_by(CardIssue.id)
        .tuples()
        if rng.random() < REISSUE_SHARE
    ]
    insert(
        CardIssue,
        [*columns, "reissue_of"],
        [
            (
                programme,
                household,
                f"{serial}-2",
                _day(rng, issued_on, reference),
                issued_by,
                rng.choice(("丢失", "损坏", "搬家后找不到")),
                made,
                card,
            )
            for card, programme, household, serial, issued_on, issued_by in lost
        ],
    )

    visits = []
    case_visits = (
        Case.select(Case.id, Case.household, Case.intake_date, Case.first_responder)
        .where((Case.community == community) & (Case.channel == "home_visit"))
        .where(Case.household.is_null(False))
        .tuples()
    )
    for case_id, hid, day, staff in case_visits:
        visits.append((hid, day, staff, "入户走访时居民反映问题，已登记为民情件。", case_id, made))
    rates = {g: rng.uniform(0.5, 0.97) for g in staff_of}
    for hid, grid in homes:
        staff = staff_of.get(grid)
        if rng.random() < 0.6:
            day = _day(rng, last_year, year_start - dt.timedelta(days=1))
            visits.append((hid, day, staff, rng.choice(LEARNED), None, made))
        if rng.random() < rates.get(grid, 0.7):
            day = _day(rng, year_start, reference)
            visits.append((hid, day, staff, rng.choice(LEARNED), None, made))
    visits.sort(key=lambda v: (v[1], v[0]))
    insert(Visit, ["household", "visited_on", "staff", "learned", "case", "created_at"], visits)
