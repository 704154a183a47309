"""The findings store: scans, each item's coverage and version, findings, reviewer labels.

SQLite by default (`pdscan.db` in the working directory, created with mode 0600); any SQLAlchemy
URL with `--store` (PostgreSQL for a team). Raw values are never written: a finding's `value`
(`--reveal`) is dropped here; masked samples and keyed fingerprints are what is kept.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from pdscan.connectors.registry import is_local_root
from pdscan.connectors.sql.session import with_driver
from pdscan.core.errors import StoreError, UrlError
from pdscan.core.model import Finding, ItemResult, Location

DEFAULT_STORE = "pdscan.db"
LABELS = ("false_positive", "accepted")

meta = sa.MetaData()
scans = sa.Table(
    "scans",
    meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("started", sa.String(32), nullable=False),
    sa.Column("finished", sa.String(32)),
    sa.Column("sources", sa.Text, nullable=False),  # JSON list, passwords redacted
    sa.Column("policy", sa.String(200)),
    sa.Column("key_id", sa.String(64)),
    sa.Column("settings", sa.String(64)),  # hash of what decides findings: findings carry forward only between equals
    sa.Column("summary", sa.Text),  # JSON
    # ended by Ctrl-C: what it recorded is real, but items it did not reach are missing, so it is
    # never the baseline a later scan or a diff compares with (NULL: a store from before the flag)
    sa.Column("interrupted", sa.Boolean),
)
items = sa.Table(
    "items",
    meta,
    sa.Column("scan_id", sa.Integer, sa.ForeignKey("scans.id"), nullable=False, index=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("container", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("reason", sa.String(40)),
    sa.Column("detail", sa.Text),
    sa.Column("bytes", sa.BigInteger, default=0),
    sa.Column("records", sa.BigInteger, default=0),
    sa.Column("version", sa.Text),  # JSON: size, mtime, sha256 / etag
    sa.Column("carried_from", sa.Integer),  # unchanged since this scan: its findings were carried forward
    # a sample was read, not the whole: how much of what ("10,000 rows of about 1,000,000")
    sa.Column("sampled", sa.Text),
)
findings = sa.Table(
    "findings",
    meta,
    sa.Column("scan_id", sa.Integer, sa.ForeignKey("scans.id"), nullable=False, index=True),
    sa.Column("identity", sa.String(64), nullable=False, index=True),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("entity", sa.String(64), nullable=False),
    sa.Column("category", sa.String(64)),
    sa.Column("ccpa_category", sa.String(200)),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("container", sa.Text, nullable=False),
    sa.Column("field", sa.Text),
    sa.Column("location", sa.Text, nullable=False),  # JSON
    sa.Column("score", sa.Float),
    sa.Column("detector", sa.String(80)),
    sa.Column("sample", sa.Text),
    sa.Column("samples", sa.Text),  # JSON
    sa.Column("fingerprint", sa.String(80)),
    sa.Column("matches", sa.Integer),
    sa.Column("sampled", sa.Integer),
    sa.Column("ratio", sa.Float),
    sa.Column("minors", sa.Integer),
    sa.Column("test_data", sa.Boolean, default=False),
    sa.Column("carried_from", sa.Integer),
)
labels = sa.Table(
    "labels",
    meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("identity", sa.String(64)),  # one finding ...
    sa.Column("source", sa.Text),  # ... or a whole location (source, container prefix, field)
    sa.Column("container", sa.Text),
    sa.Column("field", sa.Text),
    sa.Column("label", sa.String(20), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("version", sa.String(64)),  # the labelled finding's samples: the label lapses when they change
    sa.Column("created", sa.String(32), nullable=False),
    sa.Column("entity", sa.String(64)),  # only this entity (an IP false positive inside user agents, not the UA)
    sa.Column("removed", sa.String(32)),  # withdrawn then (`pdscan label --remove`): no longer applies
)
# containers a scan found gone: listed before by a scan of the same source and settings, not now
gone = sa.Table(
    "gone",
    meta,
    sa.Column("scan_id", sa.Integer, sa.ForeignKey("scans.id"), nullable=False, index=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("container", sa.Text, nullable=False),
    sa.Column("last_scan", sa.Integer, nullable=False),  # the scan that last listed it
)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


IDENTITY_VERSION = 2  # 2: containers relative to the source root, local roots left out


def identity(source: str, container: str, fld: str | None, entity: str, kind: str, fingerprint: str | None) -> str:
    """What makes two findings the same finding across scans; never a line number.

    (source, container relative to the source root, field, entity, and the value's fingerprint for
    a match). A source that is a local folder (an absolute root) is left out, so the same data in
    another checkout or copy has the same identities; a configured name or a URL stays in."""
    root = "" if is_local_root(source) else source
    parts = [root, container, fld or "", entity] + ([fingerprint or ""] if kind == "match" else [])
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def finding_identity(f: Finding) -> str:
    return identity(f.source, f.location.container, f.location.field, f.entity, f.kind, f.fingerprint)


def sample_version(f: Finding) -> str:
    return hashlib.sha256(json.dumps(sorted(f.samples or [f.sample])).encode()).hexdigest()[:16]


class LabelSet:
    """The store's labels, read once, asked about many findings (the latest matching label wins).

    A label on one finding's identity applies while the finding's samples are those it was given
    for. A location label (source, container prefix, field, entity; any of them left out matches
    all) applies to every finding there: the container matches as the path relative to the source
    root or as the path the scan was given.
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


