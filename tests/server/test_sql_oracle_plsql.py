"""Anonymous PL/SQL blocks as clients send them, through the real client: OUT binds,
SELECT INTO, packaged calls and DBMS_OUTPUT (python-oracledb's sample loops)."""

from __future__ import annotations

import datetime

import oracledb
import pytest



def test_assignment_to_an_out_bind(k: oracledb.Cursor) -> None:
    number, text = k.var(int), k.var(str)
    k.execute("begin :n := 40 + 2; :t := 'user ' || user; end;", n=number, t=text)
    assert (number.getvalue(), text.getvalue()) == (42, "user SCOTT")


def test_in_out_bind_reads_its_value_then_is_written(k: oracledb.Cursor) -> None:
    counter = k.var(int)
    counter.setvalue(0, 1)
    for expected in (2, 4, 8):
        k.execute("begin :c := :c * 2; end;", c=counter)  # re-executes send the new value
        assert counter.getvalue() == expected


def test_re_executed_block_with_out_and_in_binds(k: oracledb.Cursor) -> None:
    out = k.var(str)
    for n in range(3):  # the second and third calls re-execute without the OUT value
        k.execute("begin :o := 'n=' || :n; end;", o=out, n=n)
        assert out.getvalue() == f"n={n}"


def test_later_statements_see_earlier_assignments(k: oracledb.Cursor) -> None:
    a, b = k.var(int), k.var(str)
    k.execute("begin :a := 5; :b := to_char(:a + 1); end;", a=a, b=b)
    assert (a.getvalue(), b.getvalue()) == (5, "6")


def test_date_assignment(k: oracledb.Cursor) -> None:
    when = k.var(oracledb.DB_TYPE_DATE)
    k.execute("begin :d := date '2024-02-29' + 1; end;", d=when)
    assert when.getvalue() == datetime.datetime(2024, 3, 1)


def test_value_longer_than_the_bind_is_ora_06502(k: oracledb.Cursor) -> None:
    small = k.var(str, 3)
    with pytest.raises(oracledb.DatabaseError, match="ORA-06502"):
        k.execute("begin :s := rpad('x', 20, 'x'); end;", s=small)


def test_native_float_out_bind(k: oracledb.Cursor) -> None:
    out, source = k.var(oracledb.NATIVE_FLOAT), k.var(oracledb.NATIVE_FLOAT)
    source.setvalue(0, 10)
    k.execute("begin :value := :value2 + 5; end;", value=out, value2=source)
    assert out.getvalue() == 15.0


def test_select_into_binds(k: oracledb.Cursor) -> None:
    name, count = k.var(str), k.var(int)
    k.execute("begin select 'x' || :p, 3 into :name, :cnt from dual; end;",
              p="y", name=name, cnt=count)
    assert (name.getvalue(), count.getvalue()) == ("xy", 3)


def test_select_into_with_no_row_or_two_rows(k: oracledb.Cursor) -> None:
    out = k.var(int)
    with pytest.raises(oracledb.DatabaseError, match="ORA-01403: no data found"):
        k.execute("begin select 1 into :o from dual where 1 = 0; end;", o=out)
    with pytest.raises(oracledb.DatabaseError, match="ORA-01422: exact fetch returns more"):
        k.execute("begin select 1 into :o from (select 1 from dual union all "
                  "select 2 from dual); end;", o=out)


def test_callfunc_and_callproc_with_named_arguments(k: oracledb.Cursor) -> None:
    assert isinstance(k.callfunc("dbms_utility.get_time", int), int)
    k.callproc("dbms_application_info.set_module", keyword_parameters={
        "module_name": "mod", "action_name": "act"})
    k.execute("select sys_context('userenv', 'module'), sys_context('userenv', 'action') "
              "from dual")
    assert k.fetchone() == ("mod", "act")


def test_dbms_output_get_line_loop(k: oracledb.Cursor) -> None:
    k.callproc("dbms_output.enable")
    k.execute("begin dbms_output.put_line('first'); dbms_output.put_line(''); "
              "dbms_output.put('a'); dbms_output.put('b'); dbms_output.new_line; end;")
    line, status = k.var(str), k.var(int)
    lines = []
    while True:
        k.callproc("dbms_output.get_line", (line, status))
        if status.getvalue() != 0:
            break
        lines.append(line.getvalue())
    assert lines == ["first", None, "ab"]


