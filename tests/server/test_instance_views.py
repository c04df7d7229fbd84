"""The instance and session views, statistics and SYS_CONTEXT, through the real client."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer

STAT = """select ss.value from v$sesstat ss, v$statname sn
          where ss.sid = :sid and ss.statistic# = sn.statistic# and sn.name = :name"""


@pytest.fixture(scope="module")
def server() -> Iterator[OracleTestServer]:
    with OracleTestServer(users={"scott": "tiger", "admin": "secret"}, service_name="FREEPDB1",
                          sid="FREE") as srv:
        yield srv


def _connect(server: OracleTestServer, user: str = "scott", **params: object) -> oracledb.Connection:
    password = "tiger" if user.startswith("scott") else "secret"
    return oracledb.connect(user=user, password=password, dsn=server.dsn, **params)  # type: ignore[arg-type]


@pytest.fixture
def conn(server: OracleTestServer) -> Iterator[oracledb.Connection]:
    with _connect(server) as connection:
        yield connection


@pytest.fixture
def admin(server: OracleTestServer) -> Iterator[oracledb.Connection]:
    with _connect(server, "admin") as connection:
        yield connection


def _one(conn: oracledb.Connection, sql: str, *args: object, **kwargs: object) -> object:
    with conn.cursor() as cursor:
        cursor.execute(sql, *args, **kwargs)
        row = cursor.fetchone()
    assert row is not None
    return row[0]


def _sid(conn: oracledb.Connection) -> int:
    return int(str(_one(conn, "select sys_context('userenv', 'sid') from dual")))


class Counter:
    """Reads one statistic of a session from another session, as a diff."""

    def __init__(self, conn: oracledb.Connection, admin: oracledb.Connection, name: str) -> None:
        self.sid, self.admin, self.name, self.last = _sid(conn), admin, name, 0
        self.diff()

    def diff(self) -> int:
        value = int(str(_one(self.admin, STAT, sid=self.sid, name=self.name)))
        change, self.last = value - self.last, value
        return change


def test_nls_database_parameters_name_the_character_set(conn: oracledb.Connection) -> None:
    sql = "select value from nls_database_parameters where parameter = :1"
    assert _one(conn, sql, ["NLS_CHARACTERSET"]) == "AL32UTF8"
    assert _one(conn, sql, ["NLS_NCHAR_CHARACTERSET"]) == "AL16UTF16"
    session = "select value from nls_session_parameters where parameter = 'NLS_DATE_FORMAT'"
    assert _one(conn, session) == "DD-MON-RR"
    assert _one(conn, "select count(*) from nls_instance_parameters where parameter = 'NLS_CHARACTERSET'") == 0


def test_database_instance_and_version_agree_with_the_logon(conn: oracledb.Connection) -> None:
    assert _one(conn, "select name from v$database") == conn.db_name == "FREE"
    assert _one(conn, "select instance_name from v$instance") == conn.instance_name
    assert _one(conn, "select version from v$instance") == conn.version
    banner = str(_one(conn, "select banner from v$version"))
    assert banner.startswith("Oracle Database 19c") and isinstance(
        _one(conn, "select startup_time from v$instance"), datetime.datetime)
    assert int(str(_one(conn, "select value from v$parameter where name = 'open_cursors'"))) == (
        conn.max_open_cursors)
    assert _one(conn, "select value from v$parameter where name = 'db_domain'") == conn.db_domain


def test_v_session_shows_what_the_client_said_at_logon(server: OracleTestServer) -> None:
    params = {"program": "prog", "machine": "mach", "terminal": "term", "osuser": "osu",
              "driver_name": "drv : 1.0"}
    with _connect(server, **params) as conn:
        row = _one(conn, """select program || '|' || machine || '|' || terminal || '|' || osuser
                            from v$session where sid = sys_context('userenv', 'sid')""")
        assert row == "prog|mach|term|osu"
        driver = "select distinct client_driver from v$session_connect_info where sid = :1"
        assert _one(conn, driver, [_sid(conn)]) == "drv : 1.0"
        mine = "from v$session where sid = sys_context('userenv', 'sid')"
        assert isinstance(_one(conn, f"select logon_time {mine}"), datetime.datetime)
        assert _one(conn, f"select server || ' ' || status || ' ' || last_call_et {mine}") == (
            "DEDICATED ACTIVE 0")
        port = _one(conn, f"select port {mine}")
        assert isinstance(port, int) and port > 0


def test_sql_id_is_the_running_statement_and_prev_sql_id_the_last(conn: oracledb.Connection) -> None:
    sql = "select sql_id, prev_sql_id from v$session where sid = sys_context('userenv', 'sid')"
    with conn.cursor() as cursor:
        cursor.execute(sql)
        first = cursor.fetchone()
        cursor.execute(sql)
        second = cursor.fetchone()
    assert first is not None and second is not None
    assert len(first[0]) == 13 and first[0] == second[0] == second[1]


