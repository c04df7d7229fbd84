"""The structural rewrites and PL/SQL blocks at the SQL layer, without the wire."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devart_oracle.testing.sql import Database, OracleError, SessionInfo, SqlSession
from devart_oracle.testing.sql.merge import merge_steps
from devart_oracle.testing.sql.rewrite import plan
from devart_oracle.testing.sql.rownum import rownum_limit

NONE = frozenset[str]()


@pytest.fixture
def s() -> Iterator[SqlSession]:
    database = Database(sessions=lambda: [], kill=lambda sid, serial: False, lock_timeout=0.2)
    yield database.open_session(SessionInfo(sid=1, serial=1, username="SCOTT"))
    database.close()


@pytest.mark.parametrize(("op", "value", "rows"), [
    ("<=", 3, 3), ("<=", Decimal("2.5"), 2), ("<=", 0, 0), ("<", 3, 2), ("<", Decimal("2.5"), 2),
    ("=", 1, 1), ("=", 2, 0), (">", 0, 2 ** 62), (">", 1, 0), (">=", 1, 2 ** 62), (">=", 2, 0),
    ("<>", 3, 2), ("<>", 1, 0), ("<>", Decimal("1.5"), 2 ** 62), ("<=", None, 0),
])
def test_rownum_limit_counts_as_oracle_numbers_rows(op: str, value: object, rows: int) -> None:
    assert rownum_limit(op, value) == rows


def test_moved_binds_keep_their_numbers() -> None:
    rewritten = plan("select :a, level from dual where level > :b connect by level <= :c", NONE)
    assert rewritten.binds == 3
    where, generator = rewritten.sql.index("WHERE LEVEL > ?2"), rewritten.sql.index("?3")
    assert rewritten.sql.index("?1") < generator < where  # the generator moved into FROM


def test_rownum_becomes_limit_and_window() -> None:
    rewritten = plan("select rownum, x from t where y = :v and rownum <= :n", NONE)
    assert "ROW_NUMBER() OVER ()" in rewritten.sql
    assert rewritten.sql.rstrip().endswith("LIMIT ORA_ROWNUM_LIMIT ( '<=' , ?2 )")
    assert dict(rewritten.names)["(ROW_NUMBER() OVER ())"] == "ROWNUM"


def test_statements_without_the_constructs_are_not_rebuilt() -> None:
    sql = "select a /* note */ ,b from t where x = :1"
    assert plan(sql, NONE).sql == "SELECT A   ,B FROM T WHERE X = ?1"


def test_outer_join_plan() -> None:
    rewritten = plan("select * from a, b where a.id = b.aid(+) and a.n = 1", NONE)
    assert "FROM A LEFT JOIN B ON ( A . ID = B . AID ) WHERE ( A . N = 1 )" in rewritten.sql


def test_merge_steps_repeat_binds_by_position() -> None:
    steps = merge_steps("merge into t using (select :1 id from dual) s on (t.id = s.id) "
                        "when matched then update set n = :2 "
                        "when not matched then insert (id, n) values (s.id, :3)")
    assert [step.kind for step in steps] == ["check", "UPDATE", "INSERT"]
    assert [step.binds for step in steps] == [(0,), (1, 0), (2, 0)]  # VALUES, then the source


def test_block_reports_each_binds_direction(s: SqlSession) -> None:
    result = s.execute("begin :a := :b + 1; :c := :c || 'x'; "
                       "dbms_output.get_line(:d, :e); end;", (None, 1, "y", None, None))
    assert result.out_binds == (("OUT", 2), ("IN", 1), ("IN OUT", "yx"), ("OUT", None),
                                ("OUT", 1))


def test_select_into_runs_sql_with_the_blocks_binds(s: SqlSession) -> None:
    s.execute("create table t (id number, name varchar2(5))")
    s.execute("insert into t values (1, 'one')")
    result = s.execute("begin select name, id * :m into :n, :i from t where id = :k; end;",
                       (10, None, None, 1))
    assert result.out_binds == (("IN", 10), ("OUT", "one"), ("OUT", 10), ("IN", 1))


def test_errors_carry_the_line_of_the_statement(s: SqlSession) -> None:
    with pytest.raises(OracleError) as info:
        s.execute("begin\n  select 1 into :x from dual where 1 = 0;\nend;", (None,))
    assert info.value.text == "ORA-01403: no data found\nORA-06512: at line 2"


_PREFIXES = st.sampled_from([
    "", "SELECT a FROM t WHERE", "MERGE INTO t USING dual ON (", "SELECT level FROM t START WITH",
    "SELECT * FROM t x, dual d WHERE x.a(+) =", "SELECT listagg(", "DELETE t x WHERE rownum",
    "UPDATE t x SET x.a =", "BEGIN :v :=", "BEGIN SELECT a INTO", "BEGIN dbms_output.get_line(",
])
_WORDS = st.sampled_from([
    "SELECT", "FROM", "WHERE", "ROWNUM", "<=", "=", "1", "t", "dual", "CONNECT", "BY", "PRIOR",
    "LEVEL", "START", "WITH", "MERGE", "INTO", "USING", "ON", "(", ")", "WHEN", "MATCHED", "THEN",
    "UPDATE", "SET", "INSERT", "VALUES", "NOT", "DELETE", "LISTAGG", "WITHIN", "GROUP", "ORDER",
    "(+)", ".", ",", "a", "x", "AND", "OR", "UNION", ":v", "BEGIN", "END", ";", ":=", "NULL",
    "NOCYCLE", "DESC", "NULLS", "LIKE", "ESCAPE", "CURSOR", "AS", "*", "'s'",
])


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=_PREFIXES, words=st.lists(_WORDS, max_size=14))
def test_the_rewrites_fail_only_with_oracle_errors(s: SqlSession, prefix: str,
                                                   words: list[str]) -> None:
    sql = " ".join([prefix, *words])
    try:
        s.execute("create table t (a number, b varchar2(5))")
    except OracleError:
        pass  # made by an earlier example
    try:
        binds = sql.upper().count(":V")
        s.execute(sql, [None] * (min(binds, 1) if sql.lstrip().startswith("BEGIN") else binds))
    except OracleError as exc:
        assert exc.text.startswith(f"ORA-{exc.code:05d}: ")
    s.rollback()
