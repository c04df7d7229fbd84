"""PL/SQL control flow run by the server: IF, loops and FETCH, BOOLEAN binds, exception handlers, RAISE,
RAISE_APPLICATION_ERROR and RETURN, through the real python-oracledb client."""

from __future__ import annotations

import oracledb
import pytest

# k: a cursor of a fresh connection as scott (tests/server/conftest.py)

_GRADE = """begin
    if :n is null then :g := 'none';
    elsif :n >= 10 then :g := 'big';
    elsif :n >= 5 then :g := 'medium';
    else :g := 'small';
    end if;
end;"""


@pytest.mark.parametrize(("n", "grade"), [(None, "none"), (12, "big"), (5, "medium"), (1, "small")])
def test_if_elsif_else_takes_the_first_true_branch(k: oracledb.Cursor, n: int | None,
                                                  grade: str) -> None:
    g = k.var(str)
    k.execute(_GRADE, n=n, g=g)
    assert g.getvalue() == grade


@pytest.mark.parametrize(("flag", "taken"), [(True, "then"), (False, "else"), (None, "else")])
def test_a_boolean_bind_decides_an_if_and_null_is_not_true(k: oracledb.Cursor, flag: bool | None,
                                                          taken: str) -> None:
    out = k.var(str)
    k.execute("begin if :f then :o := 'then'; else :o := 'else'; end if; end;", f=flag, o=out)
    assert out.getvalue() == taken
    k.execute("begin if not :f then :o := 'not'; end if; end;", f=flag, o=out)
    assert out.getvalue() == ("not" if flag is False else taken)


def test_boolean_out_binds_come_back_as_bool(k: oracledb.Cursor) -> None:
    yes, no = k.var(oracledb.DB_TYPE_BOOLEAN), k.var(oracledb.DB_TYPE_BOOLEAN)
    k.execute("begin :y := true; :n := false; end;", y=yes, n=no)
    assert (yes.getvalue(), no.getvalue()) == (True, False)
    echoed = k.var(oracledb.DB_TYPE_BOOLEAN)
    k.execute("begin :e := :b; end;", e=echoed, b=True)
    assert echoed.getvalue() is True


def test_stored_routines_with_if_and_boolean_parameters(k: oracledb.Cursor) -> None:
    k.execute("""create or replace procedure long_enough (a_Text varchar2, a_Out out boolean) as
                 begin
                     a_Out := false;
                     if length(a_Text) >= 2 then a_Out := true; end if;
                 end;""")
    k.execute("""create or replace function signed_sum (a_N number, a_Plus boolean) return number as
                 begin
                     if a_Plus then return 100 + a_N; end if;
                     return 100 - a_N;
                 end;""")
    out = k.var(oracledb.DB_TYPE_BOOLEAN)
    assert k.callproc("long_enough", ["hi", out]) == ["hi", True]
    assert k.callproc("long_enough", ["h", out]) == ["h", False]
    assert k.callfunc("signed_sum", int, [5, True]) == 105  # the first RETURN ends the function
    assert k.callfunc("signed_sum", int, [5, False]) == 95


def test_a_boolean_where_another_type_is_declared_is_pls_00306(k: oracledb.Cursor) -> None:
    k.execute("""create or replace procedure takes_text (a_Text varchar2, a_Flag boolean) as
                 begin null; end;""")
    with pytest.raises(oracledb.DatabaseError, match="PLS-00306: wrong number or types of "
                       "arguments in call to 'TAKES_TEXT'"):
        k.callproc("takes_text", [True, True])
    with pytest.raises(oracledb.DatabaseError, match="PLS-00306"):  # a cursor of its own: the
        k.connection.cursor().callproc("takes_text", ["x", 5])   # client keeps a bind's type
    assert k.connection.cursor().callproc("takes_text", ["x", None]) == ["x", None]  # NULL fits


def test_a_procedure_called_as_a_function_is_pls_00222(k: oracledb.Cursor) -> None:
    k.execute("create or replace procedure just_proc as begin null; end;")
    with pytest.raises(oracledb.DatabaseError, match="PLS-00222: no function with name "
                       "'JUST_PROC' exists in this scope"):
        k.callfunc("just_proc", int)


def test_raise_of_a_predefined_exception(k: oracledb.Cursor) -> None:
    with pytest.raises(oracledb.DatabaseError) as info:
        k.execute("begin\n  null;\n  raise no_data_found;\nend;")
    assert info.value.args[0].full_code == "ORA-01403"
    assert "ORA-06512: at line 3" in str(info.value)


