"""The SQL backend called directly: Oracle pieces, transactions, types, cancel, kill."""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Iterator
from decimal import Decimal

import pytest

from devart_oracle.testing.sql import (
    Column,
    Database,
    OracleError,
    SessionInfo,
    SqlSession,
)


class Server:
    """Stands in for the wire layer: the live sessions and the kill hook."""

    def __init__(self) -> None:
        self.infos: list[SessionInfo] = []
        self.kills: list[tuple[int, int]] = []

    def sessions(self) -> list[SessionInfo]:
        return list(self.infos)

    def kill(self, sid: int, serial: int) -> bool:
        self.kills.append((sid, serial))
        return any((i.sid, i.serial) == (sid, serial) for i in self.infos)


@pytest.fixture
def server() -> Server:
    return Server()


@pytest.fixture
def db(server: Server) -> Iterator[Database]:
    database = Database(sessions=server.sessions, kill=server.kill, lock_timeout=0.2)
    yield database
    database.close()


def logon(db: Database, server: Server, sid: int, user: str = "SCOTT", **fields: str) -> SqlSession:
    info = SessionInfo(sid=sid, serial=100 + sid, username=user, **fields)
    server.infos.append(info)
    return db.open_session(info)


@pytest.fixture
def s(db: Database, server: Server) -> SqlSession:
    return logon(db, server, 1, program="pytest", machine="box", service_name="FREEPDB1")


@pytest.fixture
def other(db: Database, server: Server) -> SqlSession:
    return logon(db, server, 2)


