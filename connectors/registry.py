"""Pick the connector by URL scheme; a plain path is the file connector.

`CONNECTORS` is the table: scheme -> module. Each module has
`check(source, options) -> str | None` (a usage problem to report before scanning) and
`connect(source, options) -> Connector`. Modules are imported only when their scheme is used,
so a missing database driver or boto3 never breaks a file scan.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from pdscan.connectors.limits import Limits

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


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
    password: str | None = None  # from the environment or config, never from output
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


def redact(source: str) -> str:
    """The source as it may be shown: any password in a URL replaced by ***."""
    if not _SCHEME.match(source):
        return source
    parts = urlsplit(source)
    if parts.password is None:
        return source
    netloc = parts.netloc.rsplit("@", 1)
    userinfo = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{userinfo}:***@{netloc[1]}"))


def scheme(source: str) -> str:
    """The URL scheme without a driver suffix (`postgresql+psycopg` -> `postgresql`); paths are `file`."""
    match = _SCHEME.match(source)
    return match.group(0)[:-3].lower().split("+", 1)[0] if match else "file"


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