@dataclass
class Diff:
    old: int
    new: int
    added: list[Finding]
    resolved: list[Finding]
    compared: int  # containers scanned in both runs
    deleted: int = 0  # containers gone (deleted) since the old scan: their findings are resolved
    hidden: int = 0  # new or resolved findings left out: labelled false positives


def _add_new_columns(engine: sa.Engine) -> None:
    """A store made by an older pdscan gains the columns added since (names from this module only)."""
    inspector = sa.inspect(engine)
    for tbl in meta.sorted_tables:
        have = {c["name"] for c in inspector.get_columns(tbl.name)}
        for col in tbl.columns:
            if col.name not in have:
                with engine.begin() as db:
                    db.execute(
                        sa.text(f"ALTER TABLE {tbl.name} ADD COLUMN {col.name} {col.type.compile(engine.dialect)}")
                    )


def _reached(reason):
    """An item record that is not the one an interrupted scan was reading when it stopped."""
    return sa.or_(reason.is_(None), reason != "interrupted")


def _whole(interrupted):
    """A scan that ran to its end (stores from before the flag hold NULL)."""
    return sa.or_(interrupted.is_(None), interrupted == sa.false())


LOOKUP_CHUNK = 500  # containers asked about in one query (SQLite takes up to 32,766 parameters)


def _private_sqlite_file(url: sa.URL) -> None:
    """A SQLite store's file is created 0600; an existing one open to others is refused (Exposed).

    Findings are sensitive metadata (where whose data is, masked samples, fingerprints). SQLite
    gives its journal and WAL files the database file's mode. A server URL has no file to check.
    """
    from pdscan.core.privatefile import create_private, refuse_exposed

    path = url.database
    if url.get_backend_name() != "sqlite" or not path or path == ":memory:" or path.startswith("file:"):
        return
    if not create_private(path):
        refuse_exposed(path)


