"""Checks of user input. Each returns the cleaned value or raises DomainError naming the field."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from minqing.core.errors import DomainError

MAX_TEXT = 4000


# C0 and C1 control characters other than tab and line breaks, and DEL: an ESC sequence
# would reach a terminal, \x01 breaks every .xlsx written later, NUL breaks PostgreSQL.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
ONE_LINE_MAX = 200  # text fields this short (names, phones, titles) are one line


def strip_controls(text: str, *, multiline: bool = True) -> str:
    """Text without control characters. Tabs and line breaks stay where the text may span
    lines (CR LF becomes LF); in one-line text they become a space."""
    text = _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not multiline:
        text = re.sub("[\t\n]+", " ", text)
    return text


def clean(text: str | None) -> str:
    """For numbers, codes and dates: NFKC folds the full-width digits and letters (１３８ → 138)
    that Chinese input methods type. Prose is only stripped (its （）and ，stay as typed)."""
    return strip_controls(unicodedata.normalize("NFKC", text or ""), multiline=False).strip()


def required_text(field: str, value: str | None, label: str, max_len: int = MAX_TEXT) -> str:
    text = optional_text(field, value, label, max_len)
    if not text:
        raise DomainError(field, f"请填写{label}。")
    return text


def optional_text(field: str, value: str | None, label: str, max_len: int = MAX_TEXT) -> str:
    text = strip_controls(value or "", multiline=max_len > ONE_LINE_MAX).strip()
    if len(text) > max_len:
        raise DomainError(
            field, f"{label}太长了（{len(text)} 字），最多 {max_len} 字。请精简后再保存。"
        )
    return text


def phone(field: str, value: str | None, label: str = "电话", required: bool = True) -> str:
    """Mainland mobile or landline numbers; stored as digits only (landlines keep the area code)."""
    text = re.sub(r"[\s\-()（）]", "", clean(value))
    if not text:
        if required:
            raise DomainError(field, f"请填写{label}。")
        return ""
    if len(text) in (7, 8) and text.isdigit():
        return text  # a local landline without area code, as offices often print them
    import phonenumbers  # 0.2 s to import: on first use, not at start-up

    try:
        parsed = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed) or parsed.country_code != 86:
        raise DomainError(
            field,
            f"{label}“{value}”不是有效的号码。手机号为 11 位（如 13812345678），"
            "固定电话请带区号（如 0451-86123456）。",
        )
    return (
        phonenumbers.national_significant_number(parsed)
        if text.startswith("1")
        else ("0" + phonenumbers.national_significant_number(parsed))
    )


def format_phone(digits: str) -> str:
    """A stored number as people dial it: landlines with their area code split off
    (045182651234 → 0451-82651234, 01065123456 → 010-65123456); mobiles as they are."""
    if len(digits) == 12 and digits.startswith("0"):
        return f"{digits[:4]}-{digits[4:]}"
    if len(digits) == 11 and digits.startswith(("01", "02")):
        return f"{digits[:3]}-{digits[3:]}"
    return digits


def id_number(field: str, value: str | None, required: bool = False) -> str | None:
    text = clean(value).upper().replace(" ", "")
    if not text:
        if required:
            raise DomainError(field, "请填写身份证号。")
        return None
    from stdnum.cn import ric  # 0.15 s to import: on first use, not at start-up
    from stdnum.exceptions import InvalidChecksum, ValidationError

    try:
        return str(ric.validate(text))
    except InvalidChecksum as exc:
        raise DomainError(
            field, f"身份证号“{text}”的最后一位校验码不对，请核对后重新输入。"
        ) from exc
    except ValidationError as exc:
        raise DomainError(
            field, f"身份证号“{text}”格式不对：应为 18 位，出生日期有效，最后一位为数字或 X。"
        ) from exc


def date_value(field: str, value: dt.date | str | None, label: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = clean(value).replace("/", "-").replace(".", "-")
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{4})年(\d{1,2})月(\d{1,2})日?", text)
    if match:
        y, m, d = (int(g) for g in match.groups() if g is not None)
        try:
            return dt.date(y, m, d)
        except ValueError:
            pass
    raise DomainError(field, f"{label}“{value}”不是有效日期，请写成 2026-11-27 的样子。")


def not_before(
    field: str, later: dt.date, earlier: dt.date, later_label: str, earlier_label: str
) -> None:
    if later < earlier:
        raise DomainError(
            field,
            f"{later_label}（{later:%Y-%m-%d}）不能早于{earlier_label}（{earlier:%Y-%m-%d}）。",
        )


def positive_days(field: str, value: int | str | None, label: str, maximum: int = 365) -> int:
    try:
        days = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError(field, f"{label}应为天数（整数），例如 15。") from None
    if not 1 <= days <= maximum:
        raise DomainError(field, f"{label}应在 1 到 {maximum} 个工作日之间。")
    return days
