"""One work unit (an item, or one part of a split file) through the detector.

Runs in the main process or in a worker (local process or Ray task): it needs only the
`ScanContext`, which pickles. Match findings go to `emit` as they are made; column
bookkeeping is returned for the engine to merge part by part and turn into column findings.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from pdscan.batchgroup import Request, SharedDetection
from pdscan.columnstate import ColumnState, column_key
from pdscan.connectors.base import Batch, Item
from pdscan.connectors.chunks import Part
from pdscan.core.errors import OutputError, stopped_by
from pdscan.core.keys import FingerprintKey
from pdscan.core.masking import mask
from pdscan.core.model import Finding, ItemResult, Location
from pdscan.detectors.pipeline import Detector, Hit
from pdscan.detectors.recognizers.date_of_birth import parse_date
from pdscan.policy import Policy


@dataclass
class ScanContext:
    """Everything a worker needs to scan a unit the same way the main process would."""

    detector: Detector
    key: FingerprintKey
    options: object  # pdscan.engine.ScanOptions
    policy: Policy
    today: date


@dataclass
class Unit:
    """An item, or one part of it; `columns` is the state a later part of a tabular file starts from."""

    item: Item
    source: str  # the source as shown (redacted)
    part: Part | None = None
    columns: ColumnState | None = None
    # the source as given, which a worker opens (a database URL may hold its password): never shown
    origin: str = field(default="", repr=False)

    @property
    def size(self) -> int:
        return self.part.nbytes if self.part is not None else self.item.size or 0


@dataclass
class UnitResult:
    result: ItemResult
    columns: ColumnState
    findings: list[Finding] = field(default_factory=list)
    # (source | item | node, reason, detail): reading stopped there (node: pdscan.rayplacement)
    error: tuple[str, str, str] | None = None
    extra: tuple = ()  # the item's location fields after reading (S3: the version actually read)


@dataclass
class Bundle:
    """Small whole items of one source scanned as one unit: their values share detector calls."""

    units: list[Unit]
    origin: str = field(default="", repr=False)  # as Unit.origin

    @property
    def size(self) -> int:
        return sum(u.size for u in self.units)


def scan_unit(ctx: ScanContext, connector, unit: Unit | Bundle, emit: Callable[[Finding], None] | None = None):
    """Scan one unit; findings go to `emit`, or into the result when there is none.

    A `Bundle` gives a list of results, one per item in order, findings inside them.
    """
    if isinstance(unit, Bundle):
        return scan_bundle(ctx, connector, unit)
    result = ItemResult(unit.source, unit.item.container)
    columns = unit.columns if unit.columns is not None else ColumnState(ctx.options.column_sample)
    out = UnitResult(result, columns)
    emit = emit or out.findings.append
    try:
        if unit.part is None:
            batches = connector.read(unit.item, result)
        else:
            batches = connector.read_part(unit.item, unit.part, result)
        for group in _record_batches(batches):
            detect = None
            if len(group) > 1 and ctx.options.granularity == "column":
                # one prefilter call for the columns of a record batch checked to the end (not those still
                # on their sample: most of a plainly personal column is never checked)
                primed = ctx.detector.prime([b.values for b in group if columns.checks_all(b.field)])
                detect = functools.partial(ctx.detector.detect, primed=primed)
            for batch in group:
                scan_batch(ctx, unit.item, result, batch, columns, emit, detect)
    except OutputError:
        raise
    except Exception as exc:
        out.error = stopped_by(exc)
    out.extra = unit.item.extra
    return out


FLUSH_BYTES = 1 << 20  # values a bundle holds before it detects them: memory stays bounded, and a
# Ctrl-C keeps the items detected before it (2,000 NDJSON files of 1.4 KB in one process: 1 MB steps cost 11%
# against one step for the whole 4 MB bundle, 2 MB steps 3%, but leave a Ctrl-C almost nothing to keep)


class BundleInterrupted(KeyboardInterrupt):
    """Ctrl-C inside a bundle: `done` holds the results of its first items, those read and detected whole."""

    def __init__(self, done: list[UnitResult]):
        super().__init__()
        self.done = done

    def __reduce__(self):  # from a worker, a plain interrupt: the results stay where they were made
        return KeyboardInterrupt, ()


def scan_bundle(ctx: ScanContext, connector, bundle: Bundle) -> list[UnitResult]:
    """Read the bundle's items in order, queuing their batches; detect the queued values of all
    items together (pdscan.batchgroup), then let each item's batches take their hits in order."""
    shared = SharedDetection(ctx.detector)
    items = [_Queued(ctx, unit) for unit in bundle.units]
    connector.prefetch([unit.item for unit in bundle.units])  # S3: the bundle's objects fetched ahead
    waiting: list[_Queued] = []

    def flush() -> None:
        try:
            shared.run()
        except Exception:  # each batch is then detected alone, and an error is its item's, as one by one
            pass
        for queued in waiting:
            queued.replay(ctx)
        waiting.clear()

    try:
        _read_bundle(ctx, connector, items, shared, waiting, flush)
        flush()
    except KeyboardInterrupt:
        done = []
        for queued in items:
            if not queued.whole:
                break
            done.append(queued.out)
        raise BundleInterrupted(done) from None
    return [queued.out for queued in items]


