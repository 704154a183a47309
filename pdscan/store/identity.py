"""What makes two findings the same finding across scans, and which samples a label was given for."""

from __future__ import annotations

import hashlib
import json

from pdscan.connectors.registry import is_local_root
from pdscan.core.model import Finding

IDENTITY_VERSION = 2  # 2: containers relative to the source root, local roots left out


def identity(source: str, container: str, fld: str | None, entity: str, kind: str, fingerprint: str | None) -> str:
    """What makes two findings the same finding across scans; never a line number.

    (source, container relative to the source root, field, entity, and the value's fingerprint for
    a match). A source that is a local folder (an absolute root) is left out, so the same data in
    another checkout or copy has the same identities; a configured name or a URL stays in."""
    root = "" if is_local_root(source) else source
    parts = [root, container, fld or "", entity] + ([fingerprint or ""] if kind == "match" else [])
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def finding_identity(f: Finding) -> str:
    return identity(f.source, f.location.container, f.location.field, f.entity, f.kind, f.fingerprint)


def sample_version(f: Finding) -> str:
    return hashlib.sha256(json.dumps(sorted(f.samples or [f.sample])).encode()).hexdigest()[:16]