class Store:
    def __init__(self, url: str | None = None):
        self.url = url or f"sqlite:///{DEFAULT_STORE}"
        if "://" not in self.url:
            self.url = f"sqlite:///{self.url}"
        try:
            url = with_driver(self.url)
        except UrlError as exc:
            raise StoreError(f"cannot open the store ({type(exc).__name__})") from None
        try:
            _private_sqlite_file(url)
        except OSError as exc:
            raise StoreError(f"cannot create the store ({exc.strerror})") from None
        try:
            self.engine = sa.create_engine(url, future=True)
            meta.create_all(self.engine)
            _add_new_columns(self.engine)
        except (sa.exc.SQLAlchemyError, UrlError, ImportError) as exc:
            raise StoreError(f"cannot open the store ({type(exc).__name__})") from None

    # -- writing a scan --------------------------------------------------------------------------
    def begin(self, sources: list[str], policy: str, key_id: str, settings: str | None = None) -> int:
        with self.engine.begin() as db:
            row = db.execute(
                scans.insert().values(
                    started=now(), sources=json.dumps(sources), policy=policy, key_id=key_id, settings=settings
                )
            )
            return int(row.inserted_primary_key[0])

    def add_findings(self, scan_id: int, found: Iterable[Finding], carried_from: int | None = None) -> None:
        rows = [_finding_row(scan_id, f, carried_from) for f in found]
        if rows:
            with self.engine.begin() as db:
                db.execute(findings.insert(), rows)

    def add_items(self, scan_id: int, results: Iterable[ItemResult]) -> None:
        """Each item's coverage, version and origin of carried findings, in one transaction."""
        rows = [
            {
                "scan_id": scan_id,
                "source": r.source,
                "container": r.container,
                "status": r.status,
                "reason": r.reason,
                "detail": r.detail,
                "bytes": r.bytes,
                "records": r.records,
                "version": json.dumps(r.version) if r.version else None,
                "carried_from": r.carried_from,
                "sampled": r.sampled,
            }
            for r in results
        ]
        if rows:
            with self.engine.begin() as db:
                db.execute(items.insert(), rows)

    def finish(self, scan_id: int, summary: dict[str, Any], interrupted: bool = False) -> None:
        with self.engine.begin() as db:
            db.execute(
                scans.update()
                .where(scans.c.id == scan_id)
                .values(finished=now(), summary=json.dumps(summary), interrupted=interrupted)
            )

    def interrupted(self, scan_id: int) -> bool:
        with self.engine.connect() as db:
            return bool(db.execute(sa.select(scans.c.interrupted).where(scans.c.id == scan_id)).scalar())

    # -- reading -----------------------------------------------------------------------------------
    def previous_item(self, source: str, container: str, before: int) -> dict | None:
        """The latest earlier record of this container made with the same key and settings as scan `before`."""
        this = sa.select(scans.c.key_id, scans.c.settings).where(scans.c.id == before).subquery()
        q = (
            sa.select(items)
            .join(scans, scans.c.id == items.c.scan_id)
            .join(this, sa.and_(scans.c.key_id == this.c.key_id, scans.c.settings == this.c.settings))
            .where(items.c.source == source, items.c.container == container, items.c.scan_id < before)
            .where(scans.c.finished.is_not(None), _reached(items.c.reason))
            .order_by(items.c.scan_id.desc())
            .limit(1)
        )
        with self.engine.connect() as db:
            row = db.execute(q).mappings().first()
        if row is None:
            return None
        out = dict(row)
        out["version"] = json.loads(row["version"]) if row["version"] else None
        return out

    def previous_items(self, source: str, containers: list[str], before: int) -> dict[str, dict]:
        """`previous_item` of many containers of one source, in a query per LOOKUP_CHUNK of them."""
        out: dict[str, dict] = {}
        this = sa.select(scans.c.key_id, scans.c.settings).where(scans.c.id == before).subquery()
        for at in range(0, len(containers), LOOKUP_CHUNK):
            chunk = containers[at : at + LOOKUP_CHUNK]
            latest = (
                sa.select(items.c.container, sa.func.max(items.c.scan_id).label("last"))
                .join(scans, scans.c.id == items.c.scan_id)
                .join(this, sa.and_(scans.c.key_id == this.c.key_id, scans.c.settings == this.c.settings))
                .where(items.c.source == source, items.c.container.in_(chunk), items.c.scan_id < before)
                .where(scans.c.finished.is_not(None), _reached(items.c.reason))
                .group_by(items.c.container)
                .subquery()
            )
            q = (
                sa.select(items)
                .join(latest, sa.and_(items.c.container == latest.c.container, items.c.scan_id == latest.c.last))
                .where(items.c.source == source, _reached(items.c.reason))
            )
            with self.engine.connect() as db:
                for row in db.execute(q).mappings():
                    if row["container"] not in out:
                        out[row["container"]] = {
                            **row,
                            "version": json.loads(row["version"]) if row["version"] else None,
                        }
        return out

    def findings_in(self, scan_id: int, source: str, containers: list[str]) -> dict[str, list[Finding]]:
        """`findings_of` many containers of one scan and source, in a query per LOOKUP_CHUNK of them."""
        out: dict[str, list[Finding]] = {c: [] for c in containers}
        for at in range(0, len(containers), LOOKUP_CHUNK):
            q = sa.select(findings).where(
                findings.c.scan_id == scan_id,
                findings.c.source == source,
                findings.c.container.in_(containers[at : at + LOOKUP_CHUNK]),
            )
            with self.engine.connect() as db:
                for row in db.execute(q).mappings():
                    out[row["container"]].append(_finding_of(row))
        return out

    def findings_of(self, scan_id: int, source: str | None = None, container: str | None = None) -> list[Finding]:
        q = sa.select(findings).where(findings.c.scan_id == scan_id)
        if source is not None:
            q = q.where(findings.c.source == source)
        if container is not None:
            q = q.where(findings.c.container == container)
        with self.engine.connect() as db:
            return [_finding_of(row) for row in db.execute(q).mappings()]

    def items_of(self, scan_id: int) -> list[dict]:
        with self.engine.connect() as db:
            return [dict(r) for r in db.execute(sa.select(items).where(items.c.scan_id == scan_id)).mappings()]

    def scan_list(self) -> list[dict]:
        counts = (
            sa.select(findings.c.scan_id, sa.func.count().label("findings")).group_by(findings.c.scan_id).subquery()
        )
        q = (
            sa.select(scans, sa.func.coalesce(counts.c.findings, 0).label("findings"))
            .select_from(scans.outerjoin(counts, counts.c.scan_id == scans.c.id))
            .order_by(scans.c.id)
        )
        with self.engine.connect() as db:
            return [dict(r) for r in db.execute(q).mappings()]

    def last_scans(self, n: int = 2) -> list[int]:
        with self.engine.connect() as db:
            ids = db.execute(
                sa.select(scans.c.id)
                .where(scans.c.finished.is_not(None), _whole(scans.c.interrupted))
                .order_by(scans.c.id.desc())
                .limit(n)
            )
            return sorted(r[0] for r in ids)

    # -- diff ---------------------------------------------------------------------------------------
    def diff(self, old: int, new: int) -> Diff:
        """New and resolved findings between two scans.

        New: in the new scan and not in the old one (a new file's findings are new). Resolved: in
        the old scan, and gone from a container the new scan read again, or the container itself is
        gone (the new scan, or one between, listed its source whole with the same settings and it
        was not there: deleted). A container the new scan skipped resolves nothing (its findings
        are carried, stale), nor one out of the new scan's scope, nor one an interrupted scan was
        reading when it stopped. When the old scan was interrupted, only the containers it reached
        can hold new findings: it says nothing of the rest. Findings labelled false positives are
        left out (counted in `hidden`).
        """
        old_items, new_items = self.items_of(old), self.items_of(new)
        read_again = {
            (i["source"], i["container"])
            for i in new_items
            if i["status"] != "skipped" and i["reason"] != "interrupted"
        } & {(i["source"], i["container"]) for i in old_items}
        with self.engine.connect() as db:
            deleted = {
                (r.source, r.container)
                for r in db.execute(
                    sa.select(gone.c.source, gone.c.container).where(gone.c.scan_id > old, gone.c.scan_id <= new)
                )
            }
        deleted -= {(i["source"], i["container"]) for i in new_items}  # back again since
        labels = self.label_set()
        before = {finding_identity(f): f for f in self.findings_of(old)}
        after = {finding_identity(f): f for f in self.findings_of(new)}
        added = [f for key, f in after.items() if key not in before]
        if self.interrupted(old):
            reached = {(i["source"], i["container"]) for i in old_items if i["reason"] != "interrupted"}
            added = [f for f in added if (f.source, f.location.container) in reached]
        resolved = [
            f
            for key, f in before.items()
            if key not in after and (f.source, f.location.container) in (read_again | deleted)
        ]
        shown_added = [f for f in added if labels.of(f) != "false_positive"]
        shown_resolved = [f for f in resolved if labels.of(f) != "false_positive"]
        hidden = len(added) - len(shown_added) + len(resolved) - len(shown_resolved)
        return Diff(old, new, shown_added, shown_resolved, len(read_again), len(deleted), hidden)

    def record_gone(self, scan_id: int, roots: list[str]) -> int:
        """Containers of `roots` (sources this scan listed whole) that the latest earlier scan of them
        with the same key and settings listed, and this one did not: deleted (or moved) since."""
        if not roots:
            return 0
        this = sa.select(scans.c.key_id, scans.c.settings).where(scans.c.id == scan_id).subquery()
        rows = []
        with self.engine.connect() as db:
            now_listed = {
                (r.source, r.container)
                for r in db.execute(sa.select(items.c.source, items.c.container).where(items.c.scan_id == scan_id))
            }
            for root in dict.fromkeys(roots):
                last = db.execute(
                    sa.select(sa.func.max(scans.c.id))
                    .join(this, sa.and_(scans.c.key_id == this.c.key_id, scans.c.settings == this.c.settings))
                    .join(items, items.c.scan_id == scans.c.id)
                    .where(items.c.source == root, scans.c.id < scan_id, scans.c.finished.is_not(None))
                    .where(_whole(scans.c.interrupted))
                ).scalar()
                if last is None:
                    continue
                before = db.execute(sa.select(items.c.container).where(items.c.scan_id == last, items.c.source == root))
                rows += [
                    {"scan_id": scan_id, "source": root, "container": r.container, "last_scan": last}
                    for r in before
                    if (root, r.container) not in now_listed
                ]
        if rows:
            with self.engine.begin() as db:
                db.execute(gone.insert(), rows)
        return len(rows)

    def gone_in(self, scan_id: int) -> list[dict]:
        with self.engine.connect() as db:
            return [dict(r) for r in db.execute(sa.select(gone).where(gone.c.scan_id == scan_id)).mappings()]

    # -- reviewer labels ----------------------------------------------------------------------------
    def label(self, label: str, note: str | None = None, *, finding: Finding | None = None, **where) -> int:
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
        with self.engine.begin() as db:
            return int(db.execute(labels.insert().values(**values)).inserted_primary_key[0])

    def labels(self, include_removed: bool = False) -> list[dict]:
        q = sa.select(labels).order_by(labels.c.id)
        if not include_removed:
            q = q.where(labels.c.removed.is_(None))
        with self.engine.connect() as db:
            return [dict(r) for r in db.execute(q).mappings()]

    def remove_label(self, label_id: int) -> bool:
        """Withdraw a label (kept, marked removed, for the audit trail); False when there is none."""
        with self.engine.begin() as db:
            done = db.execute(
                labels.update().where(labels.c.id == label_id, labels.c.removed.is_(None)).values(removed=now())
            )
            return done.rowcount > 0

    def label_set(self) -> LabelSet:
        return LabelSet(self.labels())

    def find_by_identity(self, key: str, scan_id: int | None = None) -> Finding | None:
        q = sa.select(findings).where(findings.c.identity.like(f"{key}%")).order_by(findings.c.scan_id.desc())
        if scan_id is not None:
            q = q.where(findings.c.scan_id == scan_id)
        with self.engine.connect() as db:
            row = db.execute(q.limit(1)).mappings().first()
        return _finding_of(row) if row else None


