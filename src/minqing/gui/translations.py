"""Qt's own words in Chinese: OK/Cancel, the file dialog, the text boxes' context menu.

Loaded whatever the system locale, so an English Windows shows the same program as a Chinese
one. The catalogue ships in the PySide6 wheel (`Qt/translations`); a PyInstaller build carries
it in its own folder, which QLibraryInfo reports, and the other places are fall-backs.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger("minqing.gui")

CATALOGUES = ("qtbase_zh_CN",)
_installed: list[QTranslator] = []


def translation_dirs() -> list[Path]:
    import PySide6

    from minqing import paths

    dirs = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    dirs.append(Path(PySide6.__file__).resolve().parent / "Qt" / "translations")
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        dirs.append(Path(frozen) / "PySide6" / "Qt" / "translations")
    dirs.append(paths.resources_dir() / "translations")
    return dirs


def install_qt_chinese(app: QCoreApplication) -> list[QTranslator]:
    """Install Qt's Chinese catalogues on `app` once; returns the translators (kept alive here:
    a translator collected by Python would leave Qt holding a dangling pointer)."""
    if _installed:
        return list(_installed)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    installed: list[QTranslator] = []
    for name in CATALOGUES:
        for folder in translation_dirs():
            translator = QTranslator(app)
            if translator.load(name, str(folder)) and app.installTranslator(translator):
                installed.append(translator)
                break
        else:
            log.warning("Qt translation %s not found in %s", name, translation_dirs())
    _installed.extend(installed)
    return installed
