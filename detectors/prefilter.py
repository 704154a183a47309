"""The fast path: RE2 patterns run by pyarrow over whole columns decide what Presidio sees.

Patterns are deliberately loose (a superset of what the recognizers accept) and written
for RE2: no lookaround, no backreferences, linear time on any input.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pdscan.detectors import gates
from pdscan.detectors.charclass import Features, family
from pdscan.detectors.gates import Gate as Gate  # re-exported: where recognizers take it from


def all_gates() -> list[Gate]:
    """The gates of every entity (their specs, pdscan.detectors.entities) and of plugin recognizers."""
    return list(gates.all_gates())


def gates_for(entities: set[str]) -> list[Gate]:
    return [g for g in all_gates() if g.entities & entities]


GROUP = 8
SAMPLE = 4096  # values that decide whether needs are worth checking, and whether a column repeats itself
DISTINCT = 0.25  # ... at most this share of the sample distinct: the gates see each distinct value once


def _mask(values: pa.Array, pattern: str) -> np.ndarray:
    return pc.match_substring_regex(values, pattern).fill_null(False).to_numpy(zero_copy_only=False)


def _groups(gates: list[Gate]) -> list[list[Gate]]:
    """Gates in passes of up to GROUP; a gate marked `alone` or needing NER gets a pass of its own.

    Gates of one family share a pass (numbers, words, the rest: charclass.family), so a pass runs
    on the values its family can match: the number gates on the number columns, the word gates
    on the text ones. The passes are the same for any data: no untried alternation can outgrow
    RE2's DFA budget on a column nobody measured.
    """
    # A name gate (a capital after a space) matches almost anywhere: beside a big alternation it
    # outgrows RE2's DFA budget (a name column took 60 times longer), and alone its mask is exact.
    shared = sorted((g for g in gates if not (g.alone or g.ner)), key=lambda g: family(g.needs))
    passes = []
    for _, members in itertools.groupby(shared, key=lambda g: family(g.needs)):
        members = list(members)
        passes += [members[i : i + GROUP] for i in range(0, len(members), GROUP)]
    return passes + [[g] for g in gates if g.alone or g.ner]


def _eligible(values: pa.Array, gates: list[Gate]) -> dict[str, np.ndarray | None]:
    """Per gate, the values that meet its needs; None for all of them.

    Not worked out where a sample of the values shows it would rule out almost nothing (log lines
    hold digits, letters and punctuation alike).
    """
    if not any(g.needs for g in gates):
        return dict.fromkeys((g.name for g in gates), None)
    spread = _sample(values)
    sample = Features(spread)
    ruled_out = sum(int((~m).sum()) for g in gates if (m := sample.meet(g.needs)) is not None)
    if ruled_out < 0.1 * len(gates) * len(sample.lengths):
        return dict.fromkeys((g.name for g in gates), None)
    features = sample if spread is values else Features(values)
    return {g.name: features.meet(g.needs) for g in gates}


def _sample(values: pa.Array) -> pa.Array:
    """About SAMPLE values spread evenly over the array (the array itself when not longer)."""
    step = max(1, len(values) // SAMPLE)
    return values.take(pa.array(np.arange(0, len(values), step))) if step > 1 else values


def _run(values: pa.Array, pattern: str, where: np.ndarray | None) -> np.ndarray:
    """The pattern's matches among the values `where` allows (all when None)."""
    if where is None:
        return _mask(values, pattern)
    hit = np.zeros(len(values), dtype=bool)
    picked = np.flatnonzero(where)
    if len(picked):
        hit[picked] = _mask(values.take(pa.array(picked)) if len(picked) < len(values) else values, pattern)
    return hit


def _split(
    values: pa.Array, group: list[Gate], masks: list, hit: np.ndarray, order: GateOrder
) -> dict[str, np.ndarray]:
    """Which gates of a pass matched its hits: each runs again on the hits meeting its needs,
    except where it is the last gate of the pass that could explain a hit no other one did.

    The gates that seldom match go first, so the one that usually does is often that last gate
    (an e-mail column: the MAC gate runs and misses, so the e-mail gate need not run again).
    """
    if len(group) == 1:
        return {group[0].name: hit if masks[0] is None else hit & masks[0]}
    masks = [hit if m is None else hit & m for m in masks]
    remaining = np.sum(masks, axis=0, dtype=np.int16)
    explained = np.zeros(len(hit), dtype=bool)
    out = {}
    for i in sorted(range(len(group)), key=lambda i: order.rate(group[i].name)):
        gate, mask = group[i], masks[i]
        sure = mask & ~explained & (remaining == 1)
        tried = mask & ~sure
        matched = _run(values, gate.pattern, tried)
        order.record(gate.name, int(tried.sum()), int(matched.sum()))
        out[gate.name] = sure | matched
        explained |= out[gate.name]
        remaining -= mask
    return out


class GateOrder:
    """How often each gate matched the values it ran on again: orders the split (those that seldom
    match first). Learned by its owner (a Detector) as it goes; any order gives the same masks."""

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = {}  # gate name -> [values tried, values matched]

    def rate(self, name: str) -> float:
        tried, matched = self.counts.get(name, (0, 0))
        return (matched + 1) / (tried + 2)

    def record(self, name: str, tried: int, matched: int) -> None:
        counts = self.counts.setdefault(name, [0, 0])
        counts[0] += tried
        counts[1] += matched


