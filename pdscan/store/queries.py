"""Read queries on the findings store: scans, items, findings, labels, gone containers.

Reports, DSAR and the CLI read the store through these (or the `Store` methods that call them),
never through its tables. Each takes the open `Store` (anything with its `engine`).
"""

from __future__ import annotations

import sqlalchemy as sa

from pdscan.core.model import Finding
from pdscan.store.rows import finding_of, item_of
from pdscan.store.schema import findings, gone, items, labels, scans

LOOKUP_CHUNK = 500  # containers asked about in one query (SQLite takes up to 32,766 parameters)


def reached(reason):
    """An item record that is not the one an interrupted scan was reading when it stopped."""
    return sa.or_(reason.is_(None), reason != "interrupted")


def whole(interrupted):
    """A scan that ran to its end (stores from before the flag hold NULL)."""
    return sa.or_(interrupted.is_(None), interrupted == sa.false())


def _rows(store, q) -> list[dict]:
    with store.engine.connect() as db:
        return [dict(r) for r in db.execute(q).mappings()]


# -- scans -------------------------------------------------------------------------------------------
def scan_list(store) -> list[dict]:
    """Every scan, oldest first, with its count of findings."""
    counts = sa.select(findings.c.scan_id, sa.func.count().label("findings")).group_by(findings.c.scan_id).subquery()
    q = (
        sa.select(scans, sa.func.coalesce(counts.c.findings, 0).label("findings"))
        .select_from(scans.outerjoin(counts, counts.c.scan_id == scans.c.id))
        .order_by(scans.c.id)
    )
    return _rows(store, q)


def finished_scans(store, upto: int | None = None) -> list[dict]:
    """The finished scans (interrupted ones too), oldest first; `upto`: that scan and earlier ones."""
    q = sa.select(scans).where(scans.c.finished.is_not(None)).order_by(scans.c.id)
    if upto is not None:
        q = q.where(scans.c.id <= upto)
    return _rows(store, q)


def last_scans(store, n: int = 2) -> list[int]:
    """The ids of the last `n` scans that ran to their end, oldest first."""
    q = sa.select(scans.c.id).where(scans.c.finished.is_not(None), whole(scans.c.interrupted))
    with store.engine.connect() as db:
        return sorted(r[0] for r in db.execute(q.order_by(scans.c.id.desc()).limit(n)))


def interrupted(store, scan_id: int) -> bool:
    with store.engine.connect() as db:
        return bool(db.execute(sa.select(scans.c.interrupted).where(scans.c.id == scan_id)).scalar())


# -- items ---------------------------------------------------------------------------------------------
def items_of(store, scan_id: int) -> list[dict]:
    return _rows(store, sa.select(items).where(items.c.scan_id == scan_id))


def all_items(store) -> list[dict]:
    """Every item record, scan by scan (a later record of a container comes after an earlier one)."""
    return _rows(store, sa.select(items).order_by(items.c.scan_id))


def gone_in(store, scan_id: int) -> list[dict]:
    return _rows(store, sa.select(gone).where(gone.c.scan_id == scan_id))


def all_gone(store) -> list[dict]:
    """Every container a scan found deleted (scan_id, source, container, last_scan)."""
    return _rows(store, sa.select(gone))


def gone_between(store, old: int, new: int) -> set[tuple[str, str]]:
    """(source, container) found deleted by a scan after `old`, up to `new`."""
    q = sa.select(gone.c.source, gone.c.container).where(gone.c.scan_id > old, gone.c.scan_id <= new)
    with store.engine.connect() as db:
        return {(r.source, r.container) for r in db.execute(q)}


def item_statuses(store, sources: list[str]) -> dict[tuple[str, str], str]:
    """(source, container) -> its status in the latest finished scan that listed it, of these sources."""
    done = sa.select(scans.c.id).where(scans.c.finished.is_not(None))
    q = (
        sa.select(items.c.source, items.c.container, items.c.status)
        .where(items.c.source.in_(sources), items.c.scan_id.in_(done))
        .order_by(items.c.scan_id)
    )
    with store.engine.connect() as db:
        return {(src, container): status for src, container, status in db.execute(q)}


# -- findings ------------------------------------------------------------------------------------------
def findings_of(store, scan_id: int, source: str | None = None, container: str | None = None) -> list[Finding]:
    q = sa.select(findings).where(findings.c.scan_id == scan_id)
    if source is not None:
        q = q.where(findings.c.source == source)
    if container is not None:
        q = q.where(findings.c.container == container)
    with store.engine.connect() as db:
        return [finding_of(row) for row in db.execute(q).mappings()]


def findings_in(store, scan_id: int, source: str, containers: list[str]) -> dict[str, list[Finding]]:
    """`findings_of` many containers of one scan and source, in a query per LOOKUP_CHUNK of them."""
    out: dict[str, list[Finding]] = {c: [] for c in containers}
    for at in range(0, len(containers), LOOKUP_CHUNK):
        q = sa.select(findings).where(
            findings.c.scan_id == scan_id,
            findings.c.source == source,
            findings.c.container.in_(containers[at : at + LOOKUP_CHUNK]),
        )
        with store.engine.connect() as db:
            for row in db.execute(q).mappings():
                out[row["container"]].append(finding_of(row))
    return out


