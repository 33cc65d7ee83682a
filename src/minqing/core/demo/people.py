"""The people of the demo 中和社区: courtyards, households, residents, their ID numbers and tags.

Everything here is pure Python from one `random.Random`, so a seed gives the same people
byte for byte; the caller inserts the rows.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from itertools import accumulate
from operator import mul

from minqing.core.names import initials

HOUSEHOLDS = 3690
RESIDENTS = 11136
COURTYARDS = 23
BUILDINGS = 48
UNITS = 221
GRIDS = 12
ALLOWANCE_HOUSEHOLDS = 641  # 低保户
ALLOWANCE_PEOPLE = 1593

# The source names the streets around the community and a few addresses inside it.
COURTYARD_NAMES = [
    "中和小区",
    "比乐小区",
    "龙电花园",
    "中和街21号",
    "比乐街25号",
    "永新街46号",
    "人和街14号",
    "人和街5号",
    "永新街4号",
    "宣化街118号",
    "宣化街126号",
    "大成街73号",
    "大成街81号",
    "崇德街9号",
    "崇德街17号",
    "建新街32号",
    "建新街40号",
    "中和街35号",
    "比乐街7号",
    "永新街22号",
    "人和街30号",
    "大成街95号",
    "崇德街29号",
]

# Common surnames with rough weights (per mille of the population, north-east China leaning).
SURNAMES: list[tuple[str, int]] = [
    ("王", 90),
    ("李", 85),
    ("张", 80),
    ("刘", 70),
    ("陈", 35),
    ("杨", 35),
    ("赵", 35),
    ("孙", 30),
    ("于", 22),
    ("周", 20),
    ("吴", 18),
    ("徐", 18),
    ("马", 18),
    ("高", 18),
    ("朱", 14),
    ("胡", 12),
    ("郭", 14),
    ("林", 8),
    ("何", 8),
    ("罗", 7),
    ("宋", 12),
    ("郑", 10),
    ("梁", 9),
    ("谢", 8),
    ("韩", 12),
    ("唐", 8),
    ("冯", 9),
    ("董", 10),
    ("曹", 8),
    ("许", 8),
    ("邓", 6),
    ("田", 9),
    ("姜", 12),
    ("曲", 6),
    ("魏", 8),
    ("齐", 6),
    ("孟", 7),
    ("汤", 4),
    ("刁", 3),
    ("崔", 9),
    ("范", 6),
    ("白", 6),
    ("鲍", 3),
    ("单", 3),
    ("曾", 3),
    ("解", 2),
    ("翟", 2),
    ("欧阳", 1),
    ("司马", 1),
]
MALE_CHARS = (
    "伟刚勇军杰涛明强磊洋斌波辉鹏宇浩俊峰建国平东文华志海振庆春成龙亮林宏兵"
    "鑫超飞凯德坤晨博阳瑞毓吉万福喜贵山铁柱长江永胜德才宝"
)
FEMALE_CHARS = (
    "丽娟敏静艳芳秀英玉兰桂珍红霞燕萍洁琳婷雪梅莉娜颖慧倩悦春凤琴云霞晶月欣怡佳淑华荣翠桃爽秋菊"
)
RARE_CHARS = "䶮㛃堃喆玥珺昳犇淼"

# 哈尔滨's districts exist (for stdnum's check of the code against the birth year) from 1983;
# older residents carry the city's own code. Migrants come from other cities of the province.
LOCAL_REGIONS = ["230103", "230103", "230102", "230104", "230108"]
LOCAL_BEFORE_1983 = "230100"
OTHER_REGIONS = ["230200", "230300", "230400", "230500", "230600", "230722"]
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
]

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    """GB 11643: weighted sum of the first 17 digits mod 11 picks the check character."""
    if len(first17) != len(ID_WEIGHTS):
        raise ValueError(f"an ID number's body has 17 digits, not {len(first17)}")
    return ID_CHECK[sum(map(mul, map(int, first17), ID_WEIGHTS)) % 11]


@dataclass
class Unit:
    courtyard: str
    building: str
    unit: str
    grid: int
    households: int = 0


@dataclass
class Person:
    surname: str
    name: str
    gender: str  # 男 / 女
    birth: dt.date
    id_number: str
    phone: str
    initials: str
    tags: list[str] = field(default_factory=list)


@dataclass
class Home:
    courtyard: str
    building: str
    unit: str
    door: str
    grid: int
    people: list[Person] = field(default_factory=list)


def spread(
    total: int, parts: int, rng: random.Random, low: float = 0.6, high: float = 1.4
) -> list[int]:
    """Split `total` into `parts` uneven positive integers that add up exactly."""
    weights = [rng.uniform(low, high) for _ in range(parts)]
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    out = [max(1, int(r)) for r in raw]
    order = sorted(range(parts), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    k = 0
    while sum(out) < total:
        out[order[k % parts]] += 1
        k += 1
    while sum(out) > total:
        i = max(range(parts), key=lambda j: out[j])
        out[i] -= 1
    return out


def units_layout(rng: random.Random) -> list[Unit]:
    """23 courtyards, 48 buildings, 221 units, and how many households each unit holds."""
    buildings_per = spread(BUILDINGS, COURTYARDS, rng, 0.3, 1.7)
    buildings: list[tuple[str, str, int]] = []
    for c, count in enumerate(buildings_per):
        grid = c * GRIDS // COURTYARDS
        buildings += [(COURTYARD_NAMES[c], str(b + 1), grid) for b in range(count)]
    units_per = spread(UNITS, BUILDINGS, rng)
    units = [
        Unit(courtyard, building, str(u + 1), grid)
        for (courtyard, building, grid), count in zip(buildings, units_per, strict=True)
        for u in range(count)
    ]
    for unit, count in zip(units, spread(HOUSEHOLDS, UNITS, rng, 0.7, 1.3), strict=True):
        unit.households = count
    return units


class PeopleMaker:
    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.ids: set[str] = set()
        self.surnames = [s for s, _ in SURNAMES]
        self.surname_weights = [w for _, w in SURNAMES]
        self.surname_cum_weights = list(accumulate(self.surname_weights))  # what choices sums

    def phone(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def given(self, gender: str) -> str:
        pool = MALE_CHARS if gender == "男" else FEMALE_CHARS
        if self.rng.random() < 0.004:
            pool = RARE_CHARS
        first = self.rng.choice(pool)
        if self.rng.random() < 0.3:
            return first
        return first + self.rng.choice(MALE_CHARS if gender == "男" else FEMALE_CHARS)

    def id_number(self, birth: dt.date, gender: str, local: bool) -> str:
        if not local:
            region = self.rng.choice(OTHER_REGIONS)
        elif birth.year < 1983:
            region = LOCAL_BEFORE_1983
        else:
            region = self.rng.choice(LOCAL_REGIONS)
        while True:
            seq = self.rng.randrange(500) * 2 + (1 if gender == "男" else 0)
            body = f"{region}{birth.year:04d}{birth.month:02d}{birth.day:02d}{seq:03d}"
            number = body + id_check_digit(body)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def person(
        self, age: int, gender: str | None = None, surname: str | None = None, local: bool = True
    ) -> Person:
        rng = self.rng
        gender = gender or rng.choice("男女")
        surname = surname or rng.choices(self.surnames, cum_weights=self.surname_cum_weights)[0]
        birth = self.today - dt.timedelta(days=age * 365 + rng.randrange(365))
        name = surname + self.given(gender)
        phone = self.phone() if 16 <= age <= 80 or rng.random() < 0.3 else ""
        return Person(
            surname,
            name,
            gender,
            birth,
            self.id_number(birth, gender, local),
            phone,
            initials(name),
        )

    def family(self, size: int) -> list[Person]:
        """A plausible household: a head, maybe a spouse, children or an elderly parent."""
        rng = self.rng
        local = rng.random() > 0.08
        head_age = rng.choices(
            [rng.randint(24, 40), rng.randint(41, 60), rng.randint(61, 88)], [3, 4, 3]
        )[0]
        head = self.person(head_age, local=local)
        people = [head]
        if size >= 2:
            spouse_gender = "女" if head.gender == "男" else "男"
            people.append(
                self.person(max(20, head_age + rng.randint(-4, 4)), spouse_gender, local=local)
            )
        for _ in range(size - len(people)):
            if head_age >= 62 or (head_age > 40 and rng.random() < 0.3):
                age = max(1, head_age - rng.randint(24, 34))
            elif rng.random() < 0.25 and head_age < 55:
                age = head_age + rng.randint(24, 32)
            else:
                age = max(0, head_age - rng.randint(23, 36))
            surname = head.surname if rng.random() < 0.8 else None
            people.append(self.person(age, surname=surname, local=local))
        return people


def household_sizes(rng: random.Random) -> list[int]:
    sizes = rng.choices([1, 2, 3, 4, 5, 6], [12, 26, 33, 17, 8, 4], k=HOUSEHOLDS)
    while sum(sizes) != RESIDENTS:
        i = rng.randrange(HOUSEHOLDS)
        if sum(sizes) < RESIDENTS and sizes[i] < 6:
            sizes[i] += 1
        elif sum(sizes) > RESIDENTS and sizes[i] > 1:
            sizes[i] -= 1
    return sizes


def age_of(person: Person, today: dt.date) -> int:
    return (today - person.birth).days // 365


def make_people(seed: int, today: dt.date) -> list[Home]:
    rng = random.Random(f"{seed}:people")
    maker = PeopleMaker(rng, today)
    sizes = household_sizes(rng)
    homes: list[Home] = []
    k = 0
    for unit in units_layout(rng):
        per_floor = 2 if unit.households <= 14 else 3
        for j in range(unit.households):
            door = f"{j // per_floor + 1}{j % per_floor + 1:02d}"
            homes.append(
                Home(
                    unit.courtyard,
                    unit.building,
                    unit.unit,
                    door,
                    unit.grid,
                    maker.family(sizes[k]),
                )
            )
            k += 1
    tag_people(homes, rng, today)
    return homes


def tag_people(homes: list[Home], rng: random.Random, today: dt.date) -> None:
    """Tags in the source's proportions: 641 低保 households holding exactly 1,593 people."""
    order = list(range(len(homes)))
    rng.shuffle(order)
    chosen, rest = order[:ALLOWANCE_HOUSEHOLDS], order[ALLOWANCE_HOUSEHOLDS:]
    total = sum(len(homes[i].people) for i in chosen)
    while total != ALLOWANCE_PEOPLE:
        a, b = rng.randrange(len(chosen)), rng.randrange(len(rest))
        delta = len(homes[rest[b]].people) - len(homes[chosen[a]].people)
        if delta and abs(total + delta - ALLOWANCE_PEOPLE) < abs(total - ALLOWANCE_PEOPLE):
            total += delta
            chosen[a], rest[b] = rest[b], chosen[a]
    for i in chosen:
        for person in homes[i].people:
            person.tags.append("低保")
    alone = 0
    for home in homes:
        ages = [age_of(p, today) for p in home.people]
        if min(ages) >= 65 and rng.random() < 0.6:
            for person in home.people:
                person.tags.append("空巢老人")
            if len(home.people) == 1 and alone < 12 and rng.random() < 0.15:
                home.people[0].tags.append("三无老人")
                alone += 1
        for person, age in zip(home.people, ages, strict=True):
            if rng.random() < 0.015:
                person.tags.append("残疾人")
            if age < 16 and person.id_number[:4] != "2301" and rng.random() < 0.8:
                person.tags.append("流动儿童")
            if 35 <= age <= 55 and rng.random() < 0.05:
                person.tags.append("下岗失业")
            if 18 <= age <= 60 and rng.random() < 0.003:
                person.tags.append("康复人员")
        mothers = [
            p for p, a in zip(home.people, ages, strict=True) if p.gender == "女" and 25 <= a <= 55
        ]
        if (
            len(home.people) == 2
            and mothers
            and "低保" in home.people[0].tags
            and rng.random() < 0.25
        ):
            mothers[0].tags.append("单亲贫困母亲")
