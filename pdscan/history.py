"""A scan's record over time: into the store, against a committable baseline, and the --fail-on gate."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from pdscan import __version__
from pdscan.connectors.registry import is_local_root
from pdscan.core.errors import BaselineError
from pdscan.core.model import Finding
from pdscan.core.privatefile import write_private
from pdscan.incremental import ChangeTracker
from pdscan.store import IDENTITY_VERSION, LabelSet, Store, finding_identity

STORE_ENV = "PDSCAN_STORE"


@dataclass
class Recorder:
    """Collects a scan's findings (for the gate) and writes scan, items and findings to the store."""

    store: Store | None
    sources: list[str]
    policy_id: str
    key_id: str
    rescan: bool = False
    settings: str | None = None  # hash of the detection settings
    keep: bool = False  # keep every finding in memory (to write a baseline)
    found: list[Finding] = field(default_factory=list)  # only with keep
    gate: list[tuple[str, str | None, bool]] = field(default_factory=list)  # (identity, category, exempt)
    scan_id: int | None = None
    tracker: ChangeTracker | None = None
    labels: LabelSet | None = None  # the store's reviewer labels, read at the start
    hidden: int = 0  # findings labelled false positives: recorded, not shown
    gone: int = 0  # containers found deleted since the last scan of their source
    _pending: list[Finding] = field(default_factory=list)

    FLUSH = 2000  # findings per store write

    def start(self) -> None:
        if self.store:
            self.scan_id = self.store.begin(self.sources, self.policy_id, self.key_id, self.settings)
            self.tracker = ChangeTracker(self.store, self.scan_id, self.rescan)
            self.labels = self.store.label_set()

    def label_of(self, finding: Finding) -> str | None:
        return self.labels.of(finding) if self.labels else None

    def add(self, finding: Finding) -> bool:
        """Memory stays small on a long scan: the store gets findings in chunks, the gate keeps keys.

        False when the finding is labelled a false positive: recorded, but not to be shown. A
        labelled finding (accepted or false positive) never fails the run; well-known test values neither."""
        label = self.label_of(finding)
        self.gate.append((finding_identity(finding), finding.category, finding.test_data or label is not None))
        if self.keep:
            self.found.append(finding)
        if self.store:
            self._pending.append(finding)
            if len(self._pending) >= self.FLUSH:
                self.store.add_findings(self.scan_id, self._pending)
                self._pending = []
        if label == "false_positive":
            self.hidden += 1
            return False
        return True

    def finish(self, summary, summary_dict: dict) -> None:
        """Items, the findings not yet written, then the scan marked finished (or interrupted)."""
        if not self.store:
            return
        self.store.add_items(self.scan_id, summary.items)
        self.store.add_findings(self.scan_id, self._pending)
        self._pending = []
        if not summary.interrupted:  # an interrupted scan did not reach everything: nothing is gone
            self.gone = self.store.record_gone(self.scan_id, summary.listed)
        self.store.finish(self.scan_id, summary_dict, interrupted=summary.interrupted)

    def new_against(self, baseline: set[str], categories: set[str] | None) -> list[tuple[str, str | None, bool]]:
        return [
            k for k in self.gate if k[0] not in baseline and not k[2] and (categories is None or k[1] in categories)
        ]

    def any_gated(self, categories: set[str] | None) -> bool:
        return any(not test and (categories is None or category in categories) for _, category, test in self.gate)

    def gated(self, findings: list[Finding], categories: set[str] | None) -> list[Finding]:
        """`gated`, and not labelled (accepted or false positive) by a reviewer."""
        return [f for f in gated(findings, categories) if self.label_of(f) is None]

    def previous_scan(self) -> int | None:
        """The latest earlier scan of the same sources that ran to its end (not interrupted)."""
        for scan in reversed(self.store.scan_list()):
            if scan["id"] >= self.scan_id or not scan["finished"] or scan["interrupted"]:
                continue
            if json.loads(scan["sources"]) == self.sources:
                return scan["id"]
        return None


def settings_hash(*parts) -> str:
    """What decides a scan's findings (version, entities, thresholds, filters, rules, reading options)."""
    text = json.dumps([__version__, *parts], sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def gated(findings: list[Finding], categories: set[str] | None) -> list[Finding]:
    """Customer findings in the chosen categories (all when None); well-known test values never gate."""
    return [f for f in findings if not f.test_data and (categories is None or f.category in categories)]


def load_baseline(path: str, key_id: str) -> set[str]:
    try:
        with open(path, encoding="utf-8") as fh:
            document = json.load(fh)
    except FileNotFoundError:  # a mistyped path would pass every finding off as new
        raise BaselineError(f"{path}: no such baseline (make one with --update-baseline)") from None
    except (OSError, ValueError) as exc:
        raise BaselineError(f"{path}: not a readable pdscan baseline ({type(exc).__name__})") from None
    if not isinstance(document, dict) or not isinstance(document.get("findings"), list):
        raise BaselineError(f"{path}: not a pdscan baseline (no 'findings' list)")
    if document.get("identity_version") != IDENTITY_VERSION:
        raise BaselineError(
            f"{path}: made by an older pdscan, whose finding identities depended on how paths were typed "
            "(make it again with --update-baseline)"
        )
    if document.get("key_id") != key_id:
        raise BaselineError(
            f"{path}: made with fingerprint key {document.get('key_id')}, this scan uses {key_id} "
            "(set PDSCAN_KEY to the key the baseline was made with)"
        )
    return {f["identity"] for f in document["findings"] if isinstance(f, dict) and "identity" in f}


def write_baseline(path: str, findings: list[Finding], key_id: str, policy_id: str) -> None:
    """Identities, fingerprints and masked samples only: safe to commit."""
    rows = []
    for f in sorted(findings, key=lambda f: (f.source, f.location.container, f.location.field or "", f.entity)):
        rows.append(
            {
                "identity": finding_identity(f),
                "kind": f.kind,
                "entity": f.entity,
                "category": f.category,
                "source": None if is_local_root(f.source) else f.source,  # a local root: paths are relative to it
                "container": f.location.container,
                "field": f.location.field,
                "sample": f.sample,
                "fingerprint": f.fingerprint,
            }
        )
    unique = list({r["identity"]: r for r in rows}.values())
    document = {
        "pdscan": __version__,
        "identity_version": IDENTITY_VERSION,
        "key_id": key_id,
        "policy": policy_id,
        "findings": unique,
    }
    # fingerprints and masked samples still say where whose data is: 0600 until the user commits it
    write_private(path, json.dumps(document, indent=1, ensure_ascii=False) + "\n")