def rows(session: SqlSession, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    return session.execute(sql, params).fetch(10_000)


def one(session: SqlSession, sql: str, params: tuple[object, ...] = ()) -> object:
    return rows(session, sql, params)[0][0]


def ora(code: int, work: object, *args: object) -> OracleError:
    with pytest.raises(OracleError) as caught:
        work(*args)  # type: ignore[operator]
    assert caught.value.code == code, caught.value.text
    return caught.value


@pytest.fixture
def t(s: SqlSession) -> SqlSession:
    s.execute("CREATE TABLE t (id NUMBER(10) PRIMARY KEY, name VARCHAR2(20))")
    return s


# ------------------------------------------------------------ Oracle pieces

def test_dual_has_one_row_with_dummy_x(s: SqlSession) -> None:
    result = s.execute("select * from dual")
    assert result.columns == [Column("DUMMY", "VARCHAR2", 1, 0, 0)]
    assert result.fetch(5) == [("X",)] and result.exhausted
    assert one(s, "SELECT COUNT(*) FROM sys.dual") == 1


def test_select_one_from_dual_is_a_number_expression_named_1(s: SqlSession) -> None:
    result = s.execute("SELECT 1 FROM DUAL")
    assert result.columns == [Column("1", "NUMBER", 0, 0, -127)]
    assert result.fetch(1) == [(1,)]


def test_sysdate_is_a_date_and_systimestamp_a_timestamp(s: SqlSession) -> None:
    result = s.execute("SELECT SYSDATE, systimestamp, CURRENT_TIMESTAMP, USER FROM dual")
    assert [(c.name, c.type) for c in result.columns or []] == [
        ("SYSDATE", "DATE"), ("SYSTIMESTAMP", "TIMESTAMP"),
        ("CURRENT_TIMESTAMP", "TIMESTAMP"), ("USER", "VARCHAR2")]
    now = datetime.datetime.now()
    date, stamp, _, user = result.fetch(1)[0]
    assert isinstance(date, datetime.datetime) and date.microsecond == 0
    assert isinstance(stamp, datetime.datetime)
    assert abs((now - stamp).total_seconds()) < 5
    assert user == "SCOTT"


def test_bare_keywords_inside_literals_and_identifiers_stay_text(s: SqlSession) -> None:
    assert rows(s, "SELECT 'SYSDATE USER DUAL', \"DUMMY\" FROM dual") == [("SYSDATE USER DUAL", "X")]


@pytest.mark.parametrize(("parameter", "expected"), [
    ("SID", "1"), ("sessionid", "1"), ("SESSION_USER", "SCOTT"), ("CURRENT_SCHEMA", "SCOTT"),
    ("SERVICE_NAME", "FREEPDB1"), ("MODULE", "mod"), ("ACTION", "act"),
    ("CLIENT_IDENTIFIER", "cid"), ("HOST", "box"),
])
def test_sys_context_userenv(s: SqlSession, parameter: str, expected: object) -> None:
    s.info.module, s.info.action, s.info.client_identifier = "mod", "act", "cid"
    assert one(s, "SELECT SYS_CONTEXT('USERENV', :p) FROM DUAL", (parameter,)) == expected


def test_sys_context_is_always_varchar2_and_unknowns_fail(s: SqlSession) -> None:
    result = s.execute("SELECT sys_context('userenv', 'SID') sid FROM dual")
    assert result.columns is not None and result.columns[0].type == "VARCHAR2"
    assert one(s, "SELECT SYS_CONTEXT('MYCTX', 'X') FROM DUAL") is None
    assert ora(2003, s.execute, "SELECT SYS_CONTEXT('USERENV', 'NOPE') FROM DUAL").text == (
        "ORA-02003: invalid USERENV parameter")


def test_v_session_lists_the_servers_sessions(s: SqlSession, other: SqlSession) -> None:
    other.info.module, other.info.status = "worker", "ACTIVE"
    result = s.execute("SELECT sid, serial#, username, status, program, module, type "
                       "FROM v$session ORDER BY sid")
    names = [c.name for c in result.columns or []]
    assert names == ["SID", "SERIAL#", "USERNAME", "STATUS", "PROGRAM", "MODULE", "TYPE"]
    assert result.fetch(10) == [
        (1, 101, "SCOTT", "INACTIVE", "pytest", None, "USER"),
        (2, 102, "SCOTT", "ACTIVE", None, "worker", "USER"),
    ]
    other.info.status = "INACTIVE"
    assert rows(s, 'SELECT "STATUS" FROM V$SESSION WHERE sid = :1', (2,)) == [("INACTIVE",)]


def test_alter_session_records_schema_and_time_zone(s: SqlSession) -> None:
    s.execute("ALTER SESSION SET CURRENT_SCHEMA = hr")
    s.execute("alter session set time_zone = '+02:00'")
    s.execute("ALTER SESSION SET NLS_DATE_FORMAT = 'YYYY-MM-DD' NLS_LANGUAGE = 'AMERICAN'")
    assert (s.info.current_schema, s.info.time_zone) == ("HR", "+02:00")
    assert one(s, "SELECT SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA') FROM DUAL") == "HR"
    ora(922, s.execute, "ALTER SESSION SET TIME_ZONE")


def test_kill_session_calls_the_hook(s: SqlSession, other: SqlSession, server: Server) -> None:
    s.execute("ALTER SYSTEM KILL SESSION '2,102' IMMEDIATE")
    assert server.kills == [(2, 102)]
    assert ora(30, s.execute, "ALTER SYSTEM KILL SESSION '9,9'").text == (
        "ORA-00030: User session ID does not exist.")
    ora(27, s.execute, "ALTER SYSTEM KILL SESSION '1,101'")
    ora(26, s.execute, "ALTER SYSTEM KILL SESSION 'two'")
    ora(2065, s.execute, "ALTER SYSTEM FLUSH SHARED_POOL")


def test_plsql_null_block_and_packaged_calls(s: SqlSession) -> None:
    assert s.execute("BEGIN NULL; END;").columns is None
    s.execute("begin dbms_application_info.set_module(:m, 'act'); "
              "dbms_session.set_identifier(:id); dbms_output.put_line('x'); end;", ("mod", "me"))
    assert (s.info.module, s.info.action, s.info.client_identifier) == ("mod", "act", "me")
    s.execute("BEGIN DBMS_SESSION.SLEEP(0.01); END;")
    s.execute("CALL DBMS_LOCK.SLEEP(0)")


@pytest.mark.parametrize(("block", "message"), [
    ("BEGIN foo.bar; END;", "PLS-00201: identifier 'FOO.BAR' must be declared"),
    ("DECLARE CURSOR c IS SELECT 1 FROM dual; BEGIN NULL; END;", "PLS-00999"),
    ("BEGIN x := 1; END;", "PLS-00201: identifier 'X' must be declared"),
    ("BEGIN IF 1 = 1 NULL; END IF; END;", "PLS-00103"),  # THEN missing
    ("BEGIN FOR i IN 1 .. 2 LOOP NULL; END LOOP; END;", "PLS-00999"),
    ("BEGIN EXIT; END;", "PLS-00376"),  # EXIT outside a loop
    ("BEGIN DBMS_SESSION.SLEEP(1, 2); END;", "PLS-00306"),
    ("BEGIN NULL END;", "PLS-00103"),
])
def test_other_plsql_is_ora_06550(s: SqlSession, block: str, message: str) -> None:
    assert message in ora(6550, s.execute, block).text


def test_plsql_error_reports_line_and_column(s: SqlSession) -> None:
    text = ora(6550, s.execute, "BEGIN\n  NULL;\n  nope;\nEND;").text
    assert text.startswith("ORA-06550: line 3, column 3:\nPLS-00201")


def test_cancel_interrupts_sleep_from_another_thread(s: SqlSession) -> None:
    timer = threading.Timer(0.1, s.cancel)
    started = time.monotonic()
    timer.start()
    error = ora(1013, s.execute, "BEGIN DBMS_SESSION.SLEEP(:secs); END;", (30,))
    assert time.monotonic() - started < 5
    assert error.text == "ORA-01013: user requested cancel of current operation"
    assert one(s, "SELECT 1 FROM DUAL") == 1  # the session goes on


def test_cancel_interrupts_a_long_query(s: SqlSession) -> None:
    timer = threading.Timer(0.1, s.cancel)
    timer.start()
    sql = ("WITH RECURSIVE c(x) AS (SELECT 1 FROM dual UNION ALL SELECT x + 1 FROM c) "
           "SELECT COUNT(*) FROM c")
    ora(1013, s.execute, sql)
    timer.join()


def test_cancel_with_nothing_running_does_nothing(s: SqlSession) -> None:
    s.cancel()
    s.execute("BEGIN DBMS_SESSION.SLEEP(0.01); END;")


# ------------------------------------------------------------- transactions

def test_uncommitted_changes_are_invisible_to_other_sessions(t: SqlSession, other: SqlSession) -> None:
    t.execute("INSERT INTO t VALUES (1, 'a')")
    assert t.in_transaction and not other.in_transaction
    assert one(t, "SELECT COUNT(*) FROM t") == 1
    assert one(other, "SELECT COUNT(*) FROM t") == 0
    t.commit()
    assert not t.in_transaction
    assert one(other, "SELECT COUNT(*) FROM t") == 1


def test_rollback_and_commit_statements(t: SqlSession) -> None:
    t.execute("INSERT INTO t VALUES (1, 'a')")
    t.execute("ROLLBACK")
    assert one(t, "SELECT COUNT(*) FROM t") == 0 and not t.in_transaction
    t.execute("INSERT INTO t VALUES (2, 'b')")
    t.execute("COMMIT WORK")
    t.rollback()
    assert one(t, "SELECT COUNT(*) FROM t") == 1


def test_savepoints(t: SqlSession) -> None:
    t.execute("INSERT INTO t VALUES (1, 'a')")
    t.execute("SAVEPOINT sp1")
    t.execute("INSERT INTO t VALUES (2, 'b')")
    t.execute("ROLLBACK TO SAVEPOINT sp1")
    assert rows(t, "SELECT id FROM t") == [(1,)]
    assert ora(1086, t.execute, "ROLLBACK TO nope").text.endswith("'NOPE' never established "
                                                                   "in this session or is invalid")


def test_close_rolls_back(t: SqlSession, db: Database, server: Server) -> None:
    t.execute("INSERT INTO t VALUES (1, 'a')")
    t.close()
    t.close()  # idempotent
    assert ora(1012, t.execute, "SELECT 1 FROM DUAL").text == "ORA-01012: not logged on"
    assert one(logon(db, server, 3), "SELECT COUNT(*) FROM t") == 0


def test_ddl_commits_before_and_after(t: SqlSession, other: SqlSession) -> None:
    t.execute("INSERT INTO t VALUES (1, 'a')")
    t.execute("CREATE TABLE u (x NUMBER)")
    assert not t.in_transaction
    assert one(other, "SELECT COUNT(*) FROM t") == 1
    t.execute("INSERT INTO t VALUES (2, 'b')")
    ora(955, t.execute, "CREATE TABLE u (x NUMBER)")  # fails, but commits first
    assert one(other, "SELECT COUNT(*) FROM t") == 2


def test_a_second_writer_waits_then_gets_ora_00054(t: SqlSession, other: SqlSession) -> None:
    t.execute("INSERT INTO t VALUES (1, 'a')")
    started = time.monotonic()
    error = ora(54, other.execute, "INSERT INTO t VALUES (2, 'b')")
    assert time.monotonic() - started >= 0.15
    assert error.text == ("ORA-00054: resource busy and acquire with NOWAIT specified "
                          "or timeout expired")
    t.commit()
    other.execute("INSERT INTO t VALUES (2, 'b')")
    other.commit()


def test_a_waiting_writer_proceeds_when_the_lock_is_released(db: Database, t: SqlSession,
                                                             other: SqlSession) -> None:
    db.lock_timeout = 5
    t.execute("INSERT INTO t VALUES (1, 'a')")
    threading.Timer(0.1, t.commit).start()
    other.execute("INSERT INTO t VALUES (2, 'b')")
    other.commit()
    assert one(t, "SELECT COUNT(*) FROM t") == 2


def test_dml_touching_no_row_leaves_no_transaction(t: SqlSession, other: SqlSession) -> None:
    assert t.execute("UPDATE t SET name = 'x' WHERE id = 42").rowcount == 0
    assert not t.in_transaction
    other.execute("INSERT INTO t VALUES (1, 'a')")  # no lock held by t
    other.commit()


def test_select_for_update_opens_a_transaction(t: SqlSession) -> None:
    assert t.execute("SELECT * FROM t FOR UPDATE NOWAIT").fetch(1) == []
    assert t.in_transaction


def test_executemany_counts_each_iteration(t: SqlSession) -> None:
    result = t.executemany("INSERT INTO t VALUES (:id, :name)", [(1, "a"), (2, "b"), (3, "b")])
    assert (result.rowcount, result.row_counts, result.columns) == (3, [1, 1, 1], None)
    result = t.executemany("UPDATE t SET name = 'z' WHERE name = :n", [("b",), ("q",), ("a",)])
    assert result.row_counts == [2, 0, 1] and result.rowcount == 3
    assert t.executemany("DELETE FROM t WHERE id = :1", []).row_counts == []


def test_executemany_stops_at_the_failing_row_and_keeps_the_others(t: SqlSession) -> None:
    error = ora(1, t.executemany, "INSERT INTO t VALUES (:1, 'x')", [(1,), (2,), (1,), (4,)])
    assert error.rowcount == 2
    assert rows(t, "SELECT id FROM t ORDER BY id") == [(1,), (2,)]
    assert t.in_transaction


# ------------------------------------------------------------------ results

def test_results_stream_with_an_exact_exhausted_flag(t: SqlSession) -> None:
    t.executemany("INSERT INTO t VALUES (:1, NULL)", [(i,) for i in range(300)])
    result = t.execute("SELECT id FROM t ORDER BY id")
    assert result.fetch(100) == [(i,) for i in range(100)] and not result.exhausted
    assert len(result.fetch(199)) == 199 and not result.exhausted
    assert result.fetch(1) == [(299,)] and result.exhausted
    assert result.rowcount == 300 and result.fetch(10) == []


def test_an_open_result_survives_other_statements_and_rollback(t: SqlSession,
                                                               other: SqlSession) -> None:
    t.executemany("INSERT INTO t VALUES (:1, NULL)", [(i,) for i in range(200)])
    t.commit()
    result = t.execute("SELECT id FROM t ORDER BY id")
    assert len(result.fetch(10)) == 10
    other.execute("INSERT INTO t VALUES (1000, NULL)")
    other.commit()
    assert one(t, "SELECT COUNT(*) FROM t") == 201  # a new statement sees the new commit
    t.rollback()
    assert len(result.fetch(500)) == 190 and result.exhausted


def test_column_names_fold_to_upper_case_unless_quoted(s: SqlSession) -> None:
    s.execute('CREATE TABLE names (lower_id NUMBER, "Mixed" VARCHAR2(5))')
    result = s.execute('SELECT lower_id, "Mixed", lower_id AS alias, "Mixed" "As Is", '
                       "count(*), 1 + 1, nvl(lower_id, 0) FROM names GROUP BY lower_id, \"Mixed\"")
    assert [c.name for c in result.columns or []] == [
        "LOWER_ID", "Mixed", "ALIAS", "As Is", "COUNT(*)", "1+1", "NVL(LOWER_ID,0)"]


def test_expression_types_are_consistent_across_rows(t: SqlSession) -> None:
    t.executemany("INSERT INTO t VALUES (:1, :2)", [(1, "7"), (2, "8")])
    result = t.execute("SELECT CASE WHEN id = 1 THEN 1 ELSE name END FROM t ORDER BY id")
    assert result.columns is not None and result.columns[0].type == "NUMBER"
    assert result.fetch(2) == [(1,), (8,)]


def test_mixed_values_that_cannot_convert_raise_ora_01722(t: SqlSession) -> None:
    t.executemany("INSERT INTO t VALUES (:1, :2)", [(1, "x"), (2, "y")])
    result = t.execute("SELECT CASE WHEN id = 1 THEN 1 ELSE name END FROM t ORDER BY id")
    ora(1722, result.fetch, 2)


# --------------------------------------------------------------- sequences

def test_sequences_nextval_currval_and_drop(s: SqlSession, other: SqlSession) -> None:
    s.execute("CREATE SEQUENCE seq START WITH 10 INCREMENT BY 5 NOCACHE")
    ora(8002, s.execute, "SELECT seq.CURRVAL FROM dual")
    assert rows(s, "SELECT seq.nextval, seq.currval FROM dual") == [(10, 10)]
    assert one(other, "SELECT scott.seq.NEXTVAL FROM dual") == 15
    assert one(s, "SELECT seq.currval FROM dual") == 10
    ora(955, s.execute, "CREATE SEQUENCE seq")
    s.execute("DROP SEQUENCE seq")
    ora(2289, s.execute, "SELECT seq.nextval FROM dual")
    ora(2289, s.execute, "DROP SEQUENCE seq")


def test_sequence_values_survive_a_reopened_file(tmp_path: object) -> None:
    path = str(tmp_path) + "/db.sqlite"  # type: ignore[operator]
    first = Database(path)
    session = first.open_session(SessionInfo(1, 1, "SCOTT"))
    session.execute("CREATE SEQUENCE s1")
    assert one(session, "SELECT s1.NEXTVAL FROM DUAL") == 1
    first.close()
    second = Database(path)
    assert one(second.open_session(SessionInfo(1, 1, "SCOTT")), "SELECT s1.NEXTVAL FROM DUAL") == 2
    second.close()


def test_identity_and_sequence_defaults(s: SqlSession) -> None:
    s.execute("CREATE TABLE ids (id NUMBER GENERATED BY DEFAULT AS IDENTITY, v VARCHAR2(5))")
    s.executemany("INSERT INTO ids (v) VALUES (:1)", [("a",), ("b",)])
    assert rows(s, "SELECT id, v FROM ids ORDER BY id") == [(1, "a"), (2, "b")]
    s.execute("DROP TABLE ids PURGE")
    s.execute("CREATE TABLE ids (id NUMBER GENERATED ALWAYS AS IDENTITY, v VARCHAR2(5))")
    s.execute("INSERT INTO ids (v) VALUES ('c')")
    assert one(s, "SELECT id FROM ids") == 1


# -------------------------------------------------------------------- binds

@pytest.mark.parametrize(("sql", "plsql", "names"), [
    ("SELECT :a, :b, :a FROM dual", False, ["A", "B", "A"]),
    ("BEGIN p(:a, :b, :a); END;", True, ["A", "B"]),
    ("SELECT :1, :2 FROM dual", False, ["1", "2"]),
    ("SELECT ':x', q'[:y]', \":z\" FROM dual WHERE 1 = :real", False, ["REAL"]),
    ("SELECT 1 -- :comment\n FROM dual /* :block */ WHERE :w = 1", False, ["W"]),
    ('SELECT :"Quoted", :plain FROM dual', False, ["Quoted", "PLAIN"]),
    ("BEGIN x := :v; END;", True, ["V"]),
    ("SELECT 'it''s :not' FROM dual", False, []),
])
def test_bind_names_in_wire_order(sql: str, plsql: bool, names: list[str]) -> None:
    from devart_oracle.testing.sql.lexer import bind_names, tokenize
    assert bind_names(tokenize(sql), plsql) == names


def test_every_occurrence_of_a_bind_takes_its_own_value(s: SqlSession) -> None:
    assert rows(s, "SELECT :a, :b, :a FROM dual", (1, 2, 3)) == [(1, 2, 3)]
    assert rows(s, "SELECT ':a' || :a FROM dual -- :a\n", ("x",)) == [(":ax",)]


def test_plsql_binds_count_once_per_name(s: SqlSession) -> None:
    s.execute("BEGIN DBMS_APPLICATION_INFO.SET_MODULE(:m, :m); END;", ("both",))
    assert (s.info.module, s.info.action) == ("both", "both")


def test_bind_count_must_match(s: SqlSession) -> None:
    assert ora(1008, s.execute, "SELECT :a, :b FROM dual", (1,)).text == (
        "ORA-01008: not all variables bound")
    ora(1036, s.execute, "SELECT :a FROM dual", (1, 2))
    ora(1008, s.execute, "BEGIN DBMS_SESSION.SLEEP(:s); END;")


def test_binds_in_offset_and_fetch_first(t: SqlSession) -> None:
    t.executemany("INSERT INTO t VALUES (:1, NULL)", [(i,) for i in range(10)])
    sql = "SELECT id FROM t WHERE id >= :lo ORDER BY id OFFSET :skip ROWS FETCH NEXT :n ROWS ONLY"
    assert rows(t, sql, (1, 2, 3)) == [(3,), (4,), (5,)]
    assert rows(t, "SELECT id FROM t ORDER BY id FETCH FIRST 2 ROWS ONLY") == [(0,), (1,)]


# -------------------------------------------------------------------- types

STAMP = datetime.datetime(2024, 2, 29, 13, 14, 15, 123456)


@pytest.mark.parametrize(("declared", "value", "expected", "column"), [
    ("NUMBER", 42, 42, Column("V", "NUMBER", 0, 0, -127)),
    ("NUMBER", -(2**70), -(2**70), Column("V", "NUMBER", 0, 0, -127)),
    ("NUMBER", Decimal("1.10"), Decimal("1.1"), Column("V", "NUMBER", 0, 0, -127)),
    ("NUMBER", Decimal("12345678901234567890.123456789"),
     Decimal("12345678901234567890.123456789"), Column("V", "NUMBER", 0, 0, -127)),
    ("NUMBER", 0.5, Decimal("0.5"), Column("V", "NUMBER", 0, 0, -127)),
    ("NUMBER(10,2)", Decimal("3.14159"), Decimal("3.14"), Column("V", "NUMBER", 0, 10, 2)),
    ("NUMBER(5)", 7, 7, Column("V", "NUMBER", 0, 5, 0)),
    ("INTEGER", True, 1, Column("V", "NUMBER", 0, 38, 0)),
    ("VARCHAR2(20)", "héllo ✓", "héllo ✓", Column("V", "VARCHAR2", 20, 0, 0)),
    ("VARCHAR2(20 CHAR)", "", None, Column("V", "VARCHAR2", 20, 0, 0)),
    ("CHAR(4)", "ab", "ab  ", Column("V", "CHAR", 4, 0, 0)),
    ("DATE", STAMP, STAMP.replace(microsecond=0), Column("V", "DATE", 0, 0, 0)),
    ("DATE", datetime.date(2024, 1, 2), datetime.datetime(2024, 1, 2), Column("V", "DATE", 0, 0, 0)),
    ("TIMESTAMP", STAMP, STAMP, Column("V", "TIMESTAMP", 0, 0, 6)),
    ("TIMESTAMP(3)", STAMP, STAMP, Column("V", "TIMESTAMP", 0, 0, 3)),
    ("RAW(16)", b"\x00\xff", b"\x00\xff", Column("V", "RAW", 16, 0, 0)),
])
def test_types_round_trip(s: SqlSession, declared: str, value: object, expected: object,
                          column: Column) -> None:
    s.execute(f"CREATE TABLE rt (v {declared})")
    s.executemany("INSERT INTO rt VALUES (:v)", [(value,), (None,)])
    result = s.execute("SELECT v FROM rt ORDER BY v NULLS LAST")
    assert result.columns == [column]
    assert result.fetch(5) == [(expected,), (None,)]


@pytest.mark.parametrize(("value", "kind"), [
    (5, "NUMBER"), (Decimal("2.5"), "NUMBER"), ("text", "VARCHAR2"), (b"\x01", "RAW"),
    (datetime.datetime(2020, 1, 1), "DATE"), (STAMP, "TIMESTAMP"),
])
def test_expression_types_come_from_values(s: SqlSession, value: object, kind: str) -> None:
    result = s.execute("SELECT :v AS v, MAX(:w) AS m FROM dual", (value, value))
    assert [c.type for c in result.columns or []] == [kind, kind]
    assert result.fetch(1) == [(value, value)]


def test_dates_compare_and_order_as_times(s: SqlSession) -> None:
    s.execute("CREATE TABLE ev (at TIMESTAMP, day DATE)")
    times = [STAMP, STAMP.replace(microsecond=0), STAMP.replace(year=1996), STAMP.replace(second=0)]
    # python-oracledb binds a datetime as DATE, whole seconds: a DATE column gets no fraction
    s.executemany("INSERT INTO ev VALUES (:1, :2)", [(t, t.replace(microsecond=0)) for t in times])
    assert [r[0] for r in rows(s, "SELECT at FROM ev ORDER BY at")] == sorted(times)
    assert one(s, "SELECT COUNT(*) FROM ev WHERE at = :t", (STAMP,)) == 1
    assert one(s, "SELECT COUNT(*) FROM ev WHERE at > TIMESTAMP '2024-02-29 13:14:15'") == 1
    assert one(s, "SELECT COUNT(*) FROM ev WHERE day < DATE '2000-01-01'") == 1
    assert one(s, "SELECT MIN(day) FROM ev") == datetime.datetime(1996, 2, 29, 13, 14, 15)


def test_oracle_numbers_and_strings(s: SqlSession) -> None:
    assert rows(s, "SELECT 7 / 2, 6 / 2, 0.1 + 0.2, MOD(7, 3) FROM dual") == [
        (Decimal("3.5"), 3, Decimal("0.3"), 1)]
    assert rows(s, "SELECT '' , NVL('', 'empty') FROM dual") == [(None, "empty")]
    assert one(s, "SELECT COUNT(*) FROM (SELECT 1 FROM dual MINUS SELECT 1 FROM dual)") == 0


# ------------------------------------------------------------------- errors

def test_oracle_error_texts() -> None:
    assert str(OracleError(942)) == "ORA-00942: table or view does not exist"
    assert OracleError(1400, detail='("SCOTT"."T"."X")').text == (
        'ORA-01400: cannot insert NULL into ("SCOTT"."T"."X")')
    assert OracleError(900, "more").text == "ORA-00900: invalid SQL statement: more"


@pytest.mark.parametrize(("sql", "params", "text"), [
    ("SELECT * FROM nope", (), "ORA-00942: table or view does not exist"),
    ("SELECT nope FROM t", (), 'ORA-00904: "NOPE": invalid identifier'),
    ("SELECT t.nope FROM t", (), 'ORA-00904: "T"."NOPE": invalid identifier'),
    ("SELECT nofunc(1) FROM dual", (), 'ORA-00904: "NOFUNC": invalid identifier'),
    ("INSERT INTO t VALUES (1, 'dup')", (), "ORA-00001: unique constraint (SCOTT.PK_T) violated"),
    ("INSERT INTO t (name) VALUES ('x')", (), 'ORA-01400: cannot insert NULL into ("SCOTT"."T"."ID")'),
    ("UPDATE t SET id = NULL", (), 'ORA-01407: cannot update ("SCOTT"."T"."ID") to NULL'),
    ("SELEKT 1 FROM dual", (), "ORA-00900: invalid SQL statement"),
    ("SELECT 1 FROM dual garbage garbage", (), "ORA-00933: SQL command not properly ended"),
    ("SELECT 1 FROM dual;", (), "ORA-00911: invalid character"),
    ("CREATE TABLE t (x NUMBER)", (), "ORA-00955: name is already used by an existing object"),
    ("SELECT TO_NUMBER('abc') FROM dual", (), "ORA-01722: invalid number"),
    ("SELECT :a FROM dual", (), "ORA-01008: not all variables bound"),
    ("BEGIN nope; END;", (), "ORA-06550: line 1, column 7:\nPLS-00201: identifier 'NOPE' must be "
     "declared\nORA-06550: line 1, column 7:\nPL/SQL: Statement ignored"),
    ("SELECT 'open FROM dual", (), "ORA-01756: quoted string not properly terminated"),
    ("SELECT 1 FROM", (), "ORA-00921: unexpected end of SQL command"),
    ("INSERT INTO t VALUES (1)", (), "ORA-00947: not enough values"),
    ("INSERT INTO t VALUES (1, 2, 3)", (), "ORA-00913: too many values"),
    ("SELECT id FROM t, t", (), "ORA-00918: column ambiguously defined"),
    ("SELECT NVL(1) FROM dual", (), "ORA-00909: invalid number of arguments"),
    ("CREATE TABLE x (c XMLTYPE)", (), "ORA-00902: invalid datatype"),
    ("CREATE TABLE x (c VARCHAR2(2), c NUMBER)", (), "ORA-00957: duplicate column name"),
    ("CREATE TABLE x (c NUMBER DEFAULT :d)", (1,), "ORA-01027: bind variables not allowed for data "
     "definition operations"),
    ("INSERT INTO t VALUES (2, :n)", ("x" * 21,), 'ORA-12899: value too large for column '
     '"SCOTT"."T"."NAME" (actual: 21, maximum: 20)'),
    ("INSERT INTO t VALUES (123456, 'big')", (), "ORA-01438: value larger than specified precision "
     "allowed for this column"),
    ("INSERT INTO t VALUES (3, 'bad')", (), "ORA-02290: check constraint (SCOTT.NO_BAD) violated"),
    ("INSERT INTO c VALUES (9)", (), "ORA-02291: integrity constraint (SCOTT.FK_C) violated - "
     "parent key not found"),
    ("DELETE FROM t", (), "ORA-02292: integrity constraint (SCOTT.FK_C) violated - child record "
     "found"),
    ("SELECT nope.NEXTVAL FROM dual", (), "ORA-02289: sequence does not exist"),
    ("CREATE TRIGGER tr BEFORE INSERT ON t BEGIN NULL; END;", (), "ORA-00900: invalid SQL statement: CREATE "
     "TRIGGER is not supported by the test server"),
    ("CREATE PACKAGE BODY p AS x NUMBER; END;", (), "ORA-00900: invalid SQL statement: a declaration (x ...) "
     "in a package body is not supported by the test server (only procedures and functions)"),
])
def test_errors_have_oracle_numbers_and_texts(s: SqlSession, sql: str, params: tuple[object, ...],
                                              text: str) -> None:
    s.execute("CREATE TABLE t (id NUMBER(5) CONSTRAINT pk_t PRIMARY KEY, name VARCHAR2(20), "
              "CONSTRAINT no_bad CHECK (name <> 'bad'))")
    s.execute("CREATE TABLE c (t_id NUMBER CONSTRAINT fk_c REFERENCES t (id))")
    s.execute("INSERT INTO t VALUES (1, 'dup')")
    s.execute("INSERT INTO c VALUES (1)")
    with pytest.raises(OracleError) as caught:
        s.execute(sql, params)
    assert caught.value.text == text
    assert caught.value.code == int(text[4:9])
