"""Isolation levels and V$TRANSACTION, through the real python-oracledb client.

SERIALIZABLE is a SQLite snapshot taken by the transaction's first
statement; its first change after another session's commit is ORA-08177
(see ``devart_oracle.testing.sql.transaction``).
"""

from __future__ import annotations

from collections.abc import Iterator

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer


@pytest.fixture
def other(wire_server: OracleTestServer) -> Iterator[oracledb.Connection]:
    with oracledb.connect(user="scott", password="tiger", dsn=wire_server.dsn) as connection:
        yield connection


@pytest.fixture
def table(conn: oracledb.Connection) -> Iterator[str]:
    with conn.cursor() as cursor:
        cursor.execute("create table iso_t (n number)")
    yield "iso_t"
    conn.rollback()
    with conn.cursor() as cursor:
        cursor.execute("drop table iso_t")


def _count(connection: oracledb.Connection) -> int:
    with connection.cursor() as cursor:
        cursor.execute("select count(*) from iso_t")
        (value,) = cursor.fetchone()
        return int(value)


def _insert(connection: oracledb.Connection, commit: bool = True) -> None:
    with connection.cursor() as cursor:
        cursor.execute("insert into iso_t values (1)")
    if commit:
        connection.commit()


@pytest.mark.parametrize("level", ["SERIALIZABLE", "READ COMMITTED", "read committed"])
def test_alter_session_sets_the_isolation_level(conn: oracledb.Connection, level: str) -> None:
    with conn.cursor() as cursor:
        cursor.execute(f"alter session set isolation_level = {level}")
        cursor.execute(f"alter session set isolation_level={level}")  # as SQLAlchemy writes it


def test_an_unknown_isolation_level_is_refused(conn: oracledb.Connection) -> None:
    with conn.cursor() as cursor, pytest.raises(oracledb.DatabaseError, match="ORA-02248"):
        cursor.execute("alter session set isolation_level = dirty read")


def test_read_committed_sees_each_commit(conn: oracledb.Connection, other: oracledb.Connection,
                                         table: str) -> None:
    assert _count(conn) == 0
    _insert(other)
    assert _count(conn) == 1


def test_serializable_reads_one_snapshot(conn: oracledb.Connection,
                                         other: oracledb.Connection, table: str) -> None:
    with conn.cursor() as cursor:
        cursor.execute("alter session set isolation_level = serializable")
    assert _count(conn) == 0
    _insert(other)
    assert _count(conn) == 0  # the snapshot of the transaction's first statement
    conn.rollback()
    assert _count(conn) == 1  # a new transaction, a new snapshot


def test_serializable_change_after_a_concurrent_commit_is_ora_08177(
        conn: oracledb.Connection, other: oracledb.Connection, table: str) -> None:
    with conn.cursor() as cursor:
        cursor.execute("alter session set isolation_level = serializable")
    assert _count(conn) == 0
    _insert(other)
    with pytest.raises(oracledb.DatabaseError, match="ORA-08177: can't serialize access"):
        _insert(conn, commit=False)
    conn.rollback()
    _insert(conn)  # a fresh transaction may change what it sees
    assert _count(other) == 2


def test_serializable_change_without_concurrent_commit(conn: oracledb.Connection,
                                                       table: str) -> None:
    with conn.cursor() as cursor:
        cursor.execute("alter session set isolation_level = serializable")
    assert _count(conn) == 0
    _insert(conn)
    assert _count(conn) == 1


def _transactions(connection: oracledb.Connection) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute("select status, case bitand(flag, power(2, 28)) when 0 then"
                       " 'READ COMMITTED' else 'SERIALIZABLE' end from v$transaction")
        return [tuple(row) for row in cursor.fetchall()]


@pytest.mark.parametrize("level", ["READ COMMITTED", "SERIALIZABLE"])
def test_v_transaction_lists_an_open_transaction_with_its_level(
        conn: oracledb.Connection, other: oracledb.Connection, table: str, level: str) -> None:
    with conn.cursor() as cursor:
        cursor.execute(f"alter session set isolation_level = {level}")
    assert _transactions(other) == []
    _insert(conn, commit=False)
    assert _transactions(other) == [("ACTIVE", level)]
    conn.commit()
    assert _transactions(other) == []


def _local_id(connection: oracledb.Connection, create: str = "") -> str | None:
    with connection.cursor() as cursor:
        out = cursor.var(str)
        argument = f"({create})" if create else ""
        cursor.execute(f"begin :x := dbms_transaction.local_transaction_id{argument}; end;",
                       x=out)
        value = out.getvalue()
        return None if value is None else str(value)


def test_local_transaction_id(conn: oracledb.Connection, other: oracledb.Connection) -> None:
    assert _local_id(conn) is None
    xid = _local_id(conn, "true")
    assert xid is not None and len(xid.split(".")) == 3
    assert _local_id(conn) == xid  # the same transaction until it ends
    with other.cursor() as cursor:
        cursor.execute("select xidusn || '.' || xidslot || '.' || xidsqn from v$transaction")
        assert cursor.fetchall() == [(xid,)]
    conn.rollback()
    assert _local_id(conn) is None
    assert _local_id(conn, "true") != xid
    conn.commit()
