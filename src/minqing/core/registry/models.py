"""Tables of the registry area (schema version 3): card programmes, enrolments, issued cards
and household visits. Residents and households themselves live in models.py.
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    BooleanField,
    CharField,
    Database,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from minqing.core.models import BaseModel, Case, Household, Resident, Staff


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class Programme(BaseModel):
    """A card programme: the plain 民情连心卡 (no tags: every household) or one of 五彩连心卡."""

    key = CharField(unique=True)  # stable, used on the command line: plain, sunset, …
    code = CharField(default="")  # serial prefix printed on the card
    title = CharField()
    colour = CharField(default="#B71C1C")
    audience = CharField(default="")
    services = TextField(default="")  # one service per line
    tags = TextField(default="")  # resident tag labels, one per line
    sort = IntegerField(default=0)
    active = BooleanField(default=True)

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in (self.tags or "").splitlines() if t.strip()]

    @property
    def service_list(self) -> list[str]:
        return [s.strip() for s in (self.services or "").splitlines() if s.strip()]


class Enrolment(BaseModel):
    """A household or one resident taken into a programme; ending keeps the row as history."""

    programme = ForeignKeyField(Programme, backref="enrolments", on_delete="CASCADE")
    household = ForeignKeyField(Household, backref="enrolments", on_delete="CASCADE")
    resident = ForeignKeyField(Resident, null=True, backref="enrolments", on_delete="SET NULL")
    enrolled_on = DateField()
    by = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    ended_on = DateField(null=True)
    note = TextField(default="")

    class Meta:
        indexes = ((("programme", "household"), False),)


class CardIssue(BaseModel):
    """One card handed out; a reissue points at the card it replaces."""

    programme = ForeignKeyField(Programme, null=True, backref="cards", on_delete="SET NULL")
    household = ForeignKeyField(Household, backref="cards", on_delete="CASCADE")
    resident = ForeignKeyField(Resident, null=True, on_delete="SET NULL")
    serial = CharField(unique=True)
    issued_on = DateField()
    issued_by = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    reissue_of = ForeignKeyField("self", null=True, backref="reissues", on_delete="SET NULL")
    reason = CharField(default="")
    created_at = DateTimeField(default=_now)

    class Meta:
        indexes = ((("household", "programme"), False),)


class Visit(BaseModel):
    """进百家门: a staff member's visit to a household, and what they learned there."""

    household = ForeignKeyField(Household, backref="visits", on_delete="CASCADE")
    visited_on = DateField(index=True)
    staff = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    learned = TextField(default="")
    case = ForeignKeyField(Case, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=_now)

    class Meta:
        indexes = ((("household", "visited_on"), False),)


MODELS: list[type[BaseModel]] = [Programme, Enrolment, CardIssue, Visit]

# The source document's programmes (五彩连心卡) and the plain card every household gets.
DEFAULT_PROGRAMMES: list[dict[str, object]] = [
    dict(
        key="plain",
        code="MQ",
        title="民情连心卡",
        colour="#7B1C2E",
        audience="辖区每一户居民",
        services="有事请拨民情专线，片区工作人员上门服务\n民情信箱每天上午开箱\n接待日当面反映问题",
        tags="",
    ),
    dict(
        key="sunset",
        code="CS",
        title="橙色夕阳卡",
        colour="#EF6C00",
        audience="三无老人、空巢老人",
        services="上门打扫卫生\n日常生活照料",
        tags="三无老人\n空巢老人",
    ),
    dict(
        key="spring",
        code="LS",
        title="绿色春雷卡",
        colour="#2E7D32",
        audience="流动儿童",
        services="免费文艺培训\n课业辅导",
        tags="流动儿童",
    ),
    dict(
        key="heart",
        code="HS",
        title="红色爱心卡",
        colour="#D32F2F",
        audience="下岗失业人员",
        services="职业介绍\n就业指导\n技能培训",
        tags="下岗失业",
    ),
    dict(
        key="helping",
        code="FS",
        title="粉色帮扶卡",
        colour="#F48FB1",
        audience="单亲贫困母亲、妇女",
        services="免费健康检查",
        tags="单亲贫困母亲",
    ),
    dict(
        key="caring",
        code="LA",
        title="蓝色关爱卡",
        colour="#1565C0",
        audience="残疾人",
        services="代缴水电费\n代购生活用品",
        tags="残疾人",
    ),
]


def seed() -> None:
    """The default programmes, for a new file or one brought up to version 3."""
    have = {p.key for p in Programme.select(Programme.key)}
    for sort, values in enumerate(DEFAULT_PROGRAMMES):
        if values["key"] not in have:
            Programme.create(sort=sort, **values)


def migrate(database: Database) -> None:
    database.create_tables(MODELS)
    seed()
