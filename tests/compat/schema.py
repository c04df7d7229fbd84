"""The tables python-oracledb's suite expects, written here because its schema
scripts (``tests/sql/*.sql``) are not in the sdist.

Only plain tables are created: the ones the pool files use (TestNumbers,
TestTempTable) and a few the connection and cursor files use most (TestStrings,
TestDates, TestArrayDML). The columns follow the suite's expectations; the
rows are those its scripts insert in PL/SQL loops, computed here and inserted
with binds, since the embedded server runs no PL/SQL loops. The LOB and type
tables of ``tests/data_types`` are in :mod:`tests.compat.schema_types`. Object
types, packages and queues are left out: tests that need them fail, and say so. The
edition the editioning tests use is created as the suite's scripts do.

The stored procedures and functions the callproc/callfunc tests call are
created too, with the server's ``CREATE PROCEDURE`` (the bodies are the
suite's own: assignments, RETURN, and IF on BOOLEAN parameters).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from tests.compat import schema_types

Row = Sequence[Any]

#: The edition the suite's editioning tests use (PYO_TEST_EDITION_NAME; its own default too).
EDITION = "pythonedition"

_TABLES: dict[str, str] = {
    "TestNumbers": """(IntCol number(9) not null, LongIntCol number(16) not null,
        NumberCol number(9, 2) not null, FloatCol float not null,
        UnconstrainedCol number not null, NullableCol number(38))""",
    "TestStrings": """(IntCol number(9) not null, StringCol varchar2(20) not null,
        RawCol raw(30) not null, FixedCharCol char(40) not null, NullableCol varchar2(50))""",
    "TestDates": "(IntCol number(9) not null, DateCol date not null, NullableCol date)",
    "TestTempTable": """(IntCol number(9) not null, StringCol1 varchar2(400),
        StringCol2 varchar2(400), NumberCol number(25, 2),
        constraint TestTempTable_pk primary key (IntCol))""",
    "TestArrayDML": """(IntCol number(9) not null, StringCol varchar2(100), IntCol2 number(3),
        constraint TestArrayDML_pk primary key (IntCol))""",
}


#: The suite's procedures, functions and packages: (what and name, the rest of its CREATE).
_ROUTINES = (
    ("procedure proc_Test", """(a_InValue varchar2, a_InOutValue in out number, a_OutValue out number) as
        begin
            a_InOutValue := a_InOutValue * length(a_InValue);
            a_OutValue := length(a_InValue);
        end;"""),
    ("procedure proc_Test2", """(a_InValue varchar2, a_InOutValue in out number,
            a_OutValue out boolean) as
        begin
            a_InOutValue := a_InOutValue * length(a_InValue);
            a_OutValue := false;
            if length(a_InValue) >= 2 then
                a_OutValue := true;
            end if;
        end;"""),
    ("procedure proc_TestNoArgs", "as begin null; end;"),
    ("procedure myrefcursorproc", """(a_RefCursor out sys_refcursor) as
        begin
            open a_RefCursor for select * from TestTempTable;
        end;"""),
    ("function func_Test", """(a_String varchar2, a_ExtraAmount number) return number as
        begin
            return length(a_String) + a_ExtraAmount;
        end;"""),
    ("function func_Test2", """(a_String varchar2, a_ExtraAmount number, a_Boolean boolean)
        return number as
        begin
            if a_Boolean then
                return length(a_String) + a_ExtraAmount;
            end if;
            return length(a_String) - a_ExtraAmount;
        end;"""),
    ("function func_TestNoArgs", "return number as begin return 712; end;"),
    # Two of the suite's packages. The server keeps no overloads: pkg_TestLOBs has one
    # GetSize for BLOB and CLOB alike, which DBMS_LOB.GETLENGTH measures either way.
    ("package pkg_TestRefCursors", """as
        procedure TestOutCursor (a_MaxIntValue number, a_Cursor out sys_refcursor);
        function TestInCursor (a_Cursor sys_refcursor) return varchar2;
        function TestReturnCursor (a_MaxIntValue number) return sys_refcursor;
        procedure TestLobCursor (a_Value varchar2, a_Cursor out sys_refcursor);
        procedure TestCloseCursor (a_Cursor sys_refcursor);
        end;"""),
    ("package body pkg_TestRefCursors", """as
        procedure TestOutCursor (a_MaxIntValue number, a_Cursor out sys_refcursor) is
        begin
            open a_Cursor for select IntCol, StringCol from TestStrings
                where IntCol <= a_MaxIntValue order by IntCol;
        end;
        function TestInCursor (a_Cursor sys_refcursor) return varchar2 is
            t_String varchar2(100);
        begin
            fetch a_Cursor into t_String;
            return t_String || ' (Modified)';
        end;
        function TestReturnCursor (a_MaxIntValue number) return sys_refcursor is
            t_Cursor sys_refcursor;
        begin
            open t_Cursor for select IntCol, StringCol from TestStrings
                where IntCol <= a_MaxIntValue order by IntCol;
            return t_Cursor;
        end;
        procedure TestLobCursor (a_Value varchar2, a_Cursor out sys_refcursor) is
        begin
            open a_Cursor for select to_clob(a_Value) from dual;
        end;
        procedure TestCloseCursor (a_Cursor sys_refcursor) is
            t_Id number;
            t_StrVal varchar2(400);
        begin
            delete from TestTempTable;
            fetch a_Cursor into t_Id, t_StrVal;
            if not a_Cursor%notfound then
                insert into TestTempTable (IntCol, StringCol1) values (t_Id, t_StrVal);
            end if;
            close a_Cursor;
            commit;
        end;
        end;"""),
    ("package pkg_TestLOBs", """as
        procedure GetSize (a_LOB clob, a_Size out number);
        procedure TestInOut (a_CLOB in out clob, a_SearchValue varchar2, a_ReplaceValue varchar2);
        function GetLOB (a_Num number, a_Format varchar2) return clob;
        end;"""),
    ("package body pkg_TestLOBs", """as
        procedure GetSize (a_LOB clob, a_Size out number) is
        begin
            a_Size := dbms_lob.getlength(a_LOB);
        end;
        procedure TestInOut (a_CLOB in out clob, a_SearchValue varchar2, a_ReplaceValue varchar2) is
        begin
            if a_SearchValue is not null then
                a_CLOB := replace(a_CLOB, a_SearchValue, a_ReplaceValue);
            end if;
        end;
        function GetLOB (a_Num number, a_Format varchar2) return clob is
        begin
            return to_clob(replace(a_Format, '{}', to_char(a_Num)));
        end;
        end;"""),
)


def _odd(i: int, value: Any) -> Any:
    """The scripts' ``decode(mod(i, 2), 0, null, value)``."""
    return None if i % 2 == 0 else value


