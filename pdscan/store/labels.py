"""Reviewer labels: a finding or a whole location marked a false positive or accepted.

A label on one finding's identity applies while the finding's samples are those it was given for.
A location label (source, container prefix, field, entity; any of them left out matches all)
applies to every finding there. Labels are withdrawn, never deleted (the audit trail).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from pdscan.core.model import Finding
from pdscan.store.identity import finding_identity, sample_version
from pdscan.store.rows import now
from pdscan.store.schema import labels

LABELS = ("false_positive", "accepted")


class LabelSet:
    """The store's labels, read once, asked about many findings (the latest matching label wins).

    A location label's container matches as the path relative to the source root or as the path
    the scan was given.
    """

    def __init__(self, rows: list[dict]):
        self.rows = sorted(rows, key=lambda r: -r["id"])
        self.by_identity: dict[str, list[dict]] = {}
        self.rules: list[dict] = []
        for row in self.rows:
            if row["identity"]:
                self.by_identity.setdefault(row["identity"], []).append(row)
            else:
                self.rules.append(row)

    def __bool__(self) -> bool:
        return bool(self.rows)

    def match(self, f: Finding) -> dict | None:
        """The label row that applies to `f`, or None."""
        if not self.rows:
            return None
        best = None
        for row in self.by_identity.get(finding_identity(f), ()):
            if row["version"] in (None, sample_version(f)):
                best = row
                break
        for row in self.rules:
            if best is not None and row["id"] < best["id"]:
                break
            if _rule_matches(row, f):
                best = row
                break
        return best

    def of(self, f: Finding) -> str | None:
        row = self.match(f)
        return row["label"] if row else None


def _rule_matches(row: dict, f: Finding) -> bool:
    if row["entity"] not in (None, f.entity) or row["field"] not in (None, f.location.field):
        return False
    if row["source"] not in (None, f.source):
        return False
    return row["container"] is None or in_container(f, row["container"])


def in_container(f: Finding, prefix: str) -> bool:
    """The finding is in this container or folder, named relative to its source root or as scanned."""
    shown = dict(f.location.extra).get("path")
    return _under(f.location.container, prefix) or (isinstance(shown, str) and _under(shown, prefix))


def _under(container: str, prefix: str) -> bool:
    """`prefix` is the container, a folder of it (`logs` or `logs/`), or a prefix ending in `/` or `*`."""
    if prefix.endswith("*"):
        return container.startswith(prefix[:-1])
    return container == prefix or container.startswith(prefix if prefix.endswith("/") else prefix + "/")


def add_label(engine: sa.Engine, label: str, note: str | None, finding: Finding | None, where: dict) -> int:
    """A label on one finding (its identity, lapsing when its samples change) or on every finding
    of a location and rule: (source, container prefix, field, entity), each optional. Its id."""
    if label not in LABELS:
        raise ValueError(label)
    values: dict[str, Any] = {"label": label, "note": note, "created": now()}
    if finding is not None:
        values.update(
            identity=finding_identity(finding), version=sample_version(finding), entity=finding.entity,
            source=finding.source, container=finding.location.container, field=finding.location.field,
        )  # fmt: skip
    else:
        values.update({k: where.get(k) for k in ("source", "container", "field", "entity")})
    with engine.begin() as db:
        return int(db.execute(labels.insert().values(**values)).inserted_primary_key[0])


def remove_label(engine: sa.Engine, label_id: int) -> bool:
    """Withdraw a label (kept, marked removed, for the audit trail); False when there is none."""
    with engine.begin() as db:
        done = db.execute(
            labels.update().where(labels.c.id == label_id, labels.c.removed.is_(None)).values(removed=now())
        )
        return done.rowcount > 0
