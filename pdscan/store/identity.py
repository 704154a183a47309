"""What makes two findings the same finding across scans, and which samples a label was given for."""

from __future__ import annotations

import hashlib
import json

from pdscan.core.identity import finding_identity, identity  # noqa: F401  (re-exported from core)
from pdscan.core.model import Finding

IDENTITY_VERSION = 2  # 2: containers relative to the source root, local roots left out


def sample_version(f: Finding) -> str:
    return hashlib.sha256(json.dumps(sorted(f.samples or [f.sample])).encode()).hexdigest()[:16]
