"""core and printing never load Qt: checked in a fresh interpreter."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("package", ["minqing.core", "minqing.printing", "minqing.cli"])
def test_package_loads_no_qt(package):
    code = (
        "import importlib, pkgutil, sys\n"
        f"pkg = importlib.import_module('{package}')\n"
        "for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'minqing.gui'))]\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


SRC = Path(__file__).resolve().parent.parent / "src" / "minqing"


def _lines(folder: Path, pattern: str) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(pattern, line):
                found.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    return found


def test_one_way_to_run_background_work():
    """gui/operations.py is the only place that starts a thread: the others would forget to
    close the thread's connection or show an unexpected error's raw text."""
    found = _lines(SRC / "gui", r"\b(QThreadPool|QThread|QRunnable|threading\.Thread)\b")
    assert [f for f in found if not f.startswith("gui/operations.py")] == []


def test_imports_are_static():
    """A module missing from a build must fail loudly, not silently lose a panel or command;
    and PyInstaller finds only what import statements name."""
    assert _lines(SRC, r"except\s*\(?[\w, ]*ImportError|import_module\(|__import__\(") == []


ORM_CALLS = r"\.(select|get_or_none|get_by_id|where|order_by|join_from)\(|\b[A-Z][a-z]\w*\.get\("


def _runtime_imports(path: Path) -> list[str]:
    """Modules imported outside `if TYPE_CHECKING:` (annotations may name models)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = {
        id(node)
        for stmt in ast.walk(tree)
        if isinstance(stmt, ast.If) and "TYPE_CHECKING" in ast.unparse(stmt.test)
        for node in ast.walk(stmt)
    }
    return [
        node.module or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and id(node) not in skip
    ] + [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import) and id(node) not in skip
        for alias in node.names
    ]


def test_gui_reaches_data_only_through_core_functions():
    """Panels call named core functions; a query typed into a panel is a rule (which staff,
    which order, which community) that the command line and the printouts would not share."""
    found = _lines(SRC / "gui", ORM_CALLS)
    for path in sorted((SRC / "gui").rglob("*.py")):
        for module in _runtime_imports(path):
            if re.match(r"minqing\.core(\.\w+)*\.models$|peewee|playhouse", module):
                found.append(f"{path.relative_to(SRC)}: imports {module}")
    assert found == []
