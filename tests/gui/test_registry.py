"""Registry panel: tree, household page, adding a resident through the form, status,
search, and the import dialog's preview-then-confirm."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QWidget

from minqing.core.models import Grid, Household, Resident
from minqing.core.registry import services as registry
from minqing.gui.operations import wait_for_all
from minqing.gui.panels.registry import HouseholdRole, RegistryPanel
from tests.core.test_ledger_import import messy_workbook
from tests.gui.test_board import DialogDriver, app_ctx, clerk  # noqa: F401 - shared fixtures


@pytest.fixture
def driver(qtbot, monkeypatch):
    return DialogDriver(qtbot, monkeypatch)


@pytest.fixture
def home(office):
    grid = Grid.get(Grid.name == "第一片区")
    home = registry.add_household(office, "中和小区", "3", "2", "501", grid=grid)
    registry.add_resident(
        home, "王秀英", phone="13900001234", id_number="11010519491231002X", tags=["空巢老人"]
    )
    return home


@pytest.fixture
def panel(qtbot, app_ctx, home):  # noqa: F811
    widget = RegistryPanel(app_ctx)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    return widget


def leaves(tree):
    out = []
    stack = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    while stack:
        item = stack.pop()
        if item.data(0, HouseholdRole):
            out.append(item)
        stack += [item.child(i) for i in range(item.childCount())]
    return out


def test_tree_and_household_page(panel, home):
    top = panel.tree.topLevelItem(0)
    assert top.text(0) == "第一片区" and top.text(1) == "1 户"
    (leaf,) = leaves(panel.tree)
    panel.tree.setCurrentItem(leaf)
    assert panel.title.text().startswith("中和小区3号楼2单元501室")
    row = [panel.people.index(0, c).data() for c in range(6)]
    # no accounts yet: nobody is signed in with a role, so the numbers show in full
    assert row == ["王秀英", "女", "11010519491231002X", "13900001234", "空巢老人", "在册"]


@pytest.mark.parametrize(
    "role, id_number, phone",
    [
        ("supervisor", "110105********002X", "139****1234"),
        ("owner", "110105********002X", "139****1234"),
        ("front_desk", "11010519491231002X", "13900001234"),
        ("leader", "11010519491231002X", "13900001234"),
    ],
)
def test_household_page_and_search_mask_by_role(qtbot, accounts, home, role, id_number, phone):
    from minqing.gui.context import AppContext

    widget = RegistryPanel(AppContext(home.community, accounts[role], ""))
    qtbot.addWidget(widget)
    widget.show_household(home.id)
    row = [widget.people.index(0, c).data() for c in range(4)]
    assert row == ["王秀英", "女", id_number, phone]
    widget.search.setText("wxy")
    widget.run_search()
    assert phone in widget.hits.item(0).text()
    editing = {"add_household", "edit_resident", "add_resident", "mark_status"}
    shown = {n for n in editing if not widget.findChild(QWidget, n).isHidden()}
    assert shown == (editing if role in ("front_desk", "leader") else set())


def test_add_resident_through_form_refuses_bad_id(panel, home, driver):
    panel.show_household(home.id)
    driver.answers = [
        {"name": "李大山", "id_number": "110105194912310021"},
    ]
    panel.add_resident()
    assert "校验码" in driver.refusals[0]
    assert not Resident.select().where(Resident.name == "李大山").exists()
    driver.answers = [{"name": "李大山", "phone": "13900005678", "tags": "下岗失业"}]
    panel.add_resident()
    person = Resident.get(Resident.name == "李大山")
    assert person.household_id == home.id and registry.tags_of(person.id) == ["下岗失业"]
    assert panel.people.rowCount() == 2


def test_mark_moved_away_keeps_the_resident(qtbot, panel, home, driver):
    panel.show_household(home.id)
    panel.people_view.selectRow(0)
    driver.answers = [{"status": "已迁出"}]
    panel.mark_status()
    person = Resident.get(Resident.name == "王秀英")
    assert person.status == "moved_away"
    assert panel.people.index(0, 5).data().startswith("已迁出")


def test_search_opens_the_household(qtbot, panel, home):
    panel.search.setText("wxy")
    panel.run_search()
    assert panel.hits.isVisible() and panel.hits.count() == 1
    assert "13900001234" in panel.hits.item(0).text()
    panel._hit_chosen(panel.hits.item(0))
    assert panel.household.id == home.id


def test_import_previews_then_writes_on_confirm(qtbot, panel, tmp_path, office, dialogs):
    panel.import_file(messy_workbook(tmp_path / "台账.xlsx"))  # read in a worker
    assert wait_for_all()
    assert dialogs.messages == []
    dialog = panel.import_dialog
    qtbot.addWidget(dialog)
    assert "新增 2 人，更新 1 人" in dialog.summary.text()  # 王秀英 matched on ID
    assert "第 8 行" in dialog.errors.toPlainText()
    assert Resident.select().count() == 1  # nothing written by the preview
    dialog.combos["name"].setCurrentIndex(0)  # unmap a required column
    dialog.preview()
    assert not dialog.import_button.isEnabled()  # until the preview is back
    assert wait_for_all()
    assert "姓名" in dialog.summary.text() and not dialog.import_button.isEnabled()
    dialog.combos["name"].setCurrentIndex(1)
    dialog.preview()
    assert wait_for_all() and dialog.import_button.isEnabled()
    dialog.confirm()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    assert Resident.select().count() == 3 and Household.select().count() == 3
    assert registry.tags_of(Resident.get(Resident.name == "王秀英").id) == ["空巢老人", "低保"]
    assert len(leaves(panel.tree)) == 3  # data_reset reloaded the tree


def test_a_file_that_is_no_ledger_is_refused_without_a_dialog(qtbot, panel, tmp_path, dialogs):
    junk = tmp_path / "照片.xlsx"
    junk.write_bytes(b"\x89PNG not a workbook")
    panel.import_file(junk)
    assert wait_for_all()
    assert getattr(panel, "import_dialog", None) is None
    title, text, _kind = dialogs.messages[-1]
    assert title == "无法导入" and "照片.xlsx" in text, text


def test_a_preview_for_columns_changed_meanwhile_is_not_offered(qtbot, panel, tmp_path, dialogs):
    panel.import_file(messy_workbook(tmp_path / "台账.xlsx"))
    assert wait_for_all()
    dialog = panel.import_dialog
    qtbot.addWidget(dialog)
    dialog.preview()  # running in a worker while the user changes a column
    dialog.combos["name"].setCurrentIndex(0)
    assert wait_for_all()
    assert dialog.plan is None and not dialog.import_button.isEnabled()
    assert "请重新预览" in dialog.summary.text()