def candidates(
    values: pa.Array, gates: list[Gate], order: GateOrder | None = None, primed: Primed | None = None
) -> dict[str, np.ndarray]:
    """For each gate, a boolean numpy mask over `values` (nulls are False).

    Each gate's needs (charclass) rule out most values of a table column at numpy speed. A few
    passes, each an RE2 alternation of up to GROUP gates, run on the values some gate of the pass
    can match. (One alternation of every gate outgrows RE2's DFA budget and falls back to a
    matcher 30 times slower.) Each gate of a pass then runs on the pass's hits that meet its
    needs, so the masks are exact: they choose the recognizers Presidio runs on a value.
    A column that repeats itself goes through once per distinct value. `order` learns which
    gates seldom match (a fresh one when None); masks `primed` for a whole record batch
    (`prime`) are looked up instead of recomputed.
    """
    if primed is not None:
        found = primed.lookup(values, gates)
        if found is not None:
            return found
    if not gates or len(values) == 0:
        return {g.name: np.zeros(len(values), dtype=bool) for g in gates}
    order = order if order is not None else GateOrder()
    squeezed = _distinct(values)
    if squeezed is None:
        return _match(values, gates, order)
    return _expand(_match(squeezed[0], gates, order), squeezed[1])


def _distinct(values: pa.Array) -> tuple[pa.Array, np.ndarray] | None:
    """A column that repeats itself (statuses, dates, codes, templated remarks): its distinct
    values, and for each value which of them it is (-1: null). None for any other column, as
    told by a sample; a column of unique values would only pay for the hashing."""
    sample = _sample(values)
    if len(values) < 64 or _cardinality(len(pc.unique(sample)), len(sample)) > DISTINCT * len(values):
        return None
    encoded = pc.dictionary_encode(values)
    return encoded.dictionary, encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)


def _cardinality(seen: int, drawn: int) -> float:
    """Distinct values a column holds, judged from `seen` distinct among `drawn` spread over it: C
    such that drawing `drawn` from C equally likely values shows `seen` (9,000 SKU codes show
    about 3,300 in 4,096 draws; a column of unique values shows 4,096)."""
    if seen >= drawn:
        return math.inf
    low, high = float(seen), float(seen) * 1e6
    for _ in range(60):  # C * (1 - exp(-drawn / C)) rises with C
        mid = (low + high) / 2
        low, high = (mid, high) if mid * -math.expm1(-drawn / mid) < seen else (low, mid)
    return low


def _expand(masks: dict[str, np.ndarray], which: np.ndarray) -> dict[str, np.ndarray]:
    """Masks over distinct values, taken back to every value."""
    names = list(masks)
    if not names or not len(masks[names[0]]):
        return {name: np.zeros(len(which), dtype=bool) for name in names}
    valid = which >= 0
    rows = np.stack([masks[name] for name in names])[:, np.where(valid, which, 0)] & valid  # one gather
    return dict(zip(names, rows))


def _match(values: pa.Array, gates: list[Gate], order: GateOrder) -> dict[str, np.ndarray]:
    if len(values) == 0:
        return {g.name: np.zeros(0, dtype=bool) for g in gates}
    eligible = _eligible(values, gates)
    out = {}
    for gate in gates:  # no value can match it: no pass
        if eligible[gate.name] is not None and not eligible[gate.name].any():
            out[gate.name] = eligible[gate.name]
    for group in _groups([g for g in gates if g.name not in out]):
        masks = [eligible[g.name] for g in group]
        union = None if any(m is None for m in masks) else np.logical_or.reduce(masks)
        hit = _run(values, "|".join(f"(?:{g.pattern})" for g in group), union)
        out.update(_split(values, group, masks, hit, order))
    return {g.name: out[g.name] for g in gates}


class Primed:
    """Masks of a record batch's columns computed in one call (pyarrow compiles the RE2 patterns
    on every call: 40 ms for all gates, more than matching a megabyte), found for any slice of
    them. Made by `prime`, passed to `candidates` while the batch is scanned, dropped with it;
    it keeps its arrays alive, so the buffer addresses it finds slices by stay theirs."""

    def __init__(self, gates: list[Gate]) -> None:
        self.gates = gates
        # address of the offsets buffer -> (array, kept alive; offset; length; masks)
        self.entries: dict[int, list[tuple[pa.Array, int, int, dict[str, np.ndarray]]]] = {}

    def lookup(self, values: pa.Array, gates: list[Gate]) -> dict[str, np.ndarray] | None:
        """The masks of `values` if they are (a slice of) a primed array, for these very gates."""
        if self.gates is not gates or not self.entries or not pa.types.is_string(values.type) or not len(values):
            return None
        for _, offset, length, masks in self.entries.get(_address(values), ()):
            start = values.offset - offset
            if 0 <= start and start + len(values) <= length:
                return {name: m[start : start + len(values)] for name, m in masks.items()}
        return None


def _address(values: pa.Array) -> int:
    return values.buffers()[1].address


def prime(arrays: list[pa.Array], gates: list[Gate], order: GateOrder | None = None) -> Primed:
    """The masks of these arrays (the columns of one record batch), computed together once."""
    primed = Primed(gates)
    arrays = [a for a in arrays if len(a) and pa.types.is_string(a.type)]
    if len(arrays) < 2:
        return primed
    order = order if order is not None else GateOrder()
    squeezed = [_distinct(a) for a in arrays]
    masks = _match(pa.concat_arrays([s[0] if s else a for a, s in zip(arrays, squeezed)]), gates, order)
    at = 0
    for a, s in zip(arrays, squeezed):
        width = len(s[0]) if s else len(a)
        part = {name: m[at : at + width] for name, m in masks.items()}
        if s:
            part = _expand(part, s[1])
        primed.entries.setdefault(_address(a), []).append((a, a.offset, len(a), part))
        at += width
    return primed
