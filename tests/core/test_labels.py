"""One source for labels: enum codes through enums.label_of, case fields through
history.FIELD_NAMES, in the glossary's words."""

from __future__ import annotations

import re
from pathlib import Path

from minqing.core.cases import history
from minqing.core.enums import Disposition, Stage, label_of
from minqing.core.models import Case

SRC = Path(__file__).resolve().parents[2] / "src" / "minqing"


def test_label_of():
    assert label_of(Stage, "handling") == "办理"
    assert label_of(Disposition, None) == "" and label_of(Disposition, "") == ""
    assert label_of(Disposition, "from_a_newer_version") == "from_a_newer_version"


def test_field_names_use_the_glossary():
    assert history.FIELD_NAMES["due_date"] == "办理时限"  # GLOSSARY.md; not 办理期限
    assert history.FIELD_NAMES["owner"] == "责任人"
    assert history.EVENT_KINDS["callback"] == "回访"
    # every field the Recorder may write an event for has a name
    recorded = {"text", "address", "window", "urgent", "contact_name", "contact_phone", "owner"}
    recorded |= {"disposition", "due_date", "stage", "outcome", "satisfaction", "reopen_count"}
    assert recorded <= set(history.FIELD_NAMES) <= set(Case._meta.fields)


def test_no_second_label_table():
    found = []
    for path in sorted(SRC.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(SRC)
        if re.search(r"def _label\(enum", text):
            found.append(f"{where}: its own _label(enum, code)")
        if where.parts[0] in ("gui", "printing", "cli") and re.search(
            r"^(FIELD_NAMES|EVENT_KINDS)\b", text, re.M
        ):
            found.append(f"{where}: its own field-label table")
    assert found == []
