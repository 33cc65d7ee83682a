"""Masking residents' personal details for anything shown in public (notice board, hall screen).

Kept in core, free of Qt and printing, because the notice, the hall display and the lists all
mask the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from minqing.core.models import format_address

# Registry tags that say something a resident would not want known outside the office: an
# export for a role without `export.personal` leaves them out.
SENSITIVE_TAGS = frozenset({"低保", "残疾人", "康复人员", "刑满释放人员"})

# A run of digits as people type numbers: spaced, dashed, with an area code in brackets, a
# leading + (country code), an X closing an ID number. Full-width digits count (\d is Unicode).
# Letters around it don't protect it ("tel13812345678"), so a 12345 order number such as
# GD202611200001 in a request's words is masked too: over-masking is the safe side.
_NUMBER_RUN = re.compile(
    r"(?<!\d)(?P<plus>[+＋])?(?P<body>[(（]?\d(?:[ \u3000\-\u2010-\u2015)）]{0,2}\d)*[Xx]?)(?!\d)"
)
_DATE = re.compile(r"^(19|20)\d\d[-./](0?[1-9]|1[0-2])[-./](0?[1-9]|[12]\d|3[01])$")
_COMPACT_DATE = re.compile(r"^(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$")
_CASE_NUMBER = re.compile(r"^(19|20)\d\d-\d{4,6}$")  # 2026-00012: a case's own number
_MOBILE = re.compile(r"^(?:0{0,2}86)?(1[3-9]\d{9})$")
SHORTEST_PERSONAL_NUMBER = 7  # digits; a local landline has 7 or 8
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


def _mask_number(match: re.Match[str]) -> str:
    body = match.group("body")
    digits = "".join(str(unicodedata.decimal(c)) for c in body if c.isdecimal())
    plain = body.strip("()（）")
    if (
        len(digits) < SHORTEST_PERSONAL_NUMBER
        or _DATE.match(plain)
        or _CASE_NUMBER.match(plain)
        or (len(digits) == 8 and _COMPACT_DATE.match(plain))
    ):
        return match.group(0)
    if body[-1] in "Xx" or len(digits) in (15, 18) and not _MOBILE.match(digits):
        return mask_id_number(digits + body[-1] if body[-1] in "Xx" else digits)
    mobile = _MOBILE.match(digits)
    if mobile:
        number = mobile.group(1)
        country = "+86 " if match.group("plus") or len(digits) > 11 else ""
        return f"{country}{number[:3]}****{number[-4:]}"
    if digits.startswith("0") and 10 <= len(digits) <= 12:
        area = 3 if digits[1] in "12" else 4  # 010, 02x; else 0451, 0755 …
        rest = digits[area:]
        return f"{digits[:area]}-{'*' * (len(rest) - 4)}{rest[-4:]}"
    return "*" * (len(digits) - 4) + digits[-4:]


def mask_phones_in_text(text: str) -> str:
    """Personal numbers written inside free text — mobiles (also +86, spaced or dashed),
    landlines (0451-86123456, (0451)8612 3456), ID numbers and any other run of 7 or more
    digits — keep only what identifies no one: 138****5678, 0451-****3456,
    230103********1234. Dates and case numbers stay as written."""
    return _NUMBER_RUN.sub(_mask_number, text)


def mask_names(text: str, names: Collection[str]) -> str:
    """Every full name of `names` found in the text is masked (王小吉 → 王*吉), longest first,
    so 欧阳小明 is not left as 欧阳** by a shorter 欧阳小 in the list."""
    known = {n for n in names if len(n) >= 2}
    if not known:
        return text
    lengths = sorted({len(n) for n in known}, reverse=True)
    out, i = [], 0
    while i < len(text):
        for size in lengths:
            piece = text[i : i + size]
            if len(piece) == size and piece in known:
                out.append(mask_name(piece))
                i += size
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def mask_public_text(text: str, names: Collection[str] = ()) -> str:
    """The one masking for anything public (notice, hall screen, Open311): personal numbers
    in every form, the names given (the resident's own, the contact's, the registry's), and
    unit and door numbers (which point at one family), while the courtyard and building stay
    so neighbours know where."""
    text = mask_phones_in_text(text)
    text = mask_names(text, names)
    text = _UNIT_IN_TEXT.sub(lambda m: "*" + m.group(2), text)
    text = _DOOR_IN_TEXT.sub(lambda m: "*" * len(m.group(1)) + m.group(2), text)
    return _DASHED_DOOR.sub(lambda m: f"{m.group(1)}-*-***", text)


def mask_id_number(id_number: str | None) -> str:
    """230103195001011234 → 230103********1234: the region stays, birth date and order go."""
    text = (id_number or "").strip()
    if len(text) <= 10:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]
