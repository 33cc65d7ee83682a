"""Open311 GeoReport v2: the cases as service requests, for city platforms that speak it.

What leaves the office: the request's number, status, window, text and stage, and where it
is — but never who. A GeoReport service-request list is public by design (any client may
GET /requests.json), so residents' names, phone numbers and ID numbers are left out
entirely; the text and the outcome are the case's public wording (its reviewed summary once
posted) through the same masking as the paper notice (core.public), and the address is cut
after the building (the unit and door would point at one family).
Staff names are left out too; agency_responsible names the office or the unit escalated to.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from minqing.core.accounts import audit
from minqing.core.cases.public import public_wording, registry_names
from minqing.core.enums import Channel, Disposition, Satisfaction, Stage, label_of
from minqing.core.models import Case, Community, Household, Staff, Window
from minqing.core.outreach.models import CityOrder
from minqing.core.privacy import mask_address, mask_free_address, mask_public_text
from minqing.core.spreadsheet import check_folder

BLOCK = 1000
TZ = dt.timezone(dt.timedelta(hours=8))  # China Standard Time, written into every timestamp


def _stamp(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(17, 0))  # a due date: end of that working day
    return value.replace(tzinfo=TZ).isoformat()


def status_notes(case: Case, order: str | None = None, names: frozenset[str] = frozenset()) -> str:
    """Our stage and disposition in words, with what the disposition tells the resident;
    `names` are hidden wherever they appear (see public.mask_public_text)."""
    hidden = names | {case.contact_name}
    outcome = public_wording(case)[1]
    parts = [f"环节：{label_of(Stage, case.stage)}"]
    kind = label_of(Disposition, case.disposition)
    if kind:
        parts.append(f"办理类型：{kind}")
    if case.disposition == Disposition.ESCALATED and case.escalated_to:
        parts.append(f"上报单位：{case.escalated_to}")
    if case.disposition == Disposition.PROMISED and case.promised_date:
        parts.append(f"承诺办结：{case.promised_date:%Y-%m-%d}")
    if case.disposition == Disposition.RETURNED and case.return_reason:
        parts.append(f"退回原因：{mask_public_text(case.return_reason, hidden)}")
    if case.outcome and outcome:
        parts.append(f"办理结果：{mask_public_text(outcome, hidden)}")
    if case.satisfaction:
        parts.append(f"满意度：{label_of(Satisfaction, case.satisfaction)}")
    if case.reopen_count:
        parts.append(f"重新办理 {case.reopen_count} 次")
    if order:
        parts.append(f"12345工单：{order}")
    return "；".join(parts)


def public_address(case: Case, household: Household | None) -> str:
    if household is not None:
        return mask_address(household.courtyard, household.building)
    return mask_free_address(case.address) if case.address else ""


def service_request(
    case: Case,
    window: Window,
    community: Community,
    order: str | None,
    address: str,
    names: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    return {
        "service_request_id": case.number,
        "status": "closed" if case.stage == Stage.CLOSED else "open",
        "status_notes": status_notes(case, order, names),
        "service_name": window.name,
        "service_code": str(window.id),
        "description": mask_public_text(public_wording(case)[0], names | {case.contact_name}),
        "agency_responsible": case.escalated_to or community.name,
        "service_notice": label_of(Channel, case.channel),
        "requested_datetime": _stamp(case.taken_at),
        "updated_datetime": _stamp(case.updated_at),
        "expected_datetime": _stamp(case.promised_date or case.due_date),
        "address": address,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def service_requests(
    community: Community, start: dt.date | None = None, end: dt.date | None = None
) -> Iterator[dict[str, Any]]:
    """Cases taken in between start and end (all when open), oldest first, read in blocks."""
    query = Case.select(Case.id).where(Case.community == community)
    if start:
        query = query.where(Case.intake_date >= start)
    if end:
        query = query.where(Case.intake_date <= end)
    ids = [c.id for c in query.order_by(Case.taken_at, Case.id)]
    names = registry_names(community)
    for first in range(0, len(ids), BLOCK):
        block = ids[first : first + BLOCK]
        orders = dict(
            CityOrder.select(CityOrder.case, CityOrder.order_number)
            .where(CityOrder.case.in_(block))
            .tuples()
        )
        rows = {c.id: c for c in Case.select(Case, Window).join(Window).where(Case.id.in_(block))}
        homes = {c.household_id for c in rows.values() if c.household_id}
        households = {h.id: h for h in Household.select().where(Household.id.in_(list(homes)))}
        for case_id in block:
            case = rows[case_id]
            address = public_address(case, households.get(case.household_id))
            yield service_request(case, case.window, community, orders.get(case_id), address, names)


def export(
    path: str | Path,
    community: Community,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    actor: Staff | None = None,
) -> int:
    """Write the GeoReport v2 JSON list (UTF-8); returns the number of requests. Logged like
    every export (who sent the office's cases out, and where)."""
    target = check_folder(path)
    items = list(service_requests(community, start, end))
    target.write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
    audit.log_export(actor, "Open311 服务请求", len(items), target)
    return len(items)
