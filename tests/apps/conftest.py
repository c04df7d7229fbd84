"""Fixtures for applications run against the embedded server: SQLAlchemy and pandas.

``connector`` gives each test module's engine its connections three ways:
python-oracledb directly, ``devart_oracle.connect`` (the module-level pool
does the pooling, so SQLAlchemy's is off) and a devart_oracle explicit pool
(``creator=pool.acquire``, as SQLAlchemy's documentation shows for
python-oracledb's own pools).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import oracledb
import pytest

import devart_oracle
from devart_oracle.testing import OracleTestServer

Creator = Callable[[], Any]


@pytest.fixture
def engine(connector: tuple[Creator, bool]) -> Iterator[Any]:
    """A SQLAlchemy engine on ``connector`` (pooling left to devart_oracle's pools)."""
    sa = pytest.importorskip("sqlalchemy")
    from sqlalchemy.pool import NullPool

    creator, pooled = connector
    options: dict[str, Any] = {} if pooled else {"poolclass": NullPool}
    engine = sa.create_engine("oracle+oracledb://", creator=creator, **options)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def app_server() -> Iterator[OracleTestServer]:
    """A server of the module's own, so that its tables meet no other module's."""
    with OracleTestServer(users={"scott": "tiger", "adams": "wood"}) as server:
        yield server


@pytest.fixture(params=["oracledb", "devart.connect", "devart.create_pool"])
def connector(request: pytest.FixtureRequest,
              app_server: OracleTestServer) -> Iterator[tuple[Creator, bool]]:
    """(a connection factory, whether SQLAlchemy should pool its connections)."""
    if request.param == "oracledb":
        yield (lambda: oracledb.connect(user="scott", password="tiger", dsn=app_server.dsn)), True
    elif request.param == "devart.connect":
        request.getfixturevalue("registry")  # a fresh module-level pool, and its own upkeep
        # SQLAlchemy expects a DB-API connection without autocommit; Devart's
        # connect() starts with it on, so an application says AutoCommit=False.
        text = app_server.connection_string("scott") + ";AutoCommit=False"
        yield (lambda: devart_oracle.connect(text)), False
    else:
        pool = devart_oracle.create_pool(user="scott", password="tiger", dsn=app_server.dsn,
                                         min=1, max=4)
        yield pool.acquire, False
        pool.close(force=True)
