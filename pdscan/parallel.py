"""Executors for work units: local worker processes, or Ray tasks on this machine or a cluster.

Both take a pickled `ScanContext` once (a worker builds Presidio and loads spaCy once), run
`pdscan.unitscan.scan_unit` on each unit and hand results back through a `Window` that
keeps a bounded number of units in flight and returns results in plan order.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
import os
import pickle
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from pdscan.core.errors import OutputError, WorkerFailed
from pdscan.interrupts import sigint_blocked, worker_started
from pdscan.unitscan import ScanContext, Unit, UnitResult, scan_unit

ABORT_SECONDS = 1.0  # a terminated worker that has not ended by then is killed


@dataclass
class Ticket:
    unit: Unit
    future: object = None  # set once submitted
    result: UnitResult | list[UnitResult] | None = None  # in this process, not yet taken (`Window.ready`)


class Window:
    """Units queued in plan order; at most `limit` submitted and not yet taken back."""

    def __init__(self, submit, limit: int):
        self._submit = submit
        self._limit = limit
        self._queue: deque[Ticket] = deque()
        self._live = 0

    def add(self, unit: Unit) -> Ticket:
        ticket = Ticket(unit)
        self._queue.append(ticket)
        self._fill()
        return ticket

    def add_first(self, units: list[Unit]) -> list[Ticket]:
        """Queue ahead of everything waiting (the rest of an item being merged now)."""
        tickets = [Ticket(u) for u in units]
        self._queue.extendleft(reversed(tickets))
        self._fill()
        return tickets

    def ready(self, ticket: Ticket) -> None:
        """Wait until the unit's result is in this process (Ctrl-C ends the wait): `get` then takes it
        at once, so a caller can take a result and write what it holds in one step no Ctrl-C cuts."""
        while ticket.future is None:
            self._fill(force=True)
        if ticket.result is None:
            ticket.result = self._result(ticket.future)

    def done(self, ticket: Ticket) -> bool:
        """The unit's result is in this process (`ready` would not wait)."""
        return ticket.result is not None or (ticket.future is not None and ticket.future.done())

    def get(self, ticket: Ticket) -> UnitResult:
        self.ready(ticket)
        result, ticket.result = ticket.result, None
        ticket.future = None
        self._live -= 1
        self._fill()
        return result

    def _fill(self, force: bool = False) -> None:
        while self._queue and (self._live < self._limit or force):
            ticket = self._queue.popleft()
            ticket.future = self._submit(ticket.unit)
            self._live += 1
            force = False

    @staticmethod
    def _result(future) -> UnitResult:
        try:
            return future.result()
        except Exception as exc:  # the unit's own errors come back inside its result: this is the worker
            if isinstance(exc, OutputError):  # the parent's writer failed while waiting: not the worker
                raise
            raise WorkerFailed(f"a scan worker failed ({type(exc).__name__})") from None


# ---- local worker processes --------------------------------------------------------------


class WorkerProcess:
    """What a worker process keeps between the units it runs: the scan's context and its own
    connectors, by source as given.

    A per-process holder, because nothing else is shared by a ProcessPoolExecutor's initializer
    and the module-level function it runs (nor by the Ray tasks one Ray worker runs): `start`
    sets the context once, in the initializer; `context` is read only by `_run`, the local
    units' entry point, and `connector` only through `worker_connector` by the entry points
    (`_run`; `pdscan.rayengine._run`, whose tasks get their context as an argument); `close`
    ends the connectors as the process ends. The parent never fills it, so a forked worker starts with it empty: the
    connectors it inherits from its parent (and their database sessions) are never reached
    from here, and each database source gets a session of the worker's own.
    """

    def __init__(self) -> None:
        self._context: ScanContext | None = None
        self._connectors: dict[str, object] = {}

    def start(self, context: ScanContext) -> None:
        self._context = context

    @property
    def context(self) -> ScanContext:
        if self._context is None:
            raise RuntimeError("not a started scan worker")
        return self._context

    def connector(self, origin: str, options):
        """This process's connector for a source as given, made on first use."""
        from pdscan.connectors.registry import connector_for

        if origin not in self._connectors:
            self._connectors[origin] = connector_for(origin, options)
        return self._connectors[origin]

    def close(self) -> None:
        for connector in self._connectors.values():
            connector.close()


WORKER = WorkerProcess()  # this process's, when it is a scan worker


def _init_worker(payload: bytes, parent_pid: int) -> None:
    worker_started(parent_pid)  # Ctrl-C is the parent's to handle; the worker dies with the parent
    WORKER.start(pickle.loads(payload))
    # run as the worker ends when the pool shuts down: a database sees the session closed, not dropped
    multiprocessing.util.Finalize(None, WORKER.close, exitpriority=0)
    _ = WORKER.context.detector.analyzer  # spaCy and Presidio, once per worker


def worker_connector(origin: str, options):
    """This worker's connector for a source as given (a local worker's or a Ray task's process)."""
    return WORKER.connector(origin, options)


def _run(unit: Unit) -> UnitResult:
    context = WORKER.context
    return scan_unit(context, worker_connector(unit.origin, context.options.connector), unit)


class LocalExecutor:
    """A pool of worker processes on this machine, started when a scan is big enough to need it.

    Starting a worker costs seconds (spaCy and Presidio): a scan of fewer than `min_bytes`
    runs in this process instead, with the same results. A database table counts the bytes its
    read covers (its sample), estimated from the database's statistics (connectors/sql/estimates.py).
    """

    def __init__(self, context: ScanContext, workers: int, min_bytes: int = 0):
        self.workers = workers
        self.min_bytes = min_bytes
        self._payload = pickle.dumps(context)
        self._pool = None
        self._processes: list = []  # the pool's worker processes, to end them on an interrupt

    def worth(self, total_bytes: int) -> bool:
        return total_bytes >= self.min_bytes

    def window(self) -> Window:
        if self._pool is None:
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context(method),
                initializer=_init_worker,
                initargs=(self._payload, os.getpid()),
            )
        return Window(self._submit, 2 * self.workers + 1)

    def _submit(self, unit: Unit):
        with sigint_blocked():  # the first submit forks the workers: they start with SIGINT held back
            future = self._pool.submit(_run, unit)
        if not self._processes:
            self._processes = _workers_of(self._pool)
        return future

    def abort(self) -> None:
        """Interrupted: drop the queued units and end the running ones now, without waiting."""
        if self._pool is None:
            return
        processes = self._processes or _workers_of(self._pool)
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(ABORT_SECONDS)
            if process.is_alive():
                process.kill()
                process.join()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


def _workers_of(pool: ProcessPoolExecutor) -> list:
    """The pool's worker processes (ProcessPoolExecutor.terminate_workers is Python 3.14's)."""
    return list((getattr(pool, "_processes", None) or {}).values())


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
