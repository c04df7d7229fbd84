"""MERGE through the real client: both branches, sources of every kind, Oracle's errors."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import oracledb
import pytest


_names = itertools.count()


@pytest.fixture
def tables(k: oracledb.Cursor) -> Iterator[tuple[str, str]]:
    """A target (ids 1, 2) and a source (ids 2, 3)."""
    target, source = f"mt_{next(_names)}", f"ms_{next(_names)}"
    k.execute(f"create table {target} (id number primary key, name varchar2(10), n number)")
    k.execute(f"create table {source} (id number, name varchar2(10))")
    k.executemany(f"insert into {target} values (:1, :2, 0)", [(1, "a"), (2, "b")])
    k.executemany(f"insert into {source} values (:1, :2)", [(2, "B"), (3, "C")])
    k.connection.commit()
    yield target, source
    k.execute(f"drop table {target}")
    k.execute(f"drop table {source}")


def contents(k: oracledb.Cursor, table: str) -> list[tuple[object, ...]]:
    k.execute(f"select * from {table} order by id")
    return k.fetchall()


def test_merge_updates_matched_and_inserts_the_rest(k: oracledb.Cursor,
                                                    tables: tuple[str, str]) -> None:
    target, source = tables
    k.execute(f"merge into {target} t using {source} s on (t.id = s.id) "
              "when matched then update set t.name = s.name, n = n + 1 "
              "when not matched then insert (id, name, n) values (s.id, s.name, 100)")
    assert k.rowcount == 2
    assert contents(k, target) == [(1, "a", 0), (2, "B", 1), (3, "C", 100)]


def test_upsert_from_dual_with_binds(k: oracledb.Cursor, tables: tuple[str, str]) -> None:
    target, _ = tables
    sql = (f"merge into {target} x using (select :id id, :name name from dual) y "
           "on (x.id = y.id) when matched then update set x.name = y.name "
           "when not matched then insert values (y.id, y.name, :n)")
    k.execute(sql, id=4, name="D", n=7)
    k.execute(sql, id=1, name="AA", n=7)
    assert contents(k, target) == [(1, "AA", 0), (2, "b", 0), (4, "D", 7)]


def test_executemany_merge(k: oracledb.Cursor, tables: tuple[str, str]) -> None:
    target, _ = tables
    k.executemany(f"merge into {target} t using dual on (t.id = :id) "
                  "when matched then update set name = :name "
                  "when not matched then insert (id, name) values (:id, :name)",
                  [{"id": 2, "name": "two"}, {"id": 5, "name": "five"}], arraydmlrowcounts=True)
    assert k.getarraydmlrowcounts() == [1, 1]
    assert contents(k, target) == [(1, "a", 0), (2, "two", 0), (5, "five", None)]


def test_branch_conditions(k: oracledb.Cursor, tables: tuple[str, str]) -> None:
    target, source = tables
    k.execute(f"merge into {target} t using {source} s on (t.id = s.id) "
              "when not matched then insert (id, name) values (s.id, s.name) where s.id > 10 "
              "when matched then update set name = 'z' where t.n > 0")
    assert k.rowcount == 0
    assert contents(k, target) == [(1, "a", 0), (2, "b", 0)]


def test_merge_is_all_or_nothing(k: oracledb.Cursor, tables: tuple[str, str]) -> None:
    target, source = tables
    with pytest.raises(oracledb.IntegrityError, match="ORA-00001"):
        k.execute(f"merge into {target} t using {source} s on (t.id = s.id) "
                  "when matched then update set name = 'changed' "
                  "when not matched then insert (id, name) values (1, s.name)")
    assert contents(k, target) == [(1, "a", 0), (2, "b", 0)]


@pytest.mark.parametrize(("merge", "code"), [
    ("merge into {t} t using {s} s on (t.id = s.id) when matched then update set t.id = s.id",
     "ORA-38104"),
    ("merge into {t} t using (select 1 id from dual union all select 1 from dual) s "
     "on (t.id = s.id) when matched then update set t.n = 5", "ORA-30926"),
    ("merge into {t} t using {s} s on (t.id = s.id) when matched then update set name = 'z' "
     "delete where n > 1", "ORA-00900"),
    ("merge into {t} t using {s} s on t.id = s.id when matched then update set name = 'z'",
     "ORA-00906"),
])
def test_merge_errors(k: oracledb.Cursor, tables: tuple[str, str], merge: str, code: str) -> None:
    target, source = tables
    with pytest.raises(oracledb.DatabaseError, match=code):
        k.execute(merge.format(t=target, s=source))
    assert contents(k, target) == [(1, "a", 0), (2, "b", 0)]
