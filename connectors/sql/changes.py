"""Whether a table changed since the last scan, where the database says so cheaply.

SQLite: the size and modification time of the database file and of its `-wal` and `-journal`
(any write counts as a change to every table in it). PostgreSQL: the table's cumulative row
counters (inserted, updated, deleted) and its file node (TRUNCATE and rewrites change it), when `track_counts` is on; the
counters are published by the writing session within seconds of its commit, so a change made in
the seconds before a scan can be seen only by the next one. MySQL and MariaDB keep nothing
reliable (InnoDB's UPDATE_TIME does not survive a restart): their tables are always read again.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from pdscan.connectors.sql.sampling import TableInfo
from pdscan.connectors.sql.sqlitefile import file_state

PG_COUNTERS = text(
    "SELECT s.n_tup_ins, s.n_tup_upd, s.n_tup_del, c.relfilenode "
    "FROM pg_stat_all_tables s JOIN pg_class c ON c.oid = s.relid "
    "WHERE s.schemaname = :schema AND s.relname = :name"
)


def _file_version(path: str) -> dict:
    """Size and mtime of the database and its companions, as the private-copy check reads them."""
    version = {}
    for suffix, (size, mtime_ns) in file_state(path).items():
        version[f"size{suffix}"], version[f"mtime_ns{suffix}"] = size, mtime_ns
    return version


def table_version(conn: Connection, backend: str, info: TableInfo, sqlite_file: str | None) -> dict | None:
    """What identifies this state of the table, or None when it cannot be told cheaply."""
    if info.view:
        return None  # a view shows other tables' rows
    if backend == "sqlite" and sqlite_file:
        return {"sqlite_file": _file_version(sqlite_file)}
    if backend == "postgresql":
        if conn.execute(text("SELECT current_setting('track_counts')")).scalar() != "on":
            return None
        row = conn.execute(PG_COUNTERS, {"schema": info.schema, "name": info.name}).first()
        if row is None:
            return None
        inserted, updated, deleted, filenode = row
        return {"inserted": inserted, "updated": updated, "deleted": deleted, "filenode": filenode}
    return None
