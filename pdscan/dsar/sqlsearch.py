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

import sqlalchemy as sa

from pdscan.connectors.base import Item, Record
from pdscan.core.errors import ItemError, SourceError, stopped_by
from pdscan.core.model import ItemResult
from pdscan.detectors.entities.person import FIRST_NAME_WORDS, LAST_NAME_WORDS
from pdscan.dsar.matcher import field_is
from pdscan.dsar.records import Link, RecordMatch
from pdscan.engine import root_of

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


class MatchQuery:
    """The first pass: rows holding any of the person's identifiers (pdscan.connectors.base.SearchQuery)."""

    def __init__(self, matcher):
        self.matcher = matcher

    def where(self, table: sa.Table, dialect: str) -> list:
        return conditions(table, dialect, self.matcher)

    def candidates(self, values) -> set[int]:
        return self.matcher.candidates(values)


def search_database(searcher, source: str, connector) -> None:
    """The first pass over one database (a connector that `can_search`); `searcher` a dsar.search.Searcher."""
    stream = searcher.sql_stream
    method = "sql-stream" if stream else "sql-where"
    items, error = searcher.listing(connector, method)
    items = searcher.ordered(source, items)
    for item in items:
        result = ItemResult(root_of(source, searcher.names), item.container)
        found: list[RecordMatch] = []
        if error:
            result.skip("source_error", "not searched: the source failed earlier in this run")
        else:
            try:
                found = _search_table(connector, searcher, item, result, stream)
            except (SourceError, ItemError) as exc:  # mapped as the scan engine maps it
                scope, reason, detail = stopped_by(exc)
                error = detail if scope == "source" else error
                result.skip(reason, detail)
        searcher.answer.matches += found
        searcher.cover(result, method, len(found))
    searcher.source_done(source, error)
    # the tables searched, in search order, with their reflected description (foreign keys)
    tables = {i.container: (i, connector.described(i)) for i in items if connector.described(i) is not None}
    if error or not tables:
        connector.close()
    else:  # kept open for the second pass (linked records)
        searcher.databases[root_of(source, searcher.names)] = Database(connector, tables)


class Database:
    """A database searched in the first pass: its connection and reflected tables, for the second."""

    def __init__(self, connector, tables: dict[str, tuple]):
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


class LinkQuery:
    """The second pass over one table: rows holding every key of a link that applies to it."""

    def __init__(self, source: str, container: str, links: list[Link]):
        self.source, self.container, self.links = source, container, links
        self.wanted: list[tuple[Link, object]] = []

    def where(self, table: sa.Table, dialect: str) -> list:
        self.wanted = [(link, cond) for link in self.links if link.applies(self.source, self.container)
                       for cond in [_link_condition(table, link)] if cond is not None]  # fmt: skip
        return [cond for _, cond in self.wanted]

    def candidates(self, values) -> set[int]:
        return set(range(len(values)))


def search_linked(searcher, source: str, links: list[Link]) -> None:
    """The second pass over one database: rows holding the keys of matching records."""
    db = searcher.databases[source]
    for container, (item, _table) in db.tables.items():
        query = LinkQuery(source, container, links)
        try:
            for record in db.connector.search(item, query, ItemResult(source, container)):
                m = _match(item, record, searcher.names)
                for link, _ in query.wanted:
                    columns = link.holds(m.record)
                    if columns:
                        m.link = f"{link.via} -> {container}.{','.join(columns)}"
                        searcher.linked(m)
                        break
        except ItemError as exc:
            searcher.downgrade(source, container, exc.reason, f"linked records not searched: {exc.detail}")
        except SourceError as exc:
            searcher.downgrade(source, container, "read_error", f"linked records not searched: {exc}")


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


def _match(item: Item, record: Record, names: dict[str, str]) -> RecordMatch:
    """A record the database found, located by its key; hits and link to be set."""
    location = {"container": item.container, "row_key": record.row_key, **dict(item.extra)}
    return RecordMatch(root_of(item.source, names), item.container, location, record.fields, [], record.key_columns)


def _search_table(connector, searcher, item: Item, result: ItemResult, stream: bool) -> list[RecordMatch]:
    found = []
    for record in connector.search(item, MatchQuery(searcher.matcher), result, stream):
        m = _match(item, record, searcher.names)
        m.hits = searcher.matcher.record(m.record)
        if m.hits:
            found.append(m)
    return found
