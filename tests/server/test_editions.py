"""Editions through the real client: CREATE/DROP EDITION, a logon's edition=,
ALTER SESSION SET EDITION, and what the client and SYS_CONTEXT are told."""

from __future__ import annotations

import asyncio
from pathlib import Path

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer

USERS = {"scott": "tiger"}
EDITION = "select sys_context('USERENV', 'CURRENT_EDITION_NAME') from dual"


def _code(cursor: oracledb.Cursor, sql: str) -> int:
    with pytest.raises(oracledb.DatabaseError) as caught:
        cursor.execute(sql)
    return int(caught.value.args[0].code)


def _edition(cursor: oracledb.Cursor) -> object:
    cursor.execute(EDITION)
    row = cursor.fetchone()
    assert row is not None
    return row[0]


def test_a_session_moves_between_editions_and_the_client_follows() -> None:
    with OracleTestServer(users=USERS) as server, oracledb.connect(user="scott", password="tiger",
                                                                   dsn=server.dsn) as conn:
        cursor = conn.cursor()
        assert (conn.edition, _edition(cursor)) == (None, "ORA$BASE")  # none named at logon
        cursor.execute("create edition release_2")
        cursor.execute("alter session set edition = release_2")
        assert (conn.edition, _edition(cursor)) == ("RELEASE_2", "RELEASE_2")
        assert _code(cursor, "alter session set edition = nowhere") == 38802
        assert conn.edition == "RELEASE_2"  # a refused change changes nothing
        cursor.execute('alter session set edition = "ORA$BASE"')
        assert (conn.edition, _edition(cursor)) == ("ORA$BASE", "ORA$BASE")
        cursor.execute("create table t (x number)")  # no object is editioned: every edition sees it
        cursor.execute("alter session set edition = release_2")
        cursor.execute("select count(*) from t")
        assert cursor.fetchone() == (0,)


def test_a_logon_names_its_edition_and_an_unknown_one_is_refused() -> None:
    with OracleTestServer(users=USERS) as server:
        with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn:
            conn.cursor().execute("create edition pythonedition")
        with oracledb.connect(user="scott", password="tiger", dsn=server.dsn, edition="pythonedition") as conn:
            assert (conn.edition, _edition(conn.cursor())) == ("pythonedition", "PYTHONEDITION")
            (info,) = server.sessions
            assert info.edition == "PYTHONEDITION"
        with pytest.raises(oracledb.DatabaseError, match="ORA-38802: edition does not exist"):
            oracledb.connect(user="scott", password="tiger", dsn=server.dsn, edition="nowhere")
        assert not server.sessions  # nothing left behind by the refusal


def test_editions_form_one_line_and_only_its_ends_may_go() -> None:
    with OracleTestServer(users=USERS) as server, oracledb.connect(user="scott", password="tiger",
                                                                   dsn=server.dsn) as conn:
        cursor = conn.cursor()
        cursor.execute("create edition e1")  # a child of the leaf, ORA$BASE
        cursor.execute("create edition e2")  # of e1
        assert _code(cursor, "create edition e1") == 955
        assert _code(cursor, "create edition e3 as child of ora$base") == 38807  # e1 is its child
        assert _code(cursor, "create edition e3 as child of nowhere") == 38802
        assert _code(cursor, "create edition e3 as e2") == 905
        assert _code(cursor, "drop edition e1") == 38810  # between ORA$BASE and e2
        assert _code(cursor, "drop edition ora$base") == 38805  # the default
        assert _code(cursor, "drop edition nowhere") == 38802
        with oracledb.connect(user="scott", password="tiger", dsn=server.dsn, edition="e2"):
            assert _code(cursor, "drop edition e2") == 38805  # another session is in it
        cursor.execute("drop edition e2 cascade")
        cursor.execute("create edition e3 as child of e1")  # e1 is the leaf again
        cursor.execute("drop edition e3")
        cursor.execute("select count(*) from user_objects")
        assert cursor.fetchone() == (0,)  # an edition is not a schema object


def test_editions_stay_in_the_database_file(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    with OracleTestServer(users=USERS, database=str(path)) as server:
        with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn:
            conn.cursor().execute("create edition kept")
            with pytest.raises(oracledb.DatabaseError):
                conn.cursor().execute("create edition kept")
    with OracleTestServer(users=USERS, database=str(path)) as server:
        with oracledb.connect(user="scott", password="tiger", dsn=server.dsn, edition="kept") as conn:
            assert _edition(conn.cursor()) == "KEPT"


def test_the_asyncio_client_hears_of_an_edition_change() -> None:
    async def run(dsn: str) -> tuple[object, object]:
        async with oracledb.connect_async(user="scott", password="tiger", dsn=dsn) as conn:
            cursor = conn.cursor()
            await cursor.execute("create edition later")
            await cursor.execute("alter session set edition = later")
            await cursor.execute(EDITION)
            row = await cursor.fetchone()
            assert row is not None
            return conn.edition, row[0]

    with OracleTestServer(users=USERS) as server:
        assert asyncio.run(run(server.dsn)) == ("LATER", "LATER")
