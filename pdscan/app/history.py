"""The history services over the findings store: scans, diff, current findings, labels."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pdscan.config import load as load_config
from pdscan.core.errors import EXIT_CLEAN, EXIT_FINDINGS, UsageError
from pdscan.core.model import Finding
from pdscan.history import gated
from pdscan.store import LABELS, Store, in_container


def scans(store: Store) -> list[dict]:
    """Every scan, oldest first, with its sources and summary decoded."""
    return [
        {
            **r,
            "sources": json.loads(r["sources"]),
            "summary": json.loads(r["summary"] or "null"),
            "interrupted": bool(r["interrupted"]),
        }
        for r in store.scan_list()
    ]


@dataclass
class Diff:
    old: int
    new: int
    result: Any  # pdscan.store's diff: added, resolved, compared, deleted, hidden
    labels: Any  # the store's labels in force (`labels.of(finding)`)
    failing: list[Finding]  # new, in the gate's categories, not labelled

    @property
    def exit_code(self) -> int:
        return EXIT_FINDINGS if self.failing else EXIT_CLEAN


def diff(store: Store, old: int | None = None, new: int | None = None, fail_on: tuple[str, ...] = ()) -> Diff:
    """New and resolved findings between scans `old` and `new` (default: the last two)."""
    if old is None or new is None:
        last = store.last_scans(2)
        if len(last) < 2:
            raise UsageError("the store has fewer than two finished scans to compare")
        old, new = (old, last[-1]) if old is not None else (last[0], last[1])
    known = {r["id"] for r in store.scan_list()}
    for scan in (old, new):
        if scan not in known:
            raise UsageError(f"no scan {scan} in the store (see `pdscan scans`)")
    categories = {c.lower() for c in fail_on} or None  # `PFI` is `pfi`
    result = store.diff(old, new)
    labels = store.label_set()
    failing = [f for f in gated(result.added, categories) if labels.of(f) is None]  # accepted never fails
    return Diff(old, new, result, labels, failing)


def findings(
    store: Store,
    entities: tuple[str, ...] = (),
    categories: tuple[str, ...] = (),
    container: str | None = None,
    label: str | None = None,
    as_of: int | None = None,
) -> tuple[list[tuple[Finding, str | None]], Any]:
    """The current findings with their labels, filtered; `label` None: all but false positives,
    `none`: unlabelled, `any`: labelled, else that label."""
    from pdscan.reportdata import current_findings

    current = current_findings(store, as_of)
    wanted_entities = {e.upper() for e in entities}
    wanted_categories = {c.lower() for c in categories}
    labels = store.label_set()
    rows = []
    for f in current:
        found = labels.of(f)
        if label is None and found == "false_positive":
            continue
        if label == "none" and found is not None or label in LABELS and found != label:
            continue
        if label == "any" and found is None:
            continue
        if (
            wanted_entities
            and f.entity not in wanted_entities
            or wanted_categories
            and f.category not in wanted_categories
        ):
            continue
        if container and not in_container(f, container):
            continue
        rows.append((f, found))
    return rows, labels


def remove_label(store: Store, label_id: int) -> None:
    if not store.remove_label(label_id):
        raise UsageError(f"no label {label_id} in force (see `pdscan label --list`)")


def label_finding(store: Store, identity: str, label: str, note: str | None, entity: str | None) -> tuple[int, Finding]:
    """Label the finding whose identity starts with `identity`; (label id, the finding)."""
    found = store.find_by_identity(identity)
    if found is None:
        raise UsageError(f"no finding with identity {identity} in the store (see `pdscan findings`)")
    if entity and entity.upper() != found.entity:
        raise UsageError(f"finding {identity} is {found.entity}, not {entity.upper()}")
    return store.label(label, note, finding=found), found


def label_location(
    store: Store,
    label: str,
    note: str | None,
    source: str | None = None,
    container: str | None = None,
    field: str | None = None,
    entity: str | None = None,
    config_path: str | None = None,
) -> tuple[int, str]:
    """Label every finding of a location (and entity); (label id, the location as words)."""
    entity = entity.upper() if entity is not None else None
    root = source_root(source, config_path) if source else None
    label_id = store.label(label, note, source=root, container=container, field=field, entity=entity)
    where = " ".join(part for part in (root, container, f"[{field}]" if field else None, entity) if part)
    return label_id, where


def source_root(source: str, config_path: str | None) -> str:
    """A --source as findings name it: a configured name stays, a path or URL becomes its root."""
    from pdscan.engine import root_of

    names = load_config(config_path).source_names()
    if source in names.values():
        return source
    return root_of(source, names)
