"""The CCPA right-to-know report: what the business collected over the look-back, per the policy.

Categories come from the findings of scans in the policy's look-back (12 months); categories of
sources, third parties, owners and retention exceptions from the config's sources; business and
marketing purposes, with their lawful basis, from the policy's tables, each listed once under its
group (a category row names the groups, not twenty purposes).
"""

from __future__ import annotations

from pdscan.reports.base import Report, Section
from pdscan.reports.counts import place_of, sum_values
from pdscan.reports.inventory import category_chart, category_label, container_chart
from pdscan.reports.model import PolicyTerms, Purpose, ReportInput
from pdscan.reports.sources import NONE_DECLARED, NOT_SAID, Stores, third_parties_of
from pdscan.reports.view import View

UNKNOWN = NOT_SAID

CATEGORY_COLUMNS = [
    ("category_label", "Category of personal data"),
    ("ccpa_category", "CCPA statutory category"),
    ("sensitive", "Sensitive"),
    ("source_categories", "Categories of sources"),
    ("purpose_groups", "Purposes (groups, listed below)"),
    ("third_parties", "Categories of third parties"),
    ("store_names", "Stores"),
]
CATEGORY_DETAILS = [
    ("category", "Category id"),
    ("retention_exceptions", "Retention exceptions"),
    ("owners", "Owners"),
    ("places", "Places"),
    ("values_text", "Values"),
    ("findings", "Findings"),
    ("last_seen", "Last seen"),
]
PURPOSE_COLUMNS = [
    ("group", "Group"),
    ("purposes", "Purposes"),
    ("kinds", "Kind"),
    ("categories", "Categories collected they use"),
]
STORE_COLUMNS = [
    ("store_name", "Store"),
    ("owner", "Owner"),
    ("source_category", "Category of source"),
    ("third_parties", "Categories of third parties"),
    ("categories", "Categories found"),
]
STORE_DETAILS = [("store", "Source"), ("purposes", "Purposes the config names"), ("retention", "Retention exceptions")]


def _by(rows: dict, key: str, **start) -> dict:
    return rows.setdefault(key, {**start})


def _source_category(stores: Stores, source: str) -> str:
    spec = stores.spec(source)
    return (spec and spec.source_category) or UNKNOWN


def store_rows(policy: PolicyTerms, view: View, stores: Stores) -> list[dict]:
    """One row per store: what the config says about it (name, owner, sources, third parties)."""
    rows = []
    for source in sorted({s.finding.source for s in view.seen}):
        spec = stores.spec(source)
        cats = sorted({category_label(policy, s.finding.category) for s in view.seen if s.finding.source == source})
        rows.append(
            {
                **stores.columns(source),
                "source_category": _source_category(stores, source),
                "third_parties": third_parties_of(spec),
                "categories": cats,
                "purposes": list(spec.purposes) if spec else [],
                "retention": list(spec.retention) if spec else [],
            }
        )
    return rows


def purpose_rows(policy: PolicyTerms, used: dict[str, list[Purpose]], labels: dict[str, str]) -> list[dict]:
    """One row per group of the policy's purposes, each purpose once, with the categories found that it uses."""
    groups: dict[str, dict] = {}
    for purpose in policy.purposes:
        cats = [labels[cid] for cid, own in used.items() if purpose in own]
        if not cats:
            continue
        row = _by(groups, purpose.group, group=purpose.group, purposes=[], marketing=[], bases=[], categories=[])
        row["purposes"].append(purpose.purpose + (" (marketing)" if purpose.marketing else ""))
        if purpose.marketing:
            row["marketing"].append(purpose.purpose)
        row["bases"].append(f"{purpose.purpose}: {purpose.basis}")
        row["categories"] = [c for c in labels.values() if c in set(row["categories"]) | set(cats)]
    for row in groups.values():
        business = len(row["purposes"]) - len(row["marketing"])
        row["kinds"] = [k for k, n in (("business", business), ("marketing", len(row["marketing"]))) if n]
    return list(groups.values())


def shared_with(per_store: list[list[str]]) -> list[str]:
    """The categories of third parties over several stores: a store that shares with none adds nothing."""
    told = sorted({t for parties in per_store for t in parties})
    return [t for t in told if t != NONE_DECLARED] or told


def category_row(policy: PolicyTerms, view: View, stores: Stores, cid: str, group: list, sample: int) -> dict:
    sources = sorted({s.finding.source for s in group})
    own = policy.purposes_for(cid)
    cat = policy.categories.get(cid)
    return {
        "category": cid,
        "category_label": category_label(policy, cid),
        "ccpa_category": cat.ccpa if cat else group[0].finding.ccpa_category,
        "sensitive": bool(cat and cat.sensitive),
        "source_categories": sorted({_source_category(stores, x) for x in sources}),
        "purpose_groups": list(dict.fromkeys(p.group for p in own)) or ["none in the policy"],
        "business_purposes": [p.purpose for p in own if not p.marketing],
        "marketing_purposes": [p.purpose for p in own if p.marketing],
        "third_parties": shared_with([third_parties_of(stores.spec(x)) for x in sources]),
        "retention_exceptions": sorted(
            {r for x in sources for r in (stores.spec(x).retention if stores.spec(x) else ())}
        ),
        "stores": sources,
        "store_names": sorted({stores.label(x) for x in sources}),
        "owners": sorted({stores.owner(x) for x in sources}),
        "places": len({place_of(s.finding) for s in group}),
        "values_text": sum_values(group, view.items, sample).text,
        "findings": len(group),
        "last_seen": max(s.last_seen for s in group),
    }


