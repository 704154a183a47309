"""Work units as Ray tasks: on this machine (`ray.init()`), or on a cluster (`--ray-address`).

The units are the same as the local engine's and their results come back to this process
in plan order, into the same store and outputs. A worker process keeps its Presidio
analyzer between tasks (`build_analyzer` is cached per process).
"""

from __future__ import annotations

import os

from pdscan.parallel import EngineUnavailable, Window, worker_connector
from pdscan.unitscan import ScanContext, Unit, UnitResult, scan_unit


def _run(context: ScanContext, unit: Unit) -> UnitResult:
    # kept for the task's process: a database connection is opened once
    return scan_unit(context, worker_connector(unit.origin, context.options.connector), unit)


class _RayFuture:
    def __init__(self, ref):
        self._ref = ref

    def result(self) -> UnitResult:
        import ray

        return ray.get(self._ref)


class RayExecutor:
    """Submits units as Ray tasks; `workers` caps the tasks in flight (default: the cluster's CPUs)."""

    def __init__(self, context: ScanContext, address: str | None = None, workers: int | None = None):
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
            )
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self.workers = workers or cpus
        self._context = ray.put(context)
        self._task = ray.remote(num_cpus=1, max_retries=1)(_run)

    def worth(self, total_bytes: int) -> bool:
        return True

    def window(self) -> Window:
        return Window(lambda unit: _RayFuture(self._task.remote(self._context, unit)), 2 * self.workers + 1)

    def close(self) -> None:
        if self._started:
            self._ray.shutdown()
