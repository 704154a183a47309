"""Pick the connector by URL scheme; a plain path is the file connector.

`CONNECTORS` is the table: scheme -> module. Each module has
`check(source, options) -> str | None` (a usage problem to report before scanning) and
`connect(source, options) -> Connector`. Modules are imported only when their scheme is used,
so a missing database driver or boto3 never breaks a file scan.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from pdscan.connectors.limits import Limits
from pdscan.core.urls import is_local_root, redact, scheme, source_root  # noqa: F401  (re-exported from core)


@dataclass(frozen=True)
class ConnectorOptions:
    """What the user said about reading sources; each connector takes the part it needs."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    # databases
    sample_size: int = 10_000  # rows per table; 0 with full=True
    full: bool = False
    seed: int | None = None
    query_timeout: float = 60.0  # seconds per statement
    views: bool = False
    # from the environment or config: never shown, not even in a repr (settings_hash hashes the repr)
    password: str | None = field(default=None, repr=False)
    # S3
    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    sample_objects: float = 1.0  # share of objects scanned
    max_bytes_per_object: int | None = None
    fetch_concurrency: int = 8
    limits: Limits = field(default_factory=Limits)  # caps per item and per scan (pdscan.connectors.limits)


# scheme -> module under pdscan.connectors
CONNECTORS: dict[str, str] = {
    "file": "files",
    "sqlite": "sql",
    "postgresql": "sql",
    "postgres": "sql",
    "mysql": "sql",
    "mariadb": "sql",
    "s3": "s3",
}


def _module(source: str):
    name = CONNECTORS.get(scheme(source)) or ("sql" if _sqlalchemy_dialect(scheme(source)) else None)
    return importlib.import_module(f"pdscan.connectors.{name}") if name else None


def _sqlalchemy_dialect(name: str) -> bool:
    """Another database SQLAlchemy knows (mssql, oracle, or a dialect a package registers)."""
    from sqlalchemy.dialects import registry
    from sqlalchemy.exc import NoSuchModuleError

    try:
        registry.load(name)
    except (NoSuchModuleError, ImportError):
        return False
    return True


def check(source: str, options: ConnectorOptions | None = None) -> str | None:
    """A usage problem with the source, to report before scanning starts, else None."""
    module = _module(source)
    if module is None:
        known = ", ".join(f"{s}://" for s in CONNECTORS if s != "file")
        return f"unsupported source scheme '{scheme(source)}://' in {redact(source)} (known: {known}, or a path)"
    return module.check(source, options or ConnectorOptions())


def connector_for(source: str, options: ConnectorOptions | None = None):
    return _module(source).connect(source, options or ConnectorOptions())
