"""智能分派 and 类似民情: the window a request belongs to, from the resident's words, and how
similar matters ended.

The model is small and hand-written, not scikit-learn: scikit-learn needs numpy and scipy,
about 200 MB unpacked (Linux wheels: scipy 113 MB, numpy 58 MB, scikit-learn 33 MB) — more
than the rest of the program's folder — for what a few hundred lines of Python do here within
the time budget. It has two parts, trained together:

- a multinomial naive Bayes over the characters and character pairs of the office's closed
  cases (text → window), to which each window's keyword list (keywords.py) is added as
  pseudo-examples; so a new office with no history is served by its keywords alone;
- a keyword match bonus (the longest match wins where two keywords overlap), because the
  keywords carry the everyday words residents use, which the office's formal records lack.

The same characters pairs index the closed cases (an inverted index in memory) to find the
most similar ones; their dispositions and owners give the likely disposition and owner.

Training reads the closed cases once (100,000 in a few seconds); `current_model()` keeps the
trained model per database and retrains in a background thread when cases have closed since,
serving the previous model meanwhile.
"""

from __future__ import annotations

import datetime as dt
import heapq
import logging
import math
import re
import threading
import time
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from peewee import fn

from minqing.core.accounts import permissions
from minqing.core.calendar.workdays import load_calendar
from minqing.core.cases import keywords as keyword_lists
from minqing.core.enums import Disposition, Stage
from minqing.core.models import Case, Staff, Window, database_proxy
from minqing.core.privacy import mask_private_text

log = logging.getLogger("minqing.core")

ALPHA = 0.1  # additive smoothing of the character counts
KEYWORD_PSEUDO = 8.0  # each keyword counts as this many examples of its window
KEYWORD_BONUS = 2.2  # score added per matched keyword (scaled by its length, below)
NB_SCALE = 4.0  # the per-feature average log-likelihood is multiplied by this
PRIOR_WEIGHT = 0.3  # how much the windows' shares of past cases count
SIMILAR_BUDGET = 8_000  # postings read per similar-case search, rarest pairs first
STALE_CHECK_SECONDS = 30.0

_KEEP = re.compile(r"[\u4e00-\u9fff]+|[a-zA-Z]+")


def features(text: str) -> list[str]:
    """Characters and adjacent pairs of each run of Chinese characters (digits, punctuation and
    spaces break the runs: house numbers say nothing about the window)."""
    out: list[str] = []
    for run in _KEEP.findall(text):
        if run.isascii():
            out.append(run.lower())
            continue
        out.extend(run)
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def pairs(text: str) -> set[str]:
    return {f for f in features(text) if len(f) == 2 and not f.isascii()}


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


@dataclass(frozen=True)
class Example:
    case_id: int
    window_id: int
    text: str
    disposition: str | None = None
    owner_id: int | None = None


