"""`report`: a compliance report built from the findings store (never from the sources)."""

from __future__ import annotations

from pdscan.core.errors import ReportError
from pdscan.reports.base import Report

KINDS = ("inventory", "pfi", "right-to-know")


def report(store, kind: str, policy, config, scan_id: int | None = None, as_of: int | None = None) -> Report:
    """The report of `kind` over the store's current view (as of scan `as_of`; or scan `scan_id` alone)."""
    from pdscan.reports import inventory, pfi, right_to_know
    from pdscan.reports.view import load_view, months_ago

    if scan_id is not None and as_of is not None:
        raise ReportError("give --scan or --as-of, not both")
    if kind == "right-to-know":
        since = months_ago(policy.lookback_months)
        view = load_view(store, scan_id, since=since, as_of=as_of)
        return right_to_know.build(policy, view, config=config, since=since)
    view = load_view(store, scan_id, as_of=as_of)
    return {"inventory": inventory, "pfi": pfi}[kind].build(policy, view, config=config)
