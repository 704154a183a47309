"""DSAR search pushdown: a table's rows filtered by the database, with conditions the search builds.

The search (pdscan.dsar.sqlsearch) says what to look for as SQLAlchemy conditions over the
reflected table (`SearchQuery.where`); here the table is reflected, the conditions run in a
read-only transaction that is always rolled back, and each row comes back as a `Record` (JSON
cells flattened, located by its primary key or row id). With `stream` every row is read in
chunks and only rows holding a candidate value come back (`SearchQuery.candidates`).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, SAWarning, SQLAlchemyError

from pdscan.connectors.base import Item, Record, SearchQuery
from pdscan.connectors.sql.values import cells, json_safe, to_batches
from pdscan.core.errors import ItemError
from pdscan.core.model import ItemResult

DIALECTS = {"postgresql", "mysql", "mariadb", "sqlite"}  # dialects whose lower/replace/LIKE the search relies on
ROW_ID = "__pdscan_row_id"
CHUNK = 5_000


def search(connector, item: Item, query: SearchQuery, result: ItemResult, stream: bool) -> Iterator[Record]:
    """The records of one table that may meet `query` (connector: a SqlConnector with its session open)."""
    conn, info = connector.conn, item.handle
    try:
        with read_only(conn):
            table = connector.reflected.get(item.container)
            if table is None:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", SAWarning)  # unknown column types: compared as text
                    table = sa.Table(info.name, sa.MetaData(), schema=info.schema, autoload_with=conn)
                table.info["pdscan"] = info
                connector.reflected[item.container] = table
            if info.binary:
                result.partial("unsupported_type", f"binary columns not searched: {', '.join(info.binary)}")
            where = query.where(table, connector.backend)
            if not where:
                return  # no column could hold what is searched for: searched, nothing there
            statement, key_columns = _select(connector.backend, table)
            if stream:
                rows = _streamed(conn, statement, table, query, result)
            else:
                rows = conn.execute(statement.where(sa.or_(*where))).mappings()
            for row in rows:
                if not stream:
                    result.records += 1
                yield _record(table, row, key_columns)
    except DBAPIError as exc:
        raise connector.item_error(exc, item.container) from None
    except SQLAlchemyError as exc:
        raise ItemError("read_error", f"cannot describe or query the table ({type(exc).__name__})") from None


@contextmanager
def read_only(conn):
    """A transaction that only reads and is rolled back, whatever happens in it."""
    trans = conn.begin()
    try:
        yield
    finally:
        try:
            trans.rollback()
        except (SQLAlchemyError, OSError):
            pass


def _select(backend: str, table: sa.Table):
    """The table's columns and, where it has no primary key, its row id; the key column names."""
    info = table.info["pdscan"]
    row_id = None
    if not info.key and not info.view:
        if backend == "postgresql":
            row_id = sa.cast(sa.literal_column("ctid"), sa.Text).label(ROW_ID)
        elif backend == "sqlite":
            row_id = sa.literal_column("rowid").label(ROW_ID)
    key_columns = list(info.key) or ([{"postgresql": "ctid", "sqlite": "rowid"}[backend]] if row_id is not None else [])
    return sa.select(*table.columns, *([row_id] if row_id is not None else [])), key_columns


def _streamed(conn, statement, table: sa.Table, query: SearchQuery, result: ItemResult):
    """Every row read in chunks; only rows with a candidate value come out (for dialects we cannot filter in)."""
    names = [c.name for c in table.columns]
    json_columns = {i for i, c in enumerate(table.columns) if isinstance(c.type, sa.JSON)}
    rows = conn.execute(statement, execution_options={"stream_results": True, "yield_per": CHUNK})
    for chunk in rows.partitions(CHUNK):
        result.records += len(chunk)
        wanted: set[int] = set()
        for batch in to_batches(names, json_columns, chunk, 0, None):
            wanted |= {int(batch.rows[i]) for i in query.candidates(batch.values)}
        for i in sorted(wanted):
            yield chunk[i]._mapping


def _record(table: sa.Table, row, key_columns: list[str]) -> Record:
    """The row as a record (JSON cells flattened), with its key."""
    info = table.info["pdscan"]
    fields = {}
    for col in table.columns:
        for fld, text in cells(col.name, row[col.name], isinstance(col.type, sa.JSON)):
            fields[fld] = text
    if info.key:
        keys = {k: json_safe(row[k]) for k in info.key}
        key = keys[info.key[0]] if len(keys) == 1 else keys
    else:
        key = json_safe(row[ROW_ID]) if ROW_ID in row else None
    return Record(fields, key, key_columns)
