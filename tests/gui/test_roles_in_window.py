"""The window for each role: what the role may not do is hidden or disabled."""

from __future__ import annotations

import pytest

from minqing.core import cases
from minqing.core.models import Window
from minqing.core.models_accounts import ExportLog
from minqing.gui.admin_menu import AuditDialog


def signed_in_window(qtbot, db_path, staff):
    from minqing.app import build_window

    window = build_window(str(db_path), staff)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def admin_menu(window):
    return [a for a in window.menuBar().actions() if a.text().startswith("管理")]


@pytest.fixture
def handling_case(accounts):
    clerk = accounts["front_desk"]
    case = cases.take_in(
        channel="walk_in",
        text="楼道灯坏了",
        window=Window.get(Window.name == "城建城管"),
        first_responder=clerk,
        contact_name="王秀英",
        actor=clerk,
    ).case
    cases.move(case, "handling", owner=accounts["owner"], disposition="immediate", actor=clerk)
    return case


@pytest.mark.parametrize(
    "role, admin, intake, outcome, check",
    [
        ("front_desk", False, True, False, False),
        ("owner", False, False, True, False),
        ("leader", True, True, True, True),
        ("supervisor", False, False, False, True),
        ("admin", True, False, False, False),
    ],
)
def test_each_role_sees_what_it_may_do(
    qtbot, db_path, accounts, handling_case, dialogs, role, admin, intake, outcome, check
):
    window = signed_in_window(qtbot, db_path, accounts[role])
    assert bool(admin_menu(window)) == admin
    assert window.docks["intake"].toggleViewAction().isEnabled() == intake
    detail = window.panel("detail")
    detail.show_case(handling_case.id)
    assert detail.buttons["outcome"].isEnabled() == outcome
    assert detail.buttons["check"].isEnabled() == check
    assert detail.next_button.isEnabled() == outcome  # handling → feedback is the owner's
    window.close()


def test_audit_view_export_is_logged(qtbot, db_path, accounts, handling_case, dialogs, tmp_path):
    dialog = AuditDialog(type("Ctx", (), {"staff": accounts["admin"]})())
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() >= 3
    assert any(line.subject == handling_case.number for line in dialog.lines)
    dialog.export(str(tmp_path / "操作记录.xlsx"))
    log = ExportLog.get()
    assert log.actor_name == "管理员" and log.what == "操作记录" and log.rows == len(dialog.lines)
