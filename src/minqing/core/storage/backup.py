"""Consistent copies of the SQLite file (online backup API), kept beside it, and restore."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from peewee import Database

from minqing.core.accounts import permissions
from minqing.core.errors import DatabaseFileError
from minqing.core.models import Setting, Staff

DEFAULT_KEEP = 30


def backups_dir(db_path: Path) -> Path:
    folder = db_path.parent / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def list_backups(db_path: Path) -> list[Path]:
    """Newest first."""
    return sorted(backups_dir(db_path).glob(f"{db_path.stem}-*.sqlite"), reverse=True)


def keep_count() -> int:
    row = Setting.get_or_none(Setting.key == "backup_keep")
    try:
        return max(1, int(row.value)) if row else DEFAULT_KEEP
    except ValueError:
        return DEFAULT_KEEP


def make_backup(database: Database, db_path: Path, reason: str = "manual") -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backups_dir(db_path) / f"{db_path.stem}-{stamp}-{reason}.sqlite"
    counter = 1
    while target.exists():
        counter += 1
        target = target.with_name(f"{db_path.stem}-{stamp}-{reason}-{counter}.sqlite")
    partial = target.with_suffix(".partial")
    with sqlite3.connect(partial) as copy:
        database.connection().backup(copy)
    copy.close()
    partial.rename(target)  # a crash mid-copy never leaves something that looks like a backup
    _prune(db_path)
    return target


def _prune(db_path: Path) -> None:
    try:
        keep = keep_count()
    except Exception:  # the settings table may not exist yet (backup before a migration)
        keep = DEFAULT_KEEP
    for old in list_backups(db_path)[keep:]:
        old.unlink(missing_ok=True)


def daily_backup(database: Database, db_path: Path) -> Path | None:
    today = dt.date.today().strftime("%Y%m%d")
    if any(p.name.startswith(f"{db_path.stem}-{today}-") for p in list_backups(db_path)):
        return None
    return make_backup(database, db_path, "daily")


def backup_version(source: Path) -> int:
    """The schema version inside a backup file; raises when it is not one of ours."""
    from minqing.core.storage.db import check_sqlite_file

    if not source.exists():
        raise DatabaseFileError(f"找不到备份文件“{source}”。")
    if check_sqlite_file(source):
        raise DatabaseFileError(f"“{source}”是空文件，不是备份。")
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as conn:
            row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
        conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseFileError(f"“{source}”不是民情流水线的备份文件。") from exc
    if row is None or row[0] is None:
        raise DatabaseFileError(f"“{source}”不是民情流水线的备份文件。")
    return int(row[0])


def restore(database: Database, db_path: Path, source: Path, *, actor: Staff | None = None) -> Path:
    """Replace the open database's contents with a backup; the current state is backed up first."""
    permissions.require(actor, "backup.restore")
    from minqing.core.storage.migrations import LATEST, ensure_schema

    version = backup_version(source)
    if version > LATEST:
        raise DatabaseFileError(
            f"备份“{source.name}”来自更新版本的程序（结构版本 {version}），无法恢复。"
        )
    safety = make_backup(database, db_path, "before-restore")
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src:
        src.backup(database.connection())
    src.close()
    ensure_schema(database, db_path)
    return safety
