"""Consistent copies of the SQLite file (online backup API), kept beside it, and restore.

A backup is checked after it is written (a copy that fails `PRAGMA integrity_check` is thrown
away, never kept as if it were one). Restore trusts nothing it is given: the file is copied
into a temporary file, checked (integrity, this program's tables and columns, a schema
version this program can bring forward, the same office), upgraded there, given the audit
events the current database recorded since the backup plus one event saying what was
replaced, and only then copied over the live database in one step (the online backup API
writes the whole file in one transaction, so other programs on the file see the old or the
new state, never a mixture). Rotation never removes the newest copy taken before a restore
or before a schema upgrade: those are the ones a user needs when something went wrong.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peewee import Database

from minqing.core.accounts import permissions
from minqing.core.enums import StaffRole
from minqing.core.errors import DatabaseFileError, DomainError
from minqing.core.models import Setting, Staff

DEFAULT_KEEP = 30
MANUAL_INTERVAL = dt.timedelta(hours=1)  # between two manual backups by a non-administrator
LOCK_STALE_SECONDS = 600  # a lock file older than this was left by a program that crashed
PROTECTED_REASONS = ("before-restore", "before-v")  # the newest of each kind is never pruned
_NAME = re.compile(r"-(\d{8})-(\d{6})-(.+?)(?:-\d+)?\.sqlite$")


def backups_dir(db_path: Path) -> Path:
    folder = db_path.parent / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def list_backups(db_path: Path) -> list[Path]:
    """Newest first."""
    return sorted(backups_dir(db_path).glob(f"{db_path.stem}-*.sqlite"), reverse=True)


def reason_of(path: Path) -> str:
    """Why a backup was taken, from its name (daily, manual, before-restore, before-v7 …)."""
    match = _NAME.search(path.name)
    return match.group(3) if match else ""


def taken_at(path: Path) -> dt.datetime | None:
    match = _NAME.search(path.name)
    if not match:
        return None
    return dt.datetime.strptime(match.group(1) + match.group(2), "%Y%m%d%H%M%S")


def reason_label(path: Path) -> str:
    """Why a backup was taken, in the words the window shows."""
    reason = reason_of(path)
    if reason.startswith("before-v"):
        return "升级前自动备份"
    return {
        "daily": "每日自动备份",
        "manual": "手动备份",
        "before-restore": "恢复前自动备份",
    }.get(reason, reason or "其他")


@dataclass(frozen=True)
class BackupEntry:
    path: Path
    taken_at: dt.datetime | None
    reason: str  # reason_label
    size: int  # bytes


def describe_backups(db_path: Path) -> list[BackupEntry]:
    """The backups of the file, newest first, as a list to choose from (names only: opening
    thirty copies of a large file to count their cases would take seconds)."""
    entries = []
    for path in list_backups(db_path):
        try:
            size = path.stat().st_size
        except OSError:  # removed by rotation in another program meanwhile
            continue
        entries.append(BackupEntry(path, taken_at(path), reason_label(path), size))
    return entries


def keep_count() -> int:
    row = Setting.get_or_none(Setting.key == "backup_keep")
    try:
        return max(1, int(row.value)) if row else DEFAULT_KEEP
    except ValueError:
        return DEFAULT_KEEP


def integrity(path: Path, *, quick: bool = False) -> str:
    """'ok', or what SQLite found wrong with the file. `quick` skips matching indexes against
    their tables (a page-by-page copy cannot break that; it only checks what the copy wrote)."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            check = "quick_check" if quick else "integrity_check"
            rows = conn.execute(f"PRAGMA {check}").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return "; ".join(str(r[0]) for r in rows[:5])


def make_backup(database: Database, db_path: Path, reason: str = "manual") -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backups_dir(db_path) / f"{db_path.stem}-{stamp}-{reason}.sqlite"
    counter = 1
    while target.exists():
        counter += 1
        target = target.with_name(f"{db_path.stem}-{stamp}-{reason}-{counter}.sqlite")
    # Named after this process: two programs backing up at once never share a half-written file.
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    try:
        with contextlib.closing(sqlite3.connect(partial)) as copy:
            database.connection().backup(copy)
            # One self-contained file: the copy would otherwise inherit WAL mode and grow
            # -wal/-shm companions whenever it is opened (checked, restored from).
            copy.execute("PRAGMA journal_mode=DELETE")
        found = integrity(partial, quick=True)
        if found != "ok":
            raise DatabaseFileError(
                f"备份写出后校验未通过（{found}），这份备份已丢弃。"
                "请检查磁盘空间和磁盘状态，或运行 minqing check 检查数据库。"
            )
        os.replace(
            partial, target
        )  # a crash mid-copy never leaves something that looks like a backup
    finally:
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
    _prune(db_path)
    return target