def _read_bundle(ctx: ScanContext, connector, items: list[_Queued], shared, waiting: list, flush) -> None:
    for i, queued in enumerate(items):
        try:
            for batch in connector.read(queued.unit.item, queued.out.result):
                if queued.waits_on(ctx, batch):
                    flush()
                if queued.failed:
                    break  # detection failed on an earlier batch: reading stops there, as one by one
                queued.queue(ctx, batch, shared)
                if not waiting or waiting[-1] is not queued:  # items are read one after another
                    waiting.append(queued)
                if shared.nbytes >= FLUSH_BYTES:
                    flush()
        except Exception as exc:
            queued.out.error = queued.out.error or stopped_by(exc)
        queued.out.extra = queued.unit.item.extra
        queued.read = True  # (not reached by a Ctrl-C while reading it)
        if queued.out.error is not None and queued.out.error[0] == "source":
            for rest in items[i + 1 :]:  # not read: the engine reports them as not scanned
                rest.out.error = queued.out.error
                rest.read = True
            return


class _Queued:
    """One item of a bundle: its coverage and column state, and its batches waiting for hits."""

    def __init__(self, ctx: ScanContext, unit: Unit):
        self.unit = unit
        self.out = UnitResult(ItemResult(unit.source, unit.item.container), ColumnState(ctx.options.column_sample))
        # Cut as the item's own state will cut its columns, but never decided: a column past its
        # sample is detected to the end here, and its queued hits dropped if the verdict came.
        self.shadow = ColumnState(ctx.options.column_sample)
        self.batches: list[tuple[Batch, Request | None]] = []
        self.failed = False  # detection raised: the item stops there
        self.read = False  # read to its end (or its error)
        self.replayed = True  # every batch queued so far has taken its hits

    @property
    def whole(self) -> bool:
        """Its result is final: read to the end and every batch through its state (not cut by a Ctrl-C)."""
        return self.read and self.replayed and not self.batches

    def _by_column(self, ctx: ScanContext, batch: Batch) -> bool:
        return batch.tabular and ctx.options.granularity != "row"

    def waits_on(self, ctx: ScanContext, batch: Batch) -> bool:
        """The batch's column took its sample, and the verdict waits on queued batches."""
        if not self._by_column(ctx, batch):
            return False
        key = column_key(batch)
        return self.shadow.field(key).final and not self.out.columns.field(key).final

    def queue(self, ctx: ScanContext, batch: Batch, shared: SharedDetection) -> None:
        if not self._by_column(ctx, batch):
            request = shared.add(batch.values, batch.field if batch.tabular else None, [0])
        elif self.out.columns.field(column_key(batch)).final:  # the verdict is known: all or nothing checked
            decided = self.out.columns.field(column_key(batch)).decided
            request = None if decided else shared.add(batch.values, batch.field, [0])
        else:
            cuts, at, key = [], 0, column_key(batch)
            for values in self.shadow.slices(key, batch.values):
                cuts.append(at)
                at += len(values)
                self.shadow.checked(key, values)
                self.shadow.maybe_decide(key)
            request = shared.add(batch.values, batch.field, cuts)
        self.batches.append((batch, request))

    def replay(self, ctx: ScanContext) -> None:
        """The queued batches through the item's own state, in order, with the hits found for them."""
        batches, self.batches = self.batches, []
        if self.failed:
            return
        self.replayed = False
        item, result, columns = self.unit.item, self.out.result, self.out.columns
        try:
            for batch, request in batches:

                def detect(values, field=None, batch=batch, request=request):
                    hits = request and request.hits_for(values.offset - batch.values.offset, len(values))
                    return hits if hits is not None else ctx.detector.detect(values, field=field)

                scan_batch(ctx, item, result, batch, columns, self.out.findings.append, detect)
        except Exception as exc:  # before any read error: scanned one by one, it would have stopped here
            self.out.error, self.failed = stopped_by(exc), True
        self.replayed = True


