"""Servers the connector tests read: databases started once per test session, moto's S3 per test."""

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


@pytest.fixture
def moto_server(monkeypatch):
    """moto's S3 server on 127.0.0.1 for one test, with dummy credentials and no AWS settings of the machine."""
    from tests.connectors.s3server import DUMMY_ENV, MotoServer

    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in DUMMY_ENV.items():
        monkeypatch.setenv(name, value)
    server = MotoServer()
    yield server
    server.stop()
