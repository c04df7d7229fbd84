"""The standard DB-API 2.0 compliance suite (``dbapi20.py``, from PyPI's
``dbapi-compliance``, in the ``test`` extra) with devart_oracle as the driver
module: it fails only where python-oracledb, as the module, fails too, since
cursors are python-oracledb's own (arraysize 100, rowcount after a select,
setinputsizes without a type)."""

from __future__ import annotations

import unittest
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import oracledb
import pytest

import devart_oracle
from devart_oracle.testing import OracleTestServer

dbapi20 = pytest.importorskip("dbapi20", reason="pip install dbapi-compliance (the test extra)")


@pytest.fixture(scope="module")
def server() -> Iterator[OracleTestServer]:
    with OracleTestServer(users={"scott": "tiger"}) as running:
        yield running


def _outcomes(driver: ModuleType, server: OracleTestServer) -> dict[str, str]:
    """Each test of the suite with ``driver`` as the module: 'ok', 'fail' or 'error'."""

    class Suite(dbapi20.DatabaseAPI20Test):  # type: ignore[misc,name-defined]
        connect_kw_args = {"user": "scott", "password": "tiger", "dsn": server.dsn}

    Suite.driver = driver
    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(Suite).run(result)
    outcome: dict[str, Any] = {test.id().rsplit(".", 1)[-1]: "ok" for test in
                               unittest.defaultTestLoader.loadTestsFromTestCase(Suite)}  # fmt: skip
    for kind, found in (("fail", result.failures), ("error", result.errors)):
        for test, _ in found:
            outcome[test.id().rsplit(".", 1)[-1]] = kind
    return outcome


def test_devart_oracle_fails_only_where_python_oracledb_does(server: OracleTestServer) -> None:
    ours, theirs = _outcomes(devart_oracle, server), _outcomes(oracledb, server)
    assert ours.keys() == theirs.keys()
    only_ours = sorted(name for name, outcome in ours.items() if outcome != "ok" and theirs[name] == "ok")
    assert only_ours == []
    passed = sum(outcome == "ok" for outcome in ours.values())
    assert passed >= sum(outcome == "ok" for outcome in theirs.values())
