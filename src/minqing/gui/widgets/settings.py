"""The window's own settings (layout, last choices), kept in an INI file in the data folder.

A file beside the database rather than the registry, so a portable install or a test's
temporary data folder carries its settings with it.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from minqing import paths


def app_settings() -> QSettings:
    return QSettings(str(paths.data_dir() / "minqing-window.ini"), QSettings.Format.IniFormat)
