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


def redact(source: str) -> str:
    """The source as it may be shown or stored: no password, no userinfo secret, no secret query value.

    A database URL is parsed by SQLAlchemy's own `make_url`, the parse the driver gets, so what is
    hidden is what is sent (a `/`, `#` or `?` in a password is part of it there, not of a path or a
    query). Anything else with a scheme (s3://, or a URL make_url refuses) is masked by
    `_redact_other`, which hides more rather than less.
    """
    if not _SCHEME.match(source):
        return source
    if scheme(source) in ("s3", "file"):
        return _redact_other(source)
    from sqlalchemy.engine import make_url

    try:
        url = make_url(source)
    except Exception:  # noqa: BLE001 - any parse failure: mask by hand, never echo
        return _redact_other(source, keep_user=True)
    secret_query = [k for k in url.query if _SECRET_KEY.search(k)]
    # A raw `@` in a password ends SQLAlchemy's userinfo early: the rest lands in the host, the
    # database name or the query, and is not shown either (an `@` beyond the userinfo's is masked).
    if url.host and source.count("@") > (url.username is not None):
        return _redact_other(source, force=True)
    if url.password is None and not secret_query:
        return source  # nothing to hide: shown exactly as given (a SQLite path keeps its spelling)
    if url.password is not None:
        url = url.set(password="***")
    if secret_query:
        url = url.update_query_dict({k: _HIDDEN for k in secret_query})
    return url.render_as_string(hide_password=True).replace(_quote(_HIDDEN), "***")


# query keys whose values are secrets: password=, sslpassword=, aws_secret_access_key=, X-Amz-Signature=, token=
_SECRET_KEY = re.compile(r"pass|pwd|secret|token|credential|signature|sig$|key|auth", re.IGNORECASE)
_HIDDEN = "***"


def _quote(text: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(text)


def _redact_other(source: str, force: bool = False, keep_user: bool = False) -> str:
    """Userinfo and secret query values masked in a URL SQLAlchemy does not parse (s3://, a broken URL).

    A secret may hold `/`, `?`, `#` and `@` (an S3 secret key holds `/` and `+`): when the part
    before the first of them has an `@` or a `:` that is no port, there is a userinfo and
    everything up to the last `@` is hidden (all of it when there is none). `keep_user` (a database
    URL): the user name before the first `:` stays, as SQLAlchemy shows it.
    """
    head, sep, rest = source.partition("://")
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    if force or "@" in authority or (":" in authority and not re.fullmatch(r"[^:@]*:\d*", authority)):
        userinfo, at, rest = rest.rpartition("@")
        if not at:
            return f"{head}{sep}***"
        user, colon, _ = userinfo.partition(":")
        keep = keep_user and not force and colon and not re.search(r"[/?#@]", user)
        rest = f"{user}:***@{rest}" if keep else f"***@{rest}"
    body, qmark, query = rest.partition("?")
    if qmark:
        pairs = [p.split("=", 1) for p in query.split("&")]
        query = "&".join(f"{p[0]}=***" if len(p) == 2 and _SECRET_KEY.search(p[0]) else "=".join(p) for p in pairs)
    return head + sep + body + qmark + query


def source_root(source: str) -> str:
    """What a source is called in findings, items and identities, however its path was typed.

    A folder: its resolved absolute path (containers are paths relative to it). A file: the resolved
    folder it is in (its container is its name), so a file scanned alone or in its folder is the same
    container. A SQLite URL: its file's resolved absolute path. Other URLs: redacted, without a
    trailing slash. A configured source name replaces all this (`pdscan.engine.ScanOptions.names`).
    """
    import os

    if not _SCHEME.match(source):
        path = os.path.abspath(source)
        return os.path.realpath(path if os.path.isdir(path) else os.path.dirname(path))
    if scheme(source) == "sqlite":
        from sqlalchemy.engine import make_url

        try:
            url = make_url(source)
        except Exception:  # noqa: BLE001 - shown redacted as given
            return redact(source)
        database = url.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            return redact(url.set(database=os.path.realpath(database)).render_as_string(hide_password=True))
        return redact(source)
    shown = redact(source)
    return shown.rstrip("/") if scheme(source) == "s3" and shown.count("/") > 2 else shown


def is_local_root(root: str) -> bool:
    """A root that is a local folder: identities leave it out, so a baseline made in one checkout
    (or copy) of the data holds in another (detect-secrets' convention: paths relative to the root)."""
    import os

    return not _SCHEME.match(root) and os.path.isabs(root)


def scheme(source: str) -> str:
    """The URL scheme without a driver suffix (`postgresql+psycopg` -> `postgresql`); paths are `file`."""
    match = _SCHEME.match(source)
    return match.group(0)[:-3].lower().split("+", 1)[0] if match else "file"


def check(source: str, options: ConnectorOptions | None = None) -> str | None:
    """A usage problem with the source, to report before scanning starts, else None."""
    cls = connector_class(source)
    if cls is None:
        known = ", ".join(f"{s}://" for entry in connectors() for s in entry.schemes if s != "file")
        return f"unsupported source scheme '{scheme(source)}://' in {redact(source)} (known: {known}, or a path)"
    return cls.check(source, options or ConnectorOptions())


def connector_for(source: str, options: ConnectorOptions | None = None):
    return connector_class(source).connect(source, options or ConnectorOptions())
