"""Databases: the person's identifiers as one parameterized WHERE clause per table.

Pushdown is typed: a number is compared with a numeric column only where the column's type can
hold it (each bound with the column's own type, so no driver guesses one type for a list), text
columns on normalized expressions (lower(); digits only through regexp_replace on PostgreSQL, a
REPLACE chain elsewhere) with LIKE containment, a superset of equality. SQL's lower() does not
fold accents or `ß` (nor, on SQLite, any non-ASCII letter), so when names are asked for, a value
holding any non-ASCII character comes back too and is folded in pdscan. Only candidate rows come
back, and each is confirmed in Python by the same matcher as files. Values are always bound
parameters, never SQL text. Another dialect (or --stream) reads every row in chunks and picks
candidates in pdscan.

After the first pass, `linked` searches the keys of the matching rows: rows of other tables whose
foreign keys (read from the schema) point at a matching row, the rows a matching row's foreign keys
point at, and rows holding a value of a join key named in the config.
"""

from __future__ import annotations

import re
import warnings
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, SAWarning, SQLAlchemyError

from pdscan.connectors.sql.connector import SqlConnector
from pdscan.connectors.sql.values import cells, json_safe, to_batches
from pdscan.core.errors import ItemError, SourceError
from pdscan.core.model import ItemResult
from pdscan.detectors.entities.person import FIRST_NAME_WORDS, LAST_NAME_WORDS
from pdscan.dsar.matcher import field_is
from pdscan.dsar.search import Link, RecordMatch, Searcher
from pdscan.engine import root_of

ROW_ID = "__pdscan_row_id"
_SEPARATORS = (" ", "-", "(", ")", ".", "+", "/")
_SKIP_TYPES = (sa.Boolean, sa.Date, sa.DateTime, sa.Time, sa.Interval, sa.LargeBinary, sa.Uuid)


def _fits(kind, number: int) -> bool:
    """A bound integer the column's type can hold (PostgreSQL refuses an out-of-range literal)."""
    if abs(number) >= 2**63:
        return isinstance(kind, sa.Numeric) and not isinstance(kind, sa.Integer) and _digits_fit(kind, number)
    if isinstance(kind, sa.SmallInteger):
        return -(2**15) <= number < 2**15
    if isinstance(kind, sa.BigInteger):
        return True
    if isinstance(kind, sa.Integer):
        return -(2**31) <= number < 2**31
    return _digits_fit(kind, number)


def _digits_fit(kind, number: int) -> bool:
    precision, scale = getattr(kind, "precision", None), getattr(kind, "scale", None) or 0
    return precision is None or len(str(abs(number))) <= precision - scale


def _is_number(kind) -> bool:
    return isinstance(kind, (sa.Integer, sa.Numeric)) and not isinstance(kind, sa.Float)


def _numbers_equal(col, numbers) -> list:
    """`col = n` for each n the column can hold, each bound with the column's type: a list bound
    as one IN (...) takes one type from its first value, and a larger one then overflows it."""
    return [col == sa.bindparam(None, n, type_=col.type) for n in sorted(numbers) if _fits(col.type, n)]


def equals(col, text: str):
    """`col` holds exactly `text` (a key value as read back), typed; None when it cannot."""
    if _is_number(col.type):
        number = text.strip()
        if not re.fullmatch(r"-?\d{1,40}", number):
            return None
        found = _numbers_equal(col, [int(number)])
        return found[0] if found else None
    if isinstance(col.type, sa.String) and not isinstance(col.type, sa.Enum):
        return col == sa.bindparam(None, text, type_=col.type)
    return sa.cast(col, sa.Text) == sa.bindparam(None, text, type_=sa.Text)


