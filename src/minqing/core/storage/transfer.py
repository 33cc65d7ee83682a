"""Moving an office's data between databases: its SQLite file into PostgreSQL when the office
grows to several PCs, and back into a SQLite file as a backup copy.

Every table of the schema is copied row by row (ids kept) in dependency order, in batches,
inside one transaction on the target; then PostgreSQL's id sequences are moved past the
copied ids and the row counts of every table are compared. A SQLite target is built as a new
file beside the old one and put in its place only when the copy is complete, so a failed
copy leaves the old file untouched. A target that already holds an office is refused unless
`replace` says to overwrite it.

Who may: once either database has accounts, only an administrator signed in with the same
user name and password on that side (`Credentials`); the attempt counts like any sign-in.
A transfer copies everything, full ID numbers and phones included (a server copy or a
backup file must be whole), so it is not masked by role: it is refused to every role but the
administrator, logged as an export of personal data on the source, and recorded in the
audit history of both databases.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peewee import AutoField, Database, PostgresqlDatabase, SqliteDatabase, sort_models

from minqing.core.accounts import audit, permissions
from minqing.core.accounts import services as accounts
from minqing.core.accounts.models import AuditEvent
from minqing.core.errors import MinqingError
from minqing.core.models import BaseModel, Community, Staff
from minqing.core.storage import bulk, changes, db, migrations

BATCH = 2000

Progress = Callable[[str, int, int], None]  # table, rows copied so far, rows in the table


@dataclass
class TableCount:
    table: str
    source: int
    target: int


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str


def copy_database(
    source_url: str,
    target_url: str,
    *,
    replace: bool = False,
    progress: Progress | None = None,
    credentials: Credentials | None = None,
) -> list[TableCount]:
    """Copy everything from source to target; returns each table's row counts on both sides.

    The source is opened (and brought to the current schema) like the program would; the
    models are bound to it again afterwards.
    """
    if same_database(source_url, target_url):
        raise MinqingError("源数据库和目标数据库是同一个，无需转移。")
    source = db.open_database(source_url, daily_backup=False).database
    actor = _administrator(credentials, "来源")
    target_path = None if db.is_server_url(target_url) else db.sqlite_path(target_url)
    event = _Event(actor, db.shown_url(source_url))
    if target_path is not None:
        if not db.check_sqlite_file(target_path):
            existing = db.connect(str(target_path))
            try:
                _administrator_of(existing, credentials)
            finally:
                existing.close()
        counts = _to_sqlite_file(source, target_path, replace, progress, event)
    else:
        target = db.connect(target_url)
        target.connect()
        try:
            _administrator_of(target, credentials)
            with target.atomic():
                counts = _copy_into(source, target, None, replace, progress, event)
            db.refresh_planner_statistics(target)
        finally:
            target.close()
    rows = sum(c.target for c in counts)
    with source.atomic():
        audit.log_export(actor, "全部数据（转移）", rows, db.shown_url(target_url))
        audit.record(
            actor,
            "database",
            0,
            db.shown_url(target_url)[:200],
            "transfer_out",
            note=f"{len(counts)} 张表、{rows} 行",
        )
    return counts


@dataclass
class _Event:
    """The audit line the target gets: who (as copied from the source) and from where."""

    actor: Staff | None
    source: str


def _administrator(credentials: Credentials | None, side: str) -> Staff | None:
    """The administrator signed in on the database the models are bound to (None when it has
    no accounts yet)."""
    if not accounts.has_accounts():
        return None
    if credentials is None or not credentials.username:
        raise MinqingError(
            f"{side}数据库已设账号：转移全部数据要由管理员登录。"
            "请加上 --user 管理员用户名（密码放在环境变量 MINQING_PASSWORD 里，或在终端输入）。"
        )
    staff = accounts.sign_in(credentials.username, credentials.password)
    permissions.require(staff, "data.transfer")
    return staff


def _administrator_of(target: Database, credentials: Credentials | None) -> None:
    """An existing target with accounts: the same administrator must sign in there too."""
    models = migrations.schema_models()
    with target.bind_ctx(models):
        tables = target.get_tables()
        if "account" in tables and "staff" in tables:
            _administrator(credentials, "目标")


def same_database(a: str, b: str) -> bool:
    """Whether two addresses name the same database (a server's with or without password)."""
    if db.is_server_url(a) or db.is_server_url(b):
        return db.shown_url(a) == db.shown_url(b)
    return db.sqlite_path(a).resolve() == db.sqlite_path(b).resolve()


def _to_sqlite_file(
    source: Database, path: Path, replace: bool, progress: Progress | None, event: _Event
) -> list[TableCount]:
    if not db.check_sqlite_file(path) and not replace:
        _refuse_if_office(path)
    building = path.with_name(path.name + ".transfer")
    for leftover in _sqlite_files(building):
        leftover.unlink(missing_ok=True)
    target = db.connect(str(building))
    target.connect()
    try:
        with target.atomic():
            counts = _copy_into(source, target, building, True, progress, event)
        db.refresh_planner_statistics(target)
    finally:
        target.close()
    for old in _sqlite_files(path):
        old.unlink(missing_ok=True)
    os.replace(building, path)
    return counts


def _sqlite_files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def _refuse_if_office(path: Path) -> None:
    existing = SqliteDatabase(str(path))
    try:
        with existing.bind_ctx([Community]):
            has_office = "community" in existing.get_tables() and Community.select().exists()
    finally:
        existing.close()
    if has_office:
        raise MinqingError(f"目标文件“{path}”里已有社区数据。要覆盖它，请加上 --replace。")


def _copy_into(
    source: Database,
    target: Database,
    path: Path | None,
    replace: bool,
    progress: Progress | None,
    event: _Event,
) -> list[TableCount]:
    models = migrations.schema_models()
    with target.bind_ctx(models):
        if target.get_tables():
            migrations.ensure_schema(target, None)
            if Community.select().exists() and not replace:
                raise MinqingError("目标数据库里已有社区数据。要覆盖它，请加上 --replace。")
        else:
            migrations.create_schema(target)
        _empty(target, models)
        ordered = sort_models(models)
        for model in ordered:
            _copy_table(model, source, target, progress)
        if isinstance(target, PostgresqlDatabase):
            _reset_sequences(target, ordered)
            changes.install_notify(target, [m._meta.table_name for m in models])
        counts = [
            TableCount(m._meta.table_name, m.select().count(source), m.select().count(target))
            for m in models
        ]
    wrong = [c for c in counts if c.source != c.target]
    if wrong:
        listed = "、".join(f"{c.table}（{c.source} → {c.target}）" for c in wrong)
        raise MinqingError(f"转移后行数不一致，已全部撤销：{listed}。")
    with target.bind_ctx(models):
        AuditEvent.create(  # the actor's staff row came along with the copy
            actor=event.actor.id if event.actor else None,
            actor_name=event.actor.name if event.actor else "",
            table="database",
            row_id=0,
            label=event.source[:200],
            kind="transfer_in",
            note=f"{len(counts)} 张表、{sum(c.target for c in counts)} 行",
        )
    return counts


def _empty(target: Database, models: list[type[BaseModel]]) -> None:
    """Remove what the target holds (the seeded defaults of a new schema, or the office being
    replaced): the copy brings its own. TRUNCATE skips the append-only row triggers."""
    tables = [m._meta.table_name for m in models]
    if isinstance(target, PostgresqlDatabase):
        names = ", ".join(f'"{t}"' for t in tables)
        target.execute_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        return
    for model in reversed(sort_models(models)):  # a new file: no history rows to guard
        model.delete().execute()


def _copy_table(
    model: type[BaseModel], source: Database, target: Database, progress: Progress | None
) -> None:
    """Keyset batches, so a million rows never sit in memory at once."""
    fields = model._meta.sorted_fields
    key = model._meta.primary_key
    total = model.select().count(source)
    done = 0
    last = None
    while True:
        query = model.select(*fields).order_by(key).limit(BATCH)
        if last is not None:
            query = query.where(key > last)
        rows = list(query.tuples().execute(source))
        if not rows:
            break
        last = rows[-1][fields.index(key)]
        if isinstance(target, PostgresqlDatabase):  # COPY: a batch in one round trip
            rows = [_without_nul(row) for row in rows]
            bulk.insert(model, [f.name for f in fields], rows, target)
        else:
            model.insert_many(rows, fields).execute(target)
        done += len(rows)
        if progress is not None:
            progress(model._meta.table_name, done, total)


def _without_nul(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """PostgreSQL text cannot hold NUL, which an older SQLite file may: it is dropped (the
    program's own validation has refused control characters since)."""
    if not any(isinstance(v, str) and "\x00" in v for v in row):
        return row
    return tuple(v.replace("\x00", "") if isinstance(v, str) else v for v in row)


def _reset_sequences(target: Database, models: list[type[BaseModel]]) -> None:
    for model in models:
        key = model._meta.primary_key
        if isinstance(key, AutoField):
            table, column = model._meta.table_name, key.column_name
            target.execute_sql(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
                f'COALESCE((SELECT MAX("{column}") FROM "{table}"), 0) + 1, false)'
            )