def config_note(store_table: list[dict]) -> str:
    """Where the config's word comes from; "unknown" is explained only where something is unknown."""
    said = "Categories of sources, third parties, owners and retention exceptions come from the config's `sources`"
    silent = [r for r in store_table if UNKNOWN in (r["owner"], r["source_category"], *r["third_parties"])]
    if silent:
        return f"{said}; '{UNKNOWN}' marks what it does not say ({len(silent)} of {len(store_table)} stores)."
    return f"{said}: every store is described there."


def build(data: ReportInput, view: View) -> Report:
    policy, since = data.policy, data.since
    stores, sample = Stores(data.sources), data.column_sample
    per_category: dict[str, list] = {}
    for s in view.seen:
        per_category.setdefault(s.finding.category or "uncategorized", []).append(s)
    store_table = store_rows(policy, view, stores)
    sources: dict[str, dict] = {}
    third: dict[str, dict] = {}
    retention: dict[str, dict] = {}
    for row in store_table:
        by_source = _by(sources, row["source_category"], source_category=row["source_category"], stores=[],
                        categories=[])  # fmt: skip
        by_source["stores"].append(row["store_name"])
        by_source["categories"] = sorted(set(by_source["categories"]) | set(row["categories"]))
        for party in row["third_parties"]:
            _by(third, party, third_party=party, stores=[])["stores"].append(row["store_name"])
        for rid in row["retention"]:
            text = policy.retention_exceptions.get(rid, "not in the policy")
            _by(retention, rid, id=rid, text=text, stores=[])["stores"].append(row["store_name"])
    ordered = [c for c in policy.categories if c in per_category] + sorted(set(per_category) - set(policy.categories))
    categories = [category_row(policy, view, stores, cid, per_category[cid], sample) for cid in ordered]
    used = {cid: policy.purposes_for(cid) for cid in ordered}
    purposes = purpose_rows(policy, used, {cid: category_label(policy, cid) for cid in ordered})
    minors = [
        {
            **stores.columns(s.finding.source),
            "container": s.finding.location.container,
            "field": s.finding.location.field,
            "minors": s.finding.minors,
            "sample": s.finding.sample,
            "action": policy.minor_action or "(the policy names no action)",
        }
        for s in view.seen
        if (s.finding.minors or 0) > 0
    ]
    sections = [
        Section("categories", "Categories of personal data collected", CATEGORY_COLUMNS, categories,
                intro=f"From the findings of scans started since {since} (the last {policy.lookback_months} months).",
                empty="No personal data found in the look-back.", details=CATEGORY_DETAILS),
        Section("purposes", "Business and marketing purposes, by group (the policy's tables)", PURPOSE_COLUMNS,
                purposes, intro="Each purpose once, with the categories collected that it uses.",
                details=[("bases", "Lawful basis of each purpose")]),
        Section("stores", "Stores", STORE_COLUMNS, store_table, details=STORE_DETAILS),
        Section("sources", "Categories of sources",
                [("source_category", "Category of source"), ("stores", "Stores"), ("categories", "Categories found")],
                list(sources.values())),
        Section("third_parties", "Categories of third parties the data is shared with",
                [("third_party", "Category of third party"), ("stores", "Stores")], list(third.values())),
        Section("retention", "Retention exceptions that apply (Business Purposes Exception)",
                [("id", "Exception"), ("text", "Policy text"), ("stores", "Stores")], list(retention.values()),
                empty="None stated in the config."),
    ]  # fmt: skip
    if minors:
        sections.append(
            Section("minors", f"Minors' personal data (under {policy.minor_age})",
                    [("store_name", "Store"), ("owner", "Owner"), ("container", "Container"), ("field", "Field"),
                     ("minors", "Minors"), ("sample", "Masked sample"), ("action", "Action")], minors,
                    intro=f"The policy's notice regarding Minors applies: {policy.minor_action or 'no action named'}.")
        )  # fmt: skip
    return Report(
        kind="right-to-know",
        title="CCPA right to know: personal data collected",
        policy=policy,
        view=view,
        sections=sections,
        facts=[
            ("Look-back", f"scans started since {since} ({policy.lookback_months} months)"),
            ("Response rule", f"respond to a verified request within {policy.response_days} days of receiving it"),
            ("Response days", str(policy.response_days)),
            ("Minors found", str(sum(m["minors"] for m in minors))),
        ],
        notes=[config_note(store_table)],
        charts=[category_chart(policy, view, view.seen, sample), container_chart(view, view.seen, stores, sample)],
    )