class Model:
    """Trained from the windows' keywords and the closed cases; read-only once built, so one
    model can serve several threads."""

    def __init__(
        self,
        windows: dict[int, str],
        keywords: dict[int, list[str]],
        examples: Iterable[Example] = (),
    ) -> None:
        self.window_ids = list(windows)
        self.names = [windows[w] for w in self.window_ids]
        slot = {w: i for i, w in enumerate(self.window_ids)}
        n = len(self.window_ids)
        counts: dict[str, list[float]] = {}
        totals = [0.0] * n
        docs = [0] * n
        self.keywords: list[tuple[str, int]] = []
        for window_id, words in keywords.items():
            if window_id not in slot:
                continue
            i = slot[window_id]
            for word in words:
                self.keywords.append((word, i))
                for f in features(word):
                    counts.setdefault(f, [0.0] * n)[i] += KEYWORD_PSEUDO
                    totals[i] += KEYWORD_PSEUDO
        # The similar-case index: case positions per character pair, and per case its
        # id, window slot, disposition and owner.
        postings: dict[str, array[int]] = {}
        self.case_ids = array("q")
        self.case_slots = array("h")
        self.case_sizes = array("h")
        self.case_dispositions: list[str | None] = []
        self.case_owners = array("q")
        for example in examples:
            i = slot.get(example.window_id)
            if i is None:
                continue
            docs[i] += 1
            feats = features(example.text)
            for f in feats:
                row = counts.get(f)
                if row is None:
                    row = counts[f] = [0.0] * n
                row[i] += 1.0
            totals[i] += len(feats)
            position = len(self.case_ids)
            own = {f for f in feats if len(f) == 2 and not f.isascii()}
            for p in own:
                posting = postings.get(p)
                if posting is None:
                    posting = postings[p] = array("i")
                posting.append(position)
            self.case_ids.append(example.case_id)
            self.case_slots.append(i)
            self.case_sizes.append(min(len(own), 32767))
            self.case_dispositions.append(example.disposition)
            self.case_owners.append(example.owner_id or 0)
        self.postings = postings
        self.examples = len(self.case_ids)
        vocabulary = max(len(counts), 1)
        denominators = [math.log(t + ALPHA * vocabulary) for t in totals]
        self.log_probs = {
            f: [math.log(c + ALPHA) - d for c, d in zip(row, denominators, strict=True)]
            for f, row in counts.items()
        }
        total_docs = sum(docs)
        self.priors = [
            PRIOR_WEIGHT * math.log((d + 1) / (total_docs + n)) if total_docs else 0.0
            for d in docs
        ]
        self.keywords.sort(key=lambda k: -len(k[0]))

    def rank(self, text: str) -> list[tuple[int, float]]:
        """(window id, confidence) for every window, best first; confidences sum to 1."""
        n = len(self.window_ids)
        if n == 0:
            return []
        scores = list(self.priors)
        known = [self.log_probs[f] for f in features(text) if f in self.log_probs]
        if known:
            scale = NB_SCALE / len(known)
            for row in known:
                for i in range(n):
                    scores[i] += row[i] * scale
            # the average log-likelihood is compared between windows: shift to the best
            top = max(scores)
            scores = [s - top for s in scores]
        for i, bonus in self._keyword_hits(text).items():
            scores[i] += bonus
        top = max(scores)
        weights = [math.exp(s - top) for s in scores]
        total = sum(weights)
        ranked = sorted(range(n), key=lambda i: -weights[i])
        return [(self.window_ids[i], weights[i] / total) for i in ranked]

    def _keyword_hits(self, text: str) -> dict[int, float]:
        """Keywords found in the text; a keyword inside a longer match of another window's
        keyword (社保 in 交社保) doesn't count."""
        taken: list[tuple[int, int, int]] = []  # start, end, window slot
        hits: dict[int, float] = {}
        for word, i in self.keywords:  # longest first
            start = text.find(word)
            while start >= 0:
                end = start + len(word)
                inside = any(s <= start and end <= e and j != i for s, e, j in taken)
                if not inside:
                    taken.append((start, end, i))
                    hits[i] = hits.get(i, 0.0) + KEYWORD_BONUS * min(1.0 + 0.25 * len(word), 2.0)
                    break
                start = text.find(word, start + 1)
        return hits

    def similar(self, text: str, limit: int = 30) -> list[tuple[int, float]]:
        """(position, score) of the closed cases sharing the most (rare) character pairs with
        the text: pairs are read rarest first until the budget of postings is spent; of a pair
        found in more cases than the budget allows, only the most recent are read."""
        query = sorted(
            (p for p in pairs(text) if p in self.postings), key=lambda p: len(self.postings[p])
        )
        if not query:
            return []
        total = max(self.examples, 1)
        hits: dict[int, float] = {}
        budget = SIMILAR_BUDGET
        for p in query:
            posting = self.postings[p]
            weight = math.log(1 + total / len(posting))
            if len(posting) > budget:
                if budget < SIMILAR_BUDGET // 4:
                    break
                posting = posting[-budget:]  # a common pair: its most recent cases only
            budget -= len(posting)
            for position in posting:
                hits[position] = hits.get(position, 0.0) + weight
        size = len(query)
        sizes, ids = self.case_sizes, self.case_ids
        best = heapq.nlargest(
            limit,
            hits.items(),
            key=lambda item: (item[1] / math.sqrt(size * max(sizes[item[0]], 1)), ids[item[0]]),
        )
        return [(p, score / math.sqrt(size * max(sizes[p], 1))) for p, score in best]

    def likely(self, window_slot: int, near: list[tuple[int, float]]) -> tuple[str | None, int]:
        """The disposition and owner most used for the nearest cases of the window."""
        dispositions: dict[str, float] = {}
        owners: dict[int, float] = {}
        for position, score in near:
            if self.case_slots[position] != window_slot:
                continue
            code = self.case_dispositions[position]
            if code:
                dispositions[code] = dispositions.get(code, 0.0) + score
            owner = self.case_owners[position]
            if owner:
                owners[owner] = owners.get(owner, 0.0) + score
        best = max(dispositions, key=lambda k: dispositions[k]) if dispositions else None
        return best, (max(owners, key=lambda k: owners[k]) if owners else 0)


