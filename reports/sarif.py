"""SARIF 2.1.0 for `pdscan scan --format sarif`: the format GitHub code scanning and GitLab read.

One document, one run: a rule per entity (its policy category and CCPA category in the rule's
properties), a result per finding, with a physical location for files (line and columns for a
match in text) and a logical one for fields, tables and S3 objects, and `partialFingerprints` from
the finding's identity (a hash), so a code-scanning service follows a result across runs. Messages
hold masked samples only, never `value`, even with --reveal: SARIF files are uploaded and shared.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from pdscan import __version__
from pdscan.core.errors import REASONS
from pdscan.core.identity import finding_identity
from pdscan.core.model import Finding, Location
from pdscan.core.urls import scheme

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT = "pdscanIdentity/v1"
ERROR_CATEGORIES = frozenset({"pfi", "ssn_ein"})  # card, bank and SSN/EIN data: "error"; the rest "warning"
QUIET_REASONS = frozenset({"own_store", "not_sampled"})  # left out by design: a note, not a warning
MAX_NOTIFICATIONS = 1000  # items not fully scanned, one notification each; then one that counts the rest
# what an item's location is, by its source's scheme (pdscan.connectors.registry.CONNECTORS: file,
# sql and s3 connectors; tests/reports/test_formats.py keeps the two tables in step); else "other"
SCHEME_KINDS = {
    "file": "file",
    "sqlite": "table",
    "postgresql": "table",
    "postgres": "table",
    "mysql": "table",
    "mariadb": "table",
    "s3": "s3",
}


def level(category: str | None, test_data: bool = False) -> str:
    """A well-known test value is a note; card, bank and SSN/EIN data an error; other personal data a warning."""
    if test_data:
        return "note"
    return "error" if category in ERROR_CATEGORIES else "warning"


class SarifWriter:
    """Keeps one small dict per finding and writes the document when the scan ends (SARIF is one document)."""

    def __init__(self, out: IO[str]):
        self.out = out
        self.identity = finding_identity
        self.rules: dict[str, dict] = {}
        self.rule_index: dict[str, int] = {}
        self.results: list[dict] = []
        self.bases = _BaseIds()

    def write(self, finding: Finding) -> None:
        if finding.entity not in self.rules:
            self.rule_index[finding.entity] = len(self.rules)
            self.rules[finding.entity] = _rule(finding)
        self.results.append(self._result(finding))

    def _result(self, f: Finding) -> dict[str, Any]:
        props: dict[str, Any] = {"kind": f.kind, "score": round(f.score, 4), "detector": f.detector}
        props.update(category=f.category, ccpa_category=f.ccpa_category)
        if f.kind == "column":
            props.update(matches=f.matches, sampled=f.sampled, ratio=round(f.ratio or 0.0, 4))
        if f.location.row is not None:
            props["row"] = f.location.row  # a row number; never the row key, which may be personal data
        if f.minors:
            props["minors"] = f.minors
        if f.test_data:
            props["test_data"] = True
        return {
            "ruleId": f.entity,
            "ruleIndex": self.rule_index[f.entity],
            "level": level(f.category, f.test_data),
            "message": {"text": _message(f)},
            "locations": [_finding_location(f, self.bases)],
            "partialFingerprints": {FINGERPRINT: self.identity(f)},
            "properties": {k: v for k, v in props.items() if v is not None},
        }

    def close(self, summary, key_id: str) -> None:
        run: dict[str, Any] = {
            "tool": {"driver": {"name": "pdscan", "version": __version__, "rules": list(self.rules.values())}},
            "invocations": [_invocation(summary, key_id, self.bases)],
            "columnKind": "unicodeCodePoints",  # pdscan counts columns in characters, as Python does
            "results": self.results,
        }
        if self.bases.roots:
            run["originalUriBaseIds"] = self.bases.original()
        document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
        json.dump(document, self.out, indent=2, ensure_ascii=False)
        self.out.write("\n")


def _rule(f: Finding) -> dict[str, Any]:
    """One rule per entity; the policy maps each entity to exactly one category."""
    category = f.category or "uncategorized"
    text = f"Personal data detected as {f.entity}: policy category {category}"
    if f.ccpa_category:
        text += f", CCPA category {f.ccpa_category}"
    properties: dict[str, Any] = {"category": f.category, "ccpa_category": f.ccpa_category}
    return {
        "id": f.entity,
        "shortDescription": {"text": f"Personal data: {f.entity}"},
        "fullDescription": {"text": text + "."},
        "defaultConfiguration": {"level": level(f.category)},
        "properties": {
            **{k: v for k, v in properties.items() if v is not None},
            "tags": ["privacy", category],
        },
    }


def _message(f: Finding) -> str:
    """Entity, category and masked samples: what a reviewer needs, and nothing a leak would expose."""
    head = f"{f.entity} ({f.category or 'uncategorized'})"
    field = f.location.field
    if f.kind == "column":
        samples = ", ".join(f.samples or [f.sample])
        where = f" in field {field}" if field else ""
        text = f"{head}{where}: {f.matches} of {f.sampled} sampled values"
        return text + (f", e.g. {samples}" if samples else "")
    text = f"{head}{f' in field {field}' if field else ''}: {f.sample}"
    return text + (" (a well-known test value)" if f.test_data else "")


def _location(
    bases: _BaseIds, source: str, container: str, extra: dict, field: str | None = None, region: dict | None = None
) -> dict[str, Any]:
    """A physical location for files and S3 objects, a logical one for fields, tables and objects."""
    kind = _kind(source, container, extra)
    out: dict[str, Any] = {}
    if kind == "s3":
        uri = _s3_uri(source, container, extra)
        out["physicalLocation"] = {"artifactLocation": {"uri": uri}}
        name = str(extra.get("key") or uri.split("/", 3)[-1])
        out["logicalLocations"] = [_logical(field, uri, "/") if field else _named(name, uri, "object")]
    elif kind == "table":
        whole = _named(container, container, "table")
        out["logicalLocations"] = [_logical(field, container, ".") if field else whole]
        out["properties"] = {"source": source}  # the URL without credentials
    elif kind == "file":
        root, rel = relative_to_root(source, container)
        out["physicalLocation"] = {"artifactLocation": {"uri": quote(rel, safe="/"), "uriBaseId": bases.of(root)}}
        if field:
            out["logicalLocations"] = [_logical(field, rel, "/")]
    else:  # another connector's container (a plugin)
        whole = _named(container, container, "resource")
        out["logicalLocations"] = [_logical(field, container, "/") if field else whole]
        out["properties"] = {"source": source}
    if region and "physicalLocation" in out:
        out["physicalLocation"]["region"] = region
    return out


def _kind(source: str, container: str, extra: dict) -> str:
    """s3, table, file or other: from the location's extra keys, else (an item) from the source's scheme."""
    if "bucket" in extra and "key" in extra:
        return "s3"
    if "table" in extra:
        return "table"
    if "path" in extra:
        return "file"
    return SCHEME_KINDS.get(scheme(source), "other")


def _s3_uri(source: str, container: str, extra: dict) -> str:
    """s3://bucket/key with the key percent-encoded (a key may hold spaces or `#`)."""
    if "bucket" in extra and "key" in extra:
        bucket, key = str(extra["bucket"]), str(extra["key"])
    else:
        full = container if container.startswith("s3://") else source.rstrip("/") + "/" + container
        bucket, _, key = full[len("s3://") :].partition("/")
    return f"s3://{bucket}/{quote(key, safe='/')}"


