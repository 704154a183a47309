"""The scan loop: connector batches -> detector hits -> findings, with each item's coverage."""

from __future__ import annotations

import os
import re
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from pdscan.columnfindings import column_findings
from pdscan.columnstate import DECIDE_AT, ColumnState
from pdscan.connectors import chunks
from pdscan.connectors.base import Connector, Item
from pdscan.connectors.registry import ConnectorOptions, connector_for, scheme
from pdscan.core.errors import OutputError, SourceError
from pdscan.core.keys import FingerprintKey
from pdscan.core.model import Finding, ItemResult
from pdscan.core.urls import root_of
from pdscan.detectors.pipeline import Detector
from pdscan.interrupts import InterruptGuard
from pdscan.nameguard import NameGuard
from pdscan.policy import Policy, load_policy
from pdscan.unitscan import Bundle, BundleInterrupted, ScanContext, Unit, UnitResult, scan_unit

__all__ = ["OutputError", "ScanOptions", "ScanSummary", "Scanner"]
CHUNK_BYTES = 32 << 20  # local files are split into parts of at most this size ...
MIN_PART_BYTES = 256 << 10  # ... and at least this, about a quarter of the scan per worker
SMALL_ITEM = 64 << 10  # files and objects up to this size are scanned in bundles ...
BUNDLE_BYTES = 4 << 20  # ... of up to this many bytes (with workers: a few bundles per worker), sharing detector calls
GUARD_BATCH = 512  # findings whose names are judged in one detector call (pdscan.nameguard)
# skip reasons that mean the item was there and could not be read (not a choice, not a format)
LOOKUP_CHUNK = 500  # items whose earlier records the store is asked for at once
READ_FAILURES = frozenset(
    {"unreadable", "permission_denied", "decryption_refused", "timeout", "source_error", "ocr_unavailable"}
)


@dataclass
class ScanSummary:
    items: list[ItemResult] = field(default_factory=list)
    findings: Counter = field(default_factory=Counter)
    source_errors: list[str] = field(default_factory=list)
    listed: list[str] = field(default_factory=list)  # source roots listed whole (pdscan.store.Store.record_gone)
    seconds: float = 0.0
    test_data: int = 0  # findings that are well-known test values
    minors: int = 0  # dates of birth of minors among the findings
    planned: int | None = None  # items listed (None: interrupted while listing)
    interrupted: bool = False  # ended by Ctrl-C: items after `items` were not reached

    @property
    def customer_findings(self) -> int:
        return sum(self.findings.values()) - self.test_data

    @property
    def bytes(self) -> int:
        return sum(r.bytes for r in self.items)

    def count(self, status: str) -> Counter:
        return Counter(r.reason for r in self.items if r.status == status)

    def unread(self) -> int:
        """Items skipped because they could not be read; 0 when anything at all was read."""
        if any(r.status != "skipped" for r in self.items):
            return 0
        return sum(r.reason in READ_FAILURES for r in self.items)


@dataclass
class ScanOptions:
    granularity: str = "column"  # or "row": one match finding per cell
    reveal: bool = False
    column_sample: int = DECIDE_AT  # decide a plainly personal column on this many values (0: all)
    connector: ConnectorOptions = field(default_factory=ConnectorOptions)
    chunk_bytes: int = CHUNK_BYTES  # parts of split files (only with an executor)
    bundle_bytes: int = BUNDLE_BYTES  # small items scanned together (0: each alone; same findings)
    names: dict[str, str] = field(default_factory=dict)  # source as given -> its configured name


@dataclass
class _Job:
    """One planned item: carried from the store, or units to scan (a split tabular file: head first)."""

    connector: Connector
    origin: str  # the source as given, for a worker to open (pdscan.unitscan.Unit)
    item: Item
    result: ItemResult
    carried: list[Finding] | None = None
    tickets: list = field(default_factory=list)
    tails: list[chunks.Part] = field(default_factory=list)  # parts queued once the head has decided
    bundle: tuple[_Bundled, int] | None = None  # scanned with other small items: which, and where in it