def test_dbms_output_get_lines_in_chunks(k: oracledb.Cursor) -> None:
    k.callproc("dbms_output.enable", [None])
    for n in range(5):
        k.callproc("dbms_output.put_line", [f"line {n}"])
    chunk = 2
    lines_var, count_var = k.arrayvar(str, chunk), k.var(int)
    got = []
    while True:
        count_var.setvalue(0, chunk)
        k.callproc("dbms_output.get_lines", (lines_var, count_var))
        got += lines_var.getvalue()[:count_var.getvalue()]
        if count_var.getvalue() < chunk:
            break
    assert got == [f"line {n}" for n in range(5)]


def test_dbms_output_disabled_keeps_nothing(k: oracledb.Cursor) -> None:
    k.callproc("dbms_output.put_line", ["lost"])
    line, status = k.var(str), k.var(int)
    k.callproc("dbms_output.get_line", (line, status))
    assert (line.getvalue(), status.getvalue()) == (None, 1)


def test_dbms_output_buffer_overflow(k: oracledb.Cursor) -> None:
    k.callproc("dbms_output.enable", [2000])
    with pytest.raises(oracledb.DatabaseError, match="ORU-10027: buffer overflow, limit of 2000"):
        k.execute("begin dbms_output.put_line(rpad('x', 1500, 'x')); "
                  "dbms_output.put_line(rpad('y', 1500, 'y')); end;")


@pytest.mark.parametrize(("block", "message"), [
    ("begin :o := ; end;", "PLS-00103"),
    ("begin select 1 from dual; end;", "PLS-00428: an INTO clause is expected"),
    ("begin dbms_output.get_line('x', :s); end;", "PLS-00363"),
    ("begin dbms_output.put_line(a => 'x', 'y'); end;", "PLS-00306"),
    ("begin v := 1; end;", "PLS-00201: identifier 'V' must be declared"),
    ("begin for i in 1 .. 3 loop null; end loop; end;", "PLS-00999"),
    ("begin goto done; end;", "PLS-00999"),
    ("begin continue; end;", "PLS-00376"),
    ("begin loop null; end; end;", "PLS-00103"),  # END LOOP expected
    ("begin if 1 = 1 then null; end; end;", "PLS-00103"),
    ("begin raise; end;", "PLS-00367"),
    ("begin raise no_such_thing; end;", "PLS-00201"),
])
def test_blocks_refused_as_oracle_compiles_them(k: oracledb.Cursor, block: str,
                                                message: str) -> None:
    binds = {name: k.var(str) for name in ("o", "s") if f":{name}" in block}
    with pytest.raises(oracledb.DatabaseError, match="ORA-06550") as info:
        k.execute(block, binds)
    assert message in str(info.value)


def test_nothing_runs_when_a_later_statement_does_not_compile(k: oracledb.Cursor) -> None:
    k.callproc("dbms_output.enable")
    with pytest.raises(oracledb.DatabaseError, match="PLS-00201"):
        k.execute("begin dbms_output.put_line('ran'); no_such_proc; end;")
    line, status = k.var(str), k.var(int)
    k.callproc("dbms_output.get_line", (line, status))
    assert status.getvalue() == 1


def test_dml_and_commit_inside_a_block(k: oracledb.Cursor) -> None:
    k.execute("create table plsql_dml (id number primary key, name varchar2(10))")
    try:
        k.execute("begin insert into plsql_dml values (:id, :name); "
                  "update plsql_dml set name = upper(name) where id = :id; commit; end;",
                  id=1, name="ab")
        assert not k.connection.transaction_in_progress
        count = k.var(int)
        k.execute("begin delete from plsql_dml where id = 2; "
                  "select count(*) into :n from plsql_dml where name = 'AB'; end;", n=count)
        assert count.getvalue() == 1
        with pytest.raises(oracledb.IntegrityError, match="ORA-00001.*\nORA-06512: at line 1"):
            k.execute("begin insert into plsql_dml values (1, 'again'); end;")
    finally:
        k.execute("drop table plsql_dml")
