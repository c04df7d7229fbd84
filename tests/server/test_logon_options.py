"""Proxy logons, password changes and expired passwords, through the real client."""

from __future__ import annotations

import logging

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer

USERS = {"scott": "tiger", "app": "app-pw", "guest": "guest-pw"}


def _context(conn: oracledb.Connection, *keys: str) -> tuple[object, ...]:
    columns = ", ".join(f"sys_context('userenv', '{key}')" for key in keys)
    with conn.cursor() as cursor:
        cursor.execute(f"select {columns} from dual")
        row = cursor.fetchone()
    assert row is not None
    return tuple(row)


def test_proxy_logon_opens_the_target_session() -> None:
    with OracleTestServer(users=USERS) as server:
        with oracledb.connect(user="scott[app]", password="tiger", dsn=server.dsn) as conn:
            assert (conn.username, conn.proxy_user) == ("scott", "app")
            assert _context(conn, "session_user", "proxy_user", "current_schema") == (
                "APP", "SCOTT", "APP")
            (info,) = server.sessions
            assert (info.username, info.client.proxy_user) == ("APP", "SCOTT")
        with pytest.raises(oracledb.DatabaseError, match="ORA-01017"):
            oracledb.connect(user="scott[app]", password="app-pw", dsn=server.dsn)
        with pytest.raises(oracledb.DatabaseError, match="ORA-01017"):
            oracledb.connect(user="scott[nobody]", password="tiger", dsn=server.dsn)


def test_connect_through_limits_who_may_proxy() -> None:
    with OracleTestServer(users=USERS, connect_through={"app": ["scott"]}) as server:
        with oracledb.connect(user="scott[app]", password="tiger", dsn=server.dsn):
            pass
        with pytest.raises(oracledb.DatabaseError, match="ORA-28150"):
            oracledb.connect(user="guest[app]", password="guest-pw", dsn=server.dsn)
        with pytest.raises(oracledb.DatabaseError, match="ORA-28150"):
            oracledb.connect(user="app[scott]", password="app-pw", dsn=server.dsn)


def test_changepassword_changes_it_for_the_next_logons() -> None:
    with OracleTestServer(users=USERS) as server:
        with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn:
            conn.changepassword("tiger", "lion/@x")
            conn.ping()  # the session goes on
            with pytest.raises(oracledb.DatabaseError, match="ORA-28008"):
                conn.changepassword("tiger", "other")
            with pytest.raises(oracledb.DatabaseError, match="ORA-00988"):
                conn.changepassword("lion/@x", "x" * 1025)
            conn.changepassword("lion/@x", "puma")
        with pytest.raises(oracledb.DatabaseError, match="ORA-01017"):
            oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
        oracledb.connect(user="scott", password="puma", dsn=server.dsn).close()
        assert "Password=puma" in server.connection_string("scott")


def test_newpassword_at_logon_changes_it() -> None:
    with OracleTestServer(users=USERS) as server:
        oracledb.connect(user="scott", password="tiger", newpassword="jaguar", dsn=server.dsn).close()
        oracledb.connect(user="scott", password="jaguar", dsn=server.dsn).close()
        with pytest.raises(oracledb.DatabaseError, match="ORA-01017"):
            oracledb.connect(user="scott", password="wrong", newpassword="x", dsn=server.dsn)


def test_an_expired_password_must_be_changed_at_logon(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="devart_oracle.testing")
    with OracleTestServer(users=USERS, expired_users=["scott"]) as server:
        with pytest.raises(oracledb.DatabaseError, match="ORA-28001"):
            oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
        oracledb.connect(user="app", password="app-pw", dsn=server.dsn).close()
        with oracledb.connect(user="scott", password="tiger", newpassword="renewed",
                              dsn=server.dsn) as conn:
            assert _context(conn, "session_user") == ("SCOTT",)
        oracledb.connect(user="scott", password="renewed", dsn=server.dsn).close()
        server.expire_password("APP")
        with pytest.raises(oracledb.DatabaseError, match="ORA-28001"):
            oracledb.connect(user="app", password="app-pw", dsn=server.dsn)
        with pytest.raises(KeyError):
            server.expire_password("nobody")
    for secret in ("tiger", "renewed", "app-pw"):
        assert secret not in caplog.text


@pytest.mark.parametrize("arguments", [{"expired_users": ["nobody"]},
                                       {"connect_through": {"app": ["nobody"]}},
                                       {"connect_through": {"nobody": ["scott"]}}])
def test_options_naming_unknown_users_are_refused(arguments: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="names no user of this server: \\['NOBODY'\\]"):
        OracleTestServer(users=USERS, **arguments)  # type: ignore[arg-type]