class _Bundled:
    """A bundle of small items, scanned here on first use or in the executor, results kept for its jobs."""

    def __init__(self, bundle: Bundle, connector, window):
        self.bundle = bundle
        self.connector = connector
        self.window = window
        self.ticket = window.add(bundle) if window is not None else None
        self._results: list[UnitResult] | None = None

    def ready(self, context: ScanContext, guard: InterruptGuard) -> None:
        """The bundle's results here: waited for in the executor, or scanned in this process. Ctrl-C
        ends either; while the bundle is scanned here, its first items detected whole are kept (and
        the interrupt is raised again once they are written)."""
        if self._results is not None:
            return
        if self.ticket is not None:
            _wait(self.window, self.ticket, guard)
            return
        try:
            with guard.interruptible():
                self._results = scan_unit(context, self.connector, self.bundle)
        except BundleInterrupted as stop:
            self._results = stop.done
            guard.again()

    def take(self, index: int) -> UnitResult:
        """The result of the bundle's `index`th item once `ready` (each taken once, then let go).

        Taking one the bundle did not reach (Ctrl-C while it was scanned here) raises
        KeyboardInterrupt: those items are not recorded (not scanned: the next run reads them).
        """
        if self._results is None:
            self._results = self.window.get(self.ticket)  # ready: at once
        if index >= len(self._results):
            raise KeyboardInterrupt
        done, self._results[index] = self._results[index], None
        return done

    def drop(self, guard: InterruptGuard) -> None:
        """Its source failed: a bundle running in the executor is waited for, one not started never runs."""
        if self._results is None and self.ticket is not None:
            _wait(self.window, self.ticket, guard)
            self._results = self.window.get(self.ticket)


