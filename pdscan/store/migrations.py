"""The store's schema versions: ordered steps, applied in one place (`migrate`) when a store opens.

A new store is created at the latest layout and stamped with its version. A store made before
versioning (no `schema_version` table: pdscan up to the architecture step, whose columns were added
ad hoc and whose DSAR tables were made by the case log) is version 0 and goes through every step;
a versioned one through the steps after its version. Each step runs in a transaction with its
stamp, so a store is never left half a step on (PostgreSQL; SQLite's DDL too, through SQLAlchemy).
A store stamped with a version this pdscan does not know was made by a newer one: refused.

To change the layout: change `schema.py`, add a step here that brings a store of the previous
version to it, and freeze what an earlier step needs of the old layout inside that step.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import sqlalchemy as sa

from pdscan.core.errors import StoreError
from pdscan.store.rows import now
from pdscan.store.schema import meta, schema_version


def _unversioned(db: sa.Connection) -> None:
    """Version 1: a store of the layout before versioning gains what it lacks. Tables made since it
    was created (`gone`, the DSAR case log and audit trail) are created; columns added since
    (`scans.settings`, `scans.interrupted`, `items.sampled`, `labels.entity`, `labels.removed`,
    `dsar_cases.requester`, ...) are added, nullable, so the rows it holds keep their meaning."""
    meta.create_all(db)
    inspector = sa.inspect(db)
    for table in meta.sorted_tables:
        have = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in have:
                kind = column.type.compile(db.dialect)
                db.execute(sa.text(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}"))


Step = tuple[int, str, Callable[[sa.Connection], None]]
STEPS: tuple[Step, ...] = (
    (1, "every table in one schema (DSAR's included), columns added ad hoc before", _unversioned),
)
LATEST = STEPS[-1][0]


def version_of(db: sa.Connection) -> int | None:
    """The store's schema version: None for an empty database, 0 for a store from before versioning."""
    inspector = sa.inspect(db)
    if not inspector.has_table(schema_version.name):
        return 0 if any(inspector.has_table(t.name) for t in meta.sorted_tables) else None
    return db.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0


def _stamp(db: sa.Connection, version: int, step: str) -> None:
    db.execute(schema_version.insert().values(version=version, applied=now(), step=step))


def migrate(engine: sa.Engine, attempts: int = 5) -> list[int]:
    """Bring the store to the latest version; the steps applied (none when it was current).

    Another pdscan may create or migrate the same store at the same moment (its tables made, its
    stamp not yet written): what fails then is tried again, until the store is current."""
    for attempt in range(1, attempts + 1):
        try:
            return _migrate(engine)
        except sa.exc.DBAPIError:
            with engine.connect() as db:
                if version_of(db) == LATEST:
                    return []
            if attempt == attempts:
                raise
            time.sleep(0.05 * attempt)
    return []


def _migrate(engine: sa.Engine) -> list[int]:
    with engine.connect() as db:
        version = version_of(db)
    if version == LATEST:
        return []
    if version is None:
        with engine.begin() as db:
            meta.create_all(db)
            _stamp(db, LATEST, "created at the latest layout")
        return [LATEST]
    if version > LATEST:
        raise StoreError(f"the store has schema version {version}, made by a newer pdscan (this one knows {LATEST})")
    applied = []
    for number, what, step in STEPS:
        if number > version:
            with engine.begin() as db:
                step(db)
                _stamp(db, number, what)
            applied.append(number)
    return applied
