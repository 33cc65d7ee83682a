"""五彩连心卡: the programmes (editable: title, colour, audience, services, target tags), the
residents their tags make eligible, enrolment, card issue and reissue, and printing a batch
of cards in a worker. The plain 民情连心卡 goes to every household; the top line says how
many still have none.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from minqing.core.accounts.permissions import allowed
from minqing.core.errors import MinqingError
from minqing.core.outreach import programmes
from minqing.core.registry import services as registry
from minqing.gui.context import AppContext
from minqing.gui.dialogs.form import Field, ask
from minqing.gui.dialogs.messages import show_refusal
from minqing.gui.dialogs.registry_forms import grid_choices
from minqing.gui.dialogs.registry_widgets import (
    RowsModel,
    fit_columns,
    make_table,
    selected_ids,
)
from minqing.gui.operations import Op
from minqing.gui.panels import PanelSpec
from minqing.gui.roles import hide_refused
from minqing.gui.widgets.file_dialogs import save_path

if TYPE_CHECKING:
    from minqing.core.registry.models import Programme

KeyRole = Qt.ItemDataRole.UserRole + 6


def _swatch(colour: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class ProgrammesPanel(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("programmes_panel")
        self.programme: Programme | None = None
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.plain_line = QLabel()
        self.plain_line.setObjectName("plain_line")
        top.addWidget(self.plain_line, 1)
        self.grid = QComboBox()
        self.grid.setObjectName("grid")
        top.addWidget(QLabel("片区："))
        top.addWidget(self.grid)
        self.print_button = QPushButton("打印卡片…")
        self.print_button.setObjectName("print")
        self.print_button.clicked.connect(self.ask_print)
        top.addWidget(self.print_button)
        outer.addLayout(top)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.list = QListWidget()
        self.list.setObjectName("programmes")
        self.list.currentItemChanged.connect(self._chosen)
        split.addWidget(self.list)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(self._build_editor())
        right_layout.addWidget(self._build_tabs(), 1)
        split.addWidget(right)
        split.setSizes([260, 800])
        outer.addWidget(split, 1)
        ctx.data_reset.connect(self.reload)
        self.reload()
        hide_refused(
            self,
            ctx,
            {
                "save": "programme.setup",
                "enrol": "programme.edit",
                "issue_selected": "programme.edit",
                "issue_all": "programme.edit",
                "reissue": "programme.edit",
            },
        )

    def _build_editor(self) -> QFormLayout:
        form = QFormLayout()
        self.title_edit = QLineEdit()
        self.colour_edit = QLineEdit()
        self.colour_edit.setMaximumWidth(120)
        self.audience_edit = QLineEdit()
        self.services_edit = QPlainTextEdit()
        self.services_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.services_edit.setPlaceholderText("每行一项服务，印在卡的背面")
        self.tags_edit = QLineEdit()
        self.tags_edit.setPlaceholderText("用顿号分隔，如：三无老人、空巢老人")
        for name, widget in (
            ("title", self.title_edit),
            ("colour", self.colour_edit),
            ("audience", self.audience_edit),
            ("services", self.services_edit),
            ("tags", self.tags_edit),
        ):
            widget.setObjectName(name)
        colour_row = QHBoxLayout()
        colour_row.addWidget(self.colour_edit)
        self.swatch = QLabel()
        self.swatch.setFixedSize(40, 18)
        colour_row.addWidget(self.swatch)
        colour_row.addStretch(1)
        self.save_button = QPushButton("保存卡的设置")
        self.save_button.setObjectName("save")
        self.save_button.clicked.connect(self.save)
        colour_row.addWidget(self.save_button)
        self.colour_edit.textChanged.connect(
            lambda text: self.swatch.setStyleSheet(f"background: {text}; border: 1px solid #999;")
        )
        form.addRow("名称：", self.title_edit)
        form.addRow("颜色：", colour_row)
        form.addRow("服务对象：", self.audience_edit)
        form.addRow("服务内容：", self.services_edit)
        form.addRow("对象标签：", self.tags_edit)
        return form

    def _build_tabs(self) -> QTabWidget:
        self.tabs = QTabWidget()
        eligible_page = QWidget()
        layout = QVBoxLayout(eligible_page)
        self.eligible = RowsModel(["姓名", "标签", "片区", "住址"], self)
        self.eligible_view = make_table(self.eligible, "eligible", multi=True)
        fit_columns(self.eligible_view, [5, 8, 5, 16])
        layout.addWidget(self.eligible_view, 1)
        self.enrol_button = QPushButton("登记所选居民")
        self.enrol_button.setObjectName("enrol")
        self.enrol_button.clicked.connect(self.enrol_selected)
        layout.addWidget(self.enrol_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.tabs.addTab(eligible_page, "符合条件、未登记")

        enrolled_page = QWidget()
        layout = QVBoxLayout(enrolled_page)
        self.enrolled = RowsModel(["住址", "居民", "登记日期", "卡号"], self)
        self.enrolled_view = make_table(self.enrolled, "enrolled", multi=True)
        fit_columns(self.enrolled_view, [16, 5, 6, 9])
        layout.addWidget(self.enrolled_view, 1)
        row = QHBoxLayout()
        for name, text, slot in (
            ("issue_selected", "给所选住户发卡", self.issue_selected),
            ("issue_all", "给未发卡的住户发卡", self.issue_all),
            ("reissue", "补发所选…", self.reissue_selected),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.tabs.addTab(enrolled_page, "已登记")
        return self.tabs

    # --- loading

    def reload(self) -> None:
        current = self.programme.key if self.programme else None
        self.grid.blockSignals(True)
        self.grid.clear()
        self.grid.addItem("全部片区", None)
        for gid, name in grid_choices(self.ctx):
            self.grid.addItem(name, gid)
        self.grid.blockSignals(False)
        self.list.blockSignals(True)
        self.list.clear()
        chosen = 0
        for i, prog in enumerate(programmes.programmes(active_only=False)):
            item = QListWidgetItem(_swatch(prog.colour), prog.title)
            item.setData(KeyRole, prog.key)
            self.list.addItem(item)
            if prog.key == current:
                chosen = i
        self.list.blockSignals(False)
        self.list.setCurrentRow(chosen)
        self._chosen(self.list.currentItem())

    def _summarise(self) -> None:
        community = self.ctx.community
        if community is None:
            return
        missing = programmes.count_households_without_plain_card(community)
        self.plain_line.setText(
            f"民情连心卡：还有 <b>{missing}</b> 户没有领到"
            if missing
            else "民情连心卡：每户都已发到"
        )
        for i in range(self.list.count()):
            item = self.list.item(i)
            s = programmes.summary(item.data(KeyRole), community)
            if programmes.is_plain(s.programme):
                item.setText(f"{s.programme.title}\n持卡 {s.cards} 户，未发 {s.without_card} 户")
            else:
                item.setText(
                    f"{s.programme.title}\n登记 {s.enrolled} 户，待登记 {s.eligible} 人，"
                    f"未发卡 {s.without_card} 户"
                )

    def _chosen(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is None:
            return
        self.show_programme(item.data(KeyRole))

    def show_programme(self, key: str) -> None:
        prog = self.programme = programmes.get_programme(key)
        for i in range(self.list.count()):
            if self.list.item(i).data(KeyRole) == key and self.list.currentRow() != i:
                self.list.blockSignals(True)
                self.list.setCurrentRow(i)
                self.list.blockSignals(False)
        self.title_edit.setText(prog.title)
        self.colour_edit.setText(prog.colour)
        self.audience_edit.setText(prog.audience)
        self.services_edit.setPlainText(prog.services)
        self.tags_edit.setText("、".join(prog.tag_list))
        plain = programmes.is_plain(prog)
        self.tags_edit.setEnabled(not plain)
        self.tabs.setTabEnabled(0, not plain)
        self.enrol_button.setEnabled(not plain)
        self._load_lists()

    def _load_lists(self) -> None:
        prog = self.programme
        if prog is None:
            return
        rows = programmes.eligible(prog)
        self.eligible.set_rows(
            [(r.name, "、".join(r.tags), r.grid, r.address) for r in rows],
            [r.resident_id for r in rows],
        )
        if programmes.is_plain(prog) and self.ctx.community is not None:
            ids = programmes.households_to_issue(prog, self.ctx.community)
            homes = registry.households_by_id(ids)
            self.enrolled.set_rows(
                [(homes[i].address, "", "", "未发卡") for i in ids if i in homes], ids
            )
        else:
            enrolments = programmes.enrolments(prog)
            serials = programmes.latest_serials(prog, [e.household_id for e in enrolments])
            self.enrolled.set_rows(
                [
                    (
                        e.household.address,
                        e.resident.name if e.resident_id else "（全户）",
                        e.enrolled_on,
                        serials.get(e.household_id, "未发卡"),
                    )
                    for e in enrolments
                ],
                [e.household_id for e in enrolments],
            )
        self.tabs.setTabText(0, f"符合条件、未登记 {len(rows)}")
        second = "未发卡住户" if programmes.is_plain(prog) else "已登记"
        self.tabs.setTabText(1, f"{second} {self.enrolled.rowCount()}")
        self._summarise()

    # --- actions

    def save(self) -> None:
        if self.programme is None:
            return
        values = dict(
            title=self.title_edit.text(),
            colour=self.colour_edit.text(),
            audience=self.audience_edit.text(),
            services=self.services_edit.toPlainText(),
        )
        if not programmes.is_plain(self.programme):
            values["tags"] = (
                self.tags_edit.text().replace("，", "、").replace(",", "、").split("、")
            )
        try:
            programmes.edit_programme(self.programme, actor=self.ctx.staff, **values)
        except MinqingError as exc:
            show_refusal(self, exc.message)
            return
        self.reload()
        self.ctx.status.emit("卡的设置已保存，之后打印的卡片按新设置印制。")

    def _staff(self) -> int | None:
        return self.ctx.staff.id if self.ctx.staff else None

    def enrol_selected(self) -> None:
        ids = selected_ids(self.eligible_view)
        if not ids or self.programme is None:
            show_refusal(self, "请先在名单中选择要登记的居民。")
            return
        try:
            for rid in ids:
                programmes.enrol(
                    self.programme, resident=rid, by=self._staff(), actor=self.ctx.staff
                )
        except MinqingError as exc:
            show_refusal(self, exc.message)
        self._load_lists()

    def _issue(self, household_ids: list[int]) -> None:
        assert self.programme is not None
        made = 0
        try:
            for hid in household_ids:
                programmes.issue_card(self.programme, hid, by=self._staff(), actor=self.ctx.staff)
                made += 1
        except MinqingError as exc:
            show_refusal(self, exc.message)
        self.ctx.status.emit(f"{self.programme.title}：已发卡 {made} 张")
        self._load_lists()

    def issue_selected(self) -> None:
        ids = selected_ids(self.enrolled_view)
        if not ids:
            show_refusal(self, "请先在已登记名单中选择住户。")
            return
        serials = programmes.latest_serials(self.programme, ids) if self.programme else {}
        self._issue([h for h in ids if h not in serials])

    def issue_all(self) -> None:
        if self.programme is None or self.ctx.community is None:
            return
        try:
            made = programmes.issue_cards(
                self.programme,
                self.ctx.community,
                self.grid.currentData(),
                by=self._staff(),
                actor=self.ctx.staff,
            )
        except MinqingError as exc:
            show_refusal(self, exc.message)
            return
        self.ctx.status.emit(f"{self.programme.title}：新发 {len(made)} 张")
        self._load_lists()

    def reissue_selected(self) -> None:
        ids = selected_ids(self.enrolled_view)
        if not ids or self.programme is None:
            show_refusal(self, "请先在已登记名单中选择要补发的住户。")
            return
        serials = programmes.latest_serials(self.programme, ids[:1])
        if not serials:
            show_refusal(self, "这一户还没有发过卡，请用“发卡”。")
            return
        old = programmes.card_by_serial(serials[ids[0]])
        fields = [Field("reason", "补发原因", hint="丢失、损坏……")]
        if ask(
            self,
            f"补发 {old.serial}",
            fields,
            lambda v: programmes.reissue(old, v["reason"], by=self._staff(), actor=self.ctx.staff),
        ):
            self._load_lists()

    def ask_print(self) -> None:
        path = save_path(self, "打印连心卡", f"{self.title_edit.text() or '民情连心卡'}.pdf")
        if path is not None:
            self.print_to(path)

    def print_to(self, path: Path) -> None:
        from minqing.printing import documents

        key = self.programme.key if self.programme else "plain"
        grid = self.grid.currentText() if self.grid.currentData() else None
        # Printed by the signed-in user (the export log names them); households still without
        # a card get one recorded only when that user may issue cards, otherwise the cards
        # print without a serial, as with 打印 → 民情连心卡 unticked.
        staff = self.ctx.staff
        record = allowed(staff, "programme.edit")
        Op(
            self,
            lambda progress: documents.print_cards(
                path, grid=grid, programme=key, progress=progress, actor=staff, record=record
            ),
            what="打印连心卡",
        ).with_progress("正在生成卡片…").writes(path).success(
            lambda result: self.ctx.status.emit(
                f"已生成 {result.path}（{result.items} 张，{result.pages} 页）"
                + ("" if record else "；未登记发卡，卡上没有卡号")
            )
        ).run()


PANEL = PanelSpec(
    object_name="programmes",
    title="五彩连心卡",
    factory=ProgrammesPanel,
    area=Qt.DockWidgetArea.RightDockWidgetArea,
    tab_with="board",
)
