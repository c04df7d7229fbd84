"""OracleTestServer refuses nonsense arguments before it binds or creates anything."""

from __future__ import annotations

import pytest

from devart_oracle.testing import OracleTestServer

GOOD: dict[str, object] = {"users": {"scott": "tiger"}}

BAD = [
    ({"users": {}}, ValueError, "users is empty"),
    ({"users": [("scott", "tiger")]}, TypeError, "users must be a mapping"),
    ({"users": {"": "tiger"}}, ValueError, "a user name must not be empty"),
    ({"users": {1: "tiger"}}, TypeError, "a user name must be a str, not int"),
    ({"users": {"scott": ""}}, ValueError, "the password of user 'scott' must be a non-empty str"),
    ({"users": {"scott": None}}, ValueError, "not NoneType"),
    ({"users": {"scott": "tiger", "SCOTT": "lion"}}, ValueError, "'scott' and 'SCOTT' are the same user"),
    ({"service_name": ""}, ValueError, "service_name must not be empty"),
    ({"host": None}, TypeError, "host must be a str"),
    ({"sid": " "}, ValueError, "sid must not be empty or blank"),
    ({"port": 99999}, ValueError, "port 99999 is out of range"),
    ({"port": -1}, ValueError, "port -1 is out of range"),
    ({"port": "1521"}, TypeError, "port must be an int, not str"),
    ({"port": True}, TypeError, "port must be an int, not bool"),
    ({"logon_delay": -1}, ValueError, "logon_delay must be a finite number of seconds at least 0"),
    ({"logon_delay": float("nan")}, ValueError, "logon_delay must be a finite"),
    ({"connect_timeout": 0}, ValueError, "connect_timeout must be a finite number of seconds above 0"),
    ({"connect_timeout": float("inf")}, ValueError, "connect_timeout must be a finite"),
    ({"database": ""}, ValueError, "database must not be empty"),
    ({"logon_rounds": 0}, ValueError, "logon_rounds must be at least 1, got 0"),
    ({"logon_rounds": -4096}, ValueError, "logon_rounds must be at least 1"),
    ({"logon_rounds": "64"}, TypeError, "logon_rounds must be an int, not str"),
    ({"logon_rounds": 64.0}, TypeError, "logon_rounds must be an int, not float"),
    ({"logon_rounds": True}, TypeError, "logon_rounds must be an int, not bool"),
]


@pytest.mark.parametrize(("changes", "error", "message"), BAD)
def test_nonsense_is_refused_at_once(changes: dict[str, object], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message) as info:
        OracleTestServer(**{**GOOD, **changes})  # type: ignore[arg-type]
    assert "tiger" not in str(info.value) and "lion" not in str(info.value)


def test_sensible_edge_values_are_accepted() -> None:
    with OracleTestServer(users={"scott": "tiger"}, port=0, logon_delay=0, connect_timeout=None) as server:
        assert server.port > 0
