"""The scan loop: connector batches -> detector hits -> findings, with each item's coverage."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pyarrow.compute as pc

from pdscan.connectors.base import Batch, Item
from pdscan.connectors.registry import connector_for, redact
from pdscan.detectors import columns as column_rules
from pdscan.detectors.pipeline import Detector, Hit
from pdscan.keys import FingerprintKey
from pdscan.masking import mask
from pdscan.model import Finding, ItemError, ItemResult, Location, SourceError

COLUMN_SAMPLES = 3
MAX_DISTINCT = 100_000


@dataclass
class ScanSummary:
    items: list[ItemResult] = field(default_factory=list)
    findings: Counter = field(default_factory=Counter)
    source_errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    test_data: int = 0  # findings that are well-known test values

    @property
    def customer_findings(self) -> int:
        return sum(self.findings.values()) - self.test_data

    @property
    def bytes(self) -> int:
        return sum(r.bytes for r in self.items)

    def count(self, status: str) -> Counter:
        return Counter(r.reason for r in self.items if r.status == status)


@dataclass
class _Column:
    """Running verdict for one (field, entity) of one container."""

    cells: dict[int, float] = field(default_factory=dict)
    detectors: Counter = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)
    fingerprints: set[str] = field(default_factory=set)
    test_cells: int = 0


class OutputError(Exception):
    """Writing a finding failed: the scan cannot go on, and it is not the item's fault."""


@dataclass
class ScanOptions:
    granularity: str = "column"  # or "row": one match finding per cell
    reveal: bool = False
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


