"""Posting from the detail panel: the clerk sees the masked public wording and may edit it;
what was accepted is stored on the case and is what the notice shows."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from minqing.core.cases import public
from minqing.core.cases import services as cases
from minqing.core.models import Case, Staff
from minqing.gui.dialogs.form import FormDialog
from minqing.gui.panels.detail import DetailPanel
from tests.gui.conftest import type_text
from tests.gui.test_board import app_ctx, clerk, new_case  # noqa: F401 - shared fixtures


@pytest.fixture
def detail(qtbot, app_ctx):  # noqa: F811
    panel = DetailPanel(app_ctx)
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.show()
    return panel


def test_post_shows_the_masked_summary_and_stores_the_clerks_edit(
    qtbot,
    detail,
    app_ctx,  # noqa: F811
    clerk,  # noqa: F811
    monkeypatch,
):
    case = new_case(
        clerk,
        text="王秀英反映楼道灯坏了，电话 +86 139 0000 1234，住2单元301室",
        owner=Staff.get(Staff.name == "李红"),
        disposition="immediate",
    )
    cases.move(case, "handling", actor=clerk)
    cases.move(case, "feedback", actor=clerk, outcome="已换灯，回电0451-55501234告知王秀英")
    app_ctx.open_case.emit(case.id)
    seen = {}

    def answer(dialog: FormDialog) -> int:
        dialog.show()
        box = dialog.widgets["public_summary"]
        seen["shown"] = box.toPlainText()
        box.selectAll()
        type_text(box, "楼道灯坏了，已更换。")
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
        dialog.close()
        return dialog.result()

    monkeypatch.setattr(FormDialog, "exec", answer)
    qtbot.mouseClick(detail.buttons["post"], Qt.MouseButton.LeftButton)
    shown = seen["shown"]
    assert "王*英" in shown and "139****1234" in shown and "0451-****1234" in shown
    for secret in ("王秀英", "1390000", "55501234", "301室", "2单元"):
        assert secret not in shown
    stored = Case.get_by_id(case.id)
    assert stored.posted_on == dt.date.today()
    assert stored.public_summary == "楼道灯坏了，已更换。"
    row = public.posted_cases(app_ctx.community, dt.date.today(), dt.date.today())[0]
    assert row.text == "楼道灯坏了，已更换。" and row.outcome == ""
