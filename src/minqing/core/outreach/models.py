"""Tables of the outreach area (schema version 5): leaders' diaries, reception days with the
people on duty, and the city hotline's (12345) work orders behind imported cases.

Cases themselves stay in models.py; these tables point at them, so a diary entry or a work
order can be traced to its case and the case list needs no new columns.
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    CharField,
    Database,
    DateField,
    DateTimeField,
    ForeignKeyField,
    TextField,
    TimeField,
)

from minqing.core.models import BaseModel, Case, Community, Staff


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class DiaryEntry(BaseModel):
    """民情日记: what a leader heard or saw on a given day; it may lead to a case."""

    community = ForeignKeyField(Community, backref="diary", on_delete="CASCADE")
    written_on = DateField(index=True)
    author = ForeignKeyField(Staff, backref="diary")
    text = TextField()
    case = ForeignKeyField(
        Case, null=True, unique=True, backref="diary_entries", on_delete="SET NULL"
    )
    created_at = DateTimeField(default=_now)


class ReceptionDay(BaseModel):
    """接待日: one session — the Tuesday-morning 两代表一委员 reception or a leaders' reception."""

    community = ForeignKeyField(Community, backref="reception_days", on_delete="CASCADE")
    date = DateField(index=True)
    kind = CharField()  # reception.ReceptionKind
    starts = TimeField()
    ends = TimeField()
    place = CharField(default="")
    note = TextField(default="")

    class Meta:
        indexes = ((("community", "date", "kind"), True),)


class ReceptionDuty(BaseModel):
    """Who receives residents in a session: a representative, a committee member or a leader."""

    day = ForeignKeyField(ReceptionDay, backref="duty", on_delete="CASCADE")
    person = CharField()
    role = CharField(default="")  # 人大代表 / 政协委员 / 社区书记 …
    staff = ForeignKeyField(Staff, null=True, on_delete="SET NULL")


class CityOrder(BaseModel):
    """A work order dispatched down from the city hotline (12345), imported as a case."""

    case = ForeignKeyField(Case, unique=True, backref="city_orders", on_delete="CASCADE")
    order_number = CharField(unique=True)
    received_on = DateTimeField()
    deadline = DateField(null=True)
    raw = TextField(default="{}")  # the row as the city sent it (JSON), header → text
    imported_at = DateTimeField(default=_now)


MODELS: list[type[BaseModel]] = [DiaryEntry, ReceptionDay, ReceptionDuty, CityOrder]


def migrate(database: Database) -> None:
    database.create_tables(MODELS)