def test_handlers_catch_what_their_block_raises_and_the_block_goes_on(k: oracledb.Cursor) -> None:
    out, after = k.var(str), k.var(str)
    k.execute("""begin
                     begin
                         select 'found' into :o from dual where 1 = 0;
                     exception
                         when too_many_rows or no_data_found then :o := 'handled';
                     end;
                     :a := 'after';
                 end;""", o=out, a=after)
    assert (out.getvalue(), after.getvalue()) == ("handled", "after")
    k.execute("""begin :o := 'x'; raise zero_divide;
                 exception when no_data_found then :o := 'wrong';
                           when others then :o := 'others';
                 end;""", o=out)
    assert out.getvalue() == "others"


def test_an_error_of_sql_is_caught_by_its_predefined_name(k: oracledb.Cursor) -> None:
    k.execute("create table control_keys (id number primary key)")
    out = k.var(str)
    k.execute("""begin
                     insert into control_keys values (1);
                     insert into control_keys values (1);
                 exception when dup_val_on_index then :o := 'duplicate';
                 end;""", o=out)
    assert out.getvalue() == "duplicate"


def test_raise_in_a_handler_raises_the_handled_error_again(k: oracledb.Cursor) -> None:
    log = k.var(str)
    with pytest.raises(oracledb.DatabaseError, match="ORA-01422"):
        k.execute("begin raise too_many_rows; exception when others then :l := 'seen'; raise; end;",
                  l=log)
    with pytest.raises(oracledb.DatabaseError, match="ORA-01476"):  # an unmatched handler
        k.execute("begin raise zero_divide; exception when no_data_found then null; end;")


def test_raise_application_error(k: oracledb.Cursor) -> None:
    with pytest.raises(oracledb.DatabaseError) as info:
        k.execute("begin raise_application_error(-20101, 'the widget ' || :w || ' is broken'); end;",
                  w="W-7")
    error = info.value.args[0]
    assert (error.code, error.full_code) == (20101, "ORA-20101")
    assert error.message.startswith("ORA-20101: the widget W-7 is broken\nORA-06512: at line 1")
    out = k.var(str)
    k.execute("begin raise_application_error(-20000, 'x'); exception when others then "
              ":o := 'caught'; end;", o=out)
    assert out.getvalue() == "caught"
    with pytest.raises(oracledb.DatabaseError, match="ORA-21000: error number argument to "
                       "raise_application_error of -1 is out of range"):
        k.execute("begin raise_application_error(-1, 'x'); end;")


def test_return_ends_an_anonymous_block(k: oracledb.Cursor) -> None:
    out = k.var(str)
    k.execute("begin :o := 'first'; if 1 = 1 then return; end if; :o := 'second'; end;", o=out)
    assert out.getvalue() == "first"
    with pytest.raises(oracledb.DatabaseError, match="PLS-00372"):
        k.execute("begin return 1; end;")


def test_packaged_boolean_parameters_take_boolean_binds(k: oracledb.Cursor) -> None:
    transaction = k.var(str)
    k.execute("begin :t := dbms_transaction.local_transaction_id(:create); end;",
              t=transaction, create=True)
    assert transaction.getvalue() is not None  # TRUE began a transaction
    k.connection.rollback()
    with pytest.raises(oracledb.DatabaseError, match="PLS-00306"):
        k.connection.cursor().execute("begin dbms_output.put_line(:b); end;", b=True)


def test_sqlcode_and_sqlerrm_in_a_handler(k: oracledb.Cursor) -> None:
    code, message, inside = k.var(int), k.var(str), k.var(str)
    k.execute("""begin
                     raise_application_error(-20042, 'out of widgets');
                 exception when others then
                     :c := sqlcode;
                     :m := sqlerrm;
                     if sqlcode = -20042 then :i := 'said ' || sqlerrm; end if;
                 end;""", c=code, m=message, i=inside)
    assert (code.getvalue(), message.getvalue()) == (-20042, "ORA-20042: out of widgets")
    assert inside.getvalue() == "said ORA-20042: out of widgets"
    k.execute("begin select 1 into :c from dual where 1 = 0; "
              "exception when no_data_found then :c := sqlcode; end;", c=code)
    assert code.getvalue() == 100
    k.execute("begin :c := sqlcode; :m := sqlerrm; end;", c=code, m=message)
    assert (code.getvalue(), message.getvalue()) == (0, "ORA-0000: normal, successful completion")


