"""Pick the connector by URL scheme; a plain path is the file connector."""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit, urlunsplit

from pdscan.connectors.files import FileConnector

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


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
    match = _SCHEME.match(source)
    return match.group(0)[:-3].lower() if match else "file"


def check(source: str) -> str | None:
    """A usage problem with the source, to report before scanning starts, else None."""
    kind = scheme(source)
    if kind == "file":
        return None if os.path.lexists(source) else f"no such file or folder: {source}"
    return f"unsupported source scheme '{kind}://' in {redact(source)} (this version scans files and folders)"


def connector_for(source: str, include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()):
    return FileConnector(source, include, exclude)
