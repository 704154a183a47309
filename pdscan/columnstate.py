"""Per-container column bookkeeping for column findings, with early verdicts.

A column that is plainly personal data (30% or more of its first `decide_at` non-empty
values match) is decided on that sample: its later cells are counted but no longer sent
to Presidio. Columns with few or no matches are checked cell by cell to the end, so
sparse personal data is still found.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pdscan.detectors.pipeline import Hit

DECIDE_AT = 1000
DECIDE_RATIO = 0.3
COLUMN_SAMPLES = 3
MAX_DISTINCT = 100_000


@dataclass
class ColumnEntity:
    """Running verdict for one (field, entity) of one container."""

    cells: dict[int, float] = field(default_factory=dict)
    detectors: Counter = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)
    fingerprints: set[str] = field(default_factory=set)
    test_cells: int = 0
    minors: int = 0  # dates of birth of minors

    @property
    def mean_score(self) -> float:
        return float(np.mean(list(self.cells.values())))


@dataclass
class FieldState:
    cells: int = 0  # values seen (numbering cells across batches; list fields have several per row)
    checked: int = 0  # non-empty values sent through detection
    unchecked: int = 0  # non-empty values read after an early verdict
    decided: bool = False


def non_empty(values: pa.Array) -> int:
    return int(pc.sum(pc.greater(pc.utf8_length(values), 0)).as_py() or 0)


class ColumnState:
    def __init__(self, decide_at: int = DECIDE_AT):
        self.decide_at = decide_at
        self.fields: dict[str, FieldState] = {}
        self.found: dict[tuple[str, str], ColumnEntity] = {}

    def field(self, name: str) -> FieldState:
        return self.fields.setdefault(name, FieldState())

    def slices(self, name: str, values: pa.Array) -> list[pa.Array]:
        """Values still to check: the head up to the decision point, then the rest."""
        state = self.field(name)
        if state.decided:
            state.unchecked += non_empty(values)
            state.cells += len(values)
            return []
        if not self.decide_at or state.checked >= self.decide_at:
            return [values]
        head = self.decide_at - state.checked
        return [values[:head], values[head:]] if len(values) > head else [values]

    def checked(self, name: str, values: pa.Array) -> int:
        """Record a checked slice; returns the cell number of its first value."""
        state = self.field(name)
        first = state.cells
        state.cells += len(values)
        state.checked += non_empty(values)
        return first

    def maybe_decide(self, name: str) -> bool:
        state = self.field(name)
        if self.decide_at and not state.decided and state.checked >= self.decide_at:
            best = max((len(c.cells) for (f, _), c in self.found.items() if f == name), default=0)
            state.decided = best >= DECIDE_RATIO * state.checked
        return state.decided

    def add(self, name: str, cell: int, hit: Hit, sample: str, fingerprint: str, minor: bool = False) -> None:
        column = self.found.setdefault((name, hit.entity), ColumnEntity())
        column.minors += minor
        if cell not in column.cells and hit.test_data:
            column.test_cells += 1
        column.cells[cell] = max(column.cells.get(cell, 0.0), hit.score)
        column.detectors[hit.detector] += 1
        if len(column.fingerprints) < MAX_DISTINCT:
            column.fingerprints.add(fingerprint)
        if len(column.samples) < COLUMN_SAMPLES and sample not in column.samples:
            column.samples.append(sample)
