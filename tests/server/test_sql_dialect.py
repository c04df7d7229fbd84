"""The Oracle dialect on SQLite: DDL, functions, formats, and properties of the rewrite."""

from __future__ import annotations

import datetime
import string
from collections.abc import Iterator
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devart_oracle.testing.sql import Database, OracleError, SessionInfo, SqlSession
from devart_oracle.testing.sql.lexer import bind_names, tokenize
from devart_oracle.testing.sql.literals import quote_literal


@pytest.fixture(scope="module")
def db() -> Iterator[Database]:
    database = Database(lock_timeout=0.2)
    yield database
    database.close()


@pytest.fixture
def s(db: Database) -> Iterator[SqlSession]:
    session = db.open_session(SessionInfo(1, 1, "SCOTT"))
    yield session
    for (name,) in session.execute("SELECT table_name FROM user_tables").fetch(1000):
        session.execute(f'DROP TABLE "{name}"')
    session.close()


def rows(session: SqlSession, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    return session.execute(sql, params).fetch(1000)


# ---------------------------------------------------------------------- DDL

def test_oracle_storage_clauses_and_qualifiers_are_accepted(s: SqlSession) -> None:
    s.execute("CREATE TABLE scott.items (id NUMBER(9) NOT NULL, label VARCHAR2(30 BYTE), "
              "price NUMBER(*,2), qty INTEGER DEFAULT 0, made TIMESTAMP(3) WITH TIME ZONE, "
              "CONSTRAINT items_pk PRIMARY KEY (id)) TABLESPACE users")
    s.execute("CREATE UNIQUE INDEX items_label ON items (label)")
    s.execute("INSERT INTO scott.items (id, label, price) VALUES (1, 'a', 9.999)")
    assert rows(s, "SELECT id, label, price, qty FROM items") == [(1, "a", 10, 0)]
    with pytest.raises(OracleError, match=r"unique constraint \(SCOTT.ITEMS_LABEL\)"):
        s.execute("INSERT INTO items (id, label) VALUES (2, 'a')")
    with pytest.raises(OracleError, match=r"unique constraint \(SCOTT.ITEMS_PK\)"):
        s.execute("INSERT INTO items (id, label) VALUES (1, 'b')")
    s.execute("DROP TABLE items CASCADE CONSTRAINTS PURGE")


def test_alter_table_add_drop_rename(s: SqlSession) -> None:
    s.execute("CREATE TABLE a (x NUMBER)")
    s.execute("ALTER TABLE a ADD (y VARCHAR2(3), z DATE)")
    s.execute("ALTER TABLE a ADD w NUMBER(2)")
    s.execute("ALTER TABLE a ADD CONSTRAINT a_uk UNIQUE (x)")
    s.execute("INSERT INTO a (x, y) VALUES (1, 'abc')")
    with pytest.raises(OracleError, match=r"ORA-00001: unique constraint \(SCOTT.A_UK\)"):
        s.execute("INSERT INTO a (x) VALUES (1)")
    s.execute("ALTER TABLE a DROP CONSTRAINT a_uk")
    s.execute("ALTER TABLE a DROP COLUMN z")
    s.execute("ALTER TABLE a RENAME COLUMN w TO v")
    s.execute("RENAME a TO b")
    result = s.execute("SELECT * FROM b")
    assert [(c.name, c.type, c.size, c.precision) for c in result.columns or []] == [
        ("X", "NUMBER", 0, 0), ("Y", "VARCHAR2", 3, 0), ("V", "NUMBER", 0, 2)]
    with pytest.raises(OracleError, match="ALTER TABLE MODIFY is not supported"):
        s.execute("ALTER TABLE b MODIFY (x NUMBER(5))")


def test_views_truncate_and_user_tables(s: SqlSession) -> None:
    s.execute("CREATE TABLE base (n NUMBER(4), d DATE)")
    s.execute("INSERT INTO base VALUES (1, DATE '2020-01-02')")
    s.execute("CREATE OR REPLACE VIEW bv AS SELECT n, d FROM base WITH READ ONLY")
    s.execute("CREATE OR REPLACE VIEW bv AS SELECT n * 2 AS n2, d FROM base")
    result = s.execute("SELECT * FROM bv")
    assert [c.type for c in result.columns or []] == ["NUMBER", "DATE"]
    assert result.fetch(1) == [(2, datetime.datetime(2020, 1, 2))]
    s.execute("TRUNCATE TABLE base")
    assert rows(s, "SELECT COUNT(*) FROM bv") == [(0,)]
    assert rows(s, "SELECT table_name FROM user_tables WHERE table_name = 'BASE'") == [("BASE",)]
    s.execute("DROP VIEW bv")


def test_sequence_ddl_shows_in_user_sequences(s: SqlSession) -> None:
    s.execute("CREATE SEQUENCE up_seq START WITH 3 INCREMENT BY 2 CACHE 20")
    assert rows(s, "SELECT up_seq.NEXTVAL FROM dual") == [(3,)]
    assert rows(s, "SELECT sequence_name, increment_by FROM user_sequences "
                   "WHERE sequence_name = 'UP_SEQ'") == [("UP_SEQ", 2)]
    s.execute("DROP SEQUENCE up_seq")


# --------------------------------------------------------------- functions

@pytest.mark.parametrize(("expression", "expected"), [
    ("TO_CHAR(DATE '2024-03-05', 'YYYY-MM-DD HH24:MI:SS')", "2024-03-05 00:00:00"),
    ("TO_CHAR(TIMESTAMP '2024-03-05 13:04:05.25', 'DD.MM.YY HH12:MI:SS.FF3 AM')",
     "05.03.24 01:04:05.250 PM"),
    ("TO_CHAR(DATE '2024-03-05', 'Day, DD Month YYYY')", "Tuesday, 05 March 2024"),
    ("TO_CHAR(DATE '2024-03-05', 'MON')", "MAR"),
    ("TO_CHAR(DATE '2024-03-05')", "05-MAR-24"),
    ("TO_CHAR(1234.5, '99999.99')", "  1234.50"),
    ("TO_CHAR(-0.5)", "-.5"),
    ("TO_CHAR(42)", "42"),
    ("TO_DATE('05/03/2024', 'DD/MM/YYYY')", datetime.datetime(2024, 3, 5)),
    ("TO_TIMESTAMP('2024-03-05 01:02:03.5', 'YYYY-MM-DD HH24:MI:SS.FF')",
     datetime.datetime(2024, 3, 5, 1, 2, 3, 500000)),
    ("TO_NUMBER('12.50')", Decimal("12.5")),
    ("TRUNC(TIMESTAMP '2024-03-05 13:04:05', 'MM')", datetime.datetime(2024, 3, 1)),
    ("TRUNC(DATE '2024-03-05', 'YYYY')", datetime.datetime(2024, 1, 1)),
    ("TRUNC(-7.89, 1)", Decimal("-7.8")),
    ("ADD_MONTHS(DATE '2024-01-31', 1)", datetime.datetime(2024, 2, 29)),
    ("LAST_DAY(DATE '2023-02-10')", datetime.datetime(2023, 2, 28)),
    ("NVL(NULL, 3)", 3), ("NVL2(1, 'y', 'n')", "y"),
    ("DECODE(2, 1, 'one', 2, 'two', 'many')", "two"), ("DECODE(NULL, NULL, 'null')", "null"),
    ("LPAD('ab', 5, '*')", "***ab"), ("RPAD('ab', 4)", "ab  "),
    ("SUBSTR('abcdef', -3, 2)", "de"), ("SUBSTR('abcdef', 0, 2)", "ab"),
    ("INITCAP('hello world')", "Hello World"), ("CONCAT('a', NULL)", "a"),
    ("GREATEST(1, 5, 3)", 5), ("LEAST('b', 'a')", "a"), ("GREATEST(1, NULL)", None),
    ("MOD(-7, 3)", -1), ("CEIL(1.2)", 2), ("FLOOR(-1.2)", -2),
])
def test_oracle_functions(s: SqlSession, expression: str, expected: object) -> None:
    assert rows(s, f"SELECT {expression} FROM dual") == [(expected,)]


def test_format_and_conversion_errors(s: SqlSession) -> None:
    with pytest.raises(OracleError, match="ORA-01843: not a valid month"):  # as Oracle says
        s.execute("SELECT TO_DATE('2024-99-99', 'YYYY-MM-DD') FROM dual")
    with pytest.raises(OracleError, match="ORA-01861"):
        s.execute("SELECT TO_DATE('2024-x-01', 'YYYY-MM-DD') FROM dual")
    with pytest.raises(OracleError, match="ORA-01821"):
        s.execute("SELECT TRUNC(SYSDATE, 'XX') FROM dual")
    with pytest.raises(OracleError, match="ORA-01861"):
        s.execute("SELECT DATE '2024-13-01' FROM dual")


# -------------------------------------------------------------- properties

_PLAIN = st.text(alphabet=st.characters(blacklist_categories=("Cs",),
                                        blacklist_characters="\x00\x1e\x1f"), min_size=1)
_NAMES = st.text(alphabet=string.ascii_letters, min_size=1, max_size=8)


@st.composite
def _sql_with_binds(draw: st.DrawFn) -> tuple[str, list[str]]:
    """SQL text whose binds are known, mixed with colons that are not binds."""
    parts, names = [], []
    for kind, name in draw(st.lists(st.tuples(st.sampled_from(["bind", "str", "q", "ident", "line",
                                                               "block"]), _NAMES), max_size=8)):
        if kind == "bind":
            parts.append(f":{name}")
            names.append(name.upper())
        else:
            parts.append({"str": f"':{name}'", "q": f"q'[:{name}]'", "ident": f'":{name}"',
                          "line": f"-- :{name}\n", "block": f"/* :{name} */"}[kind])
    return "SELECT " + " , ".join(parts or ["1"]) + " FROM dual", names


@given(_sql_with_binds())
def test_only_real_placeholders_are_binds(case: tuple[str, list[str]]) -> None:
    sql, names = case
    assert bind_names(tokenize(sql), plsql=False) == names


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_PLAIN)
def test_string_literals_come_back_unchanged(s: SqlSession, text: str) -> None:
    assert rows(s, f"SELECT {quote_literal(text)} FROM dual") == [(text,)]


