"""Databases: the person's identifiers as one parameterized WHERE clause per table.

Text columns are compared on normalized expressions (lower(); digits only through
regexp_replace on PostgreSQL, a REPLACE chain elsewhere) with LIKE containment, a superset of
equality; integer columns by equality. Only candidate rows come back, and each is confirmed
in Python by the same matcher as files. Values are always bound parameters, never SQL text.
Another dialect (or --stream) reads every row in chunks and picks candidates in pdscan.
"""

from __future__ import annotations

import warnings

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, SAWarning, SQLAlchemyError

from pdscan.connectors.registry import redact
from pdscan.connectors.sql.connector import SqlConnector
from pdscan.connectors.sql.values import cells, json_safe, to_batches
from pdscan.dsar.matcher import _FIRST, _LAST, _field_is
from pdscan.dsar.search import RecordMatch, Searcher
from pdscan.model import ItemError, ItemResult, SourceError

ROW_ID = "__pdscan_row_id"
_SEPARATORS = (" ", "-", "(", ")", ".", "+", "/")
_SKIP_TYPES = (sa.Boolean, sa.Date, sa.DateTime, sa.Time, sa.Interval, sa.LargeBinary, sa.Uuid)


def _fits(kind, number: int) -> bool:
    """A bound integer the column's type can hold (PostgreSQL refuses an out-of-range literal)."""
    if isinstance(kind, sa.SmallInteger):
        return number < 2**15
    if isinstance(kind, sa.BigInteger):
        return number < 2**63
    if isinstance(kind, sa.Integer):
        return number < 2**31
    precision, scale = getattr(kind, "precision", None), getattr(kind, "scale", None) or 0
    return precision is None or len(str(number)) <= precision - scale


def _escape(text: str) -> str:
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


def _digits_of(expr, backend: str):
    if backend == "postgresql":
        return sa.func.regexp_replace(expr, "[^0-9]", "", "g")
    for sep in _SEPARATORS:
        expr = sa.func.replace(expr, sep, "")
    return expr


def conditions(table: sa.Table, backend: str, matcher) -> list:
    """One OR-able condition per (column, identifier) that could hold it."""
    idents = matcher.identifiers.items
    out = []
    text_columns = []
    for col in table.columns:
        kind = col.type
        if isinstance(kind, _SKIP_TYPES):
            continue
        if isinstance(kind, (sa.Integer, sa.Numeric)) and not isinstance(kind, sa.Float):
            wanted = {int(t) for i in idents for t in i.digit_targets()}
            wanted |= {int(str(i.country) + i.national) for i in idents if i.kind == "phone"}
            wanted = {n for n in wanted if _fits(kind, n)}
            if wanted:
                out.append(col.in_(sorted(wanted)))
            for i in idents:
                if i.kind == "card_last4":
                    out.append(sa.cast(col, sa.Text).like(f"%{i.value}", escape="/"))
            continue
        text_columns.append(col)
        expr = col if isinstance(kind, sa.String) and not isinstance(kind, sa.Enum) else sa.cast(col, sa.Text)
        lower = sa.func.lower(expr)
        digits = _digits_of(expr, backend)
        for i in idents:
            if i.kind == "email":
                out.append(lower.like(f"%{_escape(i.value)}%", escape="/"))
            elif i.kind == "name":
                given, surname = _escape(i.given), _escape(i.surname)
                out.append(lower.like(f"%{given}%{surname}%", escape="/"))
                out.append(lower.like(f"%{surname}%,%{given}%", escape="/"))
            elif i.kind == "card_last4":
                out.append(digits.like(f"%{i.value}%", escape="/"))
            for target in i.digit_targets():
                out.append(digits.like(f"%{target}%", escape="/"))
    firsts = [c for c in text_columns if _field_is(c.name, _FIRST)]
    lasts = [c for c in text_columns if _field_is(c.name, _LAST)]
    for i in idents:
        if i.kind == "name" and firsts and lasts:
            for first in firsts:
                for last in lasts:
                    out.append(sa.and_(sa.func.lower(sa.func.trim(first)) == i.given,
                                       sa.func.lower(sa.func.trim(last)) == i.surname))  # fmt: skip
    return out


