"""The fast path: RE2 patterns run by pyarrow over whole columns decide what Presidio sees.

Patterns are deliberately loose (a superset of what the recognizers accept) and written
for RE2: no lookaround, no backreferences, linear time on any input.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


@dataclass(frozen=True)
class Gate:
    name: str
    pattern: str
    entities: frozenset[str]
    ner: bool = False  # candidates need the spaCy model, not just tokens
    # A big case-insensitive alternation over Unicode classes: grouped with others it can outgrow
    # RE2's DFA budget (a 300x slowdown measured on logs), so it runs in a pass of its own.
    alone: bool = False


# Gates for Presidio's own recognizers; pdscan's recognizers bring theirs (recognizers/*.py).
GATES: tuple[Gate, ...] = (
    # +international, US (212) 555-0143 shapes, or three groups such as 020 7946 0958.
    Gate("phone", r"\+\d[\d ().\-]{6,}|\(?\b\d{3}\)?[ .\-]?\d{3}[ .\-]?\d{4}\b|\b\d{2,5}[ .\-]\d{3,4}[ .\-]\d{3,4}\b", frozenset({"PHONE_NUMBER"})),
    Gate("email", r"[\w.%+\-]@[\w\-]+\.\w", frozenset({"EMAIL_ADDRESS"})),
    # IPv4, or IPv6 with '::' or 4+ colons (times such as 12:30:45 have two).
    Gate("ip", r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b|[0-9A-Fa-f]{0,4}::[0-9A-Fa-f]{0,4}|(?:[0-9A-Fa-f]{1,4}:){4,}[0-9A-Fa-f]{1,4}", frozenset({"IP_ADDRESS"})),
    Gate("iban", r"\b[A-Z]{2}\d{2} ?[A-Z0-9]{4}", frozenset({"IBAN_CODE"})),
    # A capitalized word that is not just the first word of the value, or two in a row:
    # the shape of a name in prose or a name column. Everything else never meets spaCy;
    # a lone token ("Smith") is classified by its column name or the name list instead.
    Gate("name", r"\S\s+\p{Lu}\p{Ll}|\p{Lu}\p{Ll}+[\s,]+\p{Lu}", frozenset({"PERSON"}), ner=True),
)  # fmt: skip


def all_gates() -> list[Gate]:
    """The built-in gates and those of pdscan's own recognizers."""
    from pdscan.detectors import recognizers

    return [*GATES, *recognizers.gates()]


def gates_for(entities: set[str]) -> list[Gate]:
    return [g for g in all_gates() if g.entities & entities]


GROUP = 6


def _mask(values: pa.Array, pattern: str) -> np.ndarray:
    return pc.match_substring_regex(values, pattern).fill_null(False).to_numpy(zero_copy_only=False)


def _groups(gates: list[Gate]) -> list[list[Gate]]:
    """Gates in passes of up to GROUP; a gate marked `alone` gets a pass of its own."""
    shared = [g for g in gates if not g.alone]
    return [shared[i : i + GROUP] for i in range(0, len(shared), GROUP)] + [[g] for g in gates if g.alone]


def candidates(values: pa.Array, gates: list[Gate]) -> dict[str, np.ndarray]:
    """For each gate, a boolean numpy mask over `values` (nulls are False).

    A few passes, each an RE2 alternation of GROUP gates, find the few values that match
    anything in the group; each gate of the group then runs on those alone, and a gate in a
    pass of its own not at all. (One alternation of every gate outgrows RE2's DFA budget and
    falls back to a matcher 30 times slower.) Masks primed for a whole record batch are
    looked up instead of recomputed.
    """
    primed = _PRIMED.lookup(values, gates)
    if primed is not None:
        return primed
    n = len(values)
    if not gates or n == 0:
        return {g.name: np.zeros(n, dtype=bool) for g in gates}
    out = {}
    for group in _groups(gates):
        hit = _mask(values, "|".join(f"(?:{g.pattern})" for g in group))
        if len(group) == 1:
            out[group[0].name] = hit
            continue
        picked = np.flatnonzero(hit)
        subset = values.take(pa.array(picked)) if 0 < len(picked) < n else values
        for gate in group:
            full = np.zeros(n, dtype=bool)
            if len(picked):
                full[picked] = _mask(subset, gate.pattern)
            out[gate.name] = full
    return {g.name: out[g.name] for g in gates}


class _Primed:
    """Masks of several arrays computed in one call (pyarrow compiles the RE2 patterns on every
    call: about 40 ms for all gates, more than matching a megabyte), then found by any slice."""

    def __init__(self) -> None:
        self.gates: list[Gate] | None = None
        # address of the offsets buffer -> (array, kept alive so the address is not reused; offset; length; masks)
        self.entries: dict[int, list[tuple[pa.Array, int, int, dict[str, np.ndarray]]]] = {}

    def prime(self, arrays: list[pa.Array], gates: list[Gate]) -> None:
        self.entries, self.gates = {}, None
        arrays = [a for a in arrays if len(a) and pa.types.is_string(a.type)]
        if len(arrays) < 2:
            return
        masks = candidates(pa.concat_arrays(arrays), gates)
        at = 0
        for a in arrays:
            part = {name: m[at : at + len(a)] for name, m in masks.items()}
            self.entries.setdefault(_address(a), []).append((a, a.offset, len(a), part))
            at += len(a)
        self.gates = gates

    def lookup(self, values: pa.Array, gates: list[Gate]) -> dict[str, np.ndarray] | None:
        if self.gates is not gates or not pa.types.is_string(values.type) or not len(values):
            return None
        for _, offset, length, masks in self.entries.get(_address(values), ()):
            start = values.offset - offset
            if 0 <= start and start + len(values) <= length:
                return {name: m[start : start + len(values)] for name, m in masks.items()}
        return None


def _address(values: pa.Array) -> int:
    return values.buffers()[1].address


_PRIMED = _Primed()


def prime(arrays: list[pa.Array], gates: list[Gate]) -> None:
    """Compute the masks of these arrays (the columns of one record batch) together, once."""
    _PRIMED.prime(arrays, gates)
