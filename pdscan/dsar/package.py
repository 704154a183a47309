"""The answer to a request as data: the consumer's answer, the internal evidence, a deletion plan.

The consumer's answer (request to know) has the categories, sources, purposes and third parties,
and the specific pieces of data, with what 11 CCR 7024(d) covers described, never shown; it names
stores by the config's `name` or a generic kind, never a path, container or row key. The evidence
file and the deletion plan are for the business: locations, match methods, coverage, linked
records; covered values masked to their last four. A card security code is in neither.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pdscan import __version__
from pdscan.config import Config
from pdscan.connectors.registry import scheme
from pdscan.detectors.columns import hinted_entity
from pdscan.dsar import disclosure
from pdscan.dsar.identifiers import Identifiers, entity_of
from pdscan.dsar.search import Answer, Inventory, RecordMatch
from pdscan.policy import Policy
from pdscan.reportdata import spec_of

OTHER = "other"
OTHER_LABEL = "Other data in the record (no policy category)"
SQL = {"sqlite", "postgresql", "postgres", "mysql", "mariadb"}
# What the policy itself discloses when the config does not say (Fusion, October 2020: "When you
# establish an online account", "From third parties", "Information shared outside of Fusion").
POLICY_SOURCES = {"credit_information": ["outside credit reporting agencies"]}
POLICY_SOURCES_DEFAULT = ["directly from you (your Customer Account and use of Fusion Services)"]
POLICY_THIRD_PARTIES = ["vendors and partners that perform work on Fusion's behalf", "Fusion group companies"]
NOTE_7024 = ("For your security we do not show Social Security and other government identification numbers, "
             "financial account and card numbers, health insurance or medical identification numbers, passwords or "
             "security questions and answers: we tell you that we hold them (11 CCR 7024(d)).")  # fmt: skip


def location_type(m: RecordMatch) -> str:
    if "row_key" in m.location or m.key_columns:
        return "table row"
    if set(m.record) == {"line"} and "row" not in m.location:
        return "line"
    return "record"


def locator(m: RecordMatch) -> dict:
    """What pins the record down: row key, line, record index, object version."""
    keys = ("row_key", "line", "row", "key", "version_id", "etag", "path", "schema", "table", "database", "bucket")
    keys += (
        "page",
        "image",
        "box",
        "slide",
        "shape",
        "part",
        "paragraph",
        "element",
    )  # a document's place (Batch.place)
    return {k: m.location[k] for k in keys if m.location.get(k) is not None}


def store_name(config: Config | None, source: str) -> str:
    """How the consumer's answer names a store: the config's name, else a generic kind."""
    spec = spec_of(config, source)
    if spec and spec.name:
        return spec.name
    kind = scheme(source)
    return "a customer database" if kind in SQL else "cloud file storage" if kind == "s3" else "customer files"


def pieces(policy: Policy, inventory: Inventory, m: RecordMatch) -> list[dict]:
    """The person's pieces of data in the record, each with its category and 7024(d) kind (raw value)."""
    out = []
    hit_fields: set[str] = set()
    known = [h.text for h in m.hits if h.kind in disclosure.IDENTIFIER_KIND]  # covered values, masked in free text
    for h in m.hits:
        fld = h.field or "line"
        hit_fields.add(fld)
        entity = entity_of(h.kind)
        out.append(_piece(policy, fld, entity, h.kind, h.text, known))
    if location_type(m) != "line":
        for fld, value in m.record.items():
            if fld not in hit_fields:
                found = inventory.entities_of(m.source, m.container, fld)  # any covered one decides
                entity = (min((e for e in found if e in disclosure.ENTITY_KIND), default=None)
                          or inventory.entity_of(m.source, m.container, fld) or hinted_entity(fld))  # fmt: skip
                out.append(_piece(policy, fld, entity, None, value, known))
    return out


