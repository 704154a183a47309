"""The findings store: scans, each item's coverage and version, findings, reviewer labels, and the
DSAR case log, in one database (a SQLite file or a SQLAlchemy URL).

- `schema`: every table, in one MetaData; `migrations`: its versions, applied when a store opens
- `repository`: `Store`, the open store (a scan's writes; the reads below as methods)
- `queries`: read queries (scans, items, findings, labels) for reports, DSAR and the CLI
- `diff`: new and resolved findings between scans, containers gone; `labels`: reviewer labels
  (which items are unchanged since an earlier scan is the application's: pdscan.incremental)

Raw values are never written: masked samples and keyed fingerprints are what is kept.
"""

from pdscan.store.diff import Diff
from pdscan.store.identity import IDENTITY_VERSION, finding_identity, identity, sample_version
from pdscan.store.labels import LABELS, LabelSet, in_container
from pdscan.store.queries import LOOKUP_CHUNK
from pdscan.store.repository import DEFAULT_STORE, Store
from pdscan.store.rows import now
from pdscan.store.schema import meta

__all__ = [
    "DEFAULT_STORE",
    "IDENTITY_VERSION",
    "LABELS",
    "LOOKUP_CHUNK",
    "Diff",
    "LabelSet",
    "Store",
    "finding_identity",
    "identity",
    "in_container",
    "meta",
    "now",
    "sample_version",
]
