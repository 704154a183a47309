"""About how many bytes reading a table covers, from what the database already knows.

A table's item carries this as its size: the engine adds the sizes up to decide whether a scan
repays starting worker processes (seconds each, to load spaCy and Presidio), and shows them as
progress. Nothing is counted: PostgreSQL's pg_class.reltuples and pg_table_size, MySQL's
TABLE_ROWS and DATA_LENGTH, SQLite's largest rowid (its file keeps no cheap size per table, so a
row is taken as CELL_BYTES per column read). A sampled read covers at most --sample-size rows,
so a big table counts for its sample, as its detection costs.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from pdscan.connectors.registry import ConnectorOptions
from pdscan.connectors.sql.sampling import TableInfo, estimate

CELL_BYTES = 16  # a short text value: an e-mail address, a name, a date
PG_SIZES = text(
    "SELECT c.relname, c.reltuples, pg_table_size(c.oid) FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :schema AND c.relkind IN ('r', 'p', 'm')"
)
MYSQL_SIZES = text(
    "SELECT TABLE_NAME, TABLE_ROWS, DATA_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = :schema"
)


def _statistics(conn: Connection, backend: str, schema: str, tables: list[TableInfo]) -> dict:
    """name -> (rows, bytes on disk), either None where the database does not say."""
    if backend == "postgresql":
        found = conn.execute(PG_SIZES, {"schema": schema}).all()
        return {name: (int(rows) if rows >= 0 else None, size) for name, rows, size in found}  # -1: never analyzed
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


def add_sizes(conn: Connection, backend: str, schema: str, tables: list[TableInfo], options: ConnectorOptions) -> None:
    """Set each table's `size`; a database that will not tell leaves them unknown (None)."""
    try:
        stats = _statistics(conn, backend, schema, tables)
    except DBAPIError:
        conn.rollback()
        return
    for t in tables:
        rows, size = stats.get(t.name, (None, None))
        t.size = None if t.view else read_bytes(rows, size, len(t.columns), options.sample_size, options.full)
