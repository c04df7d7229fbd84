"""Devart's connector against the embedded server: the DB-API surface works.

Its Direct mode is its own, older TTC implementation; these checks are what
issue 11 asks of the server's legacy dialect (logon, DDL, DML, binds,
executemany, queries of numbers, strings, dates and NULLs, commit and
rollback, errors), judged by what another session sees where it matters. (Its connections
are no context managers, hence ``closing``.)
"""

from __future__ import annotations

import datetime
from contextlib import closing
from types import ModuleType

import pytest

from .conftest import Relay, Server
from .scenarios import count_rows, maker, table


def test_a_session_runs_ddl_dml_binds_and_queries(devart: ModuleType, relay: Relay) -> None:
    with closing(devart.connect(maker(relay)())) as conn:
        cursor = conn.cursor()
        cursor.execute("create table devart_smoke (id number(10), name varchar2(1000), born date)")
        when = datetime.datetime(2024, 5, 6, 7, 8, 9)
        cursor.execute("insert into devart_smoke values (:id, :name, :born)",
                       {"id": 1, "name": "one", "born": when})
        cursor.executemany("insert into devart_smoke (id, name) values (:id, :name)",
                           [{"id": 2, "name": "x" * 600}, {"id": 3, "name": None}])
        assert cursor.rowcount == 2
        cursor.execute("select id, name, born from devart_smoke order by id")
        rows = cursor.fetchall()
        assert rows == [(1, "one", when), (2, "x" * 600, None), (3, None, None)]
        cursor.execute("select name from devart_smoke where id = :id", {"id": 1})
        assert cursor.fetchall() == [("one",)]
        assert [d[0] for d in cursor.description] == ["NAME"]
        cursor.execute("select 1.5, -2, 'héllo €', null from dual")
        assert cursor.fetchall() == [(1.5, -2.0, "héllo €", None)]
        cursor.execute("drop table devart_smoke")


def test_errors_come_back_as_ora_errors_and_the_session_goes_on(devart: ModuleType,
                                                                relay: Relay) -> None:
    with closing(devart.connect(maker(relay)())) as conn:
        cursor = conn.cursor()
        with pytest.raises(devart.Error, match="ORA-00942"):
            cursor.execute("select * from no_such_table")
        cursor.execute("select 2 from dual")
        assert cursor.fetchall() == [(2.0,)]


def test_a_wrong_password_is_ora_01017(devart: ModuleType, relay: Relay) -> None:
    text = maker(relay)().replace("Password=tiger", "Password=wrong")
    with pytest.raises(devart.Error, match="ORA-01017"):
        devart.connect(text)


def test_commit_and_rollback_take_effect(devart: ModuleType, relay: Relay, server: Server) -> None:
    name = table(server)
    with closing(devart.connect(maker(relay)(AutoCommit=False))) as conn:
        cursor = conn.cursor()
        cursor.execute(f"insert into {name} values (1)")
        conn.rollback()
        assert count_rows(server, name) == 0
        cursor.execute(f"insert into {name} values (2)")
        conn.commit()
        assert count_rows(server, name) == 1


def test_a_logon_takes_eight_round_trips_and_a_query_three(devart: ModuleType, relay: Relay) -> None:
    relay.take()
    conn = devart.connect(maker(relay)())
    logon = relay.take()
    cursor = conn.cursor()
    cursor.execute("select 1 from dual")
    cursor.fetchall()
    query = relay.take()
    conn.close()
    assert logon == ["connect", "protocol", "data types", "auth", "auth", "version", "execute", "execute"]
    assert query == ["describe", "execute", "fetch"]
