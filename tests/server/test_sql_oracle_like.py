"""LIKE and = compare text as Oracle does (case-sensitive, binary), through the real client."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer

_names = itertools.count()


@pytest.fixture
def people(wire_server: OracleTestServer) -> Iterator[tuple[oracledb.Cursor, str]]:
    """A cursor and a table of names in mixed case."""
    table = f"like_{next(_names)}"
    with oracledb.connect(user="scott", password="tiger", dsn=wire_server.dsn) as connection:
        connection.call_timeout = 10_000
        cursor = connection.cursor()
        cursor.execute(f"create table {table} (id number, name varchar2(20))")
        cursor.executemany(f"insert into {table} values (:1, :2)", [
            (1, "Ada"), (2, "ada"), (3, "ADA"), (4, "a_b"), (5, "axb"), (6, "100%"), (7, None)])
        yield cursor, table
        cursor.execute(f"drop table {table}")


def ids(cursor: oracledb.Cursor, table: str, condition: str, *binds: object) -> list[int]:
    cursor.execute(f"select id from {table} where {condition} order by id", binds)
    return [row[0] for row in cursor]


@pytest.mark.parametrize(("condition", "expected"), [
    ("name like 'a%'", [2, 4, 5]),
    ("name like 'A%'", [1, 3]),
    ("name like '_da'", [1, 2]),
    ("name not like 'a%'", [1, 3, 6]),  # NULL is neither like nor not like
    ("name like 'a\\_b' escape '\\'", [4]),
    ("name like 'a_b'", [4, 5]),
    ("name like '%!%' escape '!'", [6]),
    ("name like '%'", [1, 2, 3, 4, 5, 6]),
    ("name like null", []),
])
def test_like_is_case_sensitive_with_escape(people: tuple[oracledb.Cursor, str], condition: str,
                                            expected: list[int]) -> None:
    assert ids(*people, condition) == expected


def test_like_with_binds_for_pattern_and_escape(people: tuple[oracledb.Cursor, str]) -> None:
    assert ids(*people, "name like :1 escape :2", "a#_%", "#") == [4]


def test_like_on_a_number_matches_its_text(people: tuple[oracledb.Cursor, str]) -> None:
    assert ids(*people, "id like '_'") == [1, 2, 3, 4, 5, 6, 7]
    assert ids(*people, "id * 10 like '_0'") == [1, 2, 3, 4, 5, 6, 7]
    assert ids(*people, "date '2024-01-05' like '%-JAN-%' and id = 1") == [1]  # DD-MON-RR


@pytest.mark.parametrize(("pattern", "code"), [("'a\\'", "ORA-01424"), ("'a\\b'", "ORA-01424")])
def test_a_dangling_or_wrong_escape_is_ora_01424(people: tuple[oracledb.Cursor, str],
                                                 pattern: str, code: str) -> None:
    with pytest.raises(oracledb.DatabaseError, match=code):
        ids(*people, f"name like {pattern} escape '\\'")


def test_an_escape_of_two_characters_is_ora_01425(people: tuple[oracledb.Cursor, str]) -> None:
    with pytest.raises(oracledb.DatabaseError, match="ORA-01425"):
        ids(*people, "name like 'a' escape 'xy'")


@pytest.mark.parametrize(("condition", "expected"), [
    ("name = 'ada'", [2]),
    ("name = 'ADA'", [3]),
    ("name in ('Ada', 'ADA')", [1, 3]),
    ("name > 'ADA' and name < 'ada'", [1, 4]),  # binary order: upper case first
    ("upper(name) = 'ADA'", [1, 2, 3]),
    ("name = :1", [1]),
])
def test_equality_and_order_are_case_sensitive(people: tuple[oracledb.Cursor, str],
                                               condition: str, expected: list[int]) -> None:
    binds = ("Ada",) if ":1" in condition else ()
    assert ids(*people, condition, *binds) == expected


def test_distinct_and_sort_keep_case_apart(people: tuple[oracledb.Cursor, str]) -> None:
    cursor, table = people
    cursor.execute(f"select distinct name from {table} where upper(name) = 'ADA' order by name")
    assert [row[0] for row in cursor] == ["ADA", "Ada", "ada"]