def _piece(policy: Policy, fld: str, entity: str | None, identifier: str | None, value, known: list[str]) -> dict:
    cvv = disclosure.is_cvv(fld, entity)
    kind = None if cvv else disclosure.covered(fld, entity, value, identifier)
    if cvv:
        entity = disclosure.cvv_entity(fld, entity)
    category = policy.category_id(entity) if entity else OTHER
    if not cvv and not kind and isinstance(value, str):
        value = disclosure.scrub(value, known)  # a covered value or a number shaped like one inside free text
    return {"field": fld, "entity": entity, "category": category, "identifier": identifier, "cvv": cvv,
            "covered": kind, "value": value}  # fmt: skip


def shown(p: dict) -> dict:
    """A piece as the consumer sees it: the value, or what is held."""
    if p["cvv"]:
        return {"field": p["field"], "description": disclosure.CVV_TEXT}
    if p["covered"]:
        return {"field": p["field"], "description": disclosure.describe(p["covered"], p["value"])}
    return {"field": p["field"], "value": p["value"]}


def masked(p: dict) -> dict:
    """A piece as the internal files hold it: covered values to their last four, no CVV."""
    out = {k: p[k] for k in ("field", "entity", "category", "identifier", "covered")}
    out["value"] = disclosure.CVV_MASK if p["cvv"] else disclosure.mask(p["covered"], p["value"]) if p["covered"] \
        else p["value"]  # fmt: skip
    return out


def _label(policy: Policy, cid: str) -> str:
    if cid == OTHER:
        return OTHER_LABEL
    cat = policy.categories.get(cid)
    return cat.label if cat else cid


def _ordered(policy: Policy, cids) -> list[str]:
    return [c for c in policy.categories if c in cids] + sorted(set(cids) - set(policy.categories))


def _sorted(answer: Answer) -> list[RecordMatch]:
    rank = {"strong": 0, "weak": 1, "linked": 2}
    return sorted(answer.matches, key=lambda m: (rank[m.strength], m.source, m.container, str(locator(m))))


def _head(kind: str, policy: Policy, case: dict, identifiers: Identifiers, answer: Answer) -> dict:
    return {
        "package": kind,
        "pdscan": __version__,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "case": case,
        "policy": {"id": policy.id, "name": policy.name, "response_days": policy.response_days},
        "request": {"identifiers": identifiers.counts()},
        "complete": answer.complete,
    }


def _summary(answer: Answer) -> dict:
    ms = answer.matches
    return {
        "records": len(ms),
        "strong": sum(m.strength == "strong" for m in ms),
        "weak": sum(m.strength == "weak" for m in ms),
        "linked": sum(m.strength == "linked" for m in ms),
        "containers": len({(m.source, m.container) for m in ms}),
        "seconds": round(answer.seconds, 2),
    }


def build(answer: Answer, policy: Policy, config: Config | None, inventory: Inventory, case: dict,
          identifiers: Identifiers, deletion: bool = False) -> dict:  # fmt: skip
    """The consumer's answer, or (deletion) the internal deletion plan."""
    if deletion:
        return deletion_plan(answer, policy, config, inventory, case, identifiers)
    out = _head("dsar-right-to-know", policy, case, identifiers, answer)
    per_category: dict[str, set[str]] = {}
    held = []
    for m in _sorted(answer):
        store = store_name(config, m.source)
        for p in pieces(policy, inventory, m):
            per_category.setdefault(p["category"], set()).add(m.source)
            held.append({"store": store, "category": _label(policy, p["category"]), **shown(p)})
    out["summary"] = {"records": len(answer.matches), "stores": len({m.source for m in answer.matches})}
    out["categories"] = [_category_row(policy, config, cid, sorted(per_category[cid]))
                         for cid in _ordered(policy, per_category)]  # fmt: skip
    out["pieces"] = held
    out["notes"] = [NOTE_7024]
    if not answer.complete:
        out["notes"].append("Some of our systems could not be fully searched yet; we will complete this answer.")
    return out


