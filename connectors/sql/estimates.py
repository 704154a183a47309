"""About how many bytes reading a table covers, from what the database already knows.

A table's item carries this as its size: the engine adds the sizes up to decide whether a scan
repays starting worker processes (seconds each, to load spaCy and Presidio), and shows them as
progress. Nothing is counted, and no table is locked (a table another session holds must not
stop the listing): PostgreSQL's pg_class.reltuples and relpages (with the TOAST table's), MySQL's
TABLE_ROWS and DATA_LENGTH, SQLite's largest rowid (its file keeps no cheap size per table, so a
row is taken as CELL_BYTES per column read). A sampled read covers at most --sample-size rows,
so a big table counts for its sample, as its detection costs.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from pdscan.connectors.sql.sampling import TableInfo, estimate

CELL_BYTES = 16  # a short text value: an e-mail address, a name, a date
PG_SIZES = text(
    "SELECT c.relname, c.reltuples, "
    "(c.relpages + COALESCE(t.relpages, 0))::bigint * current_setting('block_size')::int "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_class t ON t.oid = c.reltoastrelid "
    "WHERE n.nspname = :schema AND c.relkind IN ('r', 'p', 'm')"
)
MYSQL_SIZES = text(
    "SELECT TABLE_NAME, TABLE_ROWS, DATA_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = :schema"
)


def _statistics(conn: Connection, backend: str, schema: str, tables: list[TableInfo]) -> dict:
    """name -> (rows, bytes on disk), either None where the database does not say."""
    if backend == "postgresql":
        found = conn.execute(PG_SIZES, {"schema": schema}).all()  # reltuples -1: never analyzed, nothing known
        return {name: (int(rows), size) if rows >= 0 else (None, None) for name, rows, size in found}
    if backend in ("mysql", "mariadb"):
        return {name: (rows, size) for name, rows, size in conn.execute(MYSQL_SIZES, {"schema": schema}).all()}
    if backend == "sqlite":
        return {t.name: (estimate(conn, backend, t), None) for t in tables}
    return {}


def read_bytes(rows: int | None, size: int | None, columns: int, sample_size: int, full: bool) -> int | None:
    """Bytes a read covers: the rows it reads times the average row (from the size on disk if known)."""
    if rows is None and size is None:
        return None
    width = size / rows if rows and size else CELL_BYTES * max(columns, 1)
    if rows is None:
        rows = size / width
    return int((rows if full else min(rows, sample_size)) * width)


def add_sizes(conn: Connection, backend: str, schema: str, tables: list[TableInfo], options) -> None:
    """Set each table's `size`; a database that will not tell leaves them unknown (None)."""
    try:
        stats = _statistics(conn, backend, schema, tables)
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise  # the session is gone: the listing fails (a rollback would open a new one unseen)
        conn.rollback()
        return
    for t in tables:
        rows, size = stats.get(t.name, (None, None))
        t.size = None if t.view else read_bytes(rows, size, len(t.columns), options.sample_size, options.full)
