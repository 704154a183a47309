"""`run_scan`: one scan from settings to an outcome (findings written, counts, gate, exit code)."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any, Protocol, TextIO

from pdscan.app.common import open_store, store_url
from pdscan.app.scanplan import Plan, ScanSettings, plan_scan
from pdscan.core.errors import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERRUPTED, FatalError

MIN_PARALLEL_BYTES = 1 << 20  # without --workers, smaller scans run in this process
__all__ = ["MIN_PARALLEL_BYTES", "Outcome", "Progress", "ScanSettings", "run_scan"]


class Progress(Protocol):
    def start(self, items: int, total_bytes: int) -> None: ...
    def advance(self, size: int) -> None: ...
    def item_done(self) -> None: ...
    def stop(self) -> None: ...


@dataclass
class Outcome:
    """What a scan did and the exit code it implies."""

    summary: Any  # pdscan.engine's summary: items, findings per entity, test data, interrupted
    key_id: str
    written: int = 0  # findings written to the output (false positives are recorded, not written)
    hidden: int = 0  # findings labelled false positive, not written
    gone: int = 0  # items the store knew that are gone
    baseline_written: int | None = None  # findings written to --baseline with --update-baseline
    new: list[str | None] | None = None  # the categories of the new findings, when compared
    against: str | None = None  # what they are new against: `not in FILE`, `since scan N`
    gated: bool = False  # without a comparison: some finding meets --fail-on
    placement: str | None = None  # Ray: where the units ran

    @property
    def interrupted(self) -> bool:
        return bool(self.summary.interrupted)

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return EXIT_INTERRUPTED
        if self.summary.source_errors:
            return EXIT_ERROR
        if self.new is not None:
            return EXIT_FINDINGS if self.new else EXIT_CLEAN
        return EXIT_FINDINGS if self.gated else EXIT_CLEAN


def run_scan(settings: ScanSettings, stream: TextIO | None = None, progress: Progress | None = None) -> Outcome:
    """Scan `settings.paths` (else the config's sources), write the findings to `settings.output`
    or `stream` (default stdout), record the scan in the store, and compare for the gate."""
    from pdscan.engine import Scanner
    from pdscan.history import write_baseline
    from pdscan.interrupts import InterruptGuard
    from pdscan.reports.formats import output_formats
    from pdscan.reports.outputs import summary_dict

    plan = plan_scan(settings)
    key = plan.key
    store = None if settings.no_store else open_store(store_url(settings.store_url, plan.config), create=True)
    recorder = plan.recorder(store, settings)
    recorder.start()
    written = 0
    with ExitStack() as stack:
        out = _open_output(stack, settings.output) if settings.output else stream or sys.stdout
        writer = output_formats()[settings.fmt or ("text" if out.isatty() else "ndjson")].writer(out)
        executor = _executor(settings, plan, key)
        if executor is not None:
            stack.push(lambda kind, exc, tb: _stop_executor(executor, kind))
        if progress is not None:
            stack.callback(progress.stop)
        guard = InterruptGuard()

        def emit(finding) -> None:  # inside the scanner's step: a Ctrl-C waits for the line and the store's batch
            nonlocal written
            if recorder.add(finding):  # False: labelled a false positive (recorded, counted, not shown)
                writer.write(finding)
                written += 1

        scanner = Scanner(
            plan.detector, key, plan.options, emit=emit, progress=progress, policy=plan.policy,
            tracker=recorder.tracker, executor=executor, guard=guard,
        )  # fmt: skip
        with guard:
            summary = scanner.scan(plan.paths)
        if progress is not None:
            progress.stop()
        writer.close(summary, key.key_id)
    recorder.finish(summary, summary_dict(summary, key.key_id))
    outcome = Outcome(summary, key.key_id, written, recorder.hidden, recorder.gone)
    if summary.interrupted:  # no baseline, no gate: the items not reached would read as resolved
        return outcome
    if settings.update_baseline:
        try:
            write_baseline(settings.baseline_path, recorder.found, key.key_id, plan.policy.id)
        except OSError as exc:
            raise FatalError(f"cannot write {settings.baseline_path}: {exc.strerror}") from None
        outcome.baseline_written = len(recorder.found)
    if settings.engine == "ray":
        outcome.placement = executor.placement.describe()
    if not summary.source_errors:
        _gate(outcome, plan, recorder, settings.baseline_path)
    return outcome


def _gate(outcome: Outcome, plan: Plan, recorder, baseline_path: str | None) -> None:
    """New findings against the baseline, else against the store's previous scan of the same
    sources (with --fail-on), else any finding at the gate. Well-known test values
    (4111 1111 1111 1111) are reported but do not fail a run."""
    if plan.baseline is not None:
        outcome.new = [category for _, category, _ in recorder.new_against(plan.baseline, plan.fail_categories)]
        outcome.against = f"not in {baseline_path}"
        return
    if plan.fail_categories is not None and recorder.store:
        previous = recorder.previous_scan()
        if previous is not None:
            diff = recorder.store.diff(previous, recorder.scan_id)
            outcome.new = [f.category for f in recorder.gated(diff.added, plan.fail_categories)]
            outcome.against = f"since scan {previous}"
            return
    outcome.gated = recorder.any_gated(plan.fail_categories)


def _executor(settings: ScanSettings, plan: Plan, key):
    """None (scan in this process), local worker processes, or Ray."""
    from datetime import date

    from pdscan.parallel import LocalExecutor, default_workers
    from pdscan.unitscan import ScanContext

    context = ScanContext(plan.detector, key, plan.options, plan.policy, date.today())
    workers = settings.workers
    if settings.engine == "ray":
        from pdscan.rayengine import RayExecutor

        return RayExecutor(context, settings.ray_address, workers, plan.shared_paths)
    if workers is None:  # the default: all cores, for scans big enough to repay starting workers
        cores = default_workers()
        return LocalExecutor(context, cores, min_bytes=MIN_PARALLEL_BYTES) if cores > 1 else None
    return LocalExecutor(context, workers) if workers > 1 else None


def _open_output(stack: ExitStack, path: str):
    """The -o file: written 0600 beside it and renamed when the scan ends (with the findings so far
    when something stopped it)."""
    from pdscan.core.privatefile import PrivateFile

    try:
        return stack.enter_context(PrivateFile(path, keep_on_error=True))
    except OSError as exc:
        raise FatalError(f"cannot write {path}: {exc.strerror}") from None


def _stop_executor(executor, kind) -> None:
    """Workers end when the scan does; a second Ctrl-C during the first one's cleanup does not wait for them."""
    if kind is not None and issubclass(kind, KeyboardInterrupt):
        executor.abort()
    executor.close()
