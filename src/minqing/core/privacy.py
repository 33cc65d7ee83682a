"""Masking residents' personal details for anything shown in public (notice board, hall screen).

Kept in core, free of Qt and printing, because the notice, the hall display and the lists all
mask the same way.
"""

from __future__ import annotations

import re

from minqing.core.models import format_address

# Registry tags that say something a resident would not want known outside the office: an
# export for a role without `export.personal` leaves them out.
SENSITIVE_TAGS = frozenset({"低保", "残疾人", "康复人员", "刑满释放人员"})

_PHONE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_UNIT_IN_TEXT = re.compile(r"(\d+|[一二三四五六七八九十]+)\s*(单元)")
_DOOR_IN_TEXT = re.compile(r"(?<!\d)(\d{2,5})\s*(室|户|房间)")
_DASHED_DOOR = re.compile(
    r"(?<![\d-])(\d{1,3})-\d{1,2}-\d{2,4}(?![\d-])"
)  # 楼-单元-门 like 3-2-501


def mask_name(name: str) -> str:
    """王小吉 → 王*吉, 王吉 → 王*, 欧阳小明 → 欧**明; one character stays (it reveals little)."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str) -> str:
    """13812345678 → 138****5678; landlines keep area code and last 4 digits; short ones all *."""
    digits = re.sub(r"\D", "", phone)
    if not digits:
        return ""
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) <= 4:
        return "*" * len(digits)
    if "-" in phone:
        area, _, rest = phone.strip().partition("-")
        rest_digits = re.sub(r"\D", "", rest)
        return f"{area}-" + "*" * max(len(rest_digits) - 4, 0) + rest_digits[-4:]
    return "*" * (len(digits) - 4) + digits[-4:]


def mask_address(courtyard: str, building: str = "", unit: str = "", door: str = "") -> str:
    """Only courtyard and building: the unit and door would point at one family."""
    return format_address(courtyard, building)


def mask_free_address(address: str) -> str:
    """A written address (no parts known): cut after the building (…号楼 / …栋 / …幢)."""
    match = re.search(r"^(.*?(?:号楼|栋|幢|楼))", address)
    if match:
        return match.group(1)
    match = re.search(r"^(.*?\d+号)", address)
    return match.group(1) if match else re.sub(r"\d+(室|户)$", "", address)


def mask_phones_in_text(text: str) -> str:
    """Mobile numbers written inside a request's text are masked too."""
    return _PHONE_IN_TEXT.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)


def mask_private_text(text: str) -> str:
    """A request's own words in public: phones masked, and unit and door numbers (which point
    at one family) hidden, while the courtyard and building stay so neighbours know where."""
    text = mask_phones_in_text(text)
    text = _UNIT_IN_TEXT.sub(lambda m: "*" + m.group(2), text)
    text = _DOOR_IN_TEXT.sub(lambda m: "*" * len(m.group(1)) + m.group(2), text)
    return _DASHED_DOOR.sub(lambda m: f"{m.group(1)}-*-***", text)


def mask_id_number(id_number: str | None) -> str:
    """230103195001011234 → 230103********1234: the region stays, birth date and order go."""
    text = (id_number or "").strip()
    if len(text) <= 10:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]
