"""The scan loop: connector batches -> detector hits -> findings, with each item's coverage."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from pdscan.columnstate import DECIDE_AT, ColumnEntity, ColumnState, FieldState
from pdscan.connectors.base import Batch, Item
from pdscan.connectors.registry import ConnectorOptions, connector_for, redact
from pdscan.detectors import columns as column_rules
from pdscan.detectors.pipeline import Detector, Hit
from pdscan.detectors.recognizers.date_of_birth import parse_date
from pdscan.keys import FingerprintKey
from pdscan.masking import mask
from pdscan.model import Finding, ItemError, ItemResult, Location, SourceError
from pdscan.policy import Policy, load_policy


@dataclass
class ScanSummary:
    items: list[ItemResult] = field(default_factory=list)
    findings: Counter = field(default_factory=Counter)
    source_errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    test_data: int = 0  # findings that are well-known test values
    minors: int = 0  # dates of birth of minors among the findings

    @property
    def customer_findings(self) -> int:
        return sum(self.findings.values()) - self.test_data

    @property
    def bytes(self) -> int:
        return sum(r.bytes for r in self.items)

    def count(self, status: str) -> Counter:
        return Counter(r.reason for r in self.items if r.status == status)


class OutputError(Exception):
    """Writing a finding failed: the scan cannot go on, and it is not the item's fault."""


@dataclass
class ScanOptions:
    granularity: str = "column"  # or "row": one match finding per cell
    reveal: bool = False
    column_sample: int = DECIDE_AT  # decide a plainly personal column on this many values (0: all)
    connector: ConnectorOptions = field(default_factory=ConnectorOptions)


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
        policy: Policy | None = None,
        tracker=None,
    ):
        self.detector = detector
        self.key = key
        self.options = options
        self.emit = emit
        self.warn = warn or (lambda line: print(f"pdscan: {line}", file=sys.stderr))
        self.progress = progress
        self.policy = policy or load_policy()
        self.tracker = tracker  # pdscan.store.ChangeTracker: skip unchanged items, carry their findings
        self.today = date.today()
        self.summary = ScanSummary()

    def scan(self, sources: Iterable[str]) -> ScanSummary:
        started = time.monotonic()
        plan: list[tuple[object, Item]] = []
        for source in sources:
            connector = connector_for(source, self.options.connector)
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
        failed: set[int] = set()  # connectors whose source went away mid-scan
        for connector, item in plan:
            if id(connector) in failed:
                result = ItemResult(redact(item.source), item.container)
                result.skip("source_error", "not scanned: the source failed earlier in this run")
                self._record(result)
            elif not self._scan_tracked(connector, item):
                failed.add(id(connector))
            if self.progress:
                self.progress.advance(item.size or 0)
        for connector in {id(c): c for c, _ in plan}.values():
            close = getattr(connector, "close", None)  # a database connection still open (items carried)
            if close:
                close()
        self.summary.seconds = time.monotonic() - started
        return self.summary

    def _record(self, result: ItemResult) -> None:
        self.summary.items.append(result)
        if result.status != "complete" and result.reason != "not_sampled":  # chosen, not a problem
            self.warn(f"{result.status} {result.container}: {result.reason} ({result.detail})")

    def _scan_tracked(self, connector, item: Item) -> bool:
        """Scan one item unless the store knows it unchanged; then its earlier findings carry forward."""
        if self.tracker is None:
            return self._scan_item(connector, item)
        source = redact(item.source)
        version, carried, origin = self.tracker.check(connector, item, source)
        if carried is None:
            result = ItemResult(source, item.container, version=version)
            ok = self._scan_item(connector, item, result)
            if result.status == "skipped":
                for finding in self.tracker.skipped(source, item.container):
                    self._emit(finding)
            return ok
        result = ItemResult(source, item.container, version=version, carried_from=origin)
        for finding in carried:
            self._emit(finding)
        self.summary.items.append(result)
        return True

    def _scan_item(self, connector, item: Item, result: ItemResult | None = None) -> bool:
        """Scan one item; False when its whole source failed (a dropped connection)."""
        result = result or ItemResult(redact(item.source), item.container)
        columns = ColumnState(self.options.column_sample)
        source_ok = True
        try:
            for batch in connector.read(item, result):
                self._scan_batch(item, result, batch, columns)
        except OutputError:
            raise
        except SourceError as exc:
            # What was found so far is kept and reported; the run ends with 2.
            source_ok = False
            self.summary.source_errors.append(str(exc))
            self.warn(f"error: {exc}")
            if result.records:
                result.partial("source_error", str(exc))
            else:
                result.skip("source_error", str(exc))
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
            self._flush_columns(item, result, columns)
        self._record(result)
        return source_ok

    def _flush_columns(self, item, result, columns: ColumnState) -> None:
        """Column verdicts for one container, then CPNI: call-detail columns beside phone numbers."""
        kept = []
        for (fld, entity), column in columns.found.items():
            state = columns.field(fld)
            if column_rules.column_verdict(entity, len(column.cells), state.checked, column.mean_score, fld):
                kept.append(self._column_finding(item, result, fld, entity, column, state))
        has_phones = any(f.entity == "PHONE_NUMBER" for f in kept)
        if has_phones and "CPNI" in self.detector.entities:
            for fld, state in columns.fields.items():
                if column_rules.is_cpni_field(fld) and state.checked:
                    kept.append(self._cpni_finding(item, result, fld, state.checked + state.unchecked))
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

    def _scan_batch(self, item, result, batch: Batch, columns: ColumnState) -> None:
        if not batch.tabular or self.options.granularity == "row":
            field = batch.field if batch.tabular else None
            for hit in self.detector.detect(batch.values, field=field):
                self._emit(self._match_finding(item, result, batch, hit))
            return
        for values in columns.slices(batch.field, batch.values):
            if columns.field(batch.field).decided:
                columns.slices(batch.field, values)  # counted, not checked
                continue
            first_cell = columns.checked(batch.field, values)
            for hit in self.detector.detect(values, field=batch.field):
                sample = mask(hit.entity, hit.text)
                fingerprint = self.key.fingerprint(hit.entity, hit.text)
                minor = self._is_minor(hit)
                columns.add(batch.field, first_cell + hit.index, hit, sample, fingerprint, minor)
            columns.maybe_decide(batch.field)

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
            fingerprint=self.key.fingerprint(hit.entity, hit.text),
            value=hit.text if self.options.reveal else None,
            test_data=hit.test_data,
            minors=1 if self._is_minor(hit) else None,
        )

    def _column_finding(self, item, result, fld, entity, column: ColumnEntity, state: FieldState) -> Finding:
        matches = len(column.cells)
        sampled = max(state.checked, matches)
        return Finding(
            kind="column",
            entity=entity,
            score=column.mean_score,
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
            unchecked=state.unchecked or None,
            minors=column.minors or None,
        )

    def _is_minor(self, hit: Hit) -> bool:
        """A date of birth less than the policy's minor age before today (the policy's minors notice)."""
        if hit.entity != "DATE_OF_BIRTH":
            return False
        born = parse_date(hit.text, self.today)
        return born is not None and self.policy.is_minor(born, self.today)

    def _emit(self, finding: Finding) -> None:
        finding.category = self.policy.category_id(finding.entity)
        finding.ccpa_category = self.policy.ccpa_of(finding.entity)
        if finding.minors:
            self.summary.minors += finding.minors
        self.summary.findings[finding.entity] += 1
        if finding.test_data:
            self.summary.test_data += 1
        try:
            self.emit(finding)
        except Exception as exc:
            raise OutputError(f"cannot write findings ({type(exc).__name__})") from exc
