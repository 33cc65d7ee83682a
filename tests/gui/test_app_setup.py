"""The program's own application set-up: Qt's standard words come out in Chinese."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[2] / "src")

PROBE = """
from PySide6.QtCore import QCoreApplication as C
from minqing.app import create_application
create_application()
for context, text in (("QPlatformTheme", "Cancel"), ("QPlatformTheme", "OK"),
                      ("QFileDialog", "Look in:"), ("QWidgetTextControl", "&Paste")):
    print(C.translate(context, text))
"""


def test_qt_speaks_chinese_after_create_application_even_on_an_english_system():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LANG="en_US.UTF-8", LC_ALL="en_US.UTF-8")
    env["PYTHONPATH"] = SRC + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["取消", "确定", "查找范围：", "粘贴(&P)"]
