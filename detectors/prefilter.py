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
    anything; each gate then runs on those alone. (One alternation of every gate outgrows
    RE2's DFA budget and falls back to a matcher 30 times slower.)
    """
    n = len(values)
    if not gates or n == 0:
        return {g.name: np.zeros(n, dtype=bool) for g in gates}
    any_gate = np.zeros(n, dtype=bool)
    for group in _groups(gates):
        any_gate |= _mask(values, "|".join(f"(?:{g.pattern})" for g in group))
    picked = np.flatnonzero(any_gate)
    out = {}
    subset = values.take(pa.array(picked)) if len(picked) < n else values
    for gate in gates:
        full = np.zeros(n, dtype=bool)
        if len(picked):
            full[picked] = _mask(subset, gate.pattern)
        out[gate.name] = full
    return out
