"""A finding's identity: what makes two findings the same finding across scans (a hash).

The store keys findings, labels and baselines by it; SARIF's `partialFingerprints` and the
reports' first/last seen use it too, so it lives on the ground floor.
"""

from __future__ import annotations

import hashlib

from pdscan.core.model import Finding
from pdscan.core.urls import is_local_root


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
