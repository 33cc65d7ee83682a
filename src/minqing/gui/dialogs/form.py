"""One small form dialog built from a list of fields, so each change asks only what it needs.

The dialog hands the values to a `submit` callable (a core service call). A MinqingError
keeps the dialog open with the rule's own message and focus on the field it names, so the
user fixes that one input instead of starting again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from minqing.core import community as community_service
from minqing.core.errors import MinqingError
from minqing.gui.dialogs.messages import show_refusal


@dataclass
class Field:
    key: str  # the keyword the core service takes
    label: str
    kind: str = "text"  # text | longtext | choice | date | days | check
    choices: Sequence[tuple[Any, str]] = ()  # (value, label) for "choice"
    value: Any = None
    hint: str = ""
    show_when: tuple[str, Any] | None = None  # visible only while that choice has that value
    extra: dict[str, Any] = field(default_factory=dict)


def staff_choices(
    community_id: int | None = None, role: str | None = None
) -> list[tuple[int, str]]:
    return [(s.id, s.name) for s in community_service.active_staff(community_id or None, role)]


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class FormDialog(QDialog):
    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        submit: Callable[[dict[str, Any]], Any],
        parent: QWidget | None = None,
        intro: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("form_dialog")
        self.setMinimumWidth(420)
        self.fields = list(fields)
        self.submit = submit
        self.result_value: Any = None
        self.widgets: dict[str, QWidget] = {}
        outer = QVBoxLayout(self)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            label.setObjectName("intro")
            outer.addWidget(label)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        outer.addLayout(self.form)
        for spec in self.fields:
            widget = self._make(spec)
            widget.setObjectName(spec.key)
            if spec.hint:
                widget.setToolTip(spec.hint)
            self.widgets[spec.key] = widget
            self.form.addRow(spec.label + "：", widget)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        for widget in self.widgets.values():
            if isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self._update_visibility)
        self._update_visibility()

    def _make(self, spec: Field) -> QWidget:
        if spec.kind == "choice":
            combo = QComboBox()
            combo.addItem("请选择…", None)
            for value, label in spec.choices:
                combo.addItem(label, value)
            index = combo.findData(spec.value) if spec.value is not None else 0
            combo.setCurrentIndex(max(index, 0))
            return combo
        if spec.kind == "longtext":
            edit = QPlainTextEdit(spec.value or "")
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 4 + 12)
            if spec.hint:
                edit.setPlaceholderText(spec.hint)
            return edit
        if spec.kind == "date":
            date = QDateEdit(_qdate(spec.value or dt.date.today()))
            date.setCalendarPopup(True)
            date.setDisplayFormat("yyyy-MM-dd")
            return date
        if spec.kind == "days":
            spin = QSpinBox()
            spin.setRange(0, 365)
            spin.setSuffix(" 个工作日")
            spin.setValue(int(spec.value or 0))
            return spin
        if spec.kind == "check":
            box = QCheckBox(spec.hint)
            box.setChecked(bool(spec.value))
            return box
        line = QLineEdit(spec.value or "")
        if spec.hint:
            line.setPlaceholderText(spec.hint)
        return line

    def _visible(self, spec: Field) -> bool:
        if spec.show_when is None:
            return True
        other, wanted = spec.show_when
        combo = self.widgets.get(other)
        return isinstance(combo, QComboBox) and combo.currentData() == wanted

    def _update_visibility(self) -> None:
        for spec in self.fields:
            self.form.setRowVisible(self.widgets[spec.key], self._visible(spec))

    def value_of(self, spec: Field) -> Any:
        widget = self.widgets[spec.key]
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText().strip()
        if isinstance(widget, QDateEdit):
            return widget.date().toPython()
        if isinstance(widget, QSpinBox):
            return widget.value() or None
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        assert isinstance(widget, QLineEdit)
        return widget.text().strip()

    def values(self) -> dict[str, Any]:
        return {spec.key: self.value_of(spec) for spec in self.fields if self._visible(spec)}

    def accept(self) -> None:
        try:
            self.result_value = self.submit(self.values())
        except MinqingError as exc:
            show_refusal(self, exc.message)
            target = self.widgets.get(getattr(exc, "field", None) or "")
            if target is not None:
                target.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        super().accept()


def ask(
    parent: QWidget | None,
    title: str,
    fields: Sequence[Field],
    submit: Callable[[dict[str, Any]], Any],
    intro: str = "",
) -> bool:
    """Show the form; True when `submit` succeeded."""
    dialog = FormDialog(title, fields, submit, parent, intro)
    return dialog.exec() == QDialog.DialogCode.Accepted
