"""executemany() of a PL/SQL block: every execution's OUT binds reach the client, and
an error names the execution that failed (python-oracledb's 1218, 1222 and 1855)."""

from __future__ import annotations

import oracledb
import pytest

# k: a cursor of a fresh connection as scott (tests/server/conftest.py)


def test_each_execution_fills_its_row_of_the_out_bind(k: oracledb.Cursor) -> None:
    out = k.var(int, arraysize=3)
    k.executemany("begin :1 := length(:2); end;", [(out, "three"), (out, "four"), (out, "end")])
    assert out.values == [5, 4, 3]
    k.executemany("begin :1 := :2 * 2; end;", [(out, n) for n in (1, 2, 3)])  # re-executed by id
    assert out.values == [2, 4, 6]


def test_a_count_of_executions_without_in_binds(k: oracledb.Cursor) -> None:
    out = k.var(oracledb.NUMBER, arraysize=4)
    k.setinputsizes(out)
    k.executemany("begin :v := 5; end;", 4)
    assert out.values == [5, 5, 5, 5]


def test_an_error_gives_the_offset_of_the_failing_execution(k: oracledb.Cursor) -> None:
    out = k.var(int, arraysize=4)
    with pytest.raises(oracledb.DatabaseError, match="ORA-01476") as raised:
        k.executemany("begin :1 := 10 / (4 - :2); end;", [(out, n) for n in (1, 2, 4, 5)])
    assert raised.value.args[0].offset == 2