def closed_examples() -> Iterable[Example]:
    query = (
        Case.select(Case.id, Case.window, Case.text, Case.disposition, Case.owner)
        .where(Case.stage == Stage.CLOSED.value)
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
    windows = Window.select(
        fn.COUNT(Window.id), fn.SUM(fn.LENGTH(Window.keywords)), fn.SUM(Window.active)
    )
    return tuple(closed.tuples().get()) + tuple(windows.tuples().get())


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
    _retrain_in_background(database, stamp)
    return model


def _retrain_in_background(database: Any, stamp: tuple[Any, ...]) -> None:
    with _cache.lock:
        if _cache.training is not None and _cache.training.is_alive():
            return

        def work() -> None:
            try:
                started = time.monotonic()
                model = train()
                with _cache.lock:
                    if _cache.database is database:
                        _cache.model, _cache.stamp = model, stamp
                log.info("suggestion model retrained in %.1f s", time.monotonic() - started)
            except Exception:  # a failed retrain leaves the previous model serving
                log.exception("suggestion model retrain failed")
            finally:
                if not database.is_closed():
                    database.close()

        _cache.training = threading.Thread(target=work, name="suggest-train", daemon=True)
        _cache.training.start()


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
    near = model.similar(text)
    if ranked and near:
        slot = model.window_ids.index(ranked[0][0])
        code, owner_id = model.likely(slot, near)
        if code:
            result.disposition = Disposition(code)
        if owner_id:
            staff = Staff.get_or_none((Staff.id == owner_id) & (Staff.active == True))  # noqa: E712
            if staff is not None:
                result.owner_id, result.owner = staff.id, staff.name
    if similar:
        result.similar = describe(
            [int(model.case_ids[p]) for p, _ in near[:similar]], viewer=viewer
        )
    return result


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
                outcome=case.outcome if full else mask_private_text(case.outcome),
                text=case.text if full else mask_private_text(case.text),
            )
        )
    return out


def similar_to_case(case: Case, *, viewer: Staff | None = None, limit: int = 5) -> list[Similar]:
    """类似民情 for the detail panel: closed cases like this one, the case itself left out."""
    model = current_model()
    near = [p for p, _ in model.similar(case.text, limit=limit + 1)]
    ids = [int(model.case_ids[p]) for p in near if model.case_ids[p] != case.id]
    return describe(ids[:limit], viewer=viewer)


@dataclass
class Evaluation:
    total: int
    top1: int
    top3: int
    misses: list[tuple[str, str, str]]  # expected, text, the first suggestion

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.total if self.total else 0.0

    @property
    def top3_rate(self) -> float:
        return self.top3 / self.total if self.total else 0.0


def read_labelled(text: str) -> list[tuple[str, str]]:
    """`window<TAB>request` lines; `#` starts a comment line."""
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        window, _, request = line.partition("\t")
        rows.append((window.strip(), request.strip()))
    return rows


def evaluate(model: Model, labelled: list[tuple[str, str]]) -> Evaluation:
    """How often the right window comes first, and among the first three."""
    names = dict(zip(model.window_ids, model.names, strict=True))
    result = Evaluation(len(labelled), 0, 0, [])
    for expected, request in labelled:
        ranked = [names[w] for w, _ in model.rank(request)[:3]]
        result.top1 += bool(ranked) and ranked[0] == expected
        result.top3 += expected in ranked
        if not ranked or ranked[0] != expected:
            result.misses.append((expected, request, ranked[0] if ranked else ""))
    return result