class Scanner:
    """Runs sources through the detector and hands findings to `emit` as they are made."""

    def __init__(
        self,
        detector: Detector,
        key: FingerprintKey,
        options: ScanOptions,
        emit: Callable[[Finding], None],
        warn: Callable[[str], None] | None = None,
        progress=None,
    ):
        self.detector = detector
        self.key = key
        self.options = options
        self.emit = emit
        self.warn = warn or (lambda line: print(f"pdscan: {line}", file=sys.stderr))
        self.progress = progress
        self.summary = ScanSummary()

    def scan(self, sources: Iterable[str]) -> ScanSummary:
        started = time.monotonic()
        plan: list[tuple[object, Item]] = []
        for source in sources:
            connector = connector_for(source, self.options.include, self.options.exclude)
            listed: list[ItemResult] = []
            try:
                for item in connector.items(listed):
                    plan.append((connector, item))
            except SourceError as exc:
                # The other sources are still scanned and reported; the run ends with 2.
                self.summary.source_errors.append(str(exc))
                self.warn(f"error: {exc}")
            for result in listed:
                self._record(result)
        if self.progress:
            self.progress.start(len(plan), sum(item.size or 0 for _, item in plan))
        for connector, item in plan:
            self._scan_item(connector, item)
            if self.progress:
                self.progress.advance(item.size or 0)
        self.summary.seconds = time.monotonic() - started
        return self.summary

    def _record(self, result: ItemResult) -> None:
        self.summary.items.append(result)
        if result.status != "complete":
            self.warn(f"{result.status} {result.container}: {result.reason} ({result.detail})")

    def _scan_item(self, connector, item: Item) -> None:
        result = ItemResult(redact(item.source), item.container)
        columns: dict[tuple[str, str], _Column] = {}
        sampled: Counter = Counter()
        self._cells: Counter = Counter()
        try:
            for batch in connector.read(item, result):
                self._scan_batch(item, result, batch, columns, sampled)
        except OutputError:
            raise
        except ItemError as exc:
            if result.records:
                result.partial(exc.reason, exc.detail)
            else:
                result.skip(exc.reason, exc.detail)
        except Exception as exc:  # a reader bug must not end the scan, nor quote the data
            detail = f"{type(exc).__name__} while reading"
            if result.records:
                result.partial("read_error", detail)
            else:
                result.skip("read_error", detail)
        finally:
            self._flush_columns(item, result, columns, sampled)
        self._record(result)

    def _flush_columns(self, item, result, found: dict, sampled: Counter) -> None:
        """Column verdicts for one container, then CPNI: call-detail columns beside phone numbers."""
        kept = []
        for (fld, entity), column in found.items():
            score = float(np.mean(list(column.cells.values())))
            if column_rules.column_verdict(entity, len(column.cells), sampled[fld], score, fld):
                kept.append(self._column_finding(item, result, fld, entity, column, sampled[fld]))
        has_phones = any(f.entity == "PHONE_NUMBER" for f in kept)
        if has_phones and "CPNI" in self.detector.entities:
            for fld in sampled:
                if column_rules.is_cpni_field(fld) and sampled[fld]:
                    kept.append(self._cpni_finding(item, result, fld, sampled[fld]))
        for finding in kept:
            self._emit(finding)

    def _cpni_finding(self, item, result, fld: str, sampled: int) -> Finding:
        return Finding(
            kind="column",
            entity="CPNI",
            score=0.7,
            detector="CpniColumnRule",
            source=result.source,
            location=Location(container=item.container, field=fld, extra=item.extra),
            sample="call-detail column beside phone numbers",
            matches=sampled,
            sampled=sampled,
            ratio=1.0,
            distinct=None,
            samples=[],
        )

    def _scan_batch(self, item, result, batch: Batch, columns, sampled) -> None:
        hits = self.detector.detect(batch.values, field=batch.field if batch.tabular else None)
        by_column = batch.tabular and self.options.granularity == "column"
        first_cell = 0
        if batch.tabular:
            # cells are numbered per field across batches: a list field has several per row
            first_cell = self._cells[batch.field]
            self._cells[batch.field] += len(batch.values)
            sampled[batch.field] += int(pc.sum(pc.greater(pc.utf8_length(batch.values), 0)).as_py() or 0)
        for hit in hits:
            if by_column:
                self._add_to_column(columns, batch.field, first_cell + hit.index, hit)
            else:
                self._emit(self._match_finding(item, result, batch, hit))

    def _add_to_column(self, columns, fld: str, cell: int, hit: Hit) -> None:
        column = columns.setdefault((fld, hit.entity), _Column())
        if cell not in column.cells and hit.test_data:
            column.test_cells += 1
        column.cells[cell] = max(column.cells.get(cell, 0.0), hit.score)
        column.detectors[hit.detector] += 1
        if len(column.fingerprints) < MAX_DISTINCT:
            column.fingerprints.add(self.key.fingerprint(hit.entity, hit.text))
        sample = mask(hit.entity, hit.text)
        if len(column.samples) < COLUMN_SAMPLES and sample not in column.samples:
            column.samples.append(sample)

    def _match_finding(self, item: Item, result: ItemResult, batch: Batch, hit: Hit) -> Finding:
        i = hit.index
        offset = int(batch.offsets[i]) if batch.offsets is not None else 0
        location = Location(
            container=item.container,
            field=batch.field,
            line=int(batch.lines[i]) if batch.lines is not None else None,
            start=offset + hit.start,
            end=offset + hit.end,
            row=int(batch.rows[i]) if batch.rows is not None else None,
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
            fingerprint=self.key.fingerprint(hit.entity, hit.text),
            value=hit.text if self.options.reveal else None,
            test_data=hit.test_data,
        )

    def _column_finding(self, item, result, fld, entity, column: _Column, sampled: int) -> Finding:
        matches = len(column.cells)
        sampled = max(sampled, matches)
        return Finding(
            kind="column",
            entity=entity,
            score=float(np.mean(list(column.cells.values()))),
            detector=column.detectors.most_common(1)[0][0],
            source=result.source,
            location=Location(container=item.container, field=fld, extra=item.extra),
            sample=column.samples[0],
            fingerprint=None,
            test_data=column.test_cells == matches,
            matches=matches,
            sampled=sampled,
            ratio=matches / sampled if sampled else 0.0,
            distinct=len(column.fingerprints),
            samples=list(column.samples),
        )

    def _emit(self, finding: Finding) -> None:
        self.summary.findings[finding.entity] += 1
        if finding.test_data:
            self.summary.test_data += 1
        try:
            self.emit(finding)
        except Exception as exc:
            raise OutputError(f"cannot write findings ({type(exc).__name__})") from exc
