"""Work units as Ray tasks: on this machine (`ray.init()`), or on a cluster (`--ray-address`).

The units are the same as the local engine's and their results come back to this process
in plan order, into the same store and outputs. A worker process keeps its Presidio
analyzer between tasks (`build_analyzer` is cached per process). Units on local files run on
this process's node unless every node mounts them (pdscan.rayplacement). Small files go in
bundles (pdscan.unitscan.Bundle), one task each, as they go to local worker processes.
"""

from __future__ import annotations

import os

from pdscan import rayplacement
from pdscan.core.errors import EngineUnavailable, WorkerFailed
from pdscan.parallel import ABORT_SECONDS, Window, worker_connector
from pdscan.unitscan import Bundle, ScanContext, Unit, UnitResult, scan_unit


def _run(context: ScanContext, unit: Unit | Bundle, paths: list[str | None]):
    """A unit's result (a bundle's: one per item), and the node it ran on."""
    import ray

    # kept for the task's process: a database connection is opened once
    done = scan_unit(context, worker_connector(unit.origin, context.options.connector), unit)
    node, ip = ray.get_runtime_context().get_node_id(), ray.util.get_node_ip_address()
    return rayplacement.each(done, paths, rayplacement.on_this_node, node, ip), node, ip


class _RayFuture:
    def __init__(self, ref, paths: list[str | None], placement: rayplacement.Placement, inflight: set):
        self._ref = ref
        self._paths = paths
        self._placement = placement
        self._inflight = inflight
        inflight.add(ref)

    def done(self) -> bool:
        import ray

        ready, _ = ray.wait([self._ref], timeout=0)
        return bool(ready)

    def result(self) -> UnitResult | list[UnitResult]:
        import ray

        try:
            done, node, ip = ray.get(self._ref)
        finally:
            self._inflight.discard(self._ref)
        self._placement.ran(node, ip, len(self._paths))
        return rayplacement.each(done, self._paths, rayplacement.back_on_driver)


class RayExecutor:
    """Submits units as Ray tasks; `workers` caps the tasks in flight (default: the cluster's CPUs)."""

    def __init__(
        self, context: ScanContext, address: str | None = None, workers: int | None = None, shared: tuple[str, ...] = ()
    ):
        try:
            import ray
        except ImportError:
            raise EngineUnavailable("--engine ray needs Ray: pip install 'pdscan[ray]'") from None
        self._ray = ray
        self._started = not ray.is_initialized()
        if self._started:
            ray.init(
                address=address,
                num_cpus=None if address else (workers or os.cpu_count()),
                include_dashboard=False,
                log_to_driver=False,
                logging_level="ERROR",
                configure_logging=True,
                # a Ray of our own stays on loopback (Linux Ray would pick the machine's address)
                **({} if address else {"_node_ip_address": "127.0.0.1"}),
            )
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self.workers = workers or cpus
        self._context = ray.put(context)
        self._task = ray.remote(num_cpus=1, max_retries=1)(_run)
        self._inflight: set = set()  # submitted tasks whose results were not taken yet
        driver = ray.get_runtime_context().get_node_id()
        self.placement = rayplacement.Placement(driver, shared)
        self._driver_cpus = next((n["Resources"].get("CPU", 0) for n in ray.nodes() if n["NodeID"] == driver), 0)

    def worth(self, total_bytes: int) -> bool:
        return True

    def window(self) -> Window:
        return Window(self._submit, 2 * self.workers + 1)

    def _submit(self, unit: Unit | Bundle) -> _RayFuture:
        unit, paths = rayplacement.resolve_work(unit)  # here, before the unit leaves this process
        task = self._task
        if any(self.placement.pinned(path) for path in paths):
            if not self._driver_cpus:  # the task would wait for ever
                raise WorkerFailed(
                    "local files are read on this process's Ray node, which offers Ray no CPU "
                    "(give it --num-cpus, or name storage every node mounts with --shared-path)"
                )
            task = task.options(scheduling_strategy=self._pin)
        return _RayFuture(task.remote(self._context, unit, paths), paths, self.placement, self._inflight)

    @property
    def _pin(self):
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        return NodeAffinitySchedulingStrategy(node_id=self.placement.driver_node, soft=False)

    def abort(self) -> None:
        """Interrupted: cancel the tasks in flight (running ones are killed); `close` then ends a Ray pdscan started.

        A task killed just as it started may come back as a worker crash and be retried: what is
        still pending after a moment is cancelled once more.
        """
        pending = list(self._inflight)
        for _ in range(2):
            for ref in pending:
                try:
                    self._ray.cancel(ref, force=True, recursive=False)
                except Exception:  # already finished, or gone with its worker: nothing left to cancel
                    pass
            if not pending:
                break
            _, pending = self._ray.wait(pending, num_returns=len(pending), timeout=ABORT_SECONDS)
        self._inflight.clear()

    def close(self) -> None:
        if self._started:
            self._started = False
            self._ray.shutdown()