def _non_ascii(expr, backend: str):
    """The value holds a character outside ASCII: more bytes than characters (UTF-8)."""
    if backend == "sqlite":
        return sa.func.length(expr) != sa.func.length(sa.cast(expr, sa.LargeBinary))
    if backend == "postgresql":
        return sa.func.char_length(expr) != sa.func.octet_length(expr)
    return sa.func.char_length(expr) != sa.func.length(expr)  # MySQL, MariaDB: LENGTH counts bytes


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
        if _is_number(kind):
            wanted = {int(t) for i in idents for t in i.digit_targets()}
            wanted |= {int(str(i.country) + i.national) for i in idents if i.kind == "phone"}
            out += _numbers_equal(col, wanted)
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
        if any(i.kind == "name" for i in idents):  # folded in pdscan: accents, ß, non-ASCII case
            out.append(_non_ascii(expr, backend))
    firsts = [c for c in text_columns if field_is(c.name, FIRST_NAME_WORDS)]
    lasts = [c for c in text_columns if field_is(c.name, LAST_NAME_WORDS)]
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
    tables: dict[str, tuple] = {}
    for item in searcher.ordered(source, items):
        result = ItemResult(root_of(source, searcher.names), item.container)
        found: list[RecordMatch] = []
        if error:
            result.skip("source_error", "not searched: the source failed earlier in this run")
        else:
            try:
                found = _search_table(connector, searcher, item, result, stream, tables)
            except SourceError as exc:
                error = str(exc)
                result.skip("source_error", error)
            except ItemError as exc:
                result.skip(exc.reason, exc.detail)
        searcher.answer.matches += found
        searcher.cover(result, method, len(found))
    searcher.source_done(source, error)
    if error or not tables:
        connector.close()
    else:  # kept open for the second pass (linked records)
        searcher.databases[root_of(source, searcher.names)] = Database(connector, tables)


class Database:
    """A database searched in the first pass: its connection and reflected tables, for the second."""

    def __init__(self, connector: SqlConnector, tables: dict[str, tuple]):
        self.connector = connector
        self.tables = tables  # container -> (item, sa.Table)

    def foreign_links(self, m: RecordMatch) -> list[Link]:
        """Keys of a matching row that foreign keys join on: rows pointing at it, rows it points at."""
        if m.container not in self.tables:
            return []
        _, table = self.tables[m.container]
        out = []
        for container, (_, other) in self.tables.items():
            for fk in other.foreign_key_constraints:
                if _refers(fk, table):
                    out += _link(m, container, [(e.column.name, e.parent.name) for e in fk.elements])
        for fk in table.foreign_key_constraints:
            target = next((c for c, (_, t) in self.tables.items() if _refers(fk, t)), None)
            if target is not None:
                out += _link(m, target, [(e.parent.name, e.column.name) for e in fk.elements])
        return out

    def close(self) -> None:
        self.connector.close()


def _refers(fk: sa.ForeignKeyConstraint, table: sa.Table) -> bool:
    ref = fk.referred_table
    return ref.name == table.name and ref.schema in (None, table.schema)


def _link(m: RecordMatch, target: str, pairs: list[tuple[str, str]]) -> list[Link]:
    """(column of the match, column of the target) pairs: a Link when the match holds every key."""
    values = [m.record.get(mine) for mine, _ in pairs]
    if any(v is None or v == "" for v in values):
        return []
    via = ",".join(f"{m.container}.{mine}={v}" for (mine, _), v in zip(pairs, values, strict=True))
    return [Link(via, tuple(values), tuple((theirs.lower(),) for _, theirs in pairs), m.source, target)]


def search_linked(searcher: Searcher, source: str, links: list[Link]) -> None:
    """The second pass over one database: rows holding the keys of matching records."""
    db = searcher.databases[source]
    conn = db.connector.conn
    for container, (item, table) in db.tables.items():
        wanted = [(link, cond) for link in links if link.applies(source, container)
                  for cond in [_link_condition(table, link)] if cond is not None]  # fmt: skip
        if not wanted:
            continue
        try:
            with _read(conn):
                statement, key_columns = _select(db.connector, table)
                rows = conn.execute(statement.where(sa.or_(*(c for _, c in wanted)))).mappings()
                for row in rows:
                    m = _match(table, item, row, key_columns, searcher.names)
                    for link, _ in wanted:
                        columns = link.holds(m.record)
                        if columns:
                            m.link = f"{link.via} -> {container}.{','.join(columns)}"
                            searcher.linked(m)
                            break
        except DBAPIError as exc:
            error = db.connector._item_error(exc, container)
            searcher.downgrade(source, container, getattr(error, "reason", "read_error"),
                               f"linked records not searched: {getattr(error, 'detail', error)}")  # fmt: skip
        except SQLAlchemyError as exc:
            searcher.downgrade(source, container, "read_error", f"linked records not searched ({type(exc).__name__})")


