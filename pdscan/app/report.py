"""`report`: a compliance report built from the findings store (never from the sources)."""

from __future__ import annotations

from pdscan.core.errors import ReportError
from pdscan.reports.base import Report

KINDS = ("inventory", "pfi", "right-to-know")


def report(store, kind: str, policy, config, scan_id: int | None = None, as_of: int | None = None) -> Report:
    """The report of `kind` over the store's current view (as of scan `as_of`; or scan `scan_id` alone)."""
    from pdscan.reportdata import build_report

    if scan_id is not None and as_of is not None:
        raise ReportError("give --scan or --as-of, not both")
    return build_report(store, kind, policy, config, scan_id, as_of)
