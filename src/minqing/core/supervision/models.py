"""Schema version 4: callbacks (回访) and spot-check draws (随机抽查).

SupervisionCheck itself is in the base schema; these tables hold what the checks need besides:
the resident's verdict on each callback, and each random draw with the cases it picked, so a
draw can be shown to anyone later and nobody can choose the easy cases.
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

from minqing.core.models import BaseModel, Case, Staff, SupervisionCheck, Window


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class Callback(BaseModel):
    """回访: one call or visit to the resident. `satisfaction` None = reached, gave no verdict."""

    case = ForeignKeyField(Case, backref="callbacks", on_delete="CASCADE")
    called_on = DateField(index=True)
    caller = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    method = CharField(default="")
    satisfaction = CharField(null=True)
    resolved = BooleanField()
    note = TextField(default="")
    created_at = DateTimeField(default=_now)

    class Meta:
        indexes = ((("case", "id"), False),)


class SpotCheckDraw(BaseModel):
    """One random draw: the population rule, the seed and a digest of the population drawn from."""

    drawn_at = DateTimeField(default=_now)
    by = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    period_from = DateField()
    period_to = DateField()
    window = ForeignKeyField(Window, null=True, on_delete="SET NULL")
    size = IntegerField()
    seed = CharField()
    population = IntegerField()
    population_digest = CharField()
    case_ids = TextField()  # the drawn ids in draw order, comma separated


class SpotCheckItem(BaseModel):
    draw = ForeignKeyField(SpotCheckDraw, backref="items", on_delete="CASCADE")
    case = ForeignKeyField(Case, backref="spot_items", on_delete="CASCADE", unique=True)
    position = IntegerField()
    check = ForeignKeyField(SupervisionCheck, null=True, on_delete="SET NULL")


MODELS: list[type[BaseModel]] = [Callback, SpotCheckDraw, SpotCheckItem]


def migrate(database: Database) -> None:
    database.create_tables(MODELS)
