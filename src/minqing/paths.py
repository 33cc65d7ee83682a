"""Where the program finds its shipped files and keeps the user's data.

Kept outside core so that a frozen (PyInstaller) build and a source checkout resolve
`resources/` and `forms/` the same way.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "minqing"


def project_root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parents[2]


def resources_dir() -> Path:
    return project_root() / "resources"


def forms_dir() -> Path:
    return project_root() / "forms"


def data_dir() -> Path:
    """The user's data folder; MINQING_HOME moves it (tests, portable installs)."""
    override = os.environ.get("MINQING_HOME")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return data_dir() / "minqing.sqlite"


def log_path() -> Path:
    return data_dir() / "minqing.log"
