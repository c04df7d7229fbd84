"""The setup shim answers only the two lookups the server cannot, and only while it cannot."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer
from tests.compat.plugin import shimmed


@pytest.fixture
def cursor(oracle_server: OracleTestServer) -> Iterator[Any]:
    with oracledb.connect(user="scott", password="tiger", dsn=oracle_server.dsn) as conn:
        yield conn.cursor()


def _query(sql: str) -> Any:
    def lookup(cursor: Any) -> Any:
        cursor.execute(sql)
        return cursor.fetchone()[0]

    return lookup


@pytest.mark.parametrize(
    "sql",
    ["select value from no_such_view_here",  # ORA-00942, as NLS_DATABASE_PARAMETERS was
     "select sys_context('userenv', 'no_such_parameter') from dual"],  # ORA-02003
)
def test_an_unanswered_lookup_gets_the_shims_answer(cursor: Any, sql: str) -> None:
    used: set[str] = set()
    assert shimmed(_query(sql), "AL32UTF8", used)(cursor) == "AL32UTF8"
    assert used == {"lookup"}


def test_an_answered_lookup_is_the_servers(cursor: Any) -> None:
    used: set[str] = set()
    assert shimmed(_query("select 'WE8ISO8859P1' from dual"), "AL32UTF8", used)(cursor) == "WE8ISO8859P1"
    assert used == set()


def test_any_other_error_goes_through(cursor: Any) -> None:
    used: set[str] = set()
    with pytest.raises(oracledb.DatabaseError, match="ORA-01476"):
        shimmed(_query("select 1 / 0 from dual"), "AL32UTF8", used)(cursor)
    assert used == set()
