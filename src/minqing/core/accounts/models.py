"""Schema version 7: staff accounts, the audit history of residents and accounts, the export log.

An Account belongs to one Staff row (whose role decides what it may do); only a slow salted
hash of the password is kept. AuditEvent and ExportLog are append-only like case_event: the
database itself refuses to change or delete them, so the history can be trusted.
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    BooleanField,
    CharField,
    Database,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    PostgresqlDatabase,
    SqliteDatabase,
    TextField,
)

from minqing.core.models import BaseModel, Staff


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class Account(BaseModel):
    staff = ForeignKeyField(Staff, unique=True, backref="accounts", on_delete="CASCADE")
    username = CharField(unique=True)
    password_hash = CharField()
    failed_count = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    last_login_at = DateTimeField(null=True)
    must_change_password = BooleanField(default=False)
    created_at = DateTimeField(default=_now)


class AuditEvent(BaseModel):
    """Who changed what outside the case and member histories: residents, households, accounts.

    `table` and `row_id` name the record (no foreign key: the history outlives the row)."""

    at = DateTimeField(default=_now, index=True)
    actor = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    actor_name = CharField(default="")
    table = CharField()
    row_id = IntegerField()
    label = CharField(default="")  # the record as a person reads it: a name or an address
    kind = CharField()
    field = CharField(default="")
    old = TextField(default="")
    new = TextField(default="")
    note = TextField(default="")


class ExportLog(BaseModel):
    """Every export or print that carries residents' personal data: who, when, what, where."""

    at = DateTimeField(default=_now, index=True)
    actor = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    actor_name = CharField(default="")
    what = CharField()
    rows = IntegerField(default=0)
    path = TextField(default="")


MODELS: list[type[BaseModel]] = [Account, AuditEvent, ExportLog]
APPEND_ONLY = ["audit_event", "export_log"]


def setup(database: Database) -> None:
    """The append-only guards, for a new file and for one brought up to 7."""
    for table in APPEND_ONLY:
        if isinstance(database, SqliteDatabase):
            for verb, word in (("UPDATE", "修改"), ("DELETE", "删除")):
                database.execute_sql(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} "
                    f"ON {table} BEGIN SELECT RAISE(ABORT, '历史记录不可{word}'); END"
                )
        elif isinstance(database, PostgresqlDatabase):  # minqing_append_only() exists since v2
            database.execute_sql(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            database.execute_sql(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION minqing_append_only()"
            )


def migrate(database: Database) -> None:
    database.create_tables(MODELS)
    setup(database)
