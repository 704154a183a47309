"""Driver errors as our own one-line messages: a driver's text may quote the URL or the data."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

# What went wrong, keyed by driver codes: PostgreSQL SQLSTATE, MySQL/MariaDB error numbers.
PG_STATES = {
    "42501": "permission",  # insufficient_privilege
    "57014": "timeout",  # query_canceled (statement_timeout)
    "55P03": "timeout",  # lock_not_available (lock_timeout)
    "28P01": "auth",
    "28000": "auth",
    "3D000": "no_database",
    "57P01": "lost",  # admin_shutdown: pg_terminate_backend
    "57P02": "lost",
    "57P03": "refused",  # cannot_connect_now (starting up)
}
MYSQL_CODES = {
    1142: "permission",  # SELECT command denied
    1143: "permission",  # column denied
    1044: "permission",  # access denied to database
    1045: "auth",
    1049: "no_database",
    1040: "too_many",  # too many connections
    1203: "too_many",  # max_user_connections
    1969: "timeout",  # MariaDB max_statement_time
    3024: "timeout",  # MySQL max_execution_time
    1317: "timeout",  # query interrupted
    2003: "refused",
    2005: "unknown_host",
    2006: "lost",
    2013: "lost",
}
# Connect failures carry no code: recognised by their text, which is never shown.
PHRASES = (
    ("password authentication failed", "auth"),
    ("authentication failed", "auth"),
    ("no password supplied", "auth"),
    ("connection refused", "refused"),
    ("could not translate host name", "unknown_host"),
    ("name or service not known", "unknown_host"),
    ("timeout expired", "unreachable"),
    ("timed out", "unreachable"),
    ("does not exist", "no_database"),
    ("unable to open database", "no_database"),
    ("server closed the connection", "lost"),
    ("terminating connection", "lost"),
    ("connection is lost", "lost"),
    ("consuming input failed", "lost"),
    ("too many connections", "too_many"),  # a role's or database's limit: each worker opens a session
    ("too many clients", "too_many"),  # the server's max_connections
)
MESSAGES = {
    "auth": "authentication failed",
    "refused": "connection refused",
    "unknown_host": "unknown host",
    "unreachable": "the server did not answer in time",
    "too_many": "too many connections",
    "no_database": "the database does not exist or cannot be opened",
    "permission": "permission denied",
    "timeout": "query timed out",
    "lost": "the connection was lost",
}


def classify(exc: BaseException) -> str:
    """One of MESSAGES' keys, or 'other'."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    state = getattr(orig, "sqlstate", None)
    if state in PG_STATES:
        return PG_STATES[state]
    args = getattr(orig, "args", ())
    if args and isinstance(args[0], int) and args[0] in MYSQL_CODES:
        return MYSQL_CODES[args[0]]
    text = str(orig).lower()
    for phrase, kind in PHRASES:
        if phrase in text:
            return kind
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return "lost"
    if state and state.startswith("08"):
        return "lost"
    return "other"


def describe(kind: str, exc: BaseException) -> str:
    """A line about the error that quotes nothing from the driver."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    return MESSAGES.get(kind) or f"{type(orig).__name__}"
