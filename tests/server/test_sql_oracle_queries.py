"""ROWNUM, CONNECT BY row generators and (+) outer joins, through the real client.

The expected rows are Oracle's: ROWNUM numbers rows as they pass WHERE and
before ORDER BY, ``ROWNUM = 2`` and ``ROWNUM > 1`` never hold, and a
``(+)`` join keeps the rows of the other side with NULLs.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import oracledb
import pytest


_names = itertools.count()
IDS = (5, 3, 9, 1, 7, 2, 8)  # inserted in this order: the order a scan gives them


@pytest.fixture
def t(k: oracledb.Cursor) -> Iterator[str]:
    """A table of seven rows, ids in IDS order."""
    name = f"rn_{next(_names)}"
    k.execute(f"create table {name} (id number, name varchar2(10))")
    k.executemany(f"insert into {name} values (:1, :2)", [(i, f"n{i}") for i in IDS])
    yield name
    k.execute(f"drop table {name}")


def rows(k: oracledb.Cursor, sql: str, **binds: object) -> list[tuple[object, ...]]:
    k.execute(sql, binds)
    return k.fetchall()


# ------------------------------------------------------------------ ROWNUM

@pytest.mark.parametrize(("condition", "expected"), [
    ("rownum <= 3", [5, 3, 9]),
    ("rownum < 3", [5, 3]),
    ("rownum = 1", [5]),
    ("rownum = 2", []),
    ("rownum > 1", []),
    ("rownum >= 1", list(IDS)),
    ("rownum <> 3", [5, 3]),
    ("3 >= rownum", [5, 3, 9]),
    ("rownum <= 2.5", [5, 3]),
    ("id > 4 and rownum <= 2", [5, 9]),
    ("rownum <= 4 and rownum < 3", [5, 3]),
    ("id between 2 and 8 and rownum <= 3", [5, 3, 7]),
])
def test_rownum_in_where(k: oracledb.Cursor, t: str, condition: str, expected: list[int]) -> None:
    assert [r[0] for r in rows(k, f"select id from {t} where {condition}")] == expected


def test_rownum_limit_from_binds(k: oracledb.Cursor, t: str) -> None:
    assert rows(k, f"select id from {t} where id > :low and rownum <= :n", low=2, n=2) == [
        (5,), (3,)]


def test_rownum_in_the_select_list_numbers_rows_before_order_by(k: oracledb.Cursor,
                                                                 t: str) -> None:
    k.execute(f"select rownum, id from {t} where id > 4 order by id")
    assert [d[0] for d in k.description] == ["ROWNUM", "ID"]
    assert k.fetchall() == [(1, 5), (3, 7), (4, 8), (2, 9)]  # scanned 5, 9, 7, 8


def test_rownum_pagination_as_orms_write_it(k: oracledb.Cursor, t: str) -> None:
    sql = (f"select * from (select a.*, rownum rnum from (select id, name from {t} order by id) a"
           " where rownum <= :max_row) where rnum > :min_row")
    k.execute(sql, max_row=5, min_row=2)
    assert [d[0] for d in k.description] == ["ID", "NAME", "RNUM"]
    assert k.fetchall() == [(3, "n3", 3), (5, "n5", 4), (7, "n7", 5)]


def test_top_n_through_an_ordered_inline_view(k: oracledb.Cursor, t: str) -> None:
    assert rows(k, f"select id from (select id from {t} order by id desc) where rownum <= 2") == [
        (9,), (8,)]


def test_rownum_in_each_member_of_a_union(k: oracledb.Cursor, t: str) -> None:
    sql = f"select id from {t} where rownum = 1 union all select id from {t} where rownum <= 2"
    assert rows(k, sql) == [(5,), (5,), (3,)]


def test_rownum_in_insert_select(k: oracledb.Cursor, t: str) -> None:
    k.execute(f"insert into {t} select id + 100, name from {t} where rownum <= 2")
    assert k.rowcount == 2


def test_rownum_limits_delete_and_update(k: oracledb.Cursor, t: str) -> None:
    k.execute(f"delete from {t} where id > :low and rownum <= :n", low=2, n=2)
    assert k.rowcount == 2
    k.execute(f"update {t} set name = 'first' where rownum = 1")
    assert rows(k, f"select id, name from {t}") == [
        (9, "first"), (1, "n1"), (7, "n7"), (2, "n2"), (8, "n8")]


@pytest.mark.parametrize(("statement", "expected"), [
    ("delete {t} where id = 5", [3, 9, 1, 7, 2, 8]),
    ("delete from {t} x where x.id > 3", [3, 1, 2]),
    ("update {t} x set x.name = 'big' where x.id > 7", ["n5", "n3", "big", "n1", "n7", "n2", "big"]),
    ("update {t} set {t}.name = upper(name) where id = 1", ["n5", "n3", "n9", "N1", "n7", "n2",
                                                           "n8"]),
])
def test_update_and_delete_as_oracle_writes_them(k: oracledb.Cursor, t: str, statement: str,
                                                 expected: list[object]) -> None:
    k.execute(statement.format(t=t))
    column = "id" if statement.startswith("delete") else "name"
    assert [r[0] for r in rows(k, f"select {column} from {t}")] == expected


def test_rownum_of_a_subquery_in_where_is_the_subquerys(k: oracledb.Cursor, t: str) -> None:
    sql = (f"select id from {t} where id in (select id from {t} where rownum <= 2) "
           f"and id not in (select rownum from {t} where rownum < 4) and rownum <= 5")
    assert rows(k, sql) == [(5,)]


def test_rownum_in_an_or_is_refused(k: oracledb.Cursor, t: str) -> None:
    with pytest.raises(oracledb.DatabaseError, match="ORA-00900: .*ROWNUM"):
        k.execute(f"select id from {t} where rownum <= 2 or id = 1")


# -------------------------------------------------------------- CONNECT BY

@pytest.mark.parametrize(("sql", "expected"), [
    ("select level from dual connect by level <= 4", [(1,), (2,), (3,), (4,)]),
    ("select level from dual connect by level < 3", [(1,), (2,)]),
    ("select rownum from dual connect by rownum <= 2", [(1,), (2,)]),
    ("select level from dual where level > 2 connect by level <= 4", [(3,), (4,)]),
    ("select level from dual connect by level <= 3 and prior sys_guid() is not null",
     [(1,), (2,), (3,)]),
    ("select level * 10 from dual d connect by level <= 2", [(10,), (20,)]),
    ("select level from dual connect by level <= 0", [(1,)]),  # the root is always there
    ("select level from dual start with 1 = 1 connect by level <= 2", [(1,), (2,)]),
    ("select level from dual start with 1 = 0 connect by level <= 2", []),
    ("select level from dual connect by level <= 3 order by rownum desc", [(3,), (2,), (1,)]),
    ("select count(*) from (select level from dual connect by level <= 1000)", [(1000,)]),
    ("select * from (select level n from dual connect by level <= 9) where rownum <= 2",
     [(1,), (2,)]),
])
def test_connect_by_level_row_generator(k: oracledb.Cursor, sql: str,
                                        expected: list[tuple[int]]) -> None:
    assert rows(k, sql) == expected


def test_connect_by_with_a_bind_and_column_names(k: oracledb.Cursor) -> None:
    k.execute("select level, 'r' || level tag from dual connect by level <= :n", n=2)
    assert [d[0] for d in k.description] == ["LEVEL", "TAG"]
    assert k.fetchall() == [(1, "r1"), (2, "r2")]


@pytest.fixture
def emp(k: oracledb.Cursor) -> Iterator[str]:
    """king manages jones and blake; jones manages scott, who manages adams; blake allen."""
    name = f"emp_{next(_names)}"
    k.execute(f"create table {name} (id number, mgr number, name varchar2(10))")
    k.executemany(f"insert into {name} values (:1, :2, :3)", [
        (1, None, "king"), (2, 1, "jones"), (3, 1, "blake"), (4, 2, "scott"), (5, 4, "adams"),
        (6, 3, "allen")])
    yield name
    k.execute(f"drop table {name}")


def test_hierarchy_comes_depth_first_with_levels(k: oracledb.Cursor, emp: str) -> None:
    sql = f"select level, name from {emp} start with mgr is null connect by prior id = mgr"
    assert rows(k, sql) == [(1, "king"), (2, "jones"), (3, "scott"), (4, "adams"),
                            (2, "blake"), (3, "allen")]


@pytest.mark.parametrize(("sql", "expected"), [
    ("select lpad(' ', 2 * (level - 1)) || e.name from {t} e start with e.id = :root "
     "connect by prior e.id = e.mgr", [("jones",), ("  scott",), ("    adams",)]),
    ("select name from {t} where level > 2 start with mgr is null connect by prior id = mgr "
     "order by name", [("adams",), ("allen",), ("scott",)]),
    ("select count(*) from {t} connect by prior id = mgr", [(15,)]),  # every row a root
    ("select name from {t} start with id = 1 connect by prior id = mgr and level <= 2",
     [("king",), ("jones",), ("blake",)]),
    ("select name from {t} start with name = 'adams' connect by id = prior mgr",
     [("adams",), ("scott",), ("jones",), ("king",)]),  # walking up
])
def test_hierarchical_queries(k: oracledb.Cursor, emp: str, sql: str,
                              expected: list[tuple[object]]) -> None:
    binds = {"root": 2} if ":root" in sql else {}
    assert rows(k, sql.format(t=emp), **binds) == expected


def test_connect_by_loop(k: oracledb.Cursor, emp: str) -> None:
    k.execute(f"update {emp} set mgr = 5 where id = 1")  # king now reports to adams
    with pytest.raises(oracledb.DatabaseError, match="ORA-01436"):
        rows(k, f"select name from {emp} start with id = 1 connect by prior id = mgr")
    sql = f"select name from {emp} start with id = 1 connect by nocycle prior id = mgr"
    assert [r[0] for r in rows(k, sql)] == ["king", "jones", "scott", "adams", "blake", "allen"]


def test_hierarchy_functions_are_refused(k: oracledb.Cursor, emp: str) -> None:
    with pytest.raises(oracledb.DatabaseError, match="ORA-00900: .*SYS_CONNECT_BY_PATH"):
        k.execute(f"select sys_connect_by_path(name, '/') from {emp} "
                  "start with mgr is null connect by prior id = mgr")


# -------------------------------------------------------------- (+) joins

@pytest.fixture
def depts(k: oracledb.Cursor) -> Iterator[tuple[str, str, str]]:
    dept, emp, loc = (f"{kind}_{next(_names)}" for kind in ("dept", "emp", "loc"))
    k.execute(f"create table {dept} (id number, name varchar2(10))")
    k.execute(f"create table {emp} (id number, dept_id number, name varchar2(10), kind char(1))")
    k.execute(f"create table {loc} (dept_id number, city varchar2(10))")
    k.executemany(f"insert into {dept} values (:1, :2)", [(1, "a"), (2, "b"), (3, "c")])
    k.executemany(f"insert into {emp} values (:1, :2, :3, :4)",
                  [(1, 1, "x", "m"), (2, 1, "y", "e"), (3, 2, "z", "e")])
    k.execute(f"insert into {loc} values (1, 'paris')")
    yield dept, emp, loc
    for table in (dept, emp, loc):
        k.execute(f"drop table {table}")


def test_outer_join_keeps_unmatched_rows(k: oracledb.Cursor, depts: tuple[str, str, str]) -> None:
    dept, emp, _ = depts
    sql = f"select d.name, e.name from {dept} d, {emp} e where d.id = e.dept_id(+) order by 1, 2"
    assert rows(k, sql) == [("a", "x"), ("a", "y"), ("b", "z"), ("c", None)]


def test_outer_join_filter_on_the_optional_side_goes_into_on(
        k: oracledb.Cursor, depts: tuple[str, str, str]) -> None:
    dept, emp, _ = depts
    sql = (f"select d.name, e.name from {dept} d, {emp} e "
           "where e.dept_id(+) = d.id and e.kind(+) = :kind and d.id < 9 order by 1")
    assert rows(k, sql, kind="e") == [("a", "y"), ("b", "z"), ("c", None)]


def test_outer_joins_to_two_tables_and_anti_join(k: oracledb.Cursor,
                                                  depts: tuple[str, str, str]) -> None:
    dept, emp, loc = depts
    sql = (f"select d.name, e.name, l.city from {emp} e, {dept} d, {loc} l "
           "where d.id = e.dept_id(+) and l.dept_id(+) = d.id order by d.id, e.id")
    assert rows(k, sql) == [("a", "x", "paris"), ("a", "y", "paris"), ("b", "z", None),
                            ("c", None, None)]
    anti = f"select d.name from {dept} d, {emp} e where d.id = e.dept_id(+) and e.id is null"
    assert rows(k, anti) == [("c",)]


@pytest.mark.parametrize(("where", "code"), [
    ("d.id(+) = e.dept_id and e.id(+) = d.id", "ORA-01416"),
    ("d.id(+) = e.id(+)", "ORA-01468"),
    ("d.id = dept_id(+)", "ORA-00900"),
])
def test_outer_joins_refused_as_oracle_does(k: oracledb.Cursor, depts: tuple[str, str, str],
                                            where: str, code: str) -> None:
    dept, emp, _ = depts
    with pytest.raises(oracledb.DatabaseError, match=code):
        k.execute(f"select * from {dept} d, {emp} e where {where}")


# ----------------------------------------------------------------- LISTAGG

@pytest.fixture
def staff(k: oracledb.Cursor) -> Iterator[str]:
    name = f"staff_{next(_names)}"
    k.execute(f"create table {name} (dept number, name varchar2(10), sal number)")
    k.executemany(f"insert into {name} values (:1, :2, :3)", [
        (1, "bob", 3), (1, "al", 5), (2, "cy", None), (1, None, 1), (2, "di", 2), (1, "al", 7)])
    yield name
    k.execute(f"drop table {name}")


@pytest.mark.parametrize(("call", "expected"), [
    ("listagg(name, ',') within group (order by name)", "al,al,bob,cy,di"),
    ("listagg(name) within group (order by sal desc)", "cyalalbobdi"),  # DESC: NULLs first
    ("listagg(name, ',') within group (order by sal)", "di,bob,al,al,cy"),  # ASC: NULLs last
    ("listagg(name, ',') within group (order by sal nulls first)", "cy,di,bob,al,al"),
    ("listagg(distinct name, '-') within group (order by name desc)", "di-cy-bob-al"),
    ("listagg(name || ':' || sal, :sep) within group (order by dept, sal)",
     ":1|bob:3|al:5|al:7|di:2|cy:"),
    ("listagg(sal, '+') within group (order by sal)", "1+2+3+5+7"),
])
def test_listagg_orders_within_group(k: oracledb.Cursor, staff: str, call: str,
                                     expected: str) -> None:
    binds = {"sep": "|"} if ":sep" in call else {}
    assert rows(k, f"select {call} from {staff}", **binds) == [(expected,)]


def test_listagg_per_group_with_its_column_names(k: oracledb.Cursor, staff: str) -> None:
    k.execute(f"select dept, listagg(name, ', ') within group (order by name) names, "
              f"listagg(name) within group (order by name) from {staff} group by dept order by 1")
    assert [d[0] for d in k.description] == [
        "DEPT", "NAMES", "LISTAGG(NAME)WITHINGROUP(ORDERBYNAME)"]
    assert k.fetchall() == [(1, "al, al, bob", "alalbob"), (2, "cy, di", "cydi")]


def test_listagg_of_no_rows_is_null_and_too_long_is_ora_01489(k: oracledb.Cursor,
                                                              staff: str) -> None:
    assert rows(k, f"select listagg(name, ',') within group (order by name) from {staff} "
                   "where 1 = 0") == [(None,)]
    with pytest.raises(oracledb.DatabaseError, match="ORA-01489"):
        rows(k, f"select listagg(rpad('x', 3000, 'x'), ',') within group (order by 1) "
                f"from {staff}")


# ------------------------------------------------------------- DUAL, CURSOR

def test_views_over_dual(k: oracledb.Cursor) -> None:
    names = [f"vd_{next(_names)}" for _ in range(3)]
    k.execute(f"create view {names[0]} as select 1 as one, 'a' || 'b' ab, user u from dual")
    k.execute(f"create or replace view {names[1]} (x) as select dummy from sys.dual")
    k.execute(f"create view {names[2]} as select level n from dual connect by level <= 3")
    try:
        assert rows(k, f"select * from {names[0]}") == [(1, "ab", "SCOTT")]
        assert rows(k, f"select x from {names[1]}") == [("X",)]
        assert rows(k, f"select sum(n) from {names[2]}") == [(6,)]
    finally:
        for name in names:
            k.execute(f"drop view {name}")


def test_dual_is_not_a_user_table(k: oracledb.Cursor) -> None:
    assert rows(k, "select count(*) from user_tables where table_name = 'DUAL'") == [(0,)]


def test_cursor_expressions_outside_a_select_list_are_refused_with_the_reason(k: oracledb.Cursor) -> None:
    with pytest.raises(oracledb.DatabaseError, match="ORA-00900: .*CURSOR expressions"):
        k.execute("select 1 from dual union all select cursor(select 1 from dual) from dual")
