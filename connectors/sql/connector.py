"""A database source: list its tables through the SQLAlchemy inspector, read each as batches."""

from __future__ import annotations

import fnmatch
import warnings
from collections.abc import Iterator

from sqlalchemy import inspect
from sqlalchemy import types as sqltypes
from sqlalchemy.engine import Connection
from sqlalchemy.engine.reflection import ObjectKind
from sqlalchemy.exc import DBAPIError, SAWarning, SQLAlchemyError

from pdscan.connectors.base import Batch, Connector, Item, Record, SearchQuery
from pdscan.connectors.options import SqlOptions
from pdscan.connectors.registry import redact
from pdscan.connectors.sql import changes, errors, estimates, pushdown, sampling, session
from pdscan.connectors.sql.sampling import TableInfo
from pdscan.connectors.sql.values import batch_bytes, row_keys, to_batches
from pdscan.core.errors import ItemError, SourceError
from pdscan.core.model import ItemResult

CHUNK = 5_000  # rows fetched and turned into batches at a time
SYSTEM_SCHEMAS = {
    "postgresql": {"pg_catalog", "information_schema"},
    "mysql": {"mysql", "information_schema", "performance_schema", "sys"},
    "mariadb": {"mysql", "information_schema", "performance_schema", "sys"},
}


def _is_system(backend: str, schema: str) -> bool:
    if backend == "postgresql" and (schema.startswith("pg_toast") or schema.startswith("pg_temp_")):
        return True
    return schema in SYSTEM_SCHEMAS.get(backend, set())


def _is_binary(coltype) -> bool:
    return isinstance(coltype, (sqltypes._Binary, sqltypes.LargeBinary))


def _selected(name: str, include: tuple[str, ...], exclude: tuple[str, ...]) -> bool:
    """Globs match `schema.table` or the bare table name."""
    bare = name.split(".", 1)[1]

    def hit(patterns):
        return any(fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(bare, p) for p in patterns)

    return (not include or hit(include)) and not hit(exclude)


