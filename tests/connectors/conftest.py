"""Database servers, started once per test session and stopped at its end."""

import pytest

from tests.connectors import servers


@pytest.fixture(scope="session")
def postgres_server():
    server = servers.start_postgres()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def mariadb_server():
    server = servers.start_mariadb()
    yield server
    server.stop()
