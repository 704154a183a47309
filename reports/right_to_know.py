"""The CCPA right-to-know report: what the business collected over the look-back, per the policy.

Categories come from the findings of scans in the policy's look-back (12 months); categories of
sources, third parties and retention exceptions from the config's sources; business and marketing
purposes, with their lawful basis, from the policy's tables.
"""

from __future__ import annotations

from pdscan.config import Config, SourceSpec
from pdscan.connectors.registry import redact
from pdscan.policy import Policy
from pdscan.reports.base import Report, Section
from pdscan.reports.inventory import category_label, chart_counts
from pdscan.reports.view import View

UNKNOWN = "unknown (the config does not say)"

CATEGORY_COLUMNS = [
    ("category", "Category id"),
    ("category_label", "Category of personal data"),
    ("ccpa_category", "CCPA statutory category"),
    ("sensitive", "Sensitive"),
    ("source_categories", "Categories of sources"),
    ("business_purposes", "Business purposes"),
    ("marketing_purposes", "Marketing purposes"),
    ("third_parties", "Categories of third parties"),
    ("retention_exceptions", "Retention exceptions"),
    ("stores", "Stores"),
    ("findings", "Findings"),
    ("last_seen", "Last seen"),
]


def spec_of(config: Config | None, source: str) -> SourceSpec | None:
    """The config's source a finding's source (its name, or its root: pdscan.engine.root_of) stands for."""
    from pdscan.engine import root_of

    for spec in config.sources if config else []:
        if source == spec.name or source.rstrip("/") in (spec.url.rstrip("/"), redact(spec.url).rstrip("/")):
            return spec
        if source == root_of(spec.url):
            return spec
    return None


def _by(rows: dict, key: str, **start) -> dict:
    return rows.setdefault(key, {**start})


def build(policy: Policy, view: View, config: Config | None = None, since: str = "", **_) -> Report:
    specs = {s.finding.source: spec_of(config, s.finding.source) for s in view.seen}
    per_category: dict[str, list] = {}
    for s in view.seen:
        per_category.setdefault(s.finding.category or "uncategorized", []).append(s)
    sources: dict[str, dict] = {}
    third: dict[str, dict] = {}
    retention: dict[str, dict] = {}
    for source, spec in sorted(specs.items()):
        cats = sorted({category_label(policy, s.finding.category) for s in view.seen if s.finding.source == source})
        row = _by(sources, (spec and spec.source_category) or UNKNOWN, source_category=None, stores=[], categories=[])
        row["source_category"] = (spec and spec.source_category) or UNKNOWN
        row["stores"].append(source)
        row["categories"] = sorted(set(row["categories"]) | set(cats))
        for party in (spec.third_parties if spec else ()) or (UNKNOWN,):
            _by(third, party, third_party=party, stores=[])["stores"].append(source)
        for rid in spec.retention if spec else ():
            text = policy.retention_exceptions.get(rid, "not in the policy")
            _by(retention, rid, id=rid, text=text, stores=[])["stores"].append(source)
    purposes: dict[str, dict] = {}
    order = {p.purpose: i for i, p in enumerate(policy.purposes)}
    categories = []
    ordered = [c for c in policy.categories if c in per_category] + sorted(set(per_category) - set(policy.categories))
    for cid in ordered:
        group = per_category[cid]
        stores = sorted({s.finding.source for s in group})
        own = policy.purposes_for(cid)
        for p in own:
            row = _by(purposes, p.purpose, group=p.group, purpose=p.purpose, basis=p.basis, categories=[])
            row.update(kind="Marketing purpose" if p.marketing else "Business purpose", marketing=p.marketing)
            row["categories"].append(category_label(policy, cid))
        cat = policy.categories.get(cid)
        categories.append(
            {
                "category": cid,
                "category_label": category_label(policy, cid),
                "ccpa_category": cat.ccpa if cat else group[0].finding.ccpa_category,
                "sensitive": bool(cat and cat.sensitive),
                "source_categories": sorted({(specs[x] and specs[x].source_category) or UNKNOWN for x in stores}),
                "business_purposes": [p.purpose for p in own if not p.marketing],
                "marketing_purposes": [p.purpose for p in own if p.marketing],
                "third_parties": sorted(
                    {t for x in stores for t in ((specs[x] and specs[x].third_parties) or (UNKNOWN,))}
                ),
                "retention_exceptions": sorted({r for x in stores for r in (specs[x].retention if specs[x] else ())}),
                "stores": stores,
                "findings": len(group),
                "last_seen": max(s.last_seen for s in group),
            }
        )
    minors = [
        {
            "store": s.finding.source,
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
                empty="No personal data found in the look-back."),
        Section("sources", "Categories of sources",
                [("source_category", "Category of source"), ("stores", "Stores"), ("categories", "Categories found")],
                list(sources.values())),
        Section("purposes", "Business and marketing purposes (the policy's tables)",
                [("group", "Group"), ("purpose", "Purpose"), ("kind", "Kind"), ("basis", "Lawful basis"),
                 ("categories", "Categories collected it uses")],
                sorted(purposes.values(), key=lambda p: (p["marketing"], order[p["purpose"]]))),
        Section("third_parties", "Categories of third parties the data is shared with",
                [("third_party", "Category of third party"), ("stores", "Stores")], list(third.values())),
        Section("retention", "Retention exceptions that apply (Business Purposes Exception)",
                [("id", "Exception"), ("text", "Policy text"), ("stores", "Stores")], list(retention.values()),
                empty="None stated in the config."),
    ]  # fmt: skip
    if minors:
        sections.append(
            Section("minors", f"Minors' personal data (under {policy.minor_age})",
                    [("store", "Store"), ("container", "Container"), ("field", "Field"), ("minors", "Minors"),
                     ("sample", "Masked sample"), ("action", "Action")], minors,
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
        notes=[
            "Categories of sources, third parties and retention exceptions come from the config's `sources`; "
            f"'{UNKNOWN}' marks a store the config does not describe.",
        ],
        chart=chart_counts(policy, view.seen),
    )