def _record_batches(batches):
    """Consecutive batches of one record batch (the columns of the same rows) as lists."""
    group: list[Batch] = []
    for batch in batches:
        if group and not (batch.tabular and batch.rows is not None and batch.rows is group[-1].rows):
            yield group
            group = []
        group.append(batch)
    if group:
        yield group


def scan_batch(
    ctx: ScanContext, item: Item, result: ItemResult, batch: Batch, columns: ColumnState, emit, detect=None
) -> None:
    """One batch through the detector (`detect`: one that has its hits already, in a bundle)."""
    detect, options = detect or ctx.detector.detect, ctx.options
    if not batch.tabular or options.granularity == "row":
        fld = batch.field if batch.tabular else None
        for hit in detect(batch.values, field=fld):
            emit(match_finding(ctx, item, result, batch, hit))
        return
    key = column_key(batch)
    for values in columns.slices(key, batch.values):
        if columns.field(key).decided:
            columns.slices(key, values)  # counted, not checked
            continue
        first_cell = columns.checked(key, values)
        for hit in detect(values, field=batch.field):
            sample = mask(hit.entity, hit.value)
            fingerprint = ctx.key.fingerprint(hit.entity, hit.value)
            value = hit.value if options.reveal else None
            columns.add(key, first_cell + hit.index, hit, sample, fingerprint, is_minor(ctx, hit), value)
        columns.maybe_decide(key)


def match_finding(ctx: ScanContext, item: Item, result: ItemResult, batch: Batch, hit: Hit) -> Finding:
    i = hit.index
    offset = int(batch.offsets[i]) if batch.offsets is not None else 0
    location = Location(
        container=item.container,
        field=batch.field_of(i),
        line=batch.line_of(i),
        start=offset + hit.start,
        end=offset + hit.end,
        row=int(batch.rows[i]) if batch.rows is not None else None,
        row_key=batch.row_keys[i] if batch.row_keys is not None else None,
        extra=item.extra
        + batch.place
        + (batch.places[i] if batch.places is not None else ())
        + ((("cell", batch.cells[i]),) if batch.cells is not None else ()),
    )
    return Finding(
        kind="match",
        entity=hit.entity,
        score=hit.score,
        detector=hit.detector,
        source=result.source,
        location=location,
        sample=mask(hit.entity, hit.value),
        fingerprint=ctx.key.fingerprint(hit.entity, hit.value),
        value=hit.value if ctx.options.reveal else None,
        test_data=hit.test_data,
        minors=1 if is_minor(ctx, hit) else None,
    )


def is_minor(ctx: ScanContext, hit: Hit) -> bool:
    """A date of birth less than the policy's minor age before today (the policy's minors notice)."""
    if hit.entity != "DATE_OF_BIRTH":
        return False
    born = parse_date(hit.value, ctx.today)
    return born is not None and ctx.policy.is_minor(born, ctx.today)
