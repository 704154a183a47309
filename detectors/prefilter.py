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


GATES: tuple[Gate, ...] = (
    # Seven or more digits with short separators: cards, SSN/ITIN, phones, bank accounts.
    Gate("digits", r"\d(?:[ ().\-/]{0,3}\d){6,}", frozenset({"CREDIT_CARD", "US_SSN", "PHONE_NUMBER", "US_BANK_NUMBER"})),
    Gate("email", r"[\w.%+\-]@[\w\-]+\.\w", frozenset({"EMAIL_ADDRESS"})),
    Gate("ip", r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}", frozenset({"IP_ADDRESS"})),
    Gate("iban", r"[A-Z]{2}\d{2} ?[A-Z0-9]{4}", frozenset({"IBAN_CODE"})),
    # A capitalized word that is not just the first word of the value, or two in a row:
    # the shape of a name in prose or a name column. Everything else never meets spaCy.
    Gate("name", r"\S\s+\p{Lu}\p{Ll}|\p{Lu}\p{Ll}+[\s,]+\p{Lu}|^\p{Lu}\p{Ll}+$", frozenset({"PERSON"}), ner=True),
)  # fmt: skip


def gates_for(entities: set[str]) -> list[Gate]:
    return [g for g in GATES if g.entities & entities]


def candidates(values: pa.Array, gates: list[Gate]) -> dict[str, np.ndarray]:
    """For each gate, a boolean numpy mask over `values` (nulls are False)."""
    out = {}
    for gate in gates:
        mask = pc.match_substring_regex(values, gate.pattern)
        out[gate.name] = mask.fill_null(False).to_numpy(zero_copy_only=False)
    return out
