"""Values of many small items detected together: one Arrow array per field name.

A scan of small files calls the detector once per field per file (8 calls for a 1.4 KB NDJSON
file), and each call pays fixed costs far above its few values' worth: pyarrow compiles every
RE2 pattern again, spaCy starts a batch. Here the batches of many items are queued, the values of
each field name (or of text lines) are concatenated into one array, the gates run over all of
them in one primed pass, and `Detector.detect` runs once per field name, on each distinct value
once (the same user agent in every file is analyzed once). Each queued batch then gets back
exactly the hits of its own values, so the items' findings and coverage are those of scanning
them one by one: a value's hits depend on its text and field name only, except in a column that
is judged whole (a column of bare names), which is told where each item's column starts and
whose repeated values are not merged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pdscan.detectors import columns
from pdscan.detectors.pipeline import Detector, Hit


@dataclass
class Request:
    """One batch's values to detect, cut where the file-by-file scan would cut them.

    `cuts` are the starts of the slices the scan asks about (a column reaching its sample size is
    cut there); `hits` are filled by `SharedDetection.run`, indexed within `values`.
    """

    values: pa.Array
    field: str | None
    cuts: list[int]
    hits: list[Hit] | None = None
    _at: np.ndarray | None = field(default=None, repr=False)  # each hit's value index

    def hits_for(self, start: int, length: int) -> list[Hit] | None:
        """The hits of the slice [start, start + length) if it is one of the cut slices, else None."""
        if self.hits is None or start not in self.cuts:
            return None
        i = self.cuts.index(start)
        end = self.cuts[i + 1] if i + 1 < len(self.cuts) else len(self.values)
        if start + length != end:
            return None
        if self._at is None:
            self._at = _indexes(self.hits)
        lo, hi = np.searchsorted(self._at, [start, end])
        return [h.at(h.index - start) if start else h for h in self.hits[lo:hi]]


class SharedDetection:
    """Requests queued from many items, detected together by `run`."""

    def __init__(self, detector: Detector):
        self.detector = detector
        self.pending: list[Request] = []
        self.nbytes = 0

    def add(self, values: pa.Array, fld: str | None, cuts: list[int]) -> Request:
        if values.type != pa.string():
            values = values.cast(pa.string())
        request = Request(values, fld, cuts)
        self.pending.append(request)
        self.nbytes += values.nbytes
        return request

    def run(self) -> None:
        """Detect every pending request; each gets its hits (none if detection raised: then each
        batch is detected alone, and the error is its item's)."""
        pending, self.pending, self.nbytes = self.pending, [], 0
        by_field: dict[str | None, list[Request]] = {}
        for request in pending:
            if len(request.values):
                by_field.setdefault(request.field, []).append(request)
            else:
                request.hits = []
        work = {
            fld: self._squeezed(fld, pa.concat_arrays([r.values for r in group])) for fld, group in by_field.items()
        }
        # each gate's pattern compiled once for all
        primed = self.detector.prime([values for values, _ in work.values()])
        for fld, group in by_field.items():
            values, which = work[fld]
            starts = np.cumsum([0] + [len(r.values) for r in group])
            parts = [int(at) + cut for at, r in zip(starts, group) for cut in r.cuts] if which is None else None
            hits = self.detector.detect(values, field=fld, parts=parts, primed=primed)
            if which is not None:
                hits = _spread(hits, which)
            bounds = np.searchsorted(_indexes(hits), starts)
            for r, at, lo, hi in zip(group, starts, bounds, bounds[1:]):
                r.hits = [h.at(h.index - int(at)) if at else h for h in hits[lo:hi]]

    def _squeezed(self, fld: str | None, values: pa.Array) -> tuple[pa.Array, np.ndarray | None]:
        """The distinct values and, for each value, which of them it is (-1: null); the values
        themselves (None) where they repeat too little or their column is judged whole."""
        if len(values) < 2 or columns.judged_whole(fld, self.detector.entities):
            return values, None
        encoded = pc.dictionary_encode(values)
        if len(encoded.dictionary) > 0.9 * len(values):
            return values, None
        return encoded.dictionary, encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)


def _indexes(hits: list[Hit]) -> np.ndarray:
    return np.fromiter((h.index for h in hits), dtype=np.int64, count=len(hits))


def _spread(hits: list[Hit], which: np.ndarray) -> list[Hit]:
    """Hits of distinct values as hits of every value that is one of them, in value order."""
    by_distinct: dict[int, list[Hit]] = {}
    for h in hits:
        by_distinct.setdefault(h.index, []).append(h)
    if not by_distinct:
        return []
    found = np.zeros(max(len(which), int(which.max(initial=0)) + 1) + 1, dtype=bool)
    found[list(by_distinct)] = True
    out: list[Hit] = []
    for position in np.flatnonzero(found[which] & (which >= 0)).tolist():
        out += [h.at(position) for h in by_distinct[int(which[position])]]
    return out