def test_round_trips_count_each_request(conn: oracledb.Connection, admin: oracledb.Connection) -> None:
    trips = Counter(conn, admin, "SQL*Net roundtrips to/from client")
    conn.ping()
    assert trips.diff() == 1
    with conn.cursor() as cursor:
        cursor.execute("select 1 from dual").fetchall()
    assert trips.diff() == 1
    with conn.cursor() as cursor:
        cursor.arraysize = cursor.prefetchrows = 1
        cursor.execute("select 1 from dual union all select 2 from dual").fetchall()
    assert trips.diff() == 3


def test_parse_count_counts_statement_text_not_reexecutes(conn: oracledb.Connection,
                                                          admin: oracledb.Connection) -> None:
    parses = Counter(conn, admin, "parse count (total)")
    calls = Counter(conn, admin, "user calls")
    for _ in range(5):
        with conn.cursor() as cursor:
            cursor.execute("select user from dual")
    assert parses.diff() == 1  # the statement cache re-executes the open cursor
    assert calls.diff() >= 5


def test_my_stat_is_the_own_session(conn: oracledb.Connection) -> None:
    sql = """select m.value from v$mystat m join v$statname n on n.statistic# = m.statistic#
             where n.name = 'logons cumulative'"""
    assert _one(conn, sql) == 1


def test_userenv_answers_the_documented_keys(conn: oracledb.Connection) -> None:
    def ctx(key: str) -> object:
        return _one(conn, f"select sys_context('USERENV', '{key}') from dual")

    assert ctx("CLOUD_SERVICE") is None  # an on-premises database
    assert (ctx("INSTANCE_NAME"), ctx("DB_NAME"), ctx("DB_UNIQUE_NAME")) == ("FREE", "FREE", "FREE")
    assert ctx("CON_NAME") == "FREEPDB1" and ctx("SERVICE_NAME") == "FREEPDB1"
    assert ctx("PROXY_USER") is None and ctx("SESSION_USER") == "SCOTT"
    assert ctx("IP_ADDRESS") == "127.0.0.1"
    with pytest.raises(oracledb.DatabaseError, match="ORA-02003"):
        ctx("NO_SUCH_KEY")


def test_client_info_reaches_userenv(conn: oracledb.Connection) -> None:
    conn.clientinfo = "billing"
    assert _one(conn, "select sys_context('userenv', 'client_info') from dual") == "billing"
    conn.clientinfo = None  # type: ignore[assignment]
    assert _one(conn, "select sys_context('userenv', 'client_info') from dual") is None
    conn.cursor().callproc("dbms_application_info.set_client_info", ["batch"])
    assert _one(conn, "select client_info from v$session where sid = sys_context('userenv', 'sid')") == (
        "batch")


def test_application_context_from_logon_and_from_set_app_context(server: OracleTestServer) -> None:
    entries = [("CLIENTCONTEXT", "attr1", "one"), ("clientcontext", "ATTR2", "two")]
    with _connect(server, appcontext=entries) as conn:
        sql = "select sys_context(:1, :2) from dual"
        assert _one(conn, sql, ["clientcontext", "ATTR1"]) == "one"
        assert _one(conn, sql, ["CLIENTCONTEXT", "attr2"]) == "two"
        conn.set_app_context("CLIENTCONTEXT", ATTR3="three")
        assert _one(conn, sql, ["CLIENTCONTEXT", "ATTR3"]) == "three"
        conn.clear_app_context("CLIENTCONTEXT")
        assert _one(conn, sql, ["CLIENTCONTEXT", "ATTR1"]) is None
        assert _one(conn, sql, ["NO_SUCH_NAMESPACE", "X"]) is None


def test_an_invalid_namespace_is_ora_28267(server: OracleTestServer, conn: oracledb.Connection) -> None:
    conn.set_app_context("NOT_A_VALID_NAMESPACE", attr="value")
    with pytest.raises(oracledb.DatabaseError, match="ORA-28267"):
        conn.ping()
    conn.ping()  # the session survives
    with pytest.raises(oracledb.DatabaseError, match="ORA-28267"):
        _connect(server, appcontext=[("MYCTX", "a", "b")])


def test_sql_monitor_shows_the_database_operation_of_a_session(conn: oracledb.Connection) -> None:
    sql = """select dbop_name, status, username from v$sql_monitor
             where sid = sys_context('userenv', 'sid')"""
    cursor = conn.cursor()
    cursor.execute(sql)
    assert cursor.fetchall() == []  # no operation: no row
    conn.dbop = "nightly_load"  # sent with the next call, as end-to-end attributes are
    cursor.execute(sql)
    assert cursor.fetchall() == [("nightly_load", "EXECUTING", "SCOTT")]
    conn.dbop = None
    cursor.execute(sql)
    assert cursor.fetchall() == []