def find_by_identity(store, key: str, scan_id: int | None = None) -> Finding | None:
    """The latest finding whose identity starts with `key` (of scan `scan_id` only, when given)."""
    q = sa.select(findings).where(findings.c.identity.like(f"{key}%")).order_by(findings.c.scan_id.desc())
    if scan_id is not None:
        q = q.where(findings.c.scan_id == scan_id)
    with store.engine.connect() as db:
        row = db.execute(q.limit(1)).mappings().first()
    return finding_of(row) if row else None


def identity_spans(store, scan_ids: list[int]) -> dict[str, tuple[str, str]]:
    """identity -> (start of the first, start of the last) of these scans that found it."""
    q = (
        sa.select(
            findings.c.identity,
            sa.func.min(scans.c.started).label("first"),
            sa.func.max(scans.c.started).label("last"),
        )
        .join(scans, scans.c.id == findings.c.scan_id)
        .where(scans.c.id.in_(list(scan_ids)))
        .group_by(findings.c.identity)
    )
    with store.engine.connect() as db:
        return {r.identity: (r.first, r.last) for r in db.execute(q)}


def known_fields(store, sources: list[str]) -> dict[tuple[str, str], dict[str | None, set[str]]]:
    """(source, container) -> field -> the entities finished scans of these sources found there."""
    done = sa.select(scans.c.id).where(scans.c.finished.is_not(None))
    q = (
        sa.select(findings.c.source, findings.c.container, findings.c.field, findings.c.entity)
        .where(findings.c.source.in_(sources), findings.c.scan_id.in_(done))
        .distinct()
    )
    known: dict[tuple[str, str], dict[str | None, set[str]]] = {}
    with store.engine.connect() as db:
        for src, container, fld, entity in db.execute(q):
            known.setdefault((src, container), {}).setdefault(fld, set()).add(entity)
    return known


# -- labels --------------------------------------------------------------------------------------------
def label_rows(store, include_removed: bool = False) -> list[dict]:
    """The reviewer labels, oldest first; withdrawn ones only with `include_removed`."""
    q = sa.select(labels).order_by(labels.c.id)
    if not include_removed:
        q = q.where(labels.c.removed.is_(None))
    return _rows(store, q)


def any_labels(store) -> bool:
    """The store holds a label, withdrawn ones included."""
    with store.engine.connect() as db:
        return db.execute(sa.select(sa.func.count()).select_from(labels)).scalar() > 0


# -- earlier records of an item (incremental scans) ----------------------------------------------------
def _same_settings(before: int):
    """The key and settings of scan `before`, to join earlier scans against."""
    return sa.select(scans.c.key_id, scans.c.settings).where(scans.c.id == before).subquery()


def previous_item(store, source: str, container: str, before: int) -> dict | None:
    """The latest earlier record of this container made with the same key and settings as scan `before`."""
    this = _same_settings(before)
    q = (
        sa.select(items)
        .join(scans, scans.c.id == items.c.scan_id)
        .join(this, sa.and_(scans.c.key_id == this.c.key_id, scans.c.settings == this.c.settings))
        .where(items.c.source == source, items.c.container == container, items.c.scan_id < before)
        .where(scans.c.finished.is_not(None), reached(items.c.reason))
        .order_by(items.c.scan_id.desc())
        .limit(1)
    )
    with store.engine.connect() as db:
        row = db.execute(q).mappings().first()
    return None if row is None else item_of(row)


def previous_items(store, source: str, containers: list[str], before: int) -> dict[str, dict]:
    """`previous_item` of many containers of one source, in a query per LOOKUP_CHUNK of them."""
    out: dict[str, dict] = {}
    this = _same_settings(before)
    for at in range(0, len(containers), LOOKUP_CHUNK):
        chunk = containers[at : at + LOOKUP_CHUNK]
        latest = (
            sa.select(items.c.container, sa.func.max(items.c.scan_id).label("last"))
            .join(scans, scans.c.id == items.c.scan_id)
            .join(this, sa.and_(scans.c.key_id == this.c.key_id, scans.c.settings == this.c.settings))
            .where(items.c.source == source, items.c.container.in_(chunk), items.c.scan_id < before)
            .where(scans.c.finished.is_not(None), reached(items.c.reason))
            .group_by(items.c.container)
            .subquery()
        )
        q = (
            sa.select(items)
            .join(latest, sa.and_(items.c.container == latest.c.container, items.c.scan_id == latest.c.last))
            .where(items.c.source == source, reached(items.c.reason))
        )
        with store.engine.connect() as db:
            for row in db.execute(q).mappings():
                if row["container"] not in out:
                    out[row["container"]] = item_of(row)
    return out