PUSHDOWN = {"postgresql", "mysql", "mariadb", "sqlite"}  # dialects whose lower/replace/LIKE we rely on
CHUNK = 5_000


def search_database(searcher: Searcher, source: str) -> None:
    connector = SqlConnector(source, searcher.options)
    stream = searcher.sql_stream or connector.backend not in PUSHDOWN
    method = "sql-stream" if stream else "sql-where"
    items, error = searcher.listing(connector, method)
    for item in searcher.ordered(source, items):
        result = ItemResult(redact(source), item.container)
        found: list[RecordMatch] = []
        if error:
            result.skip("source_error", "not searched: the source failed earlier in this run")
        else:
            try:
                found = _search_table(connector, searcher, item, result, stream)
            except SourceError as exc:
                error = str(exc)
                result.skip("source_error", error)
            except ItemError as exc:
                result.skip(exc.reason, exc.detail)
        searcher.answer.matches += found
        searcher.cover(result, method, len(found))
    connector.close()
    searcher.source_done(source, error)


def _streamed(conn, statement, table: sa.Table, matcher, result: ItemResult):
    """Every row read in chunks; only rows with a candidate value come out (for dialects we cannot filter in)."""
    names = [c.name for c in table.columns]
    json_columns = {i for i, c in enumerate(table.columns) if isinstance(c.type, sa.JSON)}
    rows = conn.execute(statement, execution_options={"stream_results": True, "yield_per": CHUNK})
    for chunk in rows.partitions(CHUNK):
        result.records += len(chunk)
        wanted: set[int] = set()
        for batch in to_batches(names, json_columns, chunk, 0, None):
            wanted |= {int(batch.rows[i]) for i in matcher.candidates(batch.values)}
        for i in sorted(wanted):
            yield chunk[i]._mapping


def _search_table(connector: SqlConnector, searcher: Searcher, item, result: ItemResult, stream: bool) -> list:
    info = item.handle
    conn = connector.conn
    trans = conn.begin()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SAWarning)  # unknown column types: compared as text
            table = sa.Table(info.name, sa.MetaData(), schema=info.schema, autoload_with=conn)
        where = conditions(table, connector.backend, searcher.matcher)
        if not where:
            raise ItemError("unsupported_type", "no column that could hold the identifiers")
        row_id = None
        if not info.key and not info.view:
            if connector.backend == "postgresql":
                row_id = sa.cast(sa.literal_column("ctid"), sa.Text).label(ROW_ID)
            elif connector.backend == "sqlite":
                row_id = sa.literal_column("rowid").label(ROW_ID)
        statement = sa.select(*table.columns, *([row_id] if row_id is not None else []))
        if stream:
            rows = _streamed(conn, statement, table, searcher.matcher, result)
        else:
            rows = conn.execute(statement.where(sa.or_(*where))).mappings()
        key_columns = list(info.key) or ([{"postgresql": "ctid", "sqlite": "rowid"}[connector.backend]]
                                         if row_id is not None else [])  # fmt: skip
        found = []
        for row in rows:
            if not stream:
                result.records += 1
            record = {}
            for col in table.columns:
                for fld, text in cells(col.name, row[col.name], isinstance(col.type, sa.JSON)):
                    record[fld] = text
            hits = searcher.matcher.record(record)
            if not hits:
                continue
            if info.key:
                keys = {k: json_safe(row[k]) for k in info.key}
                key = keys[info.key[0]] if len(keys) == 1 else keys
            else:
                key = json_safe(row[ROW_ID]) if row_id is not None else None
            location = {"container": item.container, "row_key": key, **dict(item.extra)}
            found.append(RecordMatch(result.source, item.container, location, record, hits, key_columns))
        return found
    except DBAPIError as exc:
        raise connector._item_error(exc, item.container) from None
    except SQLAlchemyError as exc:
        raise ItemError("read_error", f"cannot describe or query the table ({type(exc).__name__})") from None
    finally:
        try:
            trans.rollback()
        except (SQLAlchemyError, OSError):
            pass
