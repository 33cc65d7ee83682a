"""智能分派 and 类似民情: the window a request belongs to, from the resident's words, and how
similar matters ended.

The model (suggest_model.py) is small and hand-written, not scikit-learn: scikit-learn needs
numpy and scipy, about 200 MB unpacked (Linux wheels: scipy 113 MB, numpy 58 MB,
scikit-learn 33 MB) — more than the rest of the program's folder — for what a few hundred
lines of Python do here within the time budget (see benchmarks/bench_suggest.py). Nor would a
discriminative model trained on the closed cases help much where it counts: it learns how the
office's records are phrased, while residents at the desk say it their own way. What carries
their words is the cue vocabulary (the office's keywords and the built-in lexicon.py) with the
history smoothed against all windows; on requests written after the model was, that took top-1
from about 67 % to about 81 %, top-3 from about 89 % to about 97 % (tests/core/data).

Training reads the closed cases once (100,000 in a few seconds); `current_model()` keeps the
trained model per database and retrains in a background thread when cases have closed since,
serving the previous model meanwhile.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from peewee import fn

from minqing.core.accounts import permissions
from minqing.core.calendar.workdays import load_calendar
from minqing.core.cases import keywords as keyword_lists
from minqing.core.cases.suggest_model import (  # noqa: F401 (the model's API, used from here)
    Evaluation,
    Example,
    Model,
    evaluate,
    features,
    read_labelled,
)
from minqing.core.enums import Disposition, Stage
from minqing.core.models import Case, Staff, Window, database_proxy
from minqing.core.privacy import mask_public_text

log = logging.getLogger("minqing.core")

STALE_CHECK_SECONDS = 30.0
# The newest closed cases the model learns from: a street office's ten years (a million
# cases, 940,000 closed) took 21 s of CPU and 200 MB in the window's process; 200,000 say
# as much about how the office words and routes its matters today.
TRAINED_CASES = 200_000
QUICK_TRAIN = 5_000  # closed cases trained on in the foreground (about 0.2 s)
CONFIDENT = 0.5  # an import takes the suggestion at this confidence, else its default window


@dataclass
class Ranked:
    window_id: int
    name: str
    score: float  # 0..1, the share of confidence among the windows


@dataclass
class Similar:
    case_id: int
    number: str
    window: str
    disposition: str  # the Chinese label, "" if none
    owner: str
    days: int | None  # working days from intake to closing
    outcome: str
    text: str  # masked for the viewer


@dataclass
class Suggestion:
    windows: list[Ranked]
    disposition: Disposition | None = None
    owner_id: int | None = None
    owner: str = ""
    similar: list[Similar] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "windows": [{"name": r.name, "score": round(r.score, 3)} for r in self.windows],
            "disposition": self.disposition.label if self.disposition else None,
            "owner": self.owner or None,
            "similar": [
                {
                    "number": s.number,
                    "window": s.window,
                    "disposition": s.disposition,
                    "owner": s.owner,
                    "outcome": s.outcome,
                    "days": s.days,
                    "text": s.text,
                }
                for s in self.similar
            ],
        }


def closed_examples() -> Iterable[Example]:
    """The newest TRAINED_CASES closed cases, oldest first."""
    closed = Case.stage == Stage.CLOSED.value
    oldest = (
        Case.select(Case.id)
        .where(closed)
        .order_by(Case.id.desc())
        .offset(TRAINED_CASES - 1)
        .limit(1)
        .scalar()
    )
    query = (
        Case.select(Case.id, Case.window, Case.text, Case.disposition, Case.owner)
        .where(closed if oldest is None else closed & (Case.id >= oldest))
        .order_by(Case.id)
        .tuples()
    )
    for case_id, window_id, text, disposition, owner_id in query.iterator():
        yield Example(case_id, window_id, text or "", disposition, owner_id)


def train() -> Model:
    windows = {
        w.id: w.name
        for w in Window.select(Window.id, Window.name)
        .where(Window.active == True)  # noqa: E712
        .order_by(Window.sort, Window.id)
    }
    return Model(windows, keyword_lists.window_keywords(), closed_examples())


def _stamp() -> tuple[Any, ...]:
    """Changes when a case closes or reopens, or a window or its keywords change."""
    closed = Case.select(fn.COUNT(Case.id), fn.MAX(Case.closed_at)).where(
        Case.stage == Stage.CLOSED.value
    )
    windows = Window.select(Window.id, Window.name, Window.active, Window.keywords).order_by(
        Window.id
    )
    return tuple(closed.tuples().get()) + tuple(windows.tuples())


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.database: Any = None
        self.model: Model | None = None
        self.stamp: tuple[Any, ...] | None = None
        self.checked = 0.0
        self.training: threading.Thread | None = None


_cache = _Cache()


def current_model(*, wait: bool = False) -> Model:
    """The trained model for the open database. The first call trains at once; later calls
    check (at most every 30 s, or at once after `forget()`) whether cases closed since, and
    retrain in a background thread while the previous model keeps serving — or, with
    `wait`, before returning."""
    database = database_proxy.obj
    with _cache.lock:
        fresh_db = _cache.database is not database or _cache.model is None
        due = time.monotonic() - _cache.checked >= STALE_CHECK_SECONDS
        model = _cache.model
    if fresh_db:
        stamp = _stamp()
        model = train()
        with _cache.lock:
            _cache.database, _cache.model, _cache.stamp = database, model, stamp
            _cache.checked = time.monotonic()
        return model
    assert model is not None
    if not due and not wait:
        return model
    stamp = _stamp()
    with _cache.lock:
        _cache.checked = time.monotonic()
        stale = stamp != _cache.stamp
    if not stale:
        return model
    if wait:
        model = train()
        with _cache.lock:
            if _cache.database is database:
                _cache.model, _cache.stamp = model, stamp
        return model
    _retrain_in_background(database)
    return model


def ready_model() -> Model | None:
    """The trained model without a noticeable wait, for a dialog that must open at once: the
    one already trained, or one trained now for an office with few closed cases; else None,
    and training starts in the background."""
    database = database_proxy.obj
    with _cache.lock:
        if _cache.database is database and _cache.model is not None:
            return _cache.model
    if Case.select().where(Case.stage == Stage.CLOSED.value).count() <= QUICK_TRAIN:
        return current_model()
    _retrain_in_background(database)
    return None


def _retrain_in_background(database: Any) -> None:
    with _cache.lock:
        if _cache.training is not None and _cache.training.is_alive():
            return

        def work() -> None:
            try:
                started = time.monotonic()
                stamp = _stamp()
                model = train()
                with _cache.lock:
                    if database_proxy.obj is database:
                        _cache.database, _cache.model, _cache.stamp = database, model, stamp
                log.info("suggestion model retrained in %.1f s", time.monotonic() - started)
            except Exception:  # a failed retrain leaves the previous model serving
                log.exception("suggestion model retrain failed")
            finally:
                if not database.is_closed():
                    database.close()

        _cache.training = threading.Thread(target=work, name="suggest-train", daemon=True)
        _cache.training.start()


def wait_for_training(timeout: float) -> bool:
    """Let a retrain still running finish (the program is quitting): True when none is left.
    The thread is a daemon only so that a retrain that outlives `timeout` cannot keep the
    program from ending."""
    with _cache.lock:
        thread = _cache.training
    if thread is None:
        return True
    thread.join(timeout)
    return not thread.is_alive()


def forget() -> None:
    """Check for closed cases at the next suggestion (call after closing or reopening one)."""
    with _cache.lock:
        _cache.checked = 0.0


def suggest(
    text: str,
    *,
    viewer: Staff | None = None,
    top: int = 3,
    similar: int = 5,
    model: Model | None = None,
) -> Suggestion:
    """The top windows for the words, with the likely disposition and owner of the best one,
    and the most similar closed cases (masked for the viewer). Empty for empty text."""
    model = model or current_model()
    text = (text or "").strip()
    if not features(text):
        return Suggestion([])
    ranked = model.rank(text)[:top]
    names = dict(zip(model.window_ids, model.names, strict=True))
    result = Suggestion([Ranked(w, names[w], score) for w, score in ranked])
    slots = [model.window_ids.index(w) for w, _ in ranked]
    # similar matters of the best window; the others' only when it has too few
    near = model.similar(text, slots[:1] or None, limit=100)
    if len(slots) > 1 and len(near) < max(similar, 1) * 4:
        near += model.similar(text, slots[1:], limit=100)
    if slots and near:
        code, owner_id = model.likely(slots[0], near)
        if code:
            result.disposition = Disposition(code)
        if owner_id:
            staff = Staff.get_or_none((Staff.id == owner_id) & (Staff.active == True))  # noqa: E712
            if staff is not None:
                result.owner_id, result.owner = staff.id, staff.name
    if similar:
        ids = model.pick_similar(near, slots, similar * 4)
        result.similar = varied(describe(ids, viewer=viewer), similar)
    return result


def confident_window(text: str, min_score: float = CONFIDENT) -> int | None:
    """The first window when the words clearly point at it, for imports where nobody picks."""
    ranked = current_model().rank(text) if features(text) else []
    return ranked[0][0] if ranked and ranked[0][1] >= min_score else None


def describe(case_ids: list[int], *, viewer: Staff | None = None) -> list[Similar]:
    """Closed cases as the desk shows them: outcome, days taken, the text masked unless the
    viewer may see personal data. Order kept."""
    if not case_ids:
        return []
    rows = {c.id: c for c in Case.select().where(Case.id.in_(case_ids))}
    windows = dict(Window.select(Window.id, Window.name).tuples())
    owner_ids = {c.owner_id for c in rows.values() if c.owner_id}
    owners = dict(Staff.select(Staff.id, Staff.name).where(Staff.id.in_(owner_ids)).tuples())
    calendar = load_calendar()
    out: list[Similar] = []
    for case_id in case_ids:
        case = rows.get(case_id)
        if case is None:
            continue
        days = None
        if case.closed_at is not None:
            closed = case.closed_at.date() if isinstance(case.closed_at, dt.datetime) else None
            if closed is not None:
                days = max(calendar.workdays_between(case.intake_date, closed), 0)
        full = permissions.can_see_personal(viewer, case)
        out.append(
            Similar(
                case_id=case.id,
                number=case.number,
                window=windows.get(case.window_id, ""),
                disposition=Disposition(case.disposition).label if case.disposition else "",
                owner=owners.get(case.owner_id, ""),
                days=days,
                outcome=case.outcome if full else mask_public_text(case.outcome),
                text=case.text if full else mask_public_text(case.text),
            )
        )
    return out


def similar_to_case(case: Case, *, viewer: Staff | None = None, limit: int = 5) -> list[Similar]:
    """类似民情 for the detail panel: closed cases like this one (its own window first), the
    case itself left out."""
    model = current_model()
    slots = [model.window_ids.index(case.window_id)] if case.window_id in model.window_ids else []
    near = model.similar(case.text, slots or None, limit=limit * 4 + 1)
    ids = model.pick_similar(near, slots, limit * 4, skip=case.id)
    return varied(describe(ids, viewer=viewer), limit)


def varied(similar: list[Similar], limit: int) -> list[Similar]:
    """The nearest cases, one per way of ending (window, disposition, outcome) first, so the
    list shows what can happen rather than the same outcome five times."""
    seen: set[tuple[str, str, str]] = set()
    first: list[Similar] = []
    rest: list[Similar] = []
    for item in similar:
        key = (item.window, item.disposition, item.outcome)
        (rest if key in seen else first).append(item)
        seen.add(key)
    return (first + rest)[:limit]
