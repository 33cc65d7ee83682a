"""The intake form's draft: what was typed survives a crash or an accidental close as a JSON
file in the data folder, written by a timer and on close, restored on the next start.

A mixin of IntakePanel (kept apart so the form itself stays one idea); it reads and fills the
panel's widgets by their Designer names.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox

from minqing import paths
from minqing.core.registry.services import resident_or_none

log = logging.getLogger("minqing.gui")


def draft_path() -> Any:
    return paths.data_dir() / "intake-draft.json"


class DraftMixin:
    def draft(self) -> dict[str, Any]:
        return dict(
            channel=self.channelCombo.currentData(),
            resident=self.picker.resident.id if self.picker.resident else None,
            resident_text=self.residentEdit.text(),
            anonymous=self.anonymousCheck.isChecked(),
            contact_name=self.contactNameEdit.text(),
            contact_phone=self.contactPhoneEdit.text(),
            address=self.addressEdit.text(),
            window=self.windowCombo.currentData(),
            text=self.textEdit.toPlainText(),
            urgent=self.urgentCheck.isChecked(),
            disposition=self.dispositionCombo.currentData(),
            materials_needed=self.materialsEdit.text(),
            escalated_to=self.escalatedToEdit.text(),
            escalation_days=self.escalationDaysSpin.value(),
            return_reason=self.returnReasonEdit.text(),
            promised_date=self.promisedDateEdit.date().toString(Qt.DateFormat.ISODate),
            first_responder=self.responderCombo.currentData(),
        )

    def save_draft(self) -> None:
        self.draft_timer.stop()
        if not self.has_input():
            self.discard_draft()
            return
        path = draft_path()
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.draft(), ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)

    def discard_draft(self) -> None:
        self.draft_timer.stop()
        draft_path().unlink(missing_ok=True)

    def restore_draft(self) -> bool:
        path = draft_path()
        if not path.exists():
            return False
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            self._apply_draft(data)
        except Exception:
            log.exception("could not restore the intake draft %s", path)
            return False
        self.ctx.status.emit("已恢复上次没有保存的受理登记内容。")
        return True

    def _apply_draft(self, data: dict[str, Any]) -> None:
        def pick(combo: QComboBox, value: Any) -> None:
            index = combo.findData(value)
            if index >= 0:
                combo.setCurrentIndex(index)

        self._loading = True
        try:
            pick(self.channelCombo, data.get("channel"))
            self.anonymousCheck.setChecked(bool(data.get("anonymous")))
            resident = resident_or_none(data.get("resident"))
            if resident is not None:
                self.picker.choose(resident)
            else:
                self.residentEdit.setText(data.get("resident_text", ""))
            self.contactNameEdit.setText(data.get("contact_name", ""))
            self.contactPhoneEdit.setText(data.get("contact_phone", ""))
            self.addressEdit.setText(data.get("address", ""))
            pick(self.windowCombo, data.get("window"))
            self.textEdit.setPlainText(data.get("text", ""))
            self.urgentCheck.setChecked(bool(data.get("urgent")))
            pick(self.dispositionCombo, data.get("disposition"))
            self.materialsEdit.setText(data.get("materials_needed", ""))
            self.escalatedToEdit.setText(data.get("escalated_to", ""))
            self.escalationDaysSpin.setValue(int(data.get("escalation_days") or 10))
            self.returnReasonEdit.setText(data.get("return_reason", ""))
            promised = QDate.fromString(data.get("promised_date", ""), Qt.DateFormat.ISODate)
            if promised.isValid():
                self.promisedDateEdit.setDate(promised)
            pick(self.responderCombo, data.get("first_responder"))
        finally:
            self._loading = False
        self.update_due()
