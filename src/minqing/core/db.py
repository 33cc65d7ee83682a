"""`minqing.core.db` as it was before core was grouped by area: scripts and the team's tools
(window-at) open a database with `from minqing.core.db import open_database`. The code lives
in `minqing.core.storage.db`; this name only forwards to it."""

from __future__ import annotations

from minqing.core.storage.db import OpenedDatabase, close_database, open_database

__all__ = ["OpenedDatabase", "close_database", "open_database"]