def _numbers(i: int) -> Row:
    return (i, 38**i, Decimal(i) + Decimal(i) * Decimal("0.25"), i + i * 0.75,
            Decimal(i**3) + Decimal(i) * Decimal("0.5"), _odd(i, 143**i))


def _strings(i: int) -> Row:
    return (i, f"String {i}", f"Raw {i}".encode(), f"Fixed Char {i}", _odd(i, f"Nullable {i}"))


def _dates(i: int) -> Row:
    base = datetime.datetime(2002, 12, 9)
    return (i, base + datetime.timedelta(days=i * 1.1), _odd(i, base + datetime.timedelta(days=i * 2.15)))


_ROWS: dict[str, Callable[[int], Row]] = {"TestNumbers": _numbers, "TestStrings": _strings, "TestDates": _dates}


def statements() -> Iterable[tuple[str, list[Row]]]:
    """``(sql, rows)`` pairs that build the schema: DDL with no rows, then inserts."""
    yield f"create edition {EDITION}", []
    for table, columns in _TABLES.items():
        yield f"create table {table} {columns}", []
    for name, source in _ROUTINES:
        yield f"create or replace {name} {source}", []
    for table, make in _ROWS.items():
        rows = [make(i) for i in range(1, 11)]
        binds = ", ".join(f":{n + 1}" for n in range(len(rows[0])))
        yield f"insert into {table} values ({binds})", rows
    # the LOB and type tables (tests/data_types), in their own module
    yield from schema_types.statements()


def create(cursor: Any) -> None:
    """Create the tables and their rows through a python-oracledb cursor, and commit."""
    for sql, rows in statements():
        if rows:
            cursor.executemany(sql, rows)
        else:
            cursor.execute(sql)
    cursor.connection.commit()
