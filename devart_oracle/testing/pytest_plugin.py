"""pytest fixtures for code that talks to Oracle, backed by ``OracleTestServer``.

Enable with ``pytest_plugins = ["devart_oracle.testing.pytest_plugin"]`` in
a ``conftest.py``. The server is shared by the whole test session; a test
that stops it, drops its connections or kills sessions should start a server
of its own instead.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._server import OracleTestServer

__all__ = ["oracle_connection_string", "oracle_server"]


@pytest.fixture(scope="session")
def oracle_server() -> Iterator[OracleTestServer]:
    """A running server with user scott/tiger and service FREEPDB1."""
    with OracleTestServer(users={"scott": "tiger"}, service_name="FREEPDB1") as server:
        yield server


@pytest.fixture(scope="session")
def oracle_connection_string(oracle_server: OracleTestServer) -> str:
    """A Devart connection string that logs on to ``oracle_server`` as scott."""
    return oracle_server.connection_string("scott")
