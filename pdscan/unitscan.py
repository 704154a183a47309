"""One work unit (an item, or one part of a split file) through the detector.

Runs in the main process or in a worker (local process or Ray task): it needs only the
`ScanContext`, which pickles. Match findings go to `emit` as they are made; column
bookkeeping is returned for the engine to merge part by part and turn into column findings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from pdscan.columnstate import ColumnState
from pdscan.connectors.base import Batch, Item
from pdscan.connectors.chunks import Part, read_part
from pdscan.detectors import prefilter
from pdscan.detectors.pipeline import Detector, Hit
from pdscan.detectors.recognizers.date_of_birth import parse_date
from pdscan.keys import FingerprintKey
from pdscan.masking import mask
from pdscan.model import Finding, ItemError, ItemResult, Location, SourceError
from pdscan.policy import Policy


class OutputError(Exception):
    """Writing a finding failed: the scan cannot go on, and it is not the item's fault."""


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


def scan_unit(ctx: ScanContext, connector, unit: Unit, emit: Callable[[Finding], None] | None = None) -> UnitResult:
    """Scan one unit; findings go to `emit`, or into the result when there is none."""
    result = ItemResult(unit.source, unit.item.container)
    columns = unit.columns if unit.columns is not None else ColumnState(ctx.options.column_sample)
    out = UnitResult(result, columns)
    emit = emit or out.findings.append
    try:
        if unit.part is None:
            batches = connector.read(unit.item, result)
        else:
            batches = read_part(unit.item.handle, unit.part, result)
        for group in _record_batches(batches):
            if len(group) > 1 and ctx.options.granularity == "column":
                # one prefilter call for the columns of a record batch checked to the end (not those still
                # on their sample: most of a plainly personal column is never checked)
                prefilter.prime([b.values for b in group if columns.checks_all(b.field)], ctx.detector.gates)
            for batch in group:
                scan_batch(ctx, unit.item, result, batch, columns, emit)
            prefilter.prime([], ctx.detector.gates)
    except SourceError as exc:
        out.error = ("source", "source_error", str(exc))
    except ItemError as exc:
        out.error = ("item", exc.reason, exc.detail)
    except OutputError:
        raise
    except Exception as exc:  # a reader bug must not end the scan, nor quote the data
        out.error = ("item", "read_error", f"{type(exc).__name__} while reading")
    out.extra = unit.item.extra
    return out


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


def scan_batch(ctx: ScanContext, item: Item, result: ItemResult, batch: Batch, columns: ColumnState, emit) -> None:
    detector, options = ctx.detector, ctx.options
    if not batch.tabular or options.granularity == "row":
        fld = batch.field if batch.tabular else None
        for hit in detector.detect(batch.values, field=fld):
            emit(match_finding(ctx, item, result, batch, hit))
        return
    for values in columns.slices(batch.field, batch.values):
        if columns.field(batch.field).decided:
            columns.slices(batch.field, values)  # counted, not checked
            continue
        first_cell = columns.checked(batch.field, values)
        for hit in detector.detect(values, field=batch.field):
            sample = mask(hit.entity, hit.text)
            fingerprint = ctx.key.fingerprint(hit.entity, hit.text)
            columns.add(batch.field, first_cell + hit.index, hit, sample, fingerprint, is_minor(ctx, hit))
        columns.maybe_decide(batch.field)


def match_finding(ctx: ScanContext, item: Item, result: ItemResult, batch: Batch, hit: Hit) -> Finding:
    i = hit.index
    offset = int(batch.offsets[i]) if batch.offsets is not None else 0
    location = Location(
        container=item.container,
        field=batch.field,
        line=int(batch.lines[i]) if batch.lines is not None else None,
        start=offset + hit.start,
        end=offset + hit.end,
        row=int(batch.rows[i]) if batch.rows is not None else None,
        row_key=batch.row_keys[i] if batch.row_keys is not None else None,
        extra=item.extra,
    )
    return Finding(
        kind="match",
        entity=hit.entity,
        score=hit.score,
        detector=hit.detector,
        source=result.source,
        location=location,
        sample=mask(hit.entity, hit.text),
        fingerprint=ctx.key.fingerprint(hit.entity, hit.text),
        value=hit.text if ctx.options.reveal else None,
        test_data=hit.test_data,
        minors=1 if is_minor(ctx, hit) else None,
    )


def is_minor(ctx: ScanContext, hit: Hit) -> bool:
    """A date of birth less than the policy's minor age before today (the policy's minors notice)."""
    if hit.entity != "DATE_OF_BIRTH":
        return False
    born = parse_date(hit.text, ctx.today)
    return born is not None and ctx.policy.is_minor(born, ctx.today)
