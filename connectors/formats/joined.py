"""Small text batches of one file joined into one batch: the headers, subjects and body lines of
many e-mail messages are detected in one call, as the small files of a bundle are.

A detector call pays fixed costs (the prefilter's pyarrow gates, a spaCy batch) whatever its few
values are worth: an mbox read as a batch per header and per body, two calls a message, ran at a
third of the plain-text rate. Joined, each value keeps its own field, line and place
(`Batch.fields`, `lines`, `places`), in the order the batches came, so findings and their
locations stay those of the batches one by one. Only text batches are joined: tabular ones (an
attached CSV), cut-up giant lines (`offsets`) and cells pass as they are, in their order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
import pyarrow as pa

from pdscan.connectors.base import Batch

JOIN_BYTES = 1 << 20  # values held before they are yielded (as a bundle's flush: pdscan.unitscan)


def joinable(batch: Batch) -> bool:
    """Text whose every location is its field, line and place."""
    coordinates = (batch.table, batch.rows, batch.row_keys, batch.offsets, batch.cells, batch.fields)
    return not batch.tabular and all(c is None for c in coordinates)


def joined(batches: Iterable[Batch], limit: int = JOIN_BYTES) -> Iterator[Batch]:
    """`batches` with consecutive joinable ones joined, up to about `limit` bytes of values each.
    What was held when reading fails is yielded before the error goes on (as it was, one by one)."""
    held: list[Batch] = []
    size = 0
    source = iter(batches)
    while True:
        try:
            batch = next(source)
        except StopIteration:
            break
        except Exception:
            if held:
                yield join(held)
            raise
        if not joinable(batch):
            if held:
                yield join(held)
                held, size = [], 0
            yield batch
            continue
        held.append(batch)
        size += batch.values.nbytes
        if size >= limit:
            yield join(held)
            held, size = [], 0
    if held:
        yield join(held)


def join(held: list[Batch]) -> Batch:
    """One batch of the values of `held`, each with its own field, line (0: none) and place."""
    if len(held) == 1:
        return held[0]
    values = pa.concat_arrays([b.values if b.values.type == pa.string() else b.values.cast(pa.string()) for b in held])
    fields = [b.field for b in held for _ in range(len(b.values))]
    lines = None
    if any(b.lines is not None for b in held):
        parts = [np.zeros(len(b.values), np.int64) if b.lines is None else b.lines.astype(np.int64) for b in held]
        lines = np.concatenate(parts)
    places = [b.place + (b.places[i] if b.places is not None else ()) for b in held for i in range(len(b.values))]
    return Batch(values=values, lines=lines, places=places, fields=fields)
