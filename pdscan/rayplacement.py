"""Where a Ray task may run: local files on the driver's node, unless every node mounts them.

A path is resolved in this process (the driver) before its unit leaves it: a Ray worker runs in
the cluster's working directory, not the caller's, and on another machine the file may not exist
at all. A unit reading a local file (a file, a part of one, a SQLite database) is pinned to the
driver's node unless its path lies under a `--shared-path` prefix; S3 objects and database servers'
tables run anywhere. A unit that finds its file missing on the node it ran on comes back
`unreadable`, naming the node (its IP and Ray node id, nothing else), and the run ends with 2.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import replace

from pdscan.connectors.registry import scheme
from pdscan.unitscan import Unit, UnitResult

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


class Placement:
    """The driver's node, the shared prefixes, and how many units ran on each node."""

    def __init__(self, driver_node: str, shared: tuple[str, ...] = ()):
        self.driver_node = driver_node
        self.shared = tuple(shared)
        self.units: Counter[str] = Counter()  # node id -> units run there
        self.ips: dict[str, str] = {}

    def pinned(self, path: str | None) -> bool:
        """A unit on this local file must run on the driver's node."""
        return path is not None and not is_shared(path, self.shared)

    def ran(self, node_id: str, ip: str) -> None:
        self.units[node_id] += 1
        self.ips[node_id] = ip

    def describe(self) -> str:
        """One line: units per node, the driver's node marked."""
        nodes = sorted(self.units, key=lambda n: (n != self.driver_node, n))
        parts = [
            f"{node_name(n, self.ips[n])}{' (the driver)' if n == self.driver_node else ''} {self.units[n]}"
            for n in nodes
        ]
        total = sum(self.units.values())
        return f"ray: {total} units on {len(nodes)} node{'' if len(nodes) == 1 else 's'}" + (
            f": {', '.join(parts)}" if parts else ""
        )