def _link_condition(table: sa.Table, link: Link):
    """Every key of the link equal in some column of the table named for it (typed), or None."""
    parts = []
    for names, value in zip(link.columns, link.values, strict=True):
        options = [
            c for col in table.columns if col.name.lower() in names for c in [equals(col, value)] if c is not None
        ]
        if not options:
            return None
        parts.append(sa.or_(*options))
    return sa.and_(*parts)


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


@contextmanager
def _read(conn):
    """A transaction that only reads and is rolled back, whatever happens in it."""
    trans = conn.begin()
    try:
        yield
    finally:
        try:
            trans.rollback()
        except (SQLAlchemyError, OSError):
            pass


def _select(connector: SqlConnector, table: sa.Table):
    """The table's columns and, where it has no primary key, its row id; the key column names."""
    info, backend = table.info["pdscan"], connector.backend
    row_id = None
    if not info.key and not info.view:
        if backend == "postgresql":
            row_id = sa.cast(sa.literal_column("ctid"), sa.Text).label(ROW_ID)
        elif backend == "sqlite":
            row_id = sa.literal_column("rowid").label(ROW_ID)
    key_columns = list(info.key) or ([{"postgresql": "ctid", "sqlite": "rowid"}[backend]] if row_id is not None else [])
    return sa.select(*table.columns, *([row_id] if row_id is not None else [])), key_columns


def _match(table: sa.Table, item, row, key_columns: list[str], names: dict[str, str]) -> RecordMatch:
    """The row as a record (JSON cells flattened), located by its key; hits and link to be set."""
    info = table.info["pdscan"]
    record = {}
    for col in table.columns:
        for fld, text in cells(col.name, row[col.name], isinstance(col.type, sa.JSON)):
            record[fld] = text
    if info.key:
        keys = {k: json_safe(row[k]) for k in info.key}
        key = keys[info.key[0]] if len(keys) == 1 else keys
    else:
        key = json_safe(row[ROW_ID]) if ROW_ID in row else None
    location = {"container": item.container, "row_key": key, **dict(item.extra)}
    return RecordMatch(root_of(item.source, names), item.container, location, record, [], key_columns)


def _search_table(connector: SqlConnector, searcher: Searcher, item, result: ItemResult, stream: bool,
                  tables: dict[str, tuple]) -> list:  # fmt: skip
    info = item.handle
    conn = connector.conn
    try:
        with _read(conn):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SAWarning)  # unknown column types: compared as text
                table = sa.Table(info.name, sa.MetaData(), schema=info.schema, autoload_with=conn)
            table.info["pdscan"] = info
            tables[item.container] = (item, table)
            if info.binary:
                result.partial("unsupported_type", f"binary columns not searched: {', '.join(info.binary)}")
            where = conditions(table, connector.backend, searcher.matcher)
            if not where:
                return []  # no column could hold any of the identifiers: searched, nothing there
            statement, key_columns = _select(connector, table)
            if stream:
                rows = _streamed(conn, statement, table, searcher.matcher, result)
            else:
                rows = conn.execute(statement.where(sa.or_(*where))).mappings()
            found = []
            for row in rows:
                if not stream:
                    result.records += 1
                m = _match(table, item, row, key_columns, searcher.names)
                m.hits = searcher.matcher.record(m.record)
                if m.hits:
                    found.append(m)
            return found
    except DBAPIError as exc:
        raise connector._item_error(exc, item.container) from None
    except SQLAlchemyError as exc:
        raise ItemError("read_error", f"cannot describe or query the table ({type(exc).__name__})") from None