class SqlConnector(Connector):
    """One database; one connection for the whole scan, a read-only transaction per table.

    A worker process builds its own connector from the source and opens its own connection on its
    first table, kept for the tables that follow: a session is never shared between processes.
    """

    schemes = ("sqlite", "postgresql", "postgres", "mysql", "mariadb")
    Options = SqlOptions
    portable = True  # a table can be read by another process from its description (TableInfo)

    def __init__(self, source: str, options=None):
        super().__init__(redact(source), options)
        options = self.options
        self.url = session.parse(source, options)
        self.backend = self.url.get_backend_name()
        self.database = session.sqlite_path(self.url) if self.backend == "sqlite" else self.url.database
        self.engine = None
        self.deadline = None
        self.conn: Connection | None = None
        # tables listed here and not read yet: the connection closes after the last. None in a worker,
        # which lists nothing and keeps its connection for the tables that come its way.
        self.unread: int | None = None
        self.reflected: dict[str, object] = {}  # container -> sa.Table, of the tables `search` went through

    @classmethod
    def handles(cls, scheme: str) -> bool:
        """Its schemes, and any other database SQLAlchemy knows (mssql, oracle, a dialect a package registers)."""
        return scheme in cls.schemes or session.known_dialect(scheme)

    @classmethod
    def check(cls, source: str, options) -> str | None:
        return session.problem(source, options)

    # -- DSAR search pushdown: WHERE clauses run by the database (pdscan.connectors.sql.pushdown) ----------
    @property
    def can_search(self) -> bool:
        return self.backend in pushdown.DIALECTS

    def search(self, item: Item, query: SearchQuery, result: ItemResult, stream: bool = False) -> Iterator[Record]:
        if self.conn is None:
            self._open()
        return pushdown.search(self, item, query, result, stream)

    def described(self, item: Item):
        return self.reflected.get(item.container)

    def _fail(self, exc: BaseException, doing: str) -> SourceError:
        return SourceError(f"{doing} {self.source}: {errors.describe(errors.classify(exc), exc)}")

    def _schemas(self, insp) -> list[str]:
        if self.backend == "sqlite":
            return ["main"]
        if self.backend in ("mysql", "mariadb") and self.url.database:
            return [self.url.database]
        return [s for s in insp.get_schema_names() if not _is_system(self.backend, s)]

    def _describe(self, insp, schema: str, kind, views: set[str], results: list[ItemResult]) -> list[TableInfo]:
        try:
            columns = insp.get_multi_columns(schema=schema, kind=kind)
            keys = insp.get_multi_pk_constraint(schema=schema, kind=kind)
        except DBAPIError:
            # One object we may not describe (a MySQL view without SHOW VIEW) fails the whole
            # schema: describe one by one, and skip those that refuse.
            self.conn.rollback()
            columns, keys = self._describe_each(insp, schema, views, results)
        found = []
        for (_, name), cols in sorted(columns.items()):
            if not _selected(f"{schema}.{name}", self.options.include, self.options.exclude):
                continue
            read = [c for c in cols if not _is_binary(c["type"])]
            found.append(
                TableInfo(
                    schema=schema,
                    name=name,
                    columns=[c["name"] for c in read],
                    json_columns={i for i, c in enumerate(read) if isinstance(c["type"], sqltypes.JSON)},
                    binary=[c["name"] for c in cols if _is_binary(c["type"])],
                    key=list((keys.get((schema, name)) or {}).get("constrained_columns") or []),
                    view=name in views,
                )
            )
        return found

    def _describe_each(self, insp, schema: str, views: set[str], results: list[ItemResult]):
        columns, keys = {}, {}
        names = insp.get_table_names(schema=schema) + sorted(views)
        for name in names:
            if not _selected(f"{schema}.{name}", self.options.include, self.options.exclude):
                continue
            try:
                columns[(schema, name)] = insp.get_columns(name, schema=schema)
                keys[(schema, name)] = {} if name in views else insp.get_pk_constraint(name, schema=schema)
            except DBAPIError as exc:
                self.conn.rollback()
                result = ItemResult(self.source, f"{schema}.{name}")
                kind = errors.classify(exc)
                reason = "permission_denied" if kind == "permission" else "read_error"
                result.skip(reason, f"cannot describe the columns ({errors.describe(kind, exc)})")
                results.append(result)
        return columns, keys

    def _tables(self, results: list[ItemResult]) -> list[TableInfo]:
        insp = inspect(self.conn)
        kind = ObjectKind.ANY if self.options.views else ObjectKind.TABLE
        found = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SAWarning)  # unknown column types: read as text
            for schema in self._schemas(insp):
                views = set(insp.get_view_names(schema=schema)) if self.options.views else set()
                if self.options.views and self.backend == "postgresql":
                    views |= set(insp.get_materialized_view_names(schema=schema))
                tables = self._describe(insp, schema, kind, views, results)
                estimates.add_sizes(self.conn, self.backend, schema, tables, self.options)
                found += tables
        return found

    def _open(self) -> None:
        try:
            self.engine, self.deadline = session.open_engine(self.url, self.options)
            self.conn = self.engine.connect()
        except (SQLAlchemyError, OSError) as exc:
            raise self._fail(exc, "cannot connect to") from None
        except UnicodeError:  # PyMySQL sends the user and password as latin-1: a `€` cannot go
            raise SourceError(
                f"cannot connect to {self.source}: the driver cannot encode the user or password"
            ) from None

    def items(self, results: list[ItemResult]) -> Iterator[Item]:
        self._open()
        try:
            tables = self._tables(results)
            self.conn.rollback()
        except (SQLAlchemyError, OSError) as exc:
            raise self._fail(exc, "cannot list the tables of") from None
        self.unread = len(tables)
        if not tables:
            self.close()
        for info in tables:
            extra = (("database", self.database), ("schema", info.schema), ("table", info.name))
            container = f"{info.schema}.{info.name}"
            yield Item(source=self.source, container=container, size=info.size, extra=extra, handle=info)

    def version(self, item: Item, previous: dict | None) -> tuple[dict | None, bool]:
        """(this table's version, unchanged since `previous`); None when not cheap to tell."""
        if self.conn is None:
            return None, False
        try:
            version = changes.table_version(self.conn, self.backend, item.handle, self.database)
        except (SQLAlchemyError, OSError):
            version = None
        finally:
            self._end_implicit()
        return version, version is not None and version == previous

    def _end_implicit(self) -> None:
        try:
            self.conn.rollback()
        except (SQLAlchemyError, OSError):
            pass

    def read(self, item: Item, result: ItemResult) -> Iterator[Batch]:
        info: TableInfo = item.handle
        try:
            if not info.columns:
                raise ItemError("unsupported_type", f"only binary columns ({', '.join(info.binary)})")
            if self.conn is None:
                self._open()
            trans = self.conn.begin()
            try:
                yield from self._read(self.conn, info, result)
            except DBAPIError as exc:
                raise self.item_error(exc, item.container) from None
            finally:
                self._end(trans)
        except SourceError:
            self.close()  # the session is gone: a worker's next table of this source opens a new one
            raise
        finally:
            if self.unread is not None:
                self.unread -= 1
                if self.unread <= 0:
                    self.close()
        if info.binary:
            result.partial("unsupported_type", f"binary columns not scanned: {', '.join(info.binary)}")

    def _read(self, conn: Connection, info: TableInfo, result: ItemResult) -> Iterator[Batch]:
        o = self.options
        plan = sampling.plan(conn, self.backend, info, o.sample_size, o.full, o.seed)
        for statement, params in plan.setup:
            conn.execute(statement, params)
        execution = {"stream_results": True, "yield_per": CHUNK} if plan.stream else {}
        rows = conn.execute(plan.statement, execution_options=execution)
        width = len(info.columns)
        first = 0
        for chunk in rows.partitions(CHUNK):
            if self.deadline:
                self.deadline.reset()  # SQLite: the limit is per fetch, as for a server-side cursor
            keys = row_keys(info, plan.row_id, chunk, width)
            result.records += len(chunk)
            for batch in to_batches(info.columns, info.json_columns, chunk, first, keys):
                result.bytes += batch_bytes(batch)
                yield batch
            first += len(chunk)
        result.sampled = plan.sampled(first, o.sample_size)
        if plan.row_id is None and not info.key:
            result.notes.append("no primary key or row id: matches carry the row's index in the read only")

    def item_error(self, exc: DBAPIError, container: str) -> Exception:
        """What a failed statement on `container` means: ItemError for the table, SourceError for the session."""
        kind = errors.classify(exc)
        if kind == "timeout" or (self.deadline and self.deadline.expired):
            return ItemError("timeout", f"a query ran past --query-timeout {self.options.query_timeout:g} s")
        if kind == "permission":
            return ItemError("permission_denied", f"no SELECT privilege on {container}")
        if kind in ("lost", "refused", "unreachable") or exc.connection_invalidated:
            return SourceError(f"lost the connection to {self.source} while reading {container}")
        return ItemError("read_error", f"the query failed ({errors.describe(kind, exc)})")

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            except (SQLAlchemyError, OSError):
                pass
            self.conn = None
        if self.engine is not None:
            self.engine.dispose()

    def _end(self, trans) -> None:
        if self.deadline:
            self.deadline.until = None
        try:
            trans.rollback()  # read-only anyway: nothing to keep
        except (SQLAlchemyError, OSError):
            pass


def check(source: str, options) -> str | None:
    return session.problem(source, options)


def connect(source: str, options) -> SqlConnector:
    return SqlConnector(source, options)
