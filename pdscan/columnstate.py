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
    values: list[str] = field(default_factory=list)  # the raw values behind `samples`, only with --reveal
    fingerprints: set[str] = field(default_factory=set)
    test_cells: int = 0
    minors: int = 0  # dates of birth of minors

    @property
    def mean_score(self) -> float:
        return float(np.mean(list(self.cells.values())))

    def keep_sample(self, sample: str, value: str | None) -> None:
        """The first few distinct masked samples, each with its raw value when one is given."""
        if len(self.samples) < COLUMN_SAMPLES and sample not in self.samples:
            self.samples.append(sample)
            if value is not None:
                self.values.append(value)


@dataclass
class FieldState:
    cells: int = 0  # values seen (numbering cells across batches; list fields have several per row)
    checked: int = 0  # non-empty values sent through detection
    unchecked: int = 0  # non-empty values read after an early verdict
    decided: bool = False
    final: bool = False  # the verdict on the sample is taken (decided or not): never revisited


def _non_empty_mask(values: pa.Array) -> np.ndarray:
    if pa.types.is_string(values.type) and values.null_count == 0:
        # from the offsets: asked for every batch of every small file, where compute calls cost most
        ends = np.frombuffer(values.buffers()[1], np.int32, len(values) + 1, values.offset * 4)
        return ends[1:] > ends[:-1]
    return pc.greater(pc.utf8_length(values), 0).fill_null(False).to_numpy(zero_copy_only=False)


def non_empty(values: pa.Array) -> int:
    return int(np.count_nonzero(_non_empty_mask(values)))


class ColumnState:
    def __init__(self, decide_at: int = DECIDE_AT):
        self.decide_at = decide_at
        self.fields: dict[str, FieldState] = {}
        self.found: dict[tuple[str, str], ColumnEntity] = {}
        self.places: dict[str, tuple] = {}  # a field's place in a document (a DOCX table), for its verdicts

    def field(self, name: str) -> FieldState:
        state = self.fields.get(name)  # asked several times per batch: no FieldState made to be thrown away
        if state is None:
            state = self.fields[name] = FieldState()
        return state

    def slices(self, name: str, values: pa.Array) -> list[pa.Array]:
        """Values still to check: the head up to the decision point, then the rest."""
        state = self.field(name)
        if state.decided:
            state.unchecked += non_empty(values)
            state.cells += len(values)
            return []
        if not self.decide_at or state.final or len(values) == 0:
            return [values]
        # cut just after the value that completes the sample, wherever batches begin and end
        need = self.decide_at - state.checked
        if len(values) <= need:
            return [values]
        seen = np.cumsum(_non_empty_mask(values))
        if seen[-1] <= need:
            return [values]
        head = int(np.searchsorted(seen, need)) + 1
        return [values[:head], values[head:]]

    def checked(self, name: str, values: pa.Array) -> int:
        """Record a checked slice; returns the cell number of its first value."""
        state = self.field(name)
        first = state.cells
        state.cells += len(values)
        state.checked += non_empty(values)
        return first

    def maybe_decide(self, name: str) -> bool:
        state = self.field(name)
        if self.decide_at and not state.final and state.checked >= self.decide_at:
            best = max((len(c.cells) for (f, _), c in self.found.items() if f == name), default=0)
            state.decided = best >= DECIDE_RATIO * state.checked
            state.final = True
        return state.decided

    def checks_all(self, name: str) -> bool:
        """Every further value of this field goes through detection."""
        state = self.field(name)
        return not self.decide_at or (state.final and not state.decided)

    def settled(self) -> bool:
        """Every field's sample verdict is taken: later parts of the container can be scanned apart."""
        return not self.decide_at or all(s.final for s in self.fields.values())

    def successor(self) -> ColumnState:
        """An empty state for a later part of the same container, knowing this one's verdicts."""
        out = ColumnState(self.decide_at)
        for name, state in self.fields.items():
            out.fields[name] = FieldState(decided=state.decided, final=True)
        return out

    def merge(self, later: ColumnState) -> None:
        """Add the state of a later part (made by `successor`), as if it had been read here."""
        base = {name: self.field(name).cells for name in later.fields}
        for name, place in later.places.items():
            self.places.setdefault(name, place)
        for name, part in later.fields.items():
            state = self.field(name)
            state.cells += part.cells
            state.checked += part.checked
            state.unchecked += part.unchecked
        for (name, entity), col in later.found.items():
            into = self.found.setdefault((name, entity), ColumnEntity())
            offset = base.get(name, 0)
            for cell, score in col.cells.items():
                into.cells[cell + offset] = score
            into.detectors.update(col.detectors)
            into.test_cells += col.test_cells
            into.minors += col.minors
            for fp in col.fingerprints:
                if len(into.fingerprints) >= MAX_DISTINCT:
                    break
                into.fingerprints.add(fp)
            for i, sample in enumerate(col.samples):
                into.keep_sample(sample, col.values[i] if i < len(col.values) else None)

    def add(
        self,
        name: str,
        cell: int,
        hit: Hit,
        sample: str,
        fingerprint: str,
        minor: bool = False,
        value: str | None = None,
    ) -> None:
        """One hit in a checked cell; `value`: its raw value, given only with --reveal (kept beside its sample)."""
        column = self.found.setdefault((name, hit.entity), ColumnEntity())
        column.minors += minor
        if cell not in column.cells and hit.test_data:
            column.test_cells += 1
        column.cells[cell] = max(column.cells.get(cell, 0.0), hit.score)
        column.detectors[hit.detector] += 1
        if len(column.fingerprints) < MAX_DISTINCT:
            column.fingerprints.add(fingerprint)
        column.keep_sample(sample, value)
