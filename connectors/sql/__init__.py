"""Databases through SQLAlchemy: SQLite, PostgreSQL (psycopg), MySQL and MariaDB (PyMySQL)."""

from pdscan.connectors.sql.connector import SqlConnector, check, connect

__all__ = ["SqlConnector", "check", "connect"]