def _category_row(policy: Policy, config: Config | None, cid: str, sources: list[str]) -> dict:
    specs = [spec_of(config, s) for s in sources]
    cat = policy.categories.get(cid)
    purposes = policy.purposes_for(cid)
    told_sources = sorted({s.source_category for s in specs if s and s.source_category})
    told_parties = sorted({t for s in specs if s for t in s.third_parties or ()})
    return {
        "category": cid,
        "label": _label(policy, cid),
        "ccpa_category": cat.ccpa if cat else None,
        "sensitive": bool(cat and cat.sensitive),
        "source_categories": told_sources or (POLICY_SOURCES.get(cid, POLICY_SOURCES_DEFAULT) if cat else []),
        "business_purposes": [p.purpose for p in purposes if not p.marketing]
        + sorted({p for s in specs if s for p in s.purposes}),
        "marketing_purposes": [p.purpose for p in purposes if p.marketing],
        "third_parties": told_parties or (POLICY_THIRD_PARTIES if cat else []),
        "stores": sorted({store_name(config, s) for s in sources}),
    }


def _record(policy: Policy, config: Config | None, inventory: Inventory, m: RecordMatch) -> dict:
    spec = spec_of(config, m.source)
    return {
        "source": m.source,
        "source_name": spec.name if spec else None,
        "container": m.container,
        "location_type": location_type(m),
        "location": locator(m),
        "key_columns": m.key_columns,
        "strength": m.strength,
        "matched": m.matched,
        "link": m.link,
        "data": [masked(p) for p in pieces(policy, inventory, m)],
    }


def evidence(answer: Answer, policy: Policy, config: Config | None, inventory: Inventory, case: dict,
             identifiers: Identifiers) -> dict:  # fmt: skip
    """The business's record of how the answer was found: locations, methods, coverage, links."""
    out = _head("dsar-evidence", policy, case, identifiers, answer)
    out["summary"] = _summary(answer)
    out["records"] = [_record(policy, config, inventory, m) for m in _sorted(answer)]
    out["sources"] = answer.sources
    out["coverage"] = [{**vars(c), "incomplete": c.incomplete} for c in answer.coverage]
    out["notes"] = ["Internal: not for the consumer. Covered values (11 CCR 7024(d)) are masked to their last four; "
                    "card security codes are withheld."]  # fmt: skip
    return out


def deletion_plan(answer: Answer, policy: Policy, config: Config | None, inventory: Inventory, case: dict,
                  identifiers: Identifiers) -> dict:  # fmt: skip
    out = _head("dsar-deletion-plan", policy, case, identifiers, answer)
    out["summary"] = _summary(answer)
    out["sources"] = answer.sources
    out["coverage"] = [vars(c) for c in answer.coverage]
    out["notes"] = ["A strong match holds an email, phone, SSN/EIN or account number of the person; a weak one only "
                    "the name or a card's last four digits, and needs checking before it is deleted. Linked records "
                    "were reached through a key of a matching record (see link)."]  # fmt: skip
    if not answer.complete:
        out["notes"].append("INCOMPLETE: some sources or containers could not be searched (see sources, coverage).")
    rows = [_plan_row(policy, config, _record(policy, config, inventory, m)) for m in _sorted(answer)]
    out["plan"] = [r for r in rows if r["strength"] != "linked"]
    out["linked"] = [r for r in rows if r["strength"] == "linked"]
    return out


def _plan_row(policy: Policy, config: Config | None, r: dict) -> dict:
    spec = spec_of(config, r["source"])
    exceptions = [{"id": x, "text": policy.retention_exceptions.get(x, "not in the policy")}
                  for x in (spec.retention if spec else ())]  # fmt: skip
    if r["strength"] == "weak":
        action = "verify first (weak match), then delete or anonymize"
    elif r["strength"] == "linked":
        action = "verify the link, then delete or anonymize the record"
    elif r["location_type"] == "line":
        action = "redact the person's values in the line"
    else:
        action = "delete or anonymize the record"
    if exceptions:
        action = "review: may be retained under the policy's retention exceptions; otherwise " + action
    return {
        **{
            k: r[k]
            for k in (
                "source",
                "source_name",
                "container",
                "location_type",
                "location",
                "key_columns",
                "strength",
                "matched",
                "link",
            )
        },  # fmt: skip
        "categories": sorted({p["category"] for p in r["data"]} - {OTHER}),
        "values": sorted({str(p["value"]) for p in r["data"] if p["identifier"]}),
        "action": action,
        "retention_exceptions": exceptions,
    }
