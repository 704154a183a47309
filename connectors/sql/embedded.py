"""A SQLite database met among files (`app.db` in a scanned folder): its tables, in one item.

Every table is read as `pdscan scan sqlite:///PATH` would read it (sampling, --full, the query
timeout); fields are `table.column`, so column findings and row keys stay per table. Problems
with one table make the file `partial` with the table named; the other tables are still read.
The file is opened as `connectors/sql/sqlitefile.py` says: nothing beside it is created or changed.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator

from pdscan.connectors.base import Batch
from pdscan.connectors.sql.sqlitefile import SnapshotError
from pdscan.core.errors import ItemError, SourceError
from pdscan.core.model import ItemResult

MAGIC = b"SQLite format 3\x00"
STORE_TABLES = {"scans", "items", "findings", "labels"}  # pdscan's own store: not personal data to find


def is_sqlite(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


COMPANIONS = ("-wal", "-shm", "-journal")  # SQLite's files beside a database: part of it, not items


def companions(folder: str, names: list[str]) -> set[str]:
    """The names among `names` that are a SQLite database's -wal, -shm or -journal beside it.

    They are read with the database (its committed rows in the WAL, its hot journal rolled back
    in a private copy); as items of their own they would be unreadable binary.
    """
    listed = set(names)
    found = set()
    for name in names:
        for suffix in COMPANIONS:
            if name.endswith(suffix) and name[: -len(suffix)] in listed:
                if is_sqlite(os.path.join(folder, name[: -len(suffix)])):
                    found.add(name)
    return found


def read_sqlite_file(path: str, result: ItemResult, options) -> Iterator[Batch]:
    from pdscan.connectors.sql.connector import SqlConnector

    # the scan's globs chose this file; they do not choose its tables
    options = dataclasses.replace(options, include=(), exclude=())
    connector = SqlConnector(f"sqlite:///{os.path.abspath(path)}", options)
    listed: list[ItemResult] = []
    try:
        tables = list(connector.items(listed))
    except SnapshotError as exc:
        raise ItemError(exc.reason, exc.detail) from None
    except SourceError:
        raise ItemError("corrupt", "a SQLite file whose tables cannot be listed") from None
    if STORE_TABLES <= {t.container.split(".", 1)[1] for t in tables}:
        connector.close()
        raise ItemError("own_store", "a pdscan findings store (masked samples and fingerprints only)")
    for problem in listed:
        result.partial(problem.reason or "read_error", f"table {problem.container}: {problem.detail}")
    samples = []
    try:
        for table in tables:
            name = table.container.split(".", 1)[1]
            part = ItemResult(result.source, table.container)
            try:
                for batch in connector.read(table, part):
                    batch.field = f"{name}.{batch.field}"
                    batch.table = name
                    yield batch
            except (ItemError, SourceError) as exc:
                reason = getattr(exc, "reason", "read_error")
                result.partial(reason, f"table {name}: {getattr(exc, 'detail', str(exc))}")
            finally:
                result.records += part.records
                result.bytes += part.bytes
            if part.status != "complete":
                result.partial(part.reason or "read_error", f"table {name}: {part.detail}")
            if part.sampled:
                samples.append(f"{name}: {part.sampled}")
    finally:
        connector.close()
    if samples:
        result.sampled = "; ".join(samples)
