"""The scan filter with real keyboard events: `xdotool type` into a window under Xvfb, as a USB
scanner types (a key every few ms) and as a person types (a key every 150 ms)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xdotool")), reason="needs Xvfb and xdotool"
)

PROBE = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit
from minqing.gui.scanner import ScanFilter

app = QApplication(sys.argv)
edit = QLineEdit()
edit.setWindowTitle("ScanProbe")
edit.resize(400, 40)
scans = ScanFilter()
scans.scanned.connect(lambda text: print("SCAN", repr(text), flush=True))
app.installEventFilter(scans)
edit.show()
edit.activateWindow()
edit.setFocus()
print("READY", flush=True)
QTimer.singleShot(int(sys.argv[1]), lambda: (print("FIELD", repr(edit.text()), flush=True), app.quit()))
app.exec()
"""


def _xvfb() -> tuple[subprocess.Popen[bytes], str]:
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "800x600x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    number = b""
    while not number.endswith(b"\n"):
        chunk = os.read(read, 16)
        if not chunk:
            break
        number += chunk
    os.close(read)
    return server, f":{number.decode().strip()}"


def test_xdotool_bursts_are_scans_and_slow_typing_is_not(tmp_path):
    server, display = _xvfb()
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2] / "src")
    probe = subprocess.Popen(
        [sys.executable, "-c", PROBE, "9000"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert probe.stdout is not None
        assert probe.stdout.readline().strip() == "READY"
        window = subprocess.run(
            ["xdotool", "search", "--sync", "--name", "ScanProbe"],
            env=env,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.split()[0]
        subprocess.run(
            ["xdotool", "windowfocus", "--sync", window], env=env, check=True, timeout=10
        )
        time.sleep(0.3)

        def type_(text: str, delay: int) -> None:
            subprocess.run(
                ["xdotool", "type", "--delay", str(delay), text], env=env, check=True, timeout=30
            )
            time.sleep(0.3)

        type_("2026-00042\n", 4)
        type_("BEGIN:VCARD\nVERSION:3.0\nUID:minqing:hh:01-02-00053\nEND:VCARD\n", 4)
        type_("ab1", 150)
        out, err = probe.communicate(timeout=20)
    finally:
        probe.kill()
        server.terminate()
        server.wait(5)
    lines = out.splitlines()
    scans = [line for line in lines if line.startswith("SCAN")]
    assert scans, (out, err)
    assert scans[0] == "SCAN '2026-00042\\n'", err
    assert "UID:minqing:hh:01-02-00053" in scans[1]
    assert len(scans) == 2
    assert lines[-1] == "FIELD 'ab1'"
