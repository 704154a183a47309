"""Pick the connector by URL scheme; a plain path is the file connector.

The connectors are the classes (or `ConnectorRef`s, imported on first use) that plugins return
from the `pdscan_connectors` hook (pdscan.core.plugins), pdscan's own first
(pdscan.connectors.plugin). Each declares its `schemes` (`paths`: plain paths) and `Options`; a
class is imported only when its scheme is used, so a missing database driver or boto3 never
breaks a file scan.
"""

from __future__ import annotations

import re

from pdscan.connectors.options import ConnectorOptions
from pdscan.core.plugins import collect
from pdscan.core.urls import is_local_root, redact, scheme, source_root  # noqa: F401  (re-exported from core)

__all__ = ["CONNECTORS", "ConnectorOptions", "check", "connector_class", "connector_for", "connectors", "redact",
           "scheme", "source_root"]  # fmt: skip

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")

# scheme -> the kind of the built-in connector reading it, as reports/sarif.py names them. Routing
# does not use it: it asks the registered connectors (`connectors()`).
CONNECTORS: dict[str, str] = {
    "file": "files",
    "sqlite": "sql",
    "postgresql": "sql",
    "postgres": "sql",
    "mysql": "sql",
    "mariadb": "sql",
    "s3": "s3",
}


def connectors() -> list:
    """Every registered connector class or ConnectorRef, built-ins first (asked again each time: a
    plugin registered at run time is seen)."""
    return collect("pdscan_connectors")


def connector_class(source: str):
    """The connector class reading `source`, or None: the first registered for its scheme (a path:
    the one reading paths), else the first that `handles` it (a SQLAlchemy dialect a package adds)."""
    name = scheme(source)
    entries = connectors()
    plain = not _SCHEME.match(source)
    for entry in entries:
        if (plain and entry.paths) or (not plain and name in entry.schemes):
            return entry.load()
    if plain:
        return None
    for entry in entries:
        if entry.handles(name):
            return entry.load()
    return None


def check(source: str, options: ConnectorOptions | None = None) -> str | None:
    """A usage problem with the source, to report before scanning starts, else None."""
    cls = connector_class(source)
    if cls is None:
        known = ", ".join(f"{s}://" for entry in connectors() for s in entry.schemes if s != "file")
        return f"unsupported source scheme '{scheme(source)}://' in {redact(source)} (known: {known}, or a path)"
    return cls.check(source, options or ConnectorOptions())


def connector_for(source: str, options: ConnectorOptions | None = None):
    return connector_class(source).connect(source, options or ConnectorOptions())