class Scanner:
    """Runs sources through the detector and hands findings to `emit` as they are made.

    With an `executor` (pdscan.parallel) the work units run in worker processes or Ray tasks and
    their results are merged in plan order, so the output is the same as without one.
    """

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
        executor=None,
        guard: InterruptGuard | None = None,
    ):
        self.detector = detector
        self.key = key
        self.options = options
        self.emit = emit
        self.warn = warn or (lambda line: print(f"pdscan: {line}", file=sys.stderr))
        self.progress = progress
        self.policy = policy or load_policy()
        self.tracker = tracker  # pdscan.incremental.ChangeTracker: skip unchanged items, carry their findings
        self.executor = executor
        # the caller's, entered (pdscan.app.scan): Ctrl-C is held while a finding is written or a result
        # received is merged; one never entered holds nothing (Python raises KeyboardInterrupt anywhere)
        self.guard = guard or InterruptGuard()
        self.context = ScanContext(detector, key, options, self.policy, date.today())
        self.summary = ScanSummary()
        self.names = None if options.reveal else NameGuard(detector, key)  # fields and row keys that are data
        self._pending: deque[Finding] = deque()  # emitted, waiting for the name guard (pdscan.nameguard)
        self._part_bytes = options.chunk_bytes
        self._connectors: list = []
        self._origins: dict[str, str] = {}  # source root -> the source as given (pdscan.engine.Scanner._shown)
        self._current: _Job | None = None  # the item being merged, for an interrupt
        self._emitted = 0  # findings handed to `emit` so far
        self._emitted_before = 0  # ... when the current item began

    def scan(self, sources: Iterable[str]) -> ScanSummary:
        """Scan the sources. Ctrl-C (KeyboardInterrupt) ends it early: workers are stopped, the item
        being read is recorded as partial (`interrupted`), and the summary says `interrupted`."""
        started = time.monotonic()
        try:
            self._scan(sources)
            unread = self.summary.unread()
            if unread:  # a clean exit would read as a clean estate: the run ends with 2
                failure = f"no source could be read: {unread} of {len(self.summary.items)} items unreadable"
                self.summary.source_errors.append(failure)
                self.warn(f"error: {failure}")
        except KeyboardInterrupt:
            self._interrupted()
        finally:
            # a database connection still open (carried, or read in workers)
            for connector in {id(c): c for c in self._connectors}.values():
                connector.close()
            self.summary.seconds = time.monotonic() - started
        return self.summary

    def _scan(self, sources: Iterable[str]) -> None:
        plan: list[tuple[str, object, Item]] = []
        for source in sources:
            self._origins.setdefault(root_of(source, self.options.names), source)
            connector = connector_for(source, self.options.connector)
            self._connectors.append(connector)
            listed: list[ItemResult] = []
            try:
                for item in connector.items(listed):
                    plan.append((source, connector, item))
                if connector.lists_root:  # the whole root listed: what is not in it is gone
                    self.summary.listed.append(root_of(source, self.options.names))
            except SourceError as exc:
                # The other sources are still scanned and reported; the run ends with 2.
                self.summary.source_errors.append(str(exc))
                self.warn(f"error: {exc}")
            for result in listed:
                result.source = root_of(source, self.options.names)
                self._record(result)
        self.summary.planned = len(self.summary.items) + len(plan)
        total = sum(item.size or 0 for _, _, item in plan)  # a table counts what its read covers, about
        if self.progress:
            self.progress.start(len(plan), total)
        window = self.executor.window() if self.executor and self.executor.worth(total) else None
        if window is not None:  # parts small enough for every worker to get several
            floor = min(MIN_PART_BYTES, self.options.chunk_bytes)
            self._part_bytes = max(floor, min(self.options.chunk_bytes, total // (4 * self.executor.workers)))
        jobs = self._plan_all(plan, window, total)
        with self.guard.deferred():  # a Ctrl-C ends the scan in a wait or a read; results already here are merged
            self._merge(jobs, window)

    def _merge(self, jobs: list[_Job], window) -> None:
        failed: set[int] = set()  # connectors whose source went away mid-scan
        for job in jobs:
            self._current, self._emitted_before = job, self._emitted
            if id(job.connector) in failed:
                for ticket in job.tickets:
                    _wait(window, ticket, self.guard)  # already running: wait, then drop
                    window.get(ticket)
                if job.bundle is not None:
                    job.bundle[0].drop(self.guard)
                job.result.skip("source_error", "not scanned: the source failed earlier in this run")
                self._record(job.result)
            elif not self._finish(job, window):
                failed.add(id(job.connector))
            self._flush()  # findings emitted after the item was recorded (carried from the store)
            self._current = None
            if self.progress:
                self.progress.item_done()

    def _interrupted(self) -> None:
        """Stop the workers now; keep the item being read if anything of it was reported."""
        self.summary.interrupted = True
        if self.executor is not None:
            self.executor.abort()
        self._flush()  # what was found before the interrupt is written
        job, self._current = self._current, None
        if job is None or any(r is job.result for r in self.summary.items):
            return
        result = job.result
        if result.records or self._emitted > self._emitted_before:
            if result.status != "complete":  # the interrupt is the headline: stores and diffs key on it
                result.notes.insert(0, f"{result.reason}: {result.detail}")
            result.status, result.reason = "partial", "interrupted"
            result.detail = "the scan was interrupted while reading it"
            self.summary.items.append(result)  # not warned: the interrupt has its own line

    def _record(self, result: ItemResult) -> None:
        self._flush()  # an item's findings are written before it is recorded
        self.summary.items.append(result)
        if result.status != "complete" and result.reason != "not_sampled":  # chosen, not a problem
            self.warn(f"{result.status} {self._shown(result)}: {result.reason} ({result.detail})")

    def _shown(self, result: ItemResult) -> str:
        """An item as the user named it: a file under the folder as typed (containers are relative to
        the resolved root), a table or object as its container."""
        origin = self._origins.get(result.source)
        if origin is None or scheme(origin) != "file":
            return result.container
        return os.path.join(origin, result.container) if os.path.isdir(origin) else origin

    def _plan_all(self, plan: list, window, total: int) -> list[_Job]:
        """Jobs in plan order; runs of small items of one source go in bundles, queued in that order."""
        budget = self.options.bundle_bytes
        if window is not None:  # enough bundles for every worker to get several
            budget = max(min(MIN_PART_BYTES, budget), min(budget, total // (4 * self.executor.workers)))
        jobs: list[_Job] = []
        pending: list[_Job] = []
        held = 0  # bytes of the pending items
        for at, (origin, connector, item) in enumerate(plan):
            if self.tracker is not None and at % LOOKUP_CHUNK == 0:  # the store asked once per chunk, not per item
                ahead: dict[str, list[str]] = {}
                for origin_, _, later in plan[at : at + LOOKUP_CHUNK]:
                    ahead.setdefault(root_of(origin_, self.options.names), []).append(later.container)
                self.tracker.expect(ahead)
            small = self._small(connector, item, window)
            if pending and (not small or pending[0].connector is not connector):
                held = self._bundle(pending, window)
            job = self._plan(origin, connector, item, window, queue=not small)
            jobs.append(job)
            if small and job.carried is None:
                pending.append(job)
                held += item.size
                if held >= budget:
                    held = self._bundle(pending, window)
        if pending:
            self._bundle(pending, window)
        return jobs

    def _small(self, connector, item: Item, window) -> bool:
        """Scanned in a bundle: a small file or object (not a table: its size is an estimate)."""
        if not self.options.bundle_bytes or item.size is None or item.size > SMALL_ITEM:
            return False
        bundled = connector.shares_batches
        if window is not None:  # a worker process or Ray task opens the source again
            bundled = bundled and connector.portable
        return bundled

    def _bundle(self, pending: list[_Job], window) -> int:
        """The pending jobs as one bundle, queued with the executor if there is one; none pending after."""
        units = [Unit(job.item, job.result.source, origin=job.origin) for job in pending]
        bundled = _Bundled(Bundle(units, origin=pending[0].origin), pending[0].connector, window)
        for i, job in enumerate(pending):
            job.bundle = (bundled, i)
        pending.clear()
        return 0

    def _plan(self, origin: str, connector, item: Item, window, queue: bool = True) -> _Job:
        """Check the store, then queue the item's units (split local files) with the executor."""
        source = root_of(origin, self.options.names)
        job = _Job(connector, origin, item, ItemResult(source, item.container))
        if self.tracker is not None:
            version, carried, carried_from, sampled = self.tracker.check(connector, item, source)
            job.result.version = version
            if carried is not None:  # not read again: the coverage is the earlier read's
                job.result.carried_from, job.result.sampled, job.carried = carried_from, sampled, carried
                return job
        if window is None or not queue:
            return job
        if not connector.portable:
            return job  # a connector whose items only the process that listed them can read
        parts = self._split(connector, item)
        tabular = parts and (parts[0].kind != "text")
        first = parts[:1] if tabular else parts or [None]
        job.tickets = [window.add(Unit(item, source, part, origin=origin)) for part in first]
        job.tails = parts[1:] if tabular else []
        return job

    def _split(self, connector: Connector, item: Item) -> list[chunks.Part]:
        if item.size is None or item.size <= self._part_bytes or not connector.splittable(item):
            return []
        parts = connector.split(item, self._part_bytes, max(self._part_bytes // 4, 1))
        if parts and parts[0].kind != "text" and self.options.granularity == "row":
            return []  # cell findings keep their order only when the file is read in one piece
        return parts

    def _finish(self, job: _Job, window) -> bool:
        """Merge and emit one item's results in order; False when its whole source failed."""
        if job.carried is not None:
            self._emit_all(job.carried)
            self.summary.items.append(job.result)
            self._advance(job.item.size or 0)
            return True
        if job.bundle is not None:  # scanned with other small items, here or in the executor
            bundled, index = job.bundle
            bundled.ready(self.context, self.guard)
            done = bundled.take(index)
            self._emit_all(done.findings)
            job.item.extra = done.extra  # as the reader left it
            _merge_result(job.result, done.result)
            self._advance(job.item.size or 0)
            return self._close(job, done.error, done.columns)
        if not job.tickets:  # scanned here, findings streamed
            with self.guard.interruptible():  # each finding made is queued and written whole (`_queue`, `_flush`)
                done = scan_unit(self.context, job.connector, Unit(job.item, job.result.source), self._emit)
            _merge_result(job.result, done.result)
            self._advance(job.item.size or 0)
            return self._close(job, done.error, done.columns)
        head = self._take(window, job.tickets[0], job.result, 0)
        columns, error = head.columns, head.error
        if job.tails and error is None:
            if columns.settled():  # verdicts known: the other parts run side by side
                tails = [Unit(job.item, job.result.source, p, columns.successor(), job.origin) for p in job.tails]
            else:  # a sample still open: the rest continues it, in one piece
                tails = [Unit(job.item, job.result.source, chunks.span(job.tails), columns, job.origin)]
            job.tickets += window.add_first(tails)
        for ticket in job.tickets[1:]:
            if error is not None:  # reading stopped at an error, as it does in one piece
                _wait(window, ticket, self.guard)
                window.get(ticket)
                continue
            part = self._take(window, ticket, job.result, job.result.records)
            if columns.settled():
                columns.merge(part.columns)
            else:  # the rest in one piece went on from the head's state: it holds the whole item
                columns = part.columns
            error = part.error
        return self._close(job, error, columns)

    def _take(self, window, ticket, result: ItemResult, lines_before: int) -> UnitResult:
        """One part's result: its findings emitted (line numbers after the parts before it), coverage merged."""
        _wait(window, ticket, self.guard)
        part = window.get(ticket)
        self._queue(part.findings, lines_before)
        self._flush_full()
        ticket.unit.item.extra = part.extra  # as the reader left it in the worker
        _merge_result(result, part.result)
        self._advance(ticket.unit.size)
        return part

    def _advance(self, nbytes: int) -> None:
        if self.progress:
            self.progress.advance(nbytes)

    def _close(self, job: _Job, error, columns: ColumnState) -> bool:
        result, source_ok = job.result, True
        if error is not None:
            kind, reason, detail = error
            if kind == "source":  # what was found so far is kept and reported; the run ends with 2
                source_ok = False
                self.summary.source_errors.append(detail)
                self.warn(f"error: {detail}")
            elif kind == "node":  # listed here, missing on the cluster node that read it: the run ends with 2
                self.summary.source_errors.append(f"{self._shown(result)}: {detail}")
            (result.partial if result.records else result.skip)(reason, detail)
        self._flush_columns(job.item, result, columns)
        self._record(result)
        if self.tracker is not None and result.status == "skipped":
            stale = self.tracker.skipped(result.source, job.item.container)
            for finding in stale:
                finding.stale = True  # unread now: what an earlier scan found there stands, unconfirmed
            self._emit_all(stale)
        return source_ok

    def _flush_columns(self, item: Item, result: ItemResult, columns: ColumnState) -> None:
        for finding in column_findings(item, result, columns, self.detector.entities):
            self._emit(finding)

    def _emit(self, finding: Finding) -> None:
        self._emit_all((finding,))

    def _emit_all(self, findings: Iterable[Finding]) -> None:
        """Every finding passes here or through `_queue` (scanned, from workers, bundles and parts,
        carried): one place to mask names."""
        self._queue(findings)
        self._flush_full()

    def _queue(self, findings: Iterable[Finding], lines_before: int = 0) -> None:
        """Held whole (a Ctrl-C midway waits) until `_flush` writes them."""
        with self.guard.deferred():
            for finding in findings:
                self._pending.append(_shifted(finding, lines_before))
                self._emitted += 1

    def _flush_full(self) -> None:
        """Written GUARD_BATCH at a time or when the item ends, so that one detector call judges their names."""
        if self.names is None or len(self._pending) >= GUARD_BATCH:
            self._flush()

    def _flush(self) -> None:
        """The findings held, their names masked, written in order."""
        if not self._pending:
            return
        if self.names is not None:
            self.names.prepare(self._pending)
        while self._pending:
            with self.guard.deferred():  # taken, counted and written whole: a Ctrl-C waits for the end of the step
                finding = self._pending.popleft()
                self._write(self.names.apply(finding) if self.names is not None else finding)

    def _write(self, finding: Finding) -> None:
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


def _wait(window, ticket, guard: InterruptGuard) -> None:
    """A result not here yet is waited for where a Ctrl-C ends the scan; one already here is merged
    even after a Ctrl-C (a worker's findings received are written)."""
    if not window.done(ticket):
        with guard.interruptible():
            window.ready(ticket)


def _shifted(finding: Finding, lines_before: int) -> Finding:
    """A finding of a later part of a text file: its line number counts the lines before the part."""
    if lines_before and finding.location.line is not None:
        finding.location = replace(finding.location, line=finding.location.line + lines_before)
    return finding


_COUNTED = re.compile(r"^(\d+) (.*)$")


def _merge_result(into: ItemResult, part: ItemResult) -> None:
    """Coverage of one part added to its item's: bytes, records, and reasons (counts summed)."""
    into.bytes += part.bytes
    into.records += part.records
    into.sampled = into.sampled or part.sampled
    if part.status == "complete":
        return
    a, b = _COUNTED.match(into.detail or ""), _COUNTED.match(part.detail or "")
    if into.reason == part.reason and a and b and a.group(2) == b.group(2):
        into.detail = f"{int(a.group(1)) + int(b.group(1))} {a.group(2)}"
    else:
        into.partial(part.reason, part.detail)
    for note in part.notes:
        if note not in into.notes:
            into.notes.append(note)
