"""A logon that meets another connection's lock on the SQLite file waits for it.

The server's connect PRAGMAs used to run without the busy retry statements
get, so a logon during another connection's lock failed with ORA-00600
("database is locked"). Here a foreign connection holds the file in
exclusive locking mode, deterministically, until the logon has been tried.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer


@contextlib.contextmanager
def _exclusive_lock(path: Path) -> Iterator[None]:
    """Hold the database file so that any other connection meets 'database is locked'."""
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("COMMIT")  # the exclusive lock stays until the connection closes
        yield
    finally:
        holder.close()


def _logon(dsn: str, outcome: list[object]) -> None:
    try:
        with oracledb.connect(user="scott", password="tiger", dsn=dsn) as conn:
            with conn.cursor() as cursor:
                cursor.execute("select 1 from dual")
                outcome.append(cursor.fetchone())
    except oracledb.Error as exc:
        outcome.append(exc)


def test_logon_waits_for_a_foreign_lock_on_the_file(tmp_path: Path) -> None:
    path = tmp_path / "busy.sqlite"
    with OracleTestServer(users={"scott": "tiger"}, database=str(path)) as server:
        outcome: list[object] = []
        with _exclusive_lock(path):
            logon = threading.Thread(target=_logon, args=(server.dsn, outcome))
            logon.start()
            # Until released, the logon can only wait or fail; a failure is final.
            logon.join(0.5)
            assert not outcome, outcome
        logon.join(30)
        assert outcome == [(1,)]


def test_logon_reports_ora_00054_when_the_lock_outlasts_the_lock_timeout(tmp_path: Path) -> None:
    path = tmp_path / "busy.sqlite"
    with OracleTestServer(users={"scott": "tiger"}, database=str(path)) as server:
        server._database.lock_timeout = 0.2  # the server has no public knob for it
        with _exclusive_lock(path), pytest.raises(oracledb.DatabaseError, match="ORA-00054"):
            oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