def test_declared_exceptions_are_raised_and_handled_by_name(k: oracledb.Cursor) -> None:
    out, code = k.var(str), k.var(int)
    k.execute("""declare
                     e_Full exception;
                     e_Empty exception;
                 begin
                     begin
                         raise e_Full;
                     exception when e_Empty then :o := 'wrong';
                     end;
                 exception when e_Full then :o := 'full'; :c := sqlcode;
                 end;""", o=out, c=code)
    assert (out.getvalue(), code.getvalue()) == ("full", 1)  # SQLCODE +1: user-defined
    with pytest.raises(oracledb.DatabaseError) as info:
        k.execute("declare e_Mine exception; begin raise e_Mine; end;")
    assert info.value.args[0].full_code == "ORA-06510"


def test_exception_init_ties_a_declared_exception_to_an_ora_number(k: oracledb.Cursor) -> None:
    k.execute("create table init_keys (id number primary key)")
    out = k.var(str)
    k.execute("""declare
                     e_Duplicate exception;
                     pragma exception_init(e_Duplicate, -1);
                 begin
                     insert into init_keys values (1);
                     insert into init_keys values (1);
                 exception when e_Duplicate then :o := 'duplicate ' || sqlcode;
                 end;""", o=out)
    assert out.getvalue() == "duplicate -1"
    with pytest.raises(oracledb.DatabaseError, match="ORA-20077"):
        k.execute("declare e exception; pragma exception_init(e, -20077); begin raise e; end;")
    with pytest.raises(oracledb.DatabaseError, match="PLS-00109"):
        k.execute("declare pragma exception_init(nothing, -1); begin null; end;")
    with pytest.raises(oracledb.DatabaseError, match="PLS-00701"):
        k.execute("declare e exception; pragma exception_init(e, 5); begin null; end;")


_ODD_SUM = """declare
    c sys_refcursor; t_X number; t_S varchar2(20); t_Total number := 0; t_Rounds number := 0;
begin
    open c for select x, s from loop_t order by x;
    :opened := case when c%isopen then 1 else 0 end;
    loop
        fetch c into t_X, t_S;
        exit when c%notfound;
        continue when mod(t_X, 2) = 0;
        t_Total := t_Total + t_X;
    end loop;
    :fetched := c%rowcount;
    close c;
    while t_Rounds < 5 loop
        t_Rounds := t_Rounds + 1;
    end loop;
    :total := t_Total + t_Rounds;
    :last := t_S;
end;"""


def test_loops_fetch_a_cursor_the_block_opened(k: oracledb.Cursor) -> None:
    k.execute("create table loop_t (x number, s varchar2(20))")
    try:
        k.executemany("insert into loop_t values (:1, :2)", [(i, f"row {i}") for i in range(1, 11)])
        out = {name: k.var(int) for name in ("opened", "fetched", "total")}
        last = k.var(str)
        k.execute(_ODD_SUM, last=last, **out)
        assert {name: var.getvalue() for name, var in out.items()} == {"opened": 1, "fetched": 10, "total": 30}
        assert last.getvalue() == "row 10"  # a FETCH past the end leaves the targets as they were
    finally:
        k.execute("drop table loop_t")


def test_a_loop_that_runs_no_sql_still_ends_when_the_call_is_cancelled(k: oracledb.Cursor) -> None:
    k.connection.call_timeout = 300
    with pytest.raises(oracledb.Error, match="DPY-4024"):
        k.execute("begin loop null; end loop; end;")
    k.connection.call_timeout = 10_000
    k.execute("select 1 from dual")  # the session is usable again
    assert k.fetchall() == [(1,)]


@pytest.mark.parametrize(("block", "code"), [
    ("declare c sys_refcursor; x number; begin fetch c into x; end;", 1001),  # never opened
    ("declare c sys_refcursor; begin open c for select 1 from dual; close c; close c; end;", 1001),
    ("declare c sys_refcursor; x number; begin open c for select 1, 2 from dual; fetch c into x; end;", 6504),
    ("declare c sys_refcursor; n number; begin n := c%rowcount; end;", 1001),
])
def test_a_cursor_misused_is_oracles_error(k: oracledb.Cursor, block: str, code: int) -> None:
    with pytest.raises(oracledb.DatabaseError) as caught:
        k.execute(block)
    assert caught.value.args[0].code == code
    assert "ORA-06512: at line 1" in str(caught.value)
