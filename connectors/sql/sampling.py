"""Which rows to read: all (--full), a random sample where it is cheap, else the first N.

The table size comes from the planner's estimate (pg_class.reltuples, information_schema
TABLE_ROWS, SQLite's max(rowid)), never from COUNT(*). Small tables are read whole or in
random order; big PostgreSQL tables through TABLESAMPLE SYSTEM; big MySQL and SQLite tables
give their first N rows, since a random order there means sorting the whole table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Text, bindparam, cast, column, func, literal_column, select, table, tablesample, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import Select

RANDOM_ORDER_MAX = 100_000  # estimated rows up to which ORDER BY random() is cheap enough
TABLESAMPLE_MARGIN = 2.0  # sample twice the share needed: pages hold unequal numbers of rows
_M = 2_147_483_647
_P = 1_000_003  # a prime: SQLite's seeded order is a multiplicative permutation of rowids modulo it


@dataclass
class TableInfo:
    """What introspection said about one table or view."""

    schema: str
    name: str
    columns: list[str]  # read, in order
    json_columns: set[int]  # positions in `columns` holding JSON
    binary: list[str]  # columns not read (binary)
    key: list[str]  # primary-key columns
    view: bool = False
    size: int | None = None  # about how many bytes a read covers (estimates.py)


@dataclass
class Plan:
    statement: Select
    method: str  # full, first, random, tablesample
    row_id: str | None  # ctid / rowid when the table has no primary key
    setup: list = field(default_factory=list)  # statements run first (setseed)
    stream: bool = False
    estimate: int | None = None  # rows the database thinks the table has (never counted)

    def sampled(self, read: int, size: int) -> str | None:
        """How the read fell short of the whole table, or None when it read every row."""
        if self.method == "full" or (self.method != "tablesample" and read < size):
            return None
        about = f" of about {self.estimate:,}" if self.estimate is not None else ""
        how = {"tablesample": "TABLESAMPLE", "random": "in random order", "first": "the first rows"}[self.method]
        return f"{read:,} rows{about} ({how})"


def _row_id(backend: str, info: TableInfo) -> str | None:
    if info.key or info.view:
        return None
    return {"postgresql": "ctid", "sqlite": "rowid"}.get(backend)


def estimate(conn: Connection, backend: str, info: TableInfo) -> int | None:
    """Rows the database thinks the table has, without counting; None when it does not know."""
    if info.view:
        return None
    if backend == "postgresql":
        query = text(
            "SELECT c.reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = :schema AND c.relname = :name"
        )
        value = conn.execute(query, {"schema": info.schema, "name": info.name}).scalar()
        return int(value) if value is not None and value >= 0 else None  # -1: never analyzed
    if backend in ("mysql", "mariadb"):
        query = text(
            "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = :schema AND TABLE_NAME = :name"
        )
        value = conn.execute(query, {"schema": info.schema, "name": info.name}).scalar()
        return int(value) if value is not None else None
    if backend == "sqlite":
        try:  # the largest rowid, a b-tree lookup; WITHOUT ROWID tables have none
            value = conn.execute(select(func.max(literal_column("rowid"))).select_from(table(info.name))).scalar()
        except DBAPIError:
            return None
        return int(value or 0)
    return None


def _seed_fraction(seed: int) -> float:
    return (seed % _M) / _M  # setseed() takes [-1, 1]


def plan(conn: Connection, backend: str, info: TableInfo, size: int, full: bool, seed: int | None) -> Plan:
    target = table(info.name, *(column(c) for c in info.columns), schema=info.schema)
    row_id = _row_id(backend, info)

    def select_from(source) -> Select:
        picked = [source.c[c] for c in info.columns]
        if row_id == "ctid":
            picked.append(cast(literal_column("ctid"), Text).label("__pdscan_row_id"))
        elif row_id:
            picked.append(literal_column(row_id).label("__pdscan_row_id"))
        return select(*picked).select_from(source)

    if full:
        return Plan(select_from(target), "full", row_id, stream=True)
    rows = estimate(conn, backend, info)
    if rows is None or rows <= size:
        return Plan(select_from(target).limit(size), "first", row_id, estimate=rows)
    if rows <= RANDOM_ORDER_MAX:
        setup = []
        if backend == "postgresql":
            order = func.random()
            if seed is not None:
                setup.append((text("SELECT setseed(:s)"), {"s": _seed_fraction(seed)}))
        elif backend in ("mysql", "mariadb"):
            order = func.rand(seed) if seed is not None else func.rand()
        elif backend == "sqlite" and seed is not None:
            # SQLite's random() takes no seed: a seeded permutation of rowids instead
            factor = 100_003 + (seed * 7_919) % 800_000
            order = ((literal_column("rowid") % _P) * factor + seed % _P) % _P
        elif backend == "sqlite":
            order = func.random()
        else:
            return Plan(select_from(target).limit(size), "first", row_id, estimate=rows)
        return Plan(select_from(target).order_by(order).limit(size), "random", row_id, setup, estimate=rows)
    if backend == "postgresql":
        share = min(100.0, 100.0 * size * TABLESAMPLE_MARGIN / rows)
        repeat = bindparam("seed", float(seed)) if seed is not None else None
        sampled = tablesample(target, func.system(share), seed=repeat)
        return Plan(select_from(sampled).limit(size), "tablesample", row_id, estimate=rows)
    return Plan(select_from(target).limit(size), "first", row_id, estimate=rows)