def _finding_row(scan_id: int, f: Finding, carried_from: int | None) -> dict[str, Any]:
    location = f.location.to_dict()
    return {
        "scan_id": scan_id,
        "identity": finding_identity(f),
        "kind": f.kind,
        "entity": f.entity,
        "category": f.category,
        "ccpa_category": f.ccpa_category,
        "source": f.source,
        "container": f.location.container,
        "field": f.location.field,
        "location": json.dumps(location, default=str),
        "score": f.score,
        "detector": f.detector,
        "sample": f.sample,
        "samples": json.dumps(f.samples) if f.samples is not None else None,
        "fingerprint": f.fingerprint,
        "matches": f.matches,
        "sampled": f.sampled,
        "ratio": f.ratio,
        "minors": f.minors,
        "test_data": f.test_data,
        "carried_from": carried_from or f.carried_from,
    }  # never f.value nor f.values (the raw values of --reveal)


_LOCATION_KEYS = ("container", "field", "line", "start", "end", "row", "row_key")


def _finding_of(row) -> Finding:
    loc = json.loads(row["location"])
    extra = tuple((k, v) for k, v in loc.items() if k not in _LOCATION_KEYS)
    location = Location(**{k: loc.get(k) for k in _LOCATION_KEYS if k in loc}, extra=extra)
    return Finding(
        kind=row["kind"],
        entity=row["entity"],
        score=row["score"],
        detector=row["detector"],
        source=row["source"],
        location=location,
        sample=row["sample"],
        fingerprint=row["fingerprint"],
        test_data=bool(row["test_data"]),
        matches=row["matches"],
        sampled=row["sampled"],
        ratio=row["ratio"],
        samples=json.loads(row["samples"]) if row["samples"] else None,
        category=row["category"],
        ccpa_category=row["ccpa_category"],
        minors=row["minors"],
        carried_from=row["carried_from"],
    )


