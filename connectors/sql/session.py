"""Database URLs and read-only, time-limited sessions: one engine (one connection) per source."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.pool import NullPool

from pdscan.connectors.limits import Limits
from pdscan.connectors.registry import redact
from pdscan.connectors.sql import sqlitefile
from pdscan.core.errors import UrlError

# A bare scheme gets a maintained driver: psycopg 3 and PyMySQL.
DRIVERS = {
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "mysql": "mysql+pymysql",
    "mariadb": "mariadb+pymysql",
    "sqlite": "sqlite+pysqlite",
}
PASSWORD_ENV = "PDSCAN_DB_PASSWORD"
CONNECT_TIMEOUT = 10  # seconds to reach the server
SQLITE_BUSY_TIMEOUT = 5.0  # seconds to wait for a writer's lock


def with_driver(source: str) -> URL:
    """The SQLAlchemy URL with the driver pdscan installs (psycopg 3, PyMySQL) unless one is named."""
    try:
        url = make_url(source)
    except (ArgumentError, ValueError):
        raise UrlError("not a valid database URL") from None
    backend, _, driver = url.drivername.partition("+")
    backend = "postgresql" if backend == "postgres" else backend
    return url.set(drivername=f"{backend}+{driver}" if driver else DRIVERS.get(backend, backend))


def parse(source: str, options) -> URL:
    """The SQLAlchemy URL with our default driver and a password from the environment if none given."""
    url = with_driver(source)
    backend = url.get_backend_name()
    if backend != "sqlite" and url.password is None:
        password = options.password or os.environ.get(PASSWORD_ENV)
        if password is None and backend in ("mysql", "mariadb"):
            password = os.environ.get("MYSQL_PWD")  # libmysqlclient honours it, PyMySQL does not
        if password is not None:
            url = url.set(password=password)
    return url


def driver_problem(url: URL) -> str | None:
    """Why this URL's dialect or driver cannot be loaded, else None."""
    try:
        url.get_dialect().import_dbapi()
    except NoSuchModuleError:
        return f"no SQLAlchemy dialect for '{url.drivername}'"
    except ImportError as exc:
        return f"the database driver for '{url.drivername}' is not installed ({exc.name or 'import failed'})"
    return None


def sqlite_path(url: URL) -> str | None:
    return os.path.abspath(url.database) if url.database and url.database != ":memory:" else None


@dataclass
class Deadline:
    """SQLite has no statement timeout: its progress handler asks this between VM steps."""

    seconds: float
    until: float | None = None
    expired: bool = False

    def reset(self) -> None:
        self.until = time.monotonic() + self.seconds
        self.expired = False

    def __call__(self) -> int:
        if self.until is not None and time.monotonic() > self.until:
            self.expired = True
            return 1  # non-zero interrupts the statement
        return 0


def _sqlite_engine(url: URL, deadline: Deadline, limits: Limits) -> Engine:
    path = sqlite_path(url) or ""

    def connect():
        conn = sqlitefile.connect(path, limits, SQLITE_BUSY_TIMEOUT)  # nothing beside the file touched
        conn.set_progress_handler(deadline, 10_000)
        return conn

    engine = create_engine("sqlite+pysqlite://", creator=connect, poolclass=NullPool)
    event.listen(engine, "before_cursor_execute", lambda *_: deadline.reset())
    return engine


def _postgres_engine(url: URL, timeout_ms: int) -> Engine:
    settings = {
        "default_transaction_read_only": "on",
        "statement_timeout": timeout_ms,
        "lock_timeout": timeout_ms,
        "idle_in_transaction_session_timeout": max(timeout_ms * 10, 600_000),
        "max_parallel_workers_per_gather": 0,  # polite, and keeps random() with setseed repeatable
    }
    options = " ".join(f"-c {k}={v}" for k, v in settings.items())
    args = {"connect_timeout": CONNECT_TIMEOUT, "options": options, "application_name": "pdscan"}
    return create_engine(url, connect_args=args, poolclass=NullPool)


def _mysql_engine(url: URL, timeout: float) -> Engine:
    # The socket read limit is a backstop for a hung server; the statement limit is set below.
    args = {"connect_timeout": CONNECT_TIMEOUT, "read_timeout": int(timeout * 2) + 30}
    engine = create_engine(url, connect_args=args, poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _session(dbapi_conn, _record) -> None:
        with dbapi_conn.cursor() as cur:
            cur.execute("SELECT VERSION()")
            if "mariadb" in str(cur.fetchone()[0]).lower():
                cur.execute("SET SESSION max_statement_time = %s", (timeout,))  # seconds
            else:
                cur.execute("SET SESSION max_execution_time = %s", (int(timeout * 1000),))  # ms, SELECT only
            cur.execute("SET SESSION TRANSACTION READ ONLY")

    return engine


def open_engine(url: URL, options) -> tuple[Engine, Deadline | None]:
    """An engine whose sessions are read-only and whose statements stop after --query-timeout."""
    backend = url.get_backend_name()
    if backend == "sqlite":
        deadline = Deadline(options.query_timeout)
        return _sqlite_engine(url, deadline, options.limits), deadline
    if backend == "postgresql":
        return _postgres_engine(url, int(options.query_timeout * 1000)), None
    if backend in ("mysql", "mariadb"):
        return _mysql_engine(url, options.query_timeout), None
    # Another dialect whose driver is installed: no session settings we know of.
    return create_engine(url, poolclass=NullPool), None


def problem(source: str, options) -> str | None:
    """A usage problem with a database source (its URL, driver or SQLite file), else None."""
    try:
        url = parse(source, options)
    except UrlError as exc:
        return f"{exc}: {redact(source)}"
    found = driver_problem(url)
    if found:
        return found
    if url.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is None:
            return "an in-memory SQLite database has nothing to scan: give a file, sqlite:///path.db"
        if not os.path.isfile(path):
            return f"no such SQLite database file: {path}"
    return None


def known_dialect(name: str) -> bool:
    """Another database SQLAlchemy knows (mssql, oracle, or a dialect a package registers)."""
    from sqlalchemy.dialects import registry

    try:
        registry.load(name)
    except (NoSuchModuleError, ImportError):
        return False
    return True
