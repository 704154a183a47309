"""The answer to a request as data: the right-to-know package, or a deletion plan (never executed).

Per location, the matching record and the person's pieces of data in it, grouped by the policy's
categories, with the categories of sources, purposes and third parties from the policy and the
config's `sources`. Raw values are here: the package is made for the person it is about.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pdscan import __version__
from pdscan.config import Config
from pdscan.detectors.columns import hinted_entity
from pdscan.dsar.identifiers import ENTITY, Identifiers
from pdscan.dsar.search import Answer, Inventory, RecordMatch
from pdscan.policy import Policy
from pdscan.reports.right_to_know import UNKNOWN, spec_of

OTHER = "other"
OTHER_LABEL = "Other data in the record (no policy category)"


def location_type(m: RecordMatch) -> str:
    if "row_key" in m.location or m.key_columns:
        return "table row"
    if set(m.record) == {"line"} and "row" not in m.location:
        return "line"
    return "record"


def locator(m: RecordMatch) -> dict:
    """What pins the record down: row key, line, record index, object version."""
    keys = ("row_key", "line", "row", "key", "version_id", "etag", "path", "schema", "table", "database", "bucket")
    return {k: m.location[k] for k in keys if m.location.get(k) is not None}


def _categorize(policy: Policy, inventory: Inventory, m: RecordMatch) -> dict[str, list[dict]]:
    """The person's pieces of data in the record, by policy category id."""
    data: dict[str, list[dict]] = {}
    hit_fields = {}
    for h in m.hits:
        fld = h.field or "line"
        hit_fields.setdefault(fld, set()).add(h.kind)
        entity = ENTITY[h.kind]
        data.setdefault(policy.category_id(entity), []).append(
            {"field": fld, "entity": entity, "identifier": h.kind, "value": h.text}
        )
    if location_type(m) == "line":
        return data
    for fld, value in m.record.items():
        if fld in hit_fields:
            continue
        entity = inventory.entity_of(m.source, m.container, fld) or hinted_entity(fld)
        category = policy.category_id(entity) if entity else OTHER
        data.setdefault(category, []).append({"field": fld, "entity": entity, "identifier": None, "value": value})
    return data


def _label(policy: Policy, cid: str) -> str:
    if cid == OTHER:
        return OTHER_LABEL
    cat = policy.categories.get(cid)
    return cat.label if cat else cid


def build(answer: Answer, policy: Policy, config: Config | None, inventory: Inventory, case: dict,
          identifiers: Identifiers, deletion: bool = False) -> dict:  # fmt: skip
    records = []
    per_category: dict[str, set[str]] = {}
    for m in sorted(answer.matches, key=lambda m: (m.strength != "strong", m.source, m.container, str(locator(m)))):
        spec = spec_of(config, m.source)
        data = _categorize(policy, inventory, m)
        for cid in data:
            per_category.setdefault(cid, set()).add(m.source)
        records.append(
            {
                "source": m.source,
                "source_name": spec.name if spec else None,
                "container": m.container,
                "location_type": location_type(m),
                "location": locator(m),
                "key_columns": m.key_columns,
                "strength": m.strength,
                "matched": m.matched,
                "record": m.record,
                "data": {cid: data[cid] for cid in _ordered(policy, data)},
            }
        )
    out = {
        "package": "dsar-deletion-plan" if deletion else "dsar-right-to-know",
        "pdscan": __version__,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "case": case,
        "policy": {"id": policy.id, "name": policy.name, "response_days": policy.response_days},
        "request": {"identifiers": identifiers.counts()},
        "complete": answer.complete,
        "summary": {
            "records": len(records),
            "strong": sum(r["strength"] == "strong" for r in records),
            "weak": sum(r["strength"] == "weak" for r in records),
            "containers": len({(r["source"], r["container"]) for r in records}),
            "seconds": round(answer.seconds, 2),
        },
        "sources": answer.sources,
        "coverage": [vars(c) for c in answer.coverage],
        "notes": [
            "A strong match holds an email, phone, SSN/EIN or account number of the person; a weak one only "
            "the name or a card's last four digits, and needs checking before it is disclosed or deleted.",
        ],
    }
    if not answer.complete:
        out["notes"].append("INCOMPLETE: some sources or containers could not be searched (see sources, coverage).")
    if deletion:
        out["plan"] = [_plan_row(policy, config, r) for r in records]
    else:
        out["categories"] = [_category_row(policy, config, cid, sorted(per_category[cid]))
                             for cid in _ordered(policy, per_category)]  # fmt: skip
        out["records"] = records
    return out


def _ordered(policy: Policy, cids) -> list[str]:
    return [c for c in policy.categories if c in cids] + sorted(set(cids) - set(policy.categories))


def _category_row(policy: Policy, config: Config | None, cid: str, stores: list[str]) -> dict:
    specs = [spec_of(config, s) for s in stores]
    cat = policy.categories.get(cid)
    purposes = policy.purposes_for(cid)
    return {
        "category": cid,
        "label": _label(policy, cid),
        "ccpa_category": cat.ccpa if cat else None,
        "sensitive": bool(cat and cat.sensitive),
        "source_categories": sorted({(s and s.source_category) or UNKNOWN for s in specs}),
        "business_purposes": [p.purpose for p in purposes if not p.marketing]
        + sorted({p for s in specs if s for p in s.purposes}),
        "marketing_purposes": [p.purpose for p in purposes if p.marketing],
        "third_parties": sorted({t for s in specs for t in ((s and s.third_parties) or (UNKNOWN,))}),
        "stores": stores,
    }


def _plan_row(policy: Policy, config: Config | None, r: dict) -> dict:
    spec = spec_of(config, r["source"])
    exceptions = [{"id": x, "text": policy.retention_exceptions.get(x, "not in the policy")}
                  for x in (spec.retention if spec else ())]  # fmt: skip
    if r["strength"] == "weak":
        action = "verify first (weak match), then delete or anonymize"
    elif r["location_type"] == "line":
        action = "redact the person's values in the line"
    else:
        action = "delete or anonymize the record"
    if exceptions:
        action = "review: may be retained under the policy's retention exceptions; otherwise " + action
    return {
        "source": r["source"],
        "source_name": r["source_name"],
        "container": r["container"],
        "location_type": r["location_type"],
        "location": r["location"],
        "key_columns": r["key_columns"],
        "strength": r["strength"],
        "matched": r["matched"],
        "categories": [c for c in r["data"] if c != OTHER],
        "values": sorted({p["value"] for ps in r["data"].values() for p in ps if p["identifier"]}),
        "action": action,
        "retention_exceptions": exceptions,
    }
