"""The suggestion model: words → window, and an index of the closed cases by their character
pairs for finding similar ones. Plain Python, no database (see suggest.py for why it is
hand-written and how it is trained and kept fresh).

- cue words: each window's keyword list (the office's), the built-in everyday lexicon of the
  standard windows (lexicon.py: spoken, dialect and roundabout words, some marked as naming
  the matter or only setting the scene) and both with one near-miss character of pinyin input
  (底保, 社宝卡). Each cue found in the text adds to its window's score, more for a longer
  one; a cue inside a longer one found (社保 in 交社保) doesn't count. Residents' everyday
  words are what carries a request written as they speak, so the cues weigh most;
- the closed cases (text → window), with the cues added as pseudo-examples, give each
  character and character pair a weight per window: how much likelier it is in the window than
  in all windows, smoothed towards all (Jelinek–Mercer), so that the way the office's records
  happen to be phrased (的, 家, 孩子 in one window's records more than another's) can't outvote
  a named matter, while a word the lists lack still counts through its characters. Without
  closed cases (a new office) the cues' pseudo-examples alone fill it;
- an inverted index of the closed cases by character pair: the nearest ones share the most
  (rare) pairs; their dispositions and owners give the likely disposition and owner.
"""

from __future__ import annotations

import heapq
import math
import re
from array import array
from collections.abc import Iterable
from dataclasses import dataclass

from minqing.core.cases import lexicon
from minqing.core.cases.lexicon import SCENE as SCENE_WORDS

KEYWORD_PSEUDO = 8.0  # each keyword counts as at least this many examples of its window
KEYWORD_SHARE = 0.01  # … or as this share of the average window's closed cases, if more
KEYWORD_BONUS = 2.2  # score added per matched keyword (scaled by its length, below)
NB_SCALE = 6.0  # the per-feature average log-likelihood is multiplied by this
SCENE_TEACHES = 0.6  # a cue word weighing less (one that only sets the scene) adds no examples
EVIDENCE = 8  # below this many known characters and pairs, the average counts for less
PRIOR_WEIGHT = 0.3  # how much the windows' shares of past cases count
TEMPERATURE = 2.5  # softens the confidences: their mean ≈ the top-1 rate on unseen requests
SIMILAR_BUDGET = 5_000  # postings read per similar-case search, rarest pairs first
SIMILAR_FOCUS = 3.0  # a pair of a cue word found against another pair, in similar cases
LEXICON_WEIGHT = 1.0  # a lexicon word against an office keyword
STRONG = 1.3  # a lexicon word marked as naming the matter (低保, 残疾证)
WEAK = 0.5  # … or as only setting the scene (楼上, 邻居)
SCENE = 0.25  # … or as an everyday word of any narrative (儿子, 家里, 钱: lexicon.SCENE)
NEAR_WEIGHT = 0.7  # a word with one near-miss character against the word itself
LAMBDA = 0.5  # a window's own share of a feature against its share of all windows
CHAR_WEIGHT = 0.6  # a single character against a pair
_KEEP = re.compile(r"[\u4e00-\u9fff]+|[a-zA-Z]+")


def everyday() -> dict[str, list[str]]:
    """The built-in lexicon, by window name: the everyday words and the words of each window's
    remit; a word of a remit goes to that window with its mark there."""
    remit = {name: parse_words(text) for name, text in lexicon.REMIT.items()}
    placed = {tier(marked)[0] for words in remit.values() for marked in words}
    out: dict[str, list[str]] = {}
    for name, text in lexicon.EVERYDAY.items():
        out[name] = [m for m in parse_words(text) if tier(m)[0] not in placed]
    for name, words in remit.items():
        out.setdefault(name, []).extend(words)
    return out


def parse_words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s,，、;；/|]+", text) if w]


def tier(marked: str) -> tuple[str, float]:
    """A lexicon entry's word and weight: “!低保” names the matter, “~楼上” only sets the scene."""
    if marked[:1] == "!":
        return marked[1:], STRONG
    if marked[:1] == "~":
        return marked[1:], WEAK
    return marked, 1.0


_NEAR: dict[str, str] = {}
for _group in lexicon.NEAR:
    for _char in _group:
        _NEAR[_char] = _NEAR.get(_char, "") + _group.replace(_char, "")


def _near_variants(word: str) -> list[str]:
    """The word with one character swapped for one pinyin input often puts in its place."""
    return [
        word[:k] + other + word[k + 1 :] for k, c in enumerate(word) for other in _NEAR.get(c, "")
    ]


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


@dataclass(frozen=True)
class Example:
    case_id: int
    window_id: int
    text: str
    disposition: str | None = None
    owner_id: int | None = None


