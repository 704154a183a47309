"""Where a Ray task may run: local files on the driver's node, unless every node mounts them.

A path is resolved in this process (the driver) before its unit leaves it: a Ray worker runs in
the cluster's working directory, not the caller's, and on another machine the file may not exist
at all. A unit reading a local file (a file, a part of one, a SQLite database) is pinned to the
driver's node unless its path lies under a `--shared-path` prefix; S3 objects and database servers'
tables run anywhere. A bundle of small files (pdscan.unitscan.Bundle) is resolved item by item and
pinned as its files are. A unit that finds its file missing on the node it ran on comes back
`unreadable`, naming the node (its IP and Ray node id, nothing else), and the run ends with 2.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import replace

from pdscan.connectors.registry import scheme
from pdscan.unitscan import Bundle, Unit, UnitResult

# a unit's error of this kind: its file was there for the driver and not on the node that read it
NODE_ERROR = "node"


def resolve(unit: Unit) -> tuple[Unit, str | None]:
    """The unit as it leaves the driver (local paths absolute), and the local file it reads (None: none)."""
    kind = scheme(unit.origin)
    if kind == "file" and isinstance(unit.item.handle, str):
        path = os.path.abspath(unit.item.handle)
        item = replace(unit.item, handle=path)
        return replace(unit, item=item, origin=os.path.abspath(unit.origin)), path
    if kind == "sqlite":
        from pdscan.connectors.sql.session import sqlite_path, with_driver

        url = with_driver(unit.origin)
        path = sqlite_path(url)
        if path is not None:
            origin = url.set(database=path).render_as_string(hide_password=False)
            return replace(unit, origin=origin), path
    return unit, None


def resolve_work(work: Unit | Bundle) -> tuple[Unit | Bundle, list[str | None]]:
    """A unit or a bundle as it leaves the driver, and the local file of each of its items (None: none)."""
    if not isinstance(work, Bundle):
        sent, path = resolve(work)
        return sent, [path]
    resolved = [resolve(unit) for unit in work.units]
    origin = resolved[0][0].origin if resolved else work.origin
    return Bundle([unit for unit, _ in resolved], origin=origin), [path for _, path in resolved]


def is_shared(path: str, prefixes: tuple[str, ...]) -> bool:
    """`path` lies under one of `prefixes` (as given, or with symlinks resolved on both sides)."""

    def under(p: str, q: str) -> bool:
        return os.path.commonpath([p, q]) == q

    return any(
        under(os.path.abspath(path), os.path.abspath(prefix)) or under(os.path.realpath(path), os.path.realpath(prefix))
        for prefix in prefixes
    )


def node_name(node_id: str, ip: str) -> str:
    return f"node {ip} (id {node_id})"


def on_this_node(done: UnitResult, path: str | None, node_id: str, ip: str) -> UnitResult:
    """In the task: an error names the node it happened on; a file missing here is a node error."""
    if done.error is None:
        return done
    kind, reason, detail = done.error
    here = node_name(node_id, ip)
    if path is not None and not os.path.lexists(path):
        done.error = (NODE_ERROR, "unreadable", f"no such file on {here}")
    elif reason in ("unreadable", "source_error"):
        done.error = (kind, reason, f"{detail} on {here}")
    return done


def back_on_driver(done: UnitResult, path: str | None) -> UnitResult:
    """A file missing on the node and here too went away during the scan: an item error, as locally."""
    if done.error is not None and done.error[0] == NODE_ERROR and path is not None and not os.path.lexists(path):
        done.error = ("item", *done.error[1:])
    return done


def each(done: UnitResult | list[UnitResult], paths: list[str | None], check, *args):
    """`check` (on_this_node, back_on_driver) applied to a unit's result or to each result of a bundle."""
    if isinstance(done, list):
        return [check(d, path, *args) for d, path in zip(done, paths)]
    return check(done, paths[0], *args)


class Placement:
    """The driver's node, the shared prefixes, and how many units ran on each node."""

    def __init__(self, driver_node: str, shared: tuple[str, ...] = ()):
        self.driver_node = driver_node
        self.shared = tuple(shared)
        self.units: Counter[str] = Counter()  # node id -> units run there
        self.ips: dict[str, str] = {}
        self.tasks = 0  # Ray tasks (a bundle of small files is one)

    def pinned(self, path: str | None) -> bool:
        """A unit on this local file must run on the driver's node."""
        return path is not None and not is_shared(path, self.shared)

    def ran(self, node_id: str, ip: str, units: int = 1) -> None:
        """A task ran there: a unit, or a bundle of `units` small items (each counted)."""
        self.units[node_id] += units
        self.tasks += 1
        self.ips[node_id] = ip

    def describe(self) -> str:
        """One line: units (items and parts of items) per node, the driver's node marked, and the tasks they took."""
        nodes = sorted(self.units, key=lambda n: (n != self.driver_node, n))
        parts = [
            f"{node_name(n, self.ips[n])}{' (the driver)' if n == self.driver_node else ''} {self.units[n]}"
            for n in nodes
        ]
        total = sum(self.units.values())
        tasks = f"{self.tasks} task{'' if self.tasks == 1 else 's'}"
        return f"ray: {total} units in {tasks} on {len(nodes)} node{'' if len(nodes) == 1 else 's'}" + (
            f": {', '.join(parts)}" if parts else ""
        )
