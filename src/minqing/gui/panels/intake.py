"""受理登记: the front desk's form, built from forms/intake.ui.

Made for the keyboard: Tab and Enter walk the fields in reading order, Ctrl+Enter registers,
Ctrl+N starts over. The due date shows as soon as window and disposition are known, a similar
recent matter of the same resident is pointed out (never blocking), and what is typed survives
a crash or an accidental close as a draft file in the data folder.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QEvent, QFile, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from minqing import paths
from minqing.core import community as community_service
from minqing.core.calendar.workdays import load_calendar
from minqing.core.cases import deadlines, queries
from minqing.core.cases import services as cases
from minqing.core.enums import Channel, Disposition
from minqing.core.errors import DomainError, MinqingError
from minqing.gui import errors
from minqing.gui.context import AppContext
from minqing.gui.operations import Op
from minqing.gui.panels import PanelSpec
from minqing.gui.panels.intake_draft import DraftMixin
from minqing.gui.widgets.resident_picker import ResidentPicker, describe
from minqing.gui.widgets.settings import app_settings
from minqing.gui.widgets.suggestion import SuggestionBar, select_window
from minqing.gui.widgets.viewer import open_document

if TYPE_CHECKING:
    from minqing.core.models import Case, Resident

log = logging.getLogger("minqing.gui")

WEEKDAYS = "一二三四五六日"
DISPOSITION_FIELDS = {
    Disposition.SUPPLEMENT: ["materialsEdit"],
    Disposition.ESCALATED: ["escalatedToEdit", "escalationDaysSpin"],
    Disposition.RETURNED: ["returnReasonEdit"],
    Disposition.PROMISED: ["promisedDateEdit"],
}
# DomainError.field → the widget to focus
FIELD_WIDGETS = {
    "channel": "channelCombo",
    "resident": "residentEdit",
    "contact_name": "contactNameEdit",
    "contact_phone": "contactPhoneEdit",
    "address": "addressEdit",
    "window": "windowCombo",
    "text": "textEdit",
    "urgent": "urgentCheck",
    "disposition": "dispositionCombo",
    "materials_needed": "materialsEdit",
    "escalated_to": "escalatedToEdit",
    "escalation_days": "escalationDaysSpin",
    "return_reason": "returnReasonEdit",
    "promised_date": "promisedDateEdit",
    "first_responder": "responderCombo",
}


def chinese_day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（周{WEEKDAYS[day.weekday()]}）"


def preview_due(
    window_id: int | None,
    disposition: Disposition | None,
    urgent: bool,
    escalation_days: int | None,
    promised: dt.date | None,
    today: dt.date,
) -> str:
    """What the desk tells the resident about the deadline, computed without writing anything."""
    if disposition is None:
        return "选择办理类型后显示"
    if window_id is None:
        return "选择服务窗口后显示"
    if disposition == Disposition.SUPPLEMENT:
        days = deadlines.rule_days(window_id, disposition)
        return f"材料补齐后起算，{days}个工作日内办结"
    due, follow_up = deadlines.preview(
        window_id, disposition, urgent, escalation_days, promised, today
    )
    parts = []
    if due is not None:
        if due == today:
            parts.append(f"今天办结（{chinese_day(due)}）")
        else:
            parts.append(f"{chinese_day(due)}前办结")
    if follow_up is not None:
        parts.append(f"{chinese_day(follow_up)}前向上级催办")
    text = "；".join(parts) or "—"
    last = max([d for d in (due, follow_up) if d] or [today])
    missing = [y for y in range(today.year, last.year + 1) if not load_calendar().covers(y)]
    if missing:
        text += f"（{'、'.join(map(str, missing))}年节假日未录入，按周一至周五估算）"
    return text


class IntakePanel(DraftMixin, QWidget):
    scrolls_itself = True  # the form scrolls; due date, save button and result stay in view

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakePanel")
        self.setMinimumWidth(400)  # below this, names and placeholders get clipped
        self.ctx = ctx
        self.last_case: Case | None = None
        self._loading = False
        self.form = self._load_form()
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("intakeScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.form)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.scroll, 1)
        self._find_widgets()
        layout.addWidget(self._pinned_footer())
        self._fill_choices()
        self._enter_moves_on = _EnterMovesOn(self)
        for w in self.form.findChildren(QWidget):
            if isinstance(w, QLineEdit | QComboBox | QSpinBox | QDateEdit | QCheckBox):
                w.installEventFilter(self._enter_moves_on)
        self.picker = ResidentPicker(self.residentEdit)
        self.draft_timer = QTimer(self)
        self.draft_timer.setSingleShot(True)
        self.draft_timer.setInterval(800)
        self.draft_timer.timeout.connect(self.save_draft)
        self.similar_timer = QTimer(self)
        self.similar_timer.setSingleShot(True)
        self.similar_timer.setInterval(400)
        self.similar_timer.timeout.connect(self.check_similar)
        self._add_suggestions()
        self._connect()
        self.channelCombo.setCurrentIndex(self.channelCombo.findData(Channel.WALK_IN.value))
        self.new_case(keep_result=True)
        self.restore_draft()

    # building -----------------------------------------------------------------------------

    def _load_form(self) -> QWidget:
        path = paths.forms_dir() / "intake.ui"
        handle = QFile(str(path))
        if not handle.open(QFile.OpenModeFlag.ReadOnly):
            raise MinqingError(f"找不到界面文件 {path}，程序可能没有完整安装。")
        try:
            widget = QUiLoader().load(handle, self)
        finally:
            handle.close()
        if widget is None:
            raise MinqingError(f"界面文件 {path} 无法读取，程序可能没有完整安装。")
        return widget

    def _find_widgets(self) -> None:
        for cls in (
            QLineEdit,
            QComboBox,
            QPlainTextEdit,
            QCheckBox,
            QSpinBox,
            QDateEdit,
            QLabel,
            QPushButton,
            QFrame,
        ):
            for w in self.form.findChildren(cls):
                if w.objectName() and not hasattr(self, w.objectName()):
                    setattr(self, w.objectName(), w)
        self.formPerson = self.form.findChild(QFormLayout, "formPerson")
        self.formHandling = self.form.findChild(QFormLayout, "formHandling")
        self.resultLabel.setObjectName("resultLabel")
        self.errorLabel.setObjectName("errorLabel")
        self.similarLabel.setObjectName("similarLabel")

    def _pinned_footer(self) -> QWidget:
        """The due date, errors, the save button and the result stay below the scrolling form,
        so on a 720-pixel screen the desk sees them without scrolling."""
        footer = QFrame(self)
        footer.setObjectName("intakeFooter")
        footer.setFrameShape(QFrame.Shape.NoFrame)
        column = QVBoxLayout(footer)
        column.setContentsMargins(8, 4, 8, 4)
        column.setSpacing(4)
        row = self.formHandling.getWidgetPosition(self.dueLabel)[0]
        self.formHandling.takeRow(row)
        due = QHBoxLayout()
        due.addWidget(self.dueCaption)
        due.addWidget(self.dueLabel, 1)
        column.addLayout(due)
        column.addWidget(self.errorLabel)
        buttons = QHBoxLayout()
        buttons.addWidget(self.newButton)
        buttons.addStretch(1)
        buttons.addWidget(self.saveButton)
        column.addLayout(buttons)
        column.addWidget(self.resultFrame)
        return footer

    def _add_suggestions(self) -> None:
        """智能分派: the likely windows (Alt+1/2/3) and similar matters, under the text."""
        self.suggestions = SuggestionBar(self.ctx, self)
        matter = self.form.findChild(QFormLayout, "formMatter")
        matter.insertRow(
            matter.getWidgetPosition(self.textEdit)[0] + 1, "推荐窗口", self.suggestions
        )
        self.textEdit.textChanged.connect(
            lambda: self.suggestions.request(self.textEdit.toPlainText())
        )
        self.suggestions.chosen.connect(lambda wid: select_window(self.windowCombo, wid))

    def _fill_choices(self) -> None:
        for code, label in Channel.choices():
            self.channelCombo.addItem(label, code)
        self.windowCombo.addItem("（请选择服务窗口）", None)
        for w in community_service.windows(active_only=True):
            self.windowCombo.addItem(str(w.name), w.id)
        self.dispositionCombo.addItem("（稍后分类）", None)
        for code, label in Disposition.choices():
            self.dispositionCombo.addItem(label, code)
        for s in community_service.active_staff(self.ctx.community):
            self.responderCombo.addItem(str(s.name), s.id)

    def _connect(self) -> None:
        self.picker.chosen.connect(self._resident_chosen)
        self.anonymousCheck.toggled.connect(self._anonymous_toggled)
        self.dispositionCombo.currentIndexChanged.connect(self._disposition_changed)
        for signal in (
            self.windowCombo.currentIndexChanged,
            self.urgentCheck.toggled,
            self.escalationDaysSpin.valueChanged,
            self.promisedDateEdit.dateChanged,
        ):
            signal.connect(self.update_due)
        self.windowCombo.currentIndexChanged.connect(self.check_similar)
        self.textEdit.textChanged.connect(self.similar_timer.start)
        self.responderCombo.currentIndexChanged.connect(self._responder_changed)
        self.saveButton.clicked.connect(self.save)
        self.newButton.clicked.connect(self.ask_new_case)
        self.printButton.clicked.connect(self.print_receipt)
        for w in self.form.findChildren(QLineEdit):
            w.textChanged.connect(self._changed)
        self.textEdit.textChanged.connect(self._changed)
        for w in self.form.findChildren(QComboBox):
            w.currentIndexChanged.connect(self._changed)
        for w in (self.anonymousCheck, self.urgentCheck):
            w.toggled.connect(self._changed)
        self.escalationDaysSpin.valueChanged.connect(self._changed)
        self.promisedDateEdit.dateChanged.connect(self._changed)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save)
        new = QShortcut(QKeySequence("Ctrl+N"), self)
        new.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new.activated.connect(self.ask_new_case)

    # reacting -----------------------------------------------------------------------------

    def _changed(self, *_: Any) -> None:
        if not self._loading:
            self.draft_timer.start()

    def _resident_chosen(self, resident: Resident | None) -> None:
        self.formPerson.setRowVisible(self.residentInfoLabel, resident is not None)
        if resident is None:
            self.residentInfoLabel.clear()
        else:
            self.residentInfoLabel.setText(describe(resident))
            if resident.household_id:
                self.addressEdit.setText(resident.household.address)
        self.check_similar()
        self._changed()

    def _anonymous_toggled(self, anonymous: bool) -> None:
        self.formPerson.setRowVisible(3, anonymous)
        self.residentEdit.setEnabled(not anonymous)
        if anonymous:
            self.picker.clear()
            self.residentInfoLabel.clear()
            self.formPerson.setRowVisible(self.residentInfoLabel, False)

    def _disposition_changed(self, *_: Any) -> None:
        kind = self.disposition()
        for fields in DISPOSITION_FIELDS.values():
            for name in fields:
                self.formHandling.setRowVisible(getattr(self, name), False)
        for name in DISPOSITION_FIELDS.get(kind, []) if kind else []:
            self.formHandling.setRowVisible(getattr(self, name), True)
        self.update_due()

    def _responder_changed(self, *_: Any) -> None:
        if not self._loading and self.responderCombo.currentData() is not None:
            app_settings().setValue("intake/responder", self.responderCombo.currentData())

    def disposition(self) -> Disposition | None:
        code = self.dispositionCombo.currentData()
        return Disposition(code) if code else None

    def update_due(self, *_: Any) -> None:
        promised = self.promisedDateEdit.date().toPython()
        try:
            text = preview_due(
                self.windowCombo.currentData(),
                self.disposition(),
                self.urgentCheck.isChecked(),
                self.escalationDaysSpin.value(),
                promised if isinstance(promised, dt.date) else None,
                dt.date.today(),
            )
        except (MinqingError, ValueError) as exc:
            text = str(exc)
        self.dueLabel.setText(text)

    def check_similar(self, *_: Any) -> None:
        self.similar_timer.stop()
        resident = self.picker.resident
        found = (
            queries.similar_cases(
                resident.id,
                self.windowCombo.currentData(),
                self.textEdit.toPlainText(),
                dt.date.today(),
            )
            if resident is not None
            else []
        )
        if not found:
            self.similarLabel.clear()
            self.similarLabel.hide()
            return
        items = "；".join(f"{c.number}（{c.intake_date:%m-%d}）{c.text[:24]}" for c in found[:3])
        self.similarLabel.setText(
            f"提醒：{resident.name}近{queries.SIMILAR_DAYS}天反映过类似的事（{len(found)}件）：{items}。"
            "如是同一件事，请在原件上跟进；不是的话可以照常登记。"
        )
        self.similarLabel.show()

    # values -------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        kind = self.disposition()
        anonymous = self.anonymousCheck.isChecked()
        values: dict[str, Any] = dict(
            channel=self.channelCombo.currentData(),
            text=self.textEdit.toPlainText(),
            window=self.windowCombo.currentData(),
            first_responder=self.responderCombo.currentData(),
            resident=None if anonymous or self.picker.resident is None else self.picker.resident.id,
            contact_name=self.contactNameEdit.text() if anonymous else "",
            contact_phone=self.contactPhoneEdit.text() if anonymous else "",
            address=self.addressEdit.text(),
            urgent=self.urgentCheck.isChecked(),
            disposition=kind.value if kind else None,
        )
        if kind == Disposition.SUPPLEMENT:
            values["materials_needed"] = self.materialsEdit.text()
        elif kind == Disposition.ESCALATED:
            values["escalated_to"] = self.escalatedToEdit.text()
            values["escalation_days"] = self.escalationDaysSpin.value()
        elif kind == Disposition.RETURNED:
            values["return_reason"] = self.returnReasonEdit.text()
        elif kind == Disposition.PROMISED:
            values["promised_date"] = self.promisedDateEdit.date().toPython()
        return values

    def has_input(self) -> bool:
        return bool(
            self.textEdit.toPlainText().strip()
            or self.residentEdit.text().strip()
            or self.contactNameEdit.text().strip()
            or self.contactPhoneEdit.text().strip()
        )

    # saving -------------------------------------------------------------------------------

    def save(self) -> None:
        if self.picker.pending():
            self.picker.search_now()
        self.errorLabel.clear()
        if (
            not self.anonymousCheck.isChecked()
            and self.residentEdit.text().strip()
            and self.picker.resident is None
        ):
            self.show_error(
                DomainError(
                    "resident",
                    f"“{self.residentEdit.text().strip()}”还没有对应到居民：请从提示列表中选择一位，"
                    "或勾选“匿名/未登记”并填写联系人。",
                )
            )
            return
        try:
            change = cases.take_in(**self.values(), actor=self.ctx.staff)
        except DomainError as exc:
            self.show_error(exc)
            return
        except MinqingError as exc:
            self.show_error(DomainError(None, str(exc)))
            return
        except Exception as exc:
            errors.report(self, exc, "受理登记")
            return
        case = change.case
        self.last_case = case
        self.ctx.case_changed.emit(case.id)
        self.ctx.status.emit(f"已受理 {case.number}")
        self.discard_draft()
        self.new_case(keep_result=True)
        self.resultLabel.setText(
            "已受理，编号 <span style='font-size:20pt; font-weight:bold; color:#b71c1c'>"
            f"{case.number}</span>" + (f"<br>{self.dueText(case)}" if case.due_date else "")
        )
        self.resultFrame.show()
        self.printButton.setEnabled(True)
        self.printButton.setFocus()
        self.scroll.verticalScrollBar().setValue(0)  # the next resident starts at the top

    @staticmethod
    def dueText(case: Case) -> str:
        return f"办理时限：{chinese_day(case.due_date)}前"

    def show_error(self, exc: DomainError) -> None:
        self.errorLabel.setText(str(exc))
        self.errorLabel.show()
        target = getattr(self, FIELD_WIDGETS.get(exc.field or "", ""), None)
        if exc.field == "resident" and self.anonymousCheck.isChecked():
            target = self.contactNameEdit
        if isinstance(target, QWidget) and target.isVisibleTo(self.form):
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def ask_new_case(self) -> None:
        if self.has_input():
            choice = errors.ask(
                self,
                "新建受理",
                "当前填写的内容还没有保存，要清空重新开始吗？",
                ["清空", "继续填写"],
            )
            if choice != 0:
                return
        self.discard_draft()
        self.new_case()

    def start_for_household(self, household: Any, residents: list[Resident]) -> None:
        """A scanned contact card: a fresh form for the household's first resident."""
        if self.has_input():
            self.ask_new_case()
            if self.has_input():
                return
        self.new_case()
        if residents:
            self.picker.choose(residents[0])
        else:
            self.anonymousCheck.setChecked(True)
            self.addressEdit.setText(household.address)
        self.textEdit.setFocus()

    def new_case(self, keep_result: bool = False) -> None:
        self._loading = True
        try:
            self.picker.clear()
            self.residentInfoLabel.clear()
            self.formPerson.setRowVisible(self.residentInfoLabel, False)
            self.anonymousCheck.setChecked(False)
            self._anonymous_toggled(False)
            for w in (
                self.contactNameEdit,
                self.contactPhoneEdit,
                self.addressEdit,
                self.materialsEdit,
                self.escalatedToEdit,
                self.returnReasonEdit,
            ):
                w.clear()
            self.textEdit.clear()
            self.urgentCheck.setChecked(False)
            self.windowCombo.setCurrentIndex(0)
            self.dispositionCombo.setCurrentIndex(0)
            self.escalationDaysSpin.setValue(10)
            self.promisedDateEdit.setDate(deadlines.default_promised_date(dt.date.today()))
            self.promisedDateEdit.setMinimumDate(QDate.currentDate())
            self._select_responder()
            self.errorLabel.clear()
            self.errorLabel.hide()
            self.similarLabel.hide()
            if not keep_result:
                self.resultFrame.hide()
            elif self.last_case is None:
                self.resultFrame.hide()
            self._disposition_changed()
        finally:
            self._loading = False
        self.channelCombo.setFocus()

    def _select_responder(self) -> None:
        remembered = app_settings().value("intake/responder")
        wanted = [remembered, self.ctx.staff.id if self.ctx.staff else None]
        for staff_id in wanted:
            if staff_id is None:
                continue
            index = self.responderCombo.findData(int(staff_id))
            if index >= 0:
                self.responderCombo.setCurrentIndex(index)
                return

    def confirm_close(self) -> bool:
        """Asked by the window before it closes: keep the unsaved input as a draft, or drop it."""
        if not self.has_input():
            self.discard_draft()
            return True
        choice = errors.ask(
            self,
            "受理登记还没有保存",
            "受理登记里有没保存的内容。保留为草稿，下次打开程序时会自动恢复。",
            ["保留草稿并退出", "不保留，直接退出", "取消"],
        )
        if choice == 0:
            self.save_draft()
            return True
        if choice == 1:
            self.discard_draft()
            return True
        return False

    # the receipt --------------------------------------------------------------------------

    def print_receipt(self) -> None:
        if self.last_case is None:
            return
        from minqing.printing.documents import print_receipt

        number = str(self.last_case.number)
        folder = paths.data_dir() / "回执"
        folder.mkdir(parents=True, exist_ok=True)
        out = folder / f"受理回执-{number}.pdf"
        self.printButton.setEnabled(False)
        self.ctx.status.emit(f"正在生成 {number} 的受理回执…")

        def done(result: Any) -> None:
            warning = getattr(result, "warning", "")
            self.ctx.status.emit(f"回执已生成：{out}")
            if warning:
                errors.show_message(self, "打印回执", warning, errors.WARNING)
            open_file(out)

        staff = self.ctx.staff
        Op(self, lambda: print_receipt(number, str(out), actor=staff), what="打印回执").writes(
            out
        ).always(lambda: self.printButton.setEnabled(True)).success(done).run()


def open_file(path: Any) -> None:
    """Opens a PDF in the system viewer, from which the desk prints it."""
    open_document(path)


class _EnterMovesOn(QObject):
    """Enter in a one-line field moves to the next field, as on paper forms."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return False
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if isinstance(obj, QWidget):
            tab = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier)
            QApplication.sendEvent(obj, tab)
            return True
        return False


PANEL = PanelSpec(
    object_name="intake",
    title="受理登记",
    factory=IntakePanel,
    area=Qt.DockWidgetArea.LeftDockWidgetArea,
    shortcut="Ctrl+1",
)