_VALUES = st.one_of(
    st.integers(min_value=-(10**38) + 1, max_value=10**38 - 1),
    st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
        lambda d: d == 0 or -130 < d.adjusted() < 125 and len(d.as_tuple().digits) <= 38),
    _PLAIN,
    st.binary(min_size=1, max_size=64),
    st.datetimes(min_value=datetime.datetime(1, 1, 1), max_value=datetime.datetime(9999, 12, 31)),
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=_VALUES)
def test_bind_values_round_trip(s: SqlSession, value: object) -> None:
    [(back,)] = rows(s, "SELECT :v FROM dual", (value,))
    assert back == value


_FRAGMENTS = st.sampled_from([
    "SELECT", "INSERT", "INTO", "UPDATE", "DELETE", "FROM", "WHERE", "dual", "t", "x", "1",
    "'a'", "'", '"', "(", ")", ",", ";", ":b", "=", "+", "/", "*", "--", "/*", "BEGIN", "END",
    "NULL", "CREATE", "TABLE", "DROP", "ALTER", "SESSION", "SET", "SYSTEM", "KILL", "DATE",
    "NUMBER", "VARCHAR2(5)", "q'[", "]'", "SYSDATE", "USER", "V$SESSION", "SERIAL#", ".",
    "NEXTVAL", "FETCH", "FIRST", "ROWS", "ONLY", "OFFSET", "FOR", "COMMIT", "ROLLBACK", "TO",
])


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(_FRAGMENTS, max_size=12), noise=st.text(max_size=10))
def test_any_text_fails_only_with_oracle_errors(s: SqlSession, words: list[str], noise: str) -> None:
    for sql in (" ".join(words), noise, " ".join(words) + noise):
        try:
            s.execute(sql, [None] * 3)
        except OracleError as exc:
            assert exc.text.startswith(f"ORA-{exc.code:05d}: ")
    s.rollback()
