"""Every permission key is checked by core itself, never only by a caller that may forget."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import minqing.core
from minqing.core.accounts import audit, permissions
from minqing.core.cases import pipeline, stage_actions
from minqing.core.errors import DomainError
from minqing.core.supervision import statistics

CORE = Path(minqing.core.__file__).parent
PERMISSIONS = CORE / "accounts" / "permissions.py"
CHECKS = {"require", "allowed"}


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _literal_keys(tree: ast.AST) -> set[str]:
    """String keys passed to require()/allowed() in this tree."""
    keys = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _name(node) in CHECKS and len(node.args) >= 2:
            arg = node.args[1]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                keys.add(arg.value)
    return keys


def _helpers() -> dict[str, set[str]]:
    """permissions.py's own helpers (can_see_personal, may_export_personal …) → their keys."""
    tree = ast.parse(PERMISSIONS.read_text(encoding="utf-8"))
    out = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name not in CHECKS:
            out[node.name] = _literal_keys(node)
    # a helper that calls another helper checks what that one checks
    for name, keys in out.items():
        for call in ast.walk(next(n for n in tree.body if getattr(n, "name", "") == name)):
            if isinstance(call, ast.Call) and _name(call) in out and _name(call) != name:
                keys |= out[_name(call)]
    return {name: keys for name, keys in out.items() if keys}


def checked_in_core() -> set[str]:
    helpers = _helpers()
    keys: set[str] = set()
    for path in CORE.rglob("*.py"):
        if path == PERMISSIONS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        keys |= _literal_keys(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node) in helpers:
                keys |= helpers[_name(node)]
    # the pipeline's tables: guard() and move() require these (test_pipeline_actions proves it)
    keys |= {t.permission for t in pipeline.TRANSITIONS}
    keys |= set(pipeline.ENTRY_PERMISSION.values())
    keys |= {a.permission for a in stage_actions.ACTIONS.values()}
    return keys


def test_every_permission_key_is_checked_by_a_core_service():
    unchecked = sorted(set(permissions.ACTIONS) - checked_in_core())
    assert unchecked == [], f"permission keys no core service checks: {unchecked}"


def test_the_scan_sees_a_key_and_would_miss_an_unchecked_one():
    assert "stats.view" in checked_in_core() and "audit.view" in checked_in_core()
    assert "no.such.key" not in checked_in_core()


def test_statistics_and_the_audit_view_need_their_permission(accounts):
    flt = statistics.StatsFilter(*statistics.month_range("2026-03"))
    for role in ("front_desk", "owner"):
        with pytest.raises(DomainError, match="不能查看统计"):
            statistics.compute(flt, actor=accounts[role])
        with pytest.raises(DomainError, match="不能查看操作记录"):
            audit.lines(actor=accounts[role])
    assert statistics.compute(flt, actor=accounts["supervisor"]).total == 0
    assert audit.lines(actor=accounts["leader"]) is not None