def manual_backup(database: Database, db_path: Path, *, actor: Staff | None = None) -> Path:
    """A backup someone asked for. Administrators may take as many as they like; anyone else
    one an hour, so repeated backups cannot rotate the older copies away."""
    if actor is not None and actor.role != StaffRole.ADMIN.value:
        now = dt.datetime.now()
        for path in list_backups(db_path):
            when = taken_at(path)
            if reason_of(path) == "manual" and when is not None and now - when < MANUAL_INTERVAL:
                raise DomainError(
                    None,
                    f"{when:%H:%M} 已经手动备份过一次。管理员以外的账号每小时只能手动备份一次，"
                    f"请在 {when + MANUAL_INTERVAL:%H:%M} 以后再试，或请管理员备份。",
                )
    return make_backup(database, db_path, "manual")


def _prune(db_path: Path) -> None:
    try:
        keep = keep_count()
    except Exception:  # the settings table may not exist yet (backup before a migration)
        keep = DEFAULT_KEEP
    copies = list_backups(db_path)
    protected = set()
    for kind in PROTECTED_REASONS:
        newest = next((p for p in copies if reason_of(p).startswith(kind)), None)
        if newest is not None:
            protected.add(newest)
    for old in copies[keep:]:
        if old not in protected:
            old.unlink(missing_ok=True)


def taken_today(db_path: Path, reason_prefix: str) -> bool:
    today = dt.date.today()
    return any(
        reason_of(p).startswith(reason_prefix) and (taken_at(p) or dt.datetime.min).date() == today
        for p in list_backups(db_path)
    )


@contextlib.contextmanager
def _exclusive(lock: Path) -> Iterator[bool]:
    """True to the one process that created the lock file; False to the others, at once."""
    for _ in range(2):
        try:
            handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            try:
                stale = time.time() - lock.stat().st_mtime > LOCK_STALE_SECONDS
            except FileNotFoundError:
                continue  # released meanwhile: try again
            if not stale:
                yield False
                return
            lock.unlink(missing_ok=True)
            continue
        try:
            os.write(handle, str(os.getpid()).encode())
            os.close(handle)
            yield True
        finally:
            lock.unlink(missing_ok=True)
        return
    yield False


def daily_backup(database: Database, db_path: Path) -> Path | None:
    """The first start of the day backs the file up (unless another copy was taken today); a program starting at the same moment on
    the same file skips it (the lock), and later starts find today's copy and skip too."""
    if taken_today(db_path, ""):
        return None
    with _exclusive(backups_dir(db_path) / f".{db_path.stem}.backup-lock") as mine:
        if not mine or taken_today(db_path, ""):
            return None
        return make_backup(database, db_path, "daily")


@dataclass
class BackupInfo:
    version: int
    office: str
    cases: int


def backup_version(source: Path) -> int:
    """The schema version inside a backup file; raises when it is not one of ours."""
    return _read_header(source)


def _read_header(source: Path) -> int:
    from minqing.core.storage.db import check_sqlite_file

    if not source.exists():
        raise DatabaseFileError(f"找不到备份文件“{source}”；当前数据没有改动。")
    try:
        empty = check_sqlite_file(source)
    except DatabaseFileError as exc:
        raise _not_ours(source, "文件内容不是民情流水线的数据") from exc
    if empty:
        raise _not_ours(source, "这是一个空文件")
    found = integrity(source)
    if found != "ok":
        raise DatabaseFileError(
            f"备份文件“{source.name}”已损坏（完整性检查未通过：{found[:200]}），不能用来恢复。"
            "请换一份备份；当前数据没有改动。"
        )
    try:
        with contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as conn:
            row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise _not_ours(source, "没有本程序的结构版本") from exc
    if row is None or row[0] is None:
        raise _not_ours(source, "没有本程序的结构版本")
    return int(row[0])


def _not_ours(source: Path, why: str) -> DatabaseFileError:
    return DatabaseFileError(
        f"“{source.name}”不是完整的民情流水线备份（{why}），不能用来恢复；当前数据没有改动。"
    )


