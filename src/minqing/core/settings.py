"""Office-wide settings (Setting rows): read with a default, write as an upsert that works on
SQLite and PostgreSQL alike (INSERT OR REPLACE is SQLite only)."""

from __future__ import annotations

from minqing.core.models import Setting


def get(key: str, default: str | None = None) -> str | None:
    row = Setting.get_or_none(Setting.key == key)
    return row.value if row else default


def put(key: str, value: str) -> None:
    Setting.insert(key=key, value=value).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: value}
    ).execute()
