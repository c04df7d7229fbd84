"""The statement cache: shared by sessions, bounded, and never stale.

What it holds depends only on a statement's text and the schema prefixes
the rewrite drops; these tests check that DDL, CURRENT_SCHEMA, binds and
value types still take effect on a re-executed text.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devart_oracle.testing.sql import Database, OracleError, SessionInfo, SqlSession
from devart_oracle.testing.sql.lobs import BinaryDouble
from devart_oracle.testing.sql.statements import OwnStatements, Statement, StatementCache
from devart_oracle.testing.sql.values import encode


@pytest.fixture
def db() -> Iterator[Database]:
    database = Database(users=["SCOTT", "HR"], lock_timeout=0.2)
    yield database
    database.close()


def _session(db: Database, sid: int, user: str = "SCOTT") -> SqlSession:
    return db.open_session(SessionInfo(sid=sid, serial=sid, username=user))


def _rows(session: SqlSession, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    return session.execute(sql, params).fetch(100)


def test_sessions_share_one_prepared_statement(db: Database) -> None:
    one, two = _session(db, 1), _session(db, 2)
    sql = "select :x + 1 from dual"
    assert _rows(one, sql, (1,)) == [(2,)]
    assert _rows(two, sql, (41,)) == [(42,)]
    assert len(db.statements) == 1


def test_reexecuted_query_sees_ddl(db: Database) -> None:
    session = _session(db, 1)
    session.execute("create table t (a number(5))")
    session.execute("insert into t values (1)")
    sql = "select * from t"
    result = session.execute(sql)
    assert [c.name for c in result.columns or ()] == ["A"]
    result.fetch(10)
    session.execute("alter table t add (b varchar2(10))")
    result = session.execute(sql)
    assert [(c.name, c.type) for c in result.columns or ()] == [("A", "NUMBER"), ("B", "VARCHAR2")]
    result.fetch(10)
    session.execute("drop table t")
    with pytest.raises(OracleError) as raised:
        session.execute(sql)
    assert raised.value.code == 942
    session.execute("create table t (a date)")
    assert [c.type for c in session.execute(sql).columns or ()] == ["DATE"]


def test_current_schema_changes_the_translation() -> None:
    database = Database(users=None, lock_timeout=0.2)  # any name is a user; none is known
    try:
        session = _session(database, 1)
        session.execute("create table t (a number)")
        session.execute("insert into t values (7)")
        sql = "select a from hr.t"
        with pytest.raises(OracleError):  # HR is not this session's schema: the prefix stays
            session.execute(sql)
        session.execute("alter session set current_schema = hr")
        assert _rows(session, sql) == [(7,)]  # now it is: dropped
        assert {schemas for text, schemas in database.statements._entries if text == sql} == {
            frozenset({"SCOTT"}), frozenset({"SCOTT", "HR"})}
    finally:
        database.close()


def test_expression_types_follow_the_values(db: Database) -> None:
    session = _session(db, 1)
    sql = "select :x from dual"
    number = session.execute(sql, (Decimal("1.5"),))
    assert [c.type for c in number.columns or ()] == ["NUMBER"]
    assert number.fetch(1) == [(Decimal("1.5"),)]
    text = session.execute(sql, ("abc",))
    assert [c.type for c in text.columns or ()] == ["VARCHAR2"]
    assert text.fetch(1) == [("abc",)]
    again = session.execute(sql, (Decimal("2.5"),))
    assert again.columns is number.columns  # one shape per column list, reused


def test_not_null_follows_ddl_on_a_reexecuted_text(db: Database) -> None:
    session = _session(db, 1)
    session.execute("create table t (a number not null, b number)")
    sql = "select a, b from t"
    first = session.execute(sql)
    assert [c.nullable for c in first.columns or ()] == [False, True]
    assert session.execute(sql).columns is first.columns  # no column depends on the values: one shape
    session.execute("drop table t")
    session.execute("create table t (a number, b number not null)")
    assert [c.nullable for c in session.execute(sql).columns or ()] == [True, False]


def test_an_aliased_expression_may_be_not_null(db: Database) -> None:
    session = _session(db, 1)  # an expression named like a NOT NULL column (nullability's rule)
    session.execute("create table t (a number not null)")
    session.execute("insert into t values (1)")
    result = session.execute("select a + :x as a from t", (1,))
    assert [(c.type, c.nullable) for c in result.columns or ()] == [("NUMBER", False)]
    assert result.fetch(1) == [(2,)]


def test_a_session_keeps_its_statements_for_its_schemas() -> None:
    shared = StatementCache(capacity=1)
    own = OwnStatements(shared, capacity=2)
    scott, hr = frozenset({"SCOTT"}), frozenset({"HR"})
    first = own.get("select 1 from dual", scott)
    shared.get("select 2 from dual", scott)  # pushes the first out of the shared cache
    assert own.get("select 1 from dual", scott) is first  # the session still has it
    assert own.get("select 1 from dual", hr) is not first  # other schemas: prepared for them
    own.get("select 2 from dual", hr)
    own.get("select 3 from dual", hr)  # over capacity: the session's set starts anew
    assert len(own._entries) == 1


def test_bind_count_is_checked_on_every_execute(db: Database) -> None:
    session = _session(db, 1)
    sql = "select :a + :b from dual"
    assert _rows(session, sql, (1, 2)) == [(3,)]
    with pytest.raises(OracleError) as raised:
        session.execute(sql, (1,))
    assert raised.value.code == 1008


def test_a_statement_that_fails_to_prepare_is_not_cached(db: Database) -> None:
    session = _session(db, 1)
    with pytest.raises(OracleError) as raised:
        session.execute("frobnicate the table")
    assert raised.value.code == 900
    assert len(db.statements) == 0


def test_the_cache_drops_the_least_recently_used() -> None:
    cache = StatementCache(capacity=2)
    schemas = frozenset({"SCOTT"})
    first = cache.get("select 1 from dual", schemas)
    cache.get("select 2 from dual", schemas)
    assert cache.get("select 1 from dual", schemas) is first  # now the most recent
    cache.get("select 3 from dual", schemas)
    assert len(cache) == 2
    assert cache.get("select 1 from dual", schemas) is first
    assert cache.get("select 2 from dual", schemas) is not None  # prepared again
    assert [sql for sql, _ in cache._entries] == ["select 1 from dual", "select 2 from dual"]


def test_capacity_must_hold_a_statement() -> None:
    with pytest.raises(ValueError, match="at least one statement"):
        StatementCache(capacity=0)


_STORED = st.one_of(
    st.none(), st.integers(-2**70, 2**70), st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.text(max_size=3), st.binary(max_size=3), st.timedeltas(),
    st.datetimes(min_value=datetime.datetime(1900, 1, 1)),
    st.datetimes(min_value=datetime.datetime(1900, 1, 1)).map(lambda d: d.replace(microsecond=0)),
).map(encode)


@settings(max_examples=60)
@given(st.lists(st.tuples(st.lists(st.tuples(_STORED, _STORED), max_size=3), st.booleans()), min_size=1, max_size=6))
def test_a_reexecuted_expression_is_shaped_as_a_fresh_one(executes: list[tuple[list[tuple[object, object]], bool]],
                                                          ) -> None:
    """The shapes a statement keeps by the kinds of its values are those its values give anew."""
    sql, schemas = "select :x, :y || 1 from dual", frozenset({"SCOTT"})
    warm = Statement.prepare(sql, schemas)
    description = (("?1", None), ("ORA_CONCAT(?2, 1)", None))
    for rows, binary in executes:
        params = (BinaryDouble(1.5) if binary else 1.5, "a")
        expected = Statement.prepare(sql, schemas).shape_of(description, None, rows, frozenset({":X"}), params)
        shape = warm.shape_of(description, None, rows, frozenset({":X"}), params)
        assert shape.columns == expected.columns
        assert [_converted(shape.convert, row) for row in rows] == [_converted(expected.convert, row) for row in rows]


def _converted(convert: Callable[[Sequence[object]], tuple[object, ...]], row: Sequence[object]) -> object:
    try:
        return repr(convert(row))  # NaN is not equal to itself
    except OracleError as exc:
        return exc.code