def _logical(field: str, container: str, sep: str) -> dict[str, str]:
    return {"name": field, "fullyQualifiedName": f"{container}{sep}{field}", "kind": "member"}


def _named(name: str, qualified: str, kind: str) -> dict[str, str]:
    return {"name": name, "fullyQualifiedName": qualified, "kind": kind}


def _finding_location(f: Finding, bases: _BaseIds) -> dict[str, Any]:
    loc = f.location
    return _location(bases, f.source, loc.container, dict(loc.extra), loc.field, _region(loc))


def _region(loc: Location) -> dict[str, int] | None:
    """SARIF lines and columns are 1-based; pdscan's lines are 1-based, its start/end 0-based, end exclusive.

    Columns only for text lines: in a field (an NDJSON record's line) start and end count within the value.
    """
    if loc.line is None:
        return None
    region = {"startLine": loc.line}
    if loc.field is None and loc.start is not None and loc.end is not None:
        region.update(startColumn=loc.start + 1, endColumn=loc.end + 1)
    return region


def relative_to_root(source: str, container: str) -> tuple[str, str]:
    """(absolute source root, container relative to it, POSIX separators).

    Works both with containers that repeat the source path as typed (`examples/customers.csv`)
    and with containers already relative to the root (`customers.csv`). A source that is one
    file has its folder as the root.
    """
    src = source.rstrip("/") or "/"
    if container == src:  # the source is this one file
        root, rel = os.path.dirname(os.path.abspath(src)), os.path.basename(src)
    elif src == "/" or container.startswith(src + "/"):
        root, rel = os.path.abspath(src), container[len(src) :].lstrip("/")
    elif os.path.isabs(container):
        root, rel = os.path.dirname(container), os.path.basename(container)
    elif container == os.path.basename(src) and not os.path.isdir(src):  # relative to a one-file source
        root, rel = os.path.dirname(os.path.abspath(src)), container
    else:
        root, rel = os.path.abspath(src), container
    return root, Path(rel).as_posix()


