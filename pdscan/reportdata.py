"""The reports' inputs, built by the application: the store read into a `View`, the policy and the
config turned into the plain data of pdscan.reports.model. Reports import none of this layer.
"""

from __future__ import annotations

from pdscan.config import Config, SourceSpec
from pdscan.core.errors import ReportError
from pdscan.core.identity import finding_identity
from pdscan.core.model import Finding
from pdscan.policy import Policy
from pdscan.reports import sources as report_sources
from pdscan.reports.base import Report
from pdscan.reports.counts import DEFAULT_COLUMN_SAMPLE
from pdscan.reports.model import Category, PolicyTerms, ReportInput, SourceInfo
from pdscan.reports.view import Seen, View, months_ago
from pdscan.store import Store, queries


def policy_terms(policy: Policy) -> PolicyTerms:
    """The policy as the reports read it."""
    by_entity = {e: cid for cid, cat in policy.categories.items() for e in cat.entities}
    return PolicyTerms(
        id=policy.id,
        name=policy.name,
        categories={
            cid: Category(cid, c.label, c.ccpa, c.sensitive, tuple(c.entities)) for cid, c in policy.categories.items()
        },
        purposes=tuple(policy.purposes),
        retention_exceptions=dict(policy.retention_exceptions),
        entity_categories=by_entity,
        response_days=policy.response_days,
        lookback_months=policy.lookback_months,
        minor_age=policy.minor_age,
        minor_action=policy.minor_action,
    )


def source_info(spec: SourceSpec) -> SourceInfo:
    return SourceInfo(
        spec.url, spec.name, spec.owner, spec.source_category, spec.third_parties, spec.purposes, spec.retention
    )


def source_infos(config: Config | None) -> tuple[SourceInfo, ...]:
    return tuple(source_info(s) for s in config.sources) if config else ()


def spec_of(config: Config | None, source: str) -> SourceInfo | None:
    """The config's word on `source` (a `SourceInfo`), or None when the config does not describe it."""
    return report_sources.spec_of(source_infos(config), source)


def report_input(policy: Policy, config: Config | None, since: str = "") -> ReportInput:
    sample = config.column_sample if config else DEFAULT_COLUMN_SAMPLE
    return ReportInput(policy_terms(policy), source_infos(config), sample, since)


def build_report(
    store: Store, kind: str, policy: Policy, config: Config | None, scan_id: int | None = None, as_of: int | None = None
) -> Report:
    """The report of `kind` over the store's current view (as of scan `as_of`; or scan `scan_id` alone)."""
    from pdscan.reports import inventory, pfi, right_to_know

    if kind == "right-to-know":
        since = months_ago(policy.lookback_months)
        view = load_view(store, scan_id, since=since, as_of=as_of)
        return right_to_know.build(report_input(policy, config, since), view)
    view = load_view(store, scan_id, as_of=as_of)
    return {"inventory": inventory, "pfi": pfi}[kind].build(report_input(policy, config), view)


def load_view(
    store: Store, scan_id: int | None = None, since: str | None = None, as_of: int | None = None, hide: bool = True
) -> View:
    """The current view: each container as the latest scan that listed it left it, containers
    found deleted since left out. `as_of`: the view current after that scan (history). `scan_id`:
    that scan's findings only. `since` (ISO time): every finding of scans started then or later
    instead, the latest row of each identity (the right-to-know look-back). `hide`: findings
    labelled false positives are counted (`suppressed`), not listed."""
    last = scan_id if scan_id is not None else as_of
    scan_rows = queries.finished_scans(store, last)
    if not scan_rows:
        raise ReportError("the store holds no finished scan: run `pdscan scan` first")
    if last is not None and scan_rows[-1]["id"] != last:
        raise ReportError(f"no finished scan {last} in the store (see `pdscan scans`)")
    started = {s["id"]: s["started"] for s in scan_rows}
    latest: dict[tuple[str, str], dict] = {}
    for row in queries.all_items(store):
        if row["scan_id"] in started and (scan_id is None or row["scan_id"] == scan_id):
            latest[(row["source"], row["container"])] = {**row, "started": started[row["scan_id"]]}
    for row in queries.all_gone(store):  # deleted since its latest listing
        key = (row["source"], row["container"])
        if row["scan_id"] in started and key in latest and latest[key]["scan_id"] < row["scan_id"]:
            del latest[key]
    seen_span = queries.identity_spans(store, list(started))
    any_labels = queries.any_labels(store)
    view = View(scans=scan_rows, items=latest, seen=[], as_of=scan_rows[-1]["started"], scan_id=scan_id)
    if since is not None:
        chosen = {sid: None for sid, start in started.items() if start >= since}
    else:
        chosen = {row["scan_id"]: None for row in latest.values()}
    rows: dict[str, Seen] = {}
    for sid in sorted(chosen):
        for f in store.findings_of(sid):
            item = latest.get((f.source, f.location.container), {})
            if since is None and item.get("scan_id") != sid:
                continue  # a later scan listed this container (or found it deleted): its rows are current
            key = finding_identity(f)
            first, last_seen = seen_span.get(key, (started[sid], started[sid]))
            rows[key] = Seen(f, key, sid, first, last_seen, stale=item.get("status") == "skipped")
    label_set = store.label_set() if any_labels and hide else None
    for s in rows.values():
        if label_set and label_set.of(s.finding) == "false_positive":  # accepted data is still data: kept
            view.suppressed += 1
        else:
            view.seen.append(s)
    view.seen.sort(key=lambda s: (s.finding.category or "", s.finding.source, s.finding.location.container))
    return view


def current_findings(store: Store, as_of: int | None = None) -> list[Finding]:
    """Every current finding (after scan `as_of`, else now), false positives included."""
    return [s.finding for s in load_view(store, as_of=as_of, hide=False).seen]