class Model:
    """Trained from the windows' keywords, the everyday lexicon and the closed cases; read-only
    once built, so one model can serve several threads."""

    def __init__(
        self,
        windows: dict[int, str],
        keywords: dict[int, list[str]],
        examples: Iterable[Example] = (),
        lexicon: dict[str, list[str]] | None = None,
    ) -> None:
        self.window_ids = list(windows)
        self.names = [windows[w] for w in self.window_ids]
        slot = {w: i for i, w in enumerate(self.window_ids)}
        n = len(self.window_ids)
        counts: dict[str, list[float]] = {}
        totals = [0.0] * n
        docs = [0] * n
        # The similar-case index: case positions per character pair, and per case its
        # id, window slot, disposition and owner.
        postings: dict[tuple[int, str], array[int]] = {}  # (window slot, pair) → positions
        df: dict[str, int] = {}
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
                posting = postings.get((i, p))
                if posting is None:
                    posting = postings[(i, p)] = array("i")
                posting.append(position)
                df[p] = df.get(p, 0) + 1
            self.case_ids.append(example.case_id)
            self.case_slots.append(i)
            self.case_sizes.append(min(len(own), 32767))
            self.case_dispositions.append(example.disposition)
            self.case_owners.append(example.owner_id or 0)
        self.canonical: dict[str, str] = {}  # a cue with a near-miss character → the cue
        cues = self._cues(keywords, lexicon, slot)
        # Each cue word counts as KEYWORD_PSEUDO examples, or as a share of the average
        # window's history, so that a big history doesn't drown the residents' everyday words.
        pseudo = max(KEYWORD_PSEUDO, KEYWORD_SHARE * sum(docs) / max(n, 1))
        for word, i, weight in cues:
            if weight < SCENE_TEACHES:
                continue  # a scene word (就一个孩子, 楼上) is no evidence of its window
            for f in features(word):
                counts.setdefault(f, [0.0] * n)[i] += pseudo * weight
                totals[i] += pseudo * weight
        self.cues: dict[str, list[tuple[str, int, float]]] = {}
        for word, i, weight in sorted(cues, key=lambda c: -len(c[0])):
            self.cues.setdefault(word[0], []).append((word, i, weight))
        self.postings = postings
        self.df = df
        self.examples = len(self.case_ids)
        # Per feature and window: how much likelier the feature is in the window than in all
        # of them, its share mixed with its share of all (Jelinek–Mercer): a word spread over
        # every window (的, 社区, 问问) says nothing, however a window's records happen to
        # phrase things, and no feature outweighs the rest.
        # the scene words (儿子, 家里, 钱) and their pairs say nothing about the window, however
        # often one window's records use them (family disputes: 儿子, 老伴)
        for word in parse_words(SCENE_WORDS):
            for f in features(word) if len(word) == 1 else pairs(word):
                row = counts.pop(f, None)
                if row is not None:
                    for i, c in enumerate(row):
                        totals[i] -= c
        grand = sum(totals) or 1.0
        inverse = [1.0 / t if t else 0.0 for t in totals]
        self.log_probs: dict[str, list[float]] = {}
        for f, row in counts.items():
            background = sum(row) / grand
            weight = CHAR_WEIGHT if len(f) == 1 else 1.0
            self.log_probs[f] = [
                weight * math.log(LAMBDA * c * inv / background + 1 - LAMBDA)
                for c, inv in zip(row, inverse, strict=True)
            ]
        total_docs = sum(docs)
        self.priors = [
            PRIOR_WEIGHT * math.log((d + 1) / (total_docs + n)) if total_docs else 0.0 for d in docs
        ]

    def _cues(
        self,
        keywords: dict[int, list[str]],
        lexicon: dict[str, list[str]] | None,
        slot: dict[int, int],
    ) -> list[tuple[str, int, float]]:
        """(word, window slot, weight): the office's keywords, the everyday lexicon of the
        windows by name (less the words the office has put in any list), and both with one
        near-miss character (底保 for 低保) at a lower weight."""
        if lexicon is None:
            lexicon = everyday()
        tiers = {}  # word → weight: a named matter counts more, a context word less
        for words in lexicon.values():
            for marked in words:
                word, weight = tier(marked)
                tiers[word] = weight
        for word in parse_words(SCENE_WORDS):
            tiers[word] = SCENE
        chosen: dict[str, tuple[int, float]] = {}
        for window_id, words in keywords.items():
            if window_id in slot:
                for word in words:
                    chosen.setdefault(word, (slot[window_id], tiers.get(word, 1.0)))
        office = {w for words in keywords.values() for w in words}
        for i, name in enumerate(self.names):
            for marked in lexicon.get(name, ()):
                word, weight = tier(marked)
                if word not in office:
                    chosen.setdefault(word, (i, min(weight, tiers[word]) * LEXICON_WEIGHT))
        cues = [(word, i, weight) for word, (i, weight) in chosen.items()]
        near: dict[str, tuple[int, float]] = {}
        for word, i, weight in cues:
            if len(word) < 2:
                continue
            for variant in _near_variants(word):
                if variant not in chosen:
                    near.setdefault(variant, (i, weight * NEAR_WEIGHT))
                    self.canonical.setdefault(variant, word)
        cues += [(word, i, weight) for word, (i, weight) in near.items()]
        return cues

    def rank(self, text: str) -> list[tuple[int, float]]:
        """(window id, confidence) for every window, best first; confidences sum to 1."""
        n = len(self.window_ids)
        if n == 0:
            return []
        scores = list(self.priors)
        known = [self.log_probs[f] for f in features(text) if f in self.log_probs]
        if known:
            # few known characters are weak evidence: the confidence grows with their number
            scale = NB_SCALE * min(1.0, len(known) / EVIDENCE) / len(known)
            for row in known:
                for i in range(n):
                    scores[i] += row[i] * scale
            # the average log-likelihood is compared between windows: shift to the best
            top = max(scores)
            scores = [s - top for s in scores]
        for i, bonus in self._keyword_hits(text).items():
            scores[i] += bonus
        top = max(scores)
        weights = [math.exp((s - top) / TEMPERATURE) for s in scores]
        total = sum(weights)
        ranked = sorted(range(n), key=lambda i: -weights[i])
        return [(self.window_ids[i], weights[i] / total) for i in ranked]

    def _keyword_hits(self, text: str) -> dict[int, float]:
        """Score per window of the cue words found in the text (see _matches)."""
        hits: dict[int, float] = {}
        for start, end, i, weight in self._matches(text):
            hits[i] = hits.get(i, 0.0) + KEYWORD_BONUS * weight * min(
                1.0 + 0.25 * (end - start), 2.0
            )
        return hits

    def _matches(self, text: str) -> list[tuple[int, int, int, float]]:
        """(start, end, window slot, weight) of the cue words found in the text, each counted
        once; a word inside a longer one found (社保 in 交社保, 零工 in 打零工) doesn't count:
        the longer one says more, and its weight stands."""
        found: list[tuple[int, int, int, float]] = []
        for start, char in enumerate(text):
            for word, i, weight in self.cues.get(char, ()):
                if text.startswith(word, start):
                    found.append((start, start + len(word), i, weight))
        found.sort(key=lambda f: f[0] - f[1])  # longest first
        taken: list[tuple[int, int, int, float]] = []
        seen: set[tuple[str, int]] = set()
        for start, end, i, weight in found:
            if any(s <= start and end <= e for s, e, _, _ in taken):
                continue
            if (text[start:end], i) in seen:
                continue
            seen.add((text[start:end], i))
            taken.append((start, end, i, weight))
        return taken

    def similar(
        self, text: str, slots: list[int] | None = None, limit: int = 30
    ) -> list[tuple[int, float]]:
        """(position, score) of the closed cases sharing the most (rare) character pairs with
        the text, searched in the given windows (the suggested ones; the first gets most of
        the budget) or in all. Per window, pairs are read rarest first until its budget of
        postings is spent; of a pair in more cases than that, only the most recent are read."""
        # the pairs of the cue words found (暖气 in 暖气片子拔凉; 社保卡 for 社宝卡) are what
        # the matter is: they are read first and weigh more than the setting (家里, 老人)
        focus: set[str] = set()
        for start, end, _, _ in self._matches(text):
            word = text[start:end]
            word = self.canonical.get(word, word)
            focus.update(word[k : k + 2] for k in range(len(word) - 1))
        query = [p for p in pairs(text) | focus if p in self.df]
        if not query:
            return []
        windows = list(range(len(self.window_ids))) if slots is None else slots
        rest = len(windows) - 1
        shares = [0.6] + [0.4 / rest] * rest if slots and rest else None
        total = max(self.examples, 1)
        hits: dict[int, float] = {}
        matter: set[int] = set()  # the cases holding a pair of a cue word
        for n, slot in enumerate(windows):
            budget = full = int(SIMILAR_BUDGET * (shares[n] if shares else 1 / len(windows)))
            found = [(self.postings[(slot, p)], p) for p in query if (slot, p) in self.postings]
            for posting, p in sorted(found, key=lambda item: (item[1] not in focus, len(item[0]))):
                weight = math.log(1 + total / self.df[p]) * (SIMILAR_FOCUS if p in focus else 1.0)
                if len(posting) > budget:
                    if budget < full // 4:
                        break
                    posting = posting[-budget:]  # a common pair: its most recent cases only
                budget -= len(posting)
                for position in posting:
                    hits[position] = hits.get(position, 0.0) + weight
                if p in focus:
                    matter.update(posting)
        if focus:  # the matter is known: a case that shares only the setting is not similar
            hits = {position: score for position, score in hits.items() if position in matter}
        size = len(query)
        sizes, ids = self.case_sizes, self.case_ids
        best = heapq.nlargest(
            limit,
            hits.items(),
            key=lambda item: (item[1] / math.sqrt(size * max(sizes[item[0]], 1)), ids[item[0]]),
        )
        return [(p, score / math.sqrt(size * max(sizes[p], 1))) for p, score in best]

    def pick_similar(
        self, near: list[tuple[int, float]], slots: list[int], limit: int, skip: int = 0
    ) -> list[int]:
        """Case ids of the nearest cases, those of the suggested windows first (the best one
        most)."""
        weights = {slot: 2.0 if rank == 0 else 1.3 for rank, slot in enumerate(slots)}
        ordered = sorted(
            near, key=lambda item: -item[1] * weights.get(self.case_slots[item[0]], 0.5)
        )
        return [int(self.case_ids[p]) for p, _ in ordered if self.case_ids[p] != skip][:limit]

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