def _check_candidate(candidate: Database, source: Path) -> BackupInfo:
    """Bring the copy to the current schema and check it holds this program's tables."""
    from minqing.core.models import Case, Community
    from minqing.core.storage import migrations

    try:
        migrations.ensure_schema(candidate, None)
    except DatabaseFileError:
        raise
    except Exception as exc:
        raise _not_ours(source, f"升级到本程序的结构时出错：{exc}") from exc
    tables = set(candidate.get_tables())
    for model in migrations.schema_models():
        name = model._meta.table_name
        if name not in tables:
            raise _not_ours(source, f"缺少数据表 {name}")
        columns = {c.name for c in candidate.get_columns(name)}
        missing = [f.column_name for f in model._meta.sorted_fields if f.column_name not in columns]
        if missing:
            raise _not_ours(source, f"数据表 {name} 缺少列 {'、'.join(missing)}")
    office = Community.select().order_by(Community.id).first()
    return BackupInfo(
        migrations.current_version(candidate) or 0,
        office.name if office else "",
        Case.select().count(),
    )


def _rows_after(model: Any, last_id: int) -> list[dict[str, Any]]:
    return list(model.select().where(model.id > last_id).order_by(model.id).dicts())


def restore(database: Database, db_path: Path, source: Path, *, actor: Staff | None = None) -> Path:
    """Replace the open database's contents with a checked backup; the current state is
    backed up first. Returns that copy. Refusals leave the database untouched."""
    permissions.require(actor, "backup.restore")
    from minqing.core.accounts.models import AuditEvent, ExportLog
    from minqing.core.models import Case, Community
    from minqing.core.storage import db, migrations

    source = Path(source)
    version = _read_header(source)
    if version > migrations.LATEST:
        raise DatabaseFileError(
            f"备份“{source.name}”来自更新版本的程序（结构版本 {version}），无法恢复。"
        )
    if version < 1:
        raise _not_ours(source, f"结构版本 {version}")
    work = backups_dir(db_path) / f".restore-{os.getpid()}.sqlite"
    files = [work, work.with_name(work.name + "-wal"), work.with_name(work.name + "-shm")]
    for leftover in files:
        leftover.unlink(missing_ok=True)
    try:
        with (
            contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
            contextlib.closing(sqlite3.connect(work)) as copy,
        ):
            src.backup(copy)
        candidate = db.connect(str(work))
        models = migrations.schema_models()
        try:
            with candidate.bind_ctx(models):
                info = _check_candidate(candidate, source)
                last_audit = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
                last_export = ExportLog.select().order_by(ExportLog.id.desc()).first()
                staff_ids = {s.id for s in Staff.select(Staff.id)}
            current = Community.select().order_by(Community.id).first()
            if current is not None and info.office != current.name:
                raise DatabaseFileError(
                    f"备份“{source.name}”属于"
                    f"{'“' + info.office + '”' if info.office else '一个还没有社区的数据库'}，"
                    f"当前数据库是“{current.name}”：不是同一个社区，不能用来恢复；当前数据没有改动。"
                )
            safety = make_backup(database, db_path, "before-restore")
            replaced = (
                f"恢复前：{current.name if current else '无社区'}，民情 {Case.select().count()} 条；"
                f"恢复前的数据已备份为 {safety.name}"
            )
            later_audit = _rows_after(AuditEvent, last_audit.id if last_audit else 0)
            later_export = _rows_after(ExportLog, last_export.id if last_export else 0)
            with candidate.bind_ctx(models), candidate.atomic():
                # The audit history only grows: what was recorded since the backup comes along.
                for row in later_audit:
                    row.pop("id")
                    if row["actor"] not in staff_ids:
                        row["actor"] = None
                    AuditEvent.insert(row).execute()
                for row in later_export:
                    row.pop("id")
                    if row["actor"] not in staff_ids:
                        row["actor"] = None
                    ExportLog.insert(row).execute()
                AuditEvent.create(
                    actor=actor.id if actor is not None and actor.id in staff_ids else None,
                    actor_name=actor.name if actor is not None else "",
                    table="database",
                    row_id=0,
                    label=source.name[:500],
                    kind="restore",
                    old=replaced[:500],
                    new=f"{info.office}，民情 {info.cases} 条（结构版本 {version}）",
                )
        finally:
            candidate.close()
        with contextlib.closing(sqlite3.connect(work)) as checked:
            checked.backup(database.connection())  # one step: one transaction on the live file
    finally:
        for leftover in files:
            leftover.unlink(missing_ok=True)
    return safety


def back_up_open(db_path: Path, *, actor: Staff | None = None) -> Path:
    """manual_backup of the database the program has open (the window's and the CLI's)."""
    from minqing.core.models import database_proxy

    return manual_backup(database_proxy.obj, db_path, actor=actor)


def restore_open(db_path: Path, source: Path, *, actor: Staff | None = None) -> Path:
    """restore into the database the program has open (the window's and the CLI's)."""
    from minqing.core.models import database_proxy

    return restore(database_proxy.obj, db_path, source, actor=actor)