def content_version(connector, item, previous: dict | None) -> tuple[dict | None, bool]:
    """(this item's version, unchanged since `previous`), as the connector declares it
    (pdscan.connectors.base.Connector.version): files compare size and mtime, then a hash; objects
    their ETag; tables what the database tells cheaply; (None, False): always scanned again."""
    return connector.version(item, previous)


class ChangeTracker:
    """Decides per item whether a re-scan is needed; unchanged items carry their findings forward."""

    def __init__(self, store: Store, scan_id: int, rescan: bool = False):
        self.store = store
        self.scan_id = scan_id
        self.rescan = rescan
        self.carried = 0
        self._previous: dict[tuple[str, str], dict | None] = {}  # looked up ahead (`expect`)
        self._findings: dict[tuple[str, str], list[Finding]] = {}

    def expect(self, containers: dict[str, list[str]]) -> None:
        """The items `check` is about to be asked about (source -> containers): their earlier records,
        and the findings of those that may be carried, looked up together. Replaces the last lookup."""
        self._previous, self._findings = {}, {}
        for source, names in containers.items():
            found = self.store.previous_items(source, names, self.scan_id)
            self._previous.update({(source, c): found.get(c) for c in names})
            if self.rescan:
                continue
            by_scan: dict[int, list[str]] = {}
            for c, row in found.items():
                if row["status"] == "complete":
                    by_scan.setdefault(row["scan_id"], []).append(c)
            for scan_id, cs in by_scan.items():
                self._findings.update({(source, c): f for c, f in self.store.findings_in(scan_id, source, cs).items()})

    def _previous_item(self, source: str, container: str) -> dict | None:
        key = (source, container)
        if key in self._previous:
            return self._previous.pop(key)  # each looked-up record used once (a path given twice asks again)
        return self.store.previous_item(source, container, self.scan_id)

    def check(self, connector, item, source: str) -> tuple[dict | None, list[Finding] | None, int | None, str | None]:
        """(version, carried findings or None to scan, the scan they come from, what that scan sampled)."""
        previous = self._previous_item(source, item.container)
        usable = previous if previous and previous["status"] == "complete" else None
        try:
            version, same = content_version(connector, item, usable["version"] if usable else None)
        except OSError:
            return None, None, None, None
        if self.rescan or not usable or not same:
            return version, None, None, None
        origin = usable["carried_from"] or usable["scan_id"]
        carried = self._findings.pop((source, item.container), None)
        if carried is None:
            carried = self.store.findings_of(usable["scan_id"], source, item.container)
        for f in carried:
            f.carried_from = origin
        self.carried += 1
        return version, carried, origin, usable["sampled"]

    def skipped(self, source: str, container: str) -> list[Finding]:
        """An item this run could not read keeps the findings an earlier run made in it."""
        previous = self.store.previous_item(source, container, self.scan_id)
        if not previous:
            return []
        origin = previous["carried_from"] or previous["scan_id"]
        carried = self.store.findings_of(previous["scan_id"], source, container)
        for f in carried:
            f.carried_from = origin
        return carried
