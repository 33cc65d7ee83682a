"""What a scanned QR code points at: a receipt's case or a contact card's household.

A USB scanner types the code's text like a keyboard. A receipt's QR holds the case number
(2026-00042); a contact card's QR is a vCard whose `UID:minqing:hh:<household code>` line
(the contract with the card printer) names the household. The household code is the card
serial printed on the card (community-grid-household, 01-02-00053), a card issue's serial
(MQ26-…), or a household id. Parsing is kept free of the database; `resolve` looks it up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from minqing.core.enums import Stage
from minqing.core.errors import NotFound
from minqing.core.models import Case, Community, Household, Resident
from minqing.core.registry.models import CardIssue

CASE_NUMBER = re.compile(r"^\d{4}-\d{1,6}$")
UID_PREFIX = "minqing:hh:"
_UID = re.compile(r"(?:^|\s)UID(?:;[^:\s]*)?:minqing:hh:(\S+)", re.IGNORECASE)
_CARD_SERIAL = re.compile(r"^(\d{1,4})-(\d{1,4})-(\d{1,9})$")


@dataclass(frozen=True)
class Scan:
    kind: str  # "case" | "household" | "card" (a vCard without a household code)
    value: str = ""


def parse_scan(text: str) -> Scan | None:
    """The scanned text's meaning, or None when it is neither a receipt's nor a card's code.
    Line ends may be CR, LF or CRLF; scanners also add a trailing Enter."""
    text = (text or "").strip().replace("\r\n", "\n").replace("\r", "\n")
    if not text:
        return None
    if CASE_NUMBER.match(text):
        return Scan("case", text)
    lowered = text.lower()
    if lowered.startswith("minqing:case:") and CASE_NUMBER.match(text[13:].strip()):
        return Scan("case", text[13:].strip())
    if lowered.startswith(UID_PREFIX):
        code = text[len(UID_PREFIX) :].strip()
        return Scan("household", code) if code else None
    if not lowered.startswith("begin:vcard"):
        return None
    # the lines may have been joined by spaces (a scanner without Enter, a shell argument)
    match = _UID.search(text)
    if match:
        return Scan("household", match.group(1))
    return Scan("card")


@dataclass
class Found:
    """A scan looked up: the case, or the household with its open cases."""

    scan: Scan
    case: Case | None = None
    household: Household | None = None
    residents: list[Resident] = field(default_factory=list)  # the household's, active
    open_cases: list[Case] = field(default_factory=list)


def find_household(code: str) -> Household | None:
    code = code.strip()
    if code.isdigit():
        return Household.get_or_none(Household.id == int(code))
    match = _CARD_SERIAL.match(code)
    if match:
        household = Household.get_or_none(Household.id == int(match.group(3)))
        if household is not None and household.community_id == int(match.group(1)):
            return household
        if (
            household is not None
            and not Community.select().where(Community.id == int(match.group(1))).exists()
        ):
            return household  # the file was moved to another office number: still the same
        return None
    issue = CardIssue.get_or_none(CardIssue.serial == code)
    return Household.get_or_none(Household.id == issue.household_id) if issue else None


def resolve(text: str) -> Found | None:
    """Look a scan up. None when the text is no scan; NotFound (one Chinese sentence) when it
    is one but points at nothing in this office's records."""
    scan = parse_scan(text)
    if scan is None:
        return None
    if scan.kind == "case":
        case = Case.get_or_none(Case.number == scan.value)
        if case is None:
            raise NotFound(f"扫到回执编号 {scan.value}，但本单位没有这件民情。")
        return Found(scan, case=case)
    if scan.kind == "card":
        raise NotFound("扫到一张连心卡，但卡上没有住户编号（旧版卡片）。请按姓名或电话查找。")
    household = find_household(scan.value)
    if household is None:
        raise NotFound(f"扫到连心卡（住户编号 {scan.value}），但本单位没有这户。")
    residents = Resident.select(Resident.id).where(Resident.household == household.id)
    open_cases = list(
        Case.select()
        .where(
            ((Case.household == household.id) | Case.resident.in_(residents))
            & (Case.stage != Stage.CLOSED.value)
        )
        .order_by(Case.id.desc())
    )
    people = list(
        Resident.select()
        .where((Resident.household == household.id) & (Resident.status == "active"))
        .order_by(Resident.id)
    )
    return Found(scan, household=household, residents=people, open_cases=open_cases)