class _BaseIds:
    """One uriBaseId per local source root: SRCROOT for the first, SRCROOT2, SRCROOT3 ... after it."""

    def __init__(self) -> None:
        self.roots: dict[str, str] = {}

    def of(self, root: str) -> str:
        if root not in self.roots:
            self.roots[root] = "SRCROOT" if not self.roots else f"SRCROOT{len(self.roots) + 1}"
        return self.roots[root]

    def original(self) -> dict[str, dict[str, str]]:
        """Each base id as a file:// URI ending in `/`, as SARIF requires of a base."""
        return {base: {"uri": Path(root).as_uri().rstrip("/") + "/"} for root, base in self.roots.items()}


def _invocation(summary, key_id: str, bases: _BaseIds) -> dict[str, Any]:
    """Whether the scan ran to the end, and a notification per item not fully scanned: reason codes, no values."""
    notes: list[dict[str, Any]] = []
    unread = [r for r in summary.items if r.status != "complete"]
    for r in unread[:MAX_NOTIFICATIONS]:
        notes.append(_item_notification(r, bases))
    if len(unread) > MAX_NOTIFICATIONS:
        more = len(unread) - MAX_NOTIFICATIONS
        notes.append(_note("note", f"{more} more items not fully scanned (see --format json)", "not_listed"))
    for error in summary.source_errors:  # source errors name the source without credentials, never data
        notes.append(_note("error", error, "source_error"))
    if summary.interrupted:
        notes.append(_note("error", REASONS["interrupted"], "interrupted"))
    return {
        "executionSuccessful": not summary.source_errors and not summary.interrupted,
        "toolExecutionNotifications": notes,
        "properties": {
            "key_id": key_id,
            "items": len(summary.items),
            "complete": len(summary.items) - len(unread),
        },
    }


def _note(level: str, text: str, reason: str) -> dict[str, Any]:
    return {"level": level, "message": {"text": text}, "descriptor": {"id": reason}}


def _item_notification(r, bases: _BaseIds) -> dict[str, Any]:
    """The item's status and reason code with the reason's fixed wording; not its detail."""
    reason = r.reason or r.status
    text = f"{r.container}: {r.status}, {reason}: {REASONS.get(reason, reason)}"
    note = _note("note" if reason in QUIET_REASONS else "warning", text, reason)
    note.update(locations=[_location(bases, r.source, r.container, {})], properties={"status": r.status})
    return note
