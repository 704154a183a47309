"""Database URLs: default drivers, passwords from the environment, problems reported before scanning."""

import pytest

from pdscan.connectors.registry import ConnectorOptions, check
from pdscan.connectors.sql import session


@pytest.mark.parametrize(
    ("source", "driver"),
    [
        ("postgresql://u:p@h/db", "postgresql+psycopg"),
        ("postgres://u:p@h/db", "postgresql+psycopg"),
        ("postgresql+psycopg://u:p@h/db", "postgresql+psycopg"),
        ("mysql://u:p@h/db", "mysql+pymysql"),
        ("mariadb://u:p@h/db", "mariadb+pymysql"),
        ("sqlite:///x.db", "sqlite+pysqlite"),
    ],
)
def test_bare_schemes_get_maintained_drivers(source, driver):
    assert session.parse(source, ConnectorOptions()).drivername == driver


def test_password_precedence(monkeypatch):
    monkeypatch.setenv("PDSCAN_DB_PASSWORD", "from-env")
    monkeypatch.setenv("MYSQL_PWD", "from-mysql-env")
    options = ConnectorOptions()
    assert session.parse("postgresql://u:inline@h/db", options).password == "inline"
    assert session.parse("postgresql://u@h/db", options).password == "from-env"
    assert session.parse("postgresql://u@h/db", ConnectorOptions(password="opt")).password == "opt"
    monkeypatch.delenv("PDSCAN_DB_PASSWORD")
    assert session.parse("mysql://u@h/db", options).password == "from-mysql-env"
    assert session.parse("postgresql://u@h/db", options).password is None  # libpq: PGPASSWORD, ~/.pgpass


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("postgresql+nosuchdriver://u:Secret1@h/db", "no SQLAlchemy dialect for 'postgresql+nosuchdriver'"),
        ("sqlite://", "an in-memory SQLite database has nothing to scan"),
        ("postgresql://u:Secret1@h:notaport/db", "not a valid database URL: postgresql://u:***@h:notaport/db"),
        # other SQLAlchemy dialects go to the database connector, which names the missing driver
        ("mssql://u:Secret1@h/db", "the database driver for 'mssql' is not installed (pyodbc)"),
        ("oracle://u:Secret1@h/db", "the database driver for 'oracle' is not installed (oracledb)"),
        ("nosuchdb://u:Secret1@h/db", "unsupported source scheme 'nosuchdb://'"),
    ],
)
def test_problems_before_scanning_never_show_the_password(source, problem):
    found = check(source)
    assert found is not None and found.startswith(problem) and "Secret1" not in found


def test_problem_is_a_usage_error(scan):
    run = scan("postgresql+nosuchdriver://u:Secret1@h/db")
    assert run.code == 2 and "no SQLAlchemy dialect" in run.stderr and "Secret1" not in run.stderr
