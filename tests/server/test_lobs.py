"""CLOB, NCLOB and BLOB over the wire with the real client: locators, LOB calls, binds, defines."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer

TABLE_SQL = "create table {t} (id number primary key, c clob, n nclob, b blob)"


@pytest.fixture
def table(conn: oracledb.Connection, request: pytest.FixtureRequest) -> Iterator[str]:
    name = f"lob_{request.node.name.split('[')[0][5:35]}"
    with conn.cursor() as k:
        k.execute(TABLE_SQL.format(t=name))
    yield name
    with conn.cursor() as k:
        k.execute(f"drop table {name}")


@pytest.fixture
def fetch_lobs_off() -> Iterator[None]:
    oracledb.defaults.fetch_lobs = False
    try:
        yield
    finally:
        oracledb.defaults.fetch_lobs = True


def _held(server: OracleTestServer) -> int:
    """How many LOB values the server's sessions hold."""
    return sum(len(member.calls.lobs) for member in server._registry)  # type: ignore[attr-defined]


def test_lob_columns_describe_as_lobs(conn: oracledb.Connection, table: str) -> None:
    k = conn.cursor()
    k.execute(f"select c, n, b from {table}")
    types = [d[1] for d in k.description]
    assert types == [oracledb.DB_TYPE_CLOB, oracledb.DB_TYPE_NCLOB, oracledb.DB_TYPE_BLOB]
    assert all(d[6] for d in k.description)


def test_fetched_locators_read_in_pieces(conn: oracledb.Connection, table: str) -> None:
    k = conn.cursor()
    k.execute(f"insert into {table} values (1, :c, :n, :b)", c="hello world", n="gr\u00fc\u00dfe \u6f22", b=b"\x00\x01\x02\xff")
    k.execute(f"select c, n, b from {table}")
    clob, nclob, blob = k.fetchone()
    assert (clob.size(), clob.read(), clob.read(7), clob.read(2, 3)) == (11, "hello world", "world", "ell")
    assert (nclob.size(), nclob.read()) == (7, "gr\u00fc\u00dfe \u6f22")
    assert (blob.size(), blob.read(), blob.read(2, 2)) == (4, b"\x00\x01\x02\xff", b"\x01\x02")
    assert clob.getchunksize() == blob.getchunksize() > 0
    assert str(clob) == "hello world"


def test_write_trim_open_close(conn: oracledb.Connection, table: str) -> None:
    k = conn.cursor()
    k.execute(f"insert into {table} (id, c, b) values (1, 'abcdef', :1)", [b"\x01\x02"])
    k.execute(f"select c, b from {table}")
    clob, blob = k.fetchone()
    clob.write("XY", 3)
    assert clob.read() == "abXYef"
    clob.write("!", 9)  # past the end: the gap is blanks
    assert clob.read() == "abXYef  !"
    clob.trim(4)
    assert (clob.read(), clob.size()) == ("abXY", 4)
    blob.write(b"\xee", 4)
    assert blob.read() == b"\x01\x02\x00\xee"
    assert not clob.isopen()
    clob.open()
    assert clob.isopen()
    with pytest.raises(oracledb.DatabaseError, match="ORA-22293"):
        clob.open()
    clob.close()
    with pytest.raises(oracledb.DatabaseError, match="ORA-22289"):
        clob.close()


def test_empty_and_null_lobs(conn: oracledb.Connection, table: str) -> None:
    k = conn.cursor()
    k.execute(f"insert into {table} values (1, empty_clob(), empty_clob(), empty_blob())")
    k.execute(f"insert into {table} (id) values (2)")
    k.execute(f"select c, n, b from {table} order by id")
    empty, null = k.fetchall()
    assert [lob.size() for lob in empty] == [0, 0, 0]
    assert [lob.read() for lob in empty] == ["", "", b""]
    assert null == (None, None, None)
    k.execute(f"select count(*) from {table} where c is null")
    assert k.fetchone() == (1,)


def test_temporary_lobs_bind_and_are_freed(wire_server: OracleTestServer, conn: oracledb.Connection,
                                           table: str) -> None:
    k = conn.cursor()
    clob = conn.createlob(oracledb.DB_TYPE_CLOB, "temp")
    clob.write("orary", 5)
    blob = conn.createlob(oracledb.DB_TYPE_BLOB)
    blob.write(b"\x01" * 10)
    nclob = conn.createlob(oracledb.DB_TYPE_NCLOB, "\u00e9t\u00e9")
    k.execute(f"insert into {table} values (1, :1, :2, :3)", [clob, nclob, blob])
    k.execute(f"select c, n, dbms_lob.getlength(b) from {table}")
    fetched = k.fetchone()
    assert (fetched[0].read(), fetched[1].read(), fetched[2]) == ("temporary", "\u00e9t\u00e9", 10)
    assert _held(wire_server) >= 5
    k.close()  # its bind and fetch variables hold LOBs too
    del clob, blob, nclob, fetched
    gc.collect()
    conn.ping()  # the frees ride on the next call
    assert _held(wire_server) == 0


@pytest.mark.parametrize("size", [5000, 40000, 300000])
def test_binds_larger_than_a_packet(conn: oracledb.Connection, table: str, size: int) -> None:
    text = ("0123456789abcdef\u00e9" * (size // 17 + 1))[:size]
    data = bytes(range(256)) * (size // 256 + 1)
    k = conn.cursor()
    k.execute(f"insert into {table} (id, c) values (1, :1)", [text])  # a LONG bind
    k.setinputsizes(oracledb.DB_TYPE_NCLOB, oracledb.DB_TYPE_BLOB)  # temporary LOBs
    k.execute(f"update {table} set n = :1, b = :2", [text, data[:size]])
    k.execute(f"select c, n, b from {table}")
    clob, nclob, blob = k.fetchone()
    assert (clob.read(), nclob.read(), blob.read()) == (text, text, data[:size])
    assert clob.read(size - 9, 100) == text[-10:]


def test_fetch_lobs_false_gives_str_and_bytes(conn: oracledb.Connection, table: str,
                                              fetch_lobs_off: None) -> None:
    k = conn.cursor()
    big = "x\u00e9" * 50000
    k.execute(f"insert into {table} values (1, :1, :2, :3)", [big, "n\u00e9", b"\x05" * 70000])
    k.execute(f"insert into {table} values (2, empty_clob(), null, empty_blob())")
    k = conn.cursor()
    k.execute(f"select c, n, b from {table} order by id")
    rows = k.fetchall()
    assert rows[0] == (big, "n\u00e9", b"\x05" * 70000)
    assert rows[1] in (("", None, b""), (None, None, None))
    k.execute(f"select c from {table} where id = :1", [1])  # re-executed with its defines
    assert k.fetchone() == (big,)


def test_lob_functions(conn: oracledb.Connection, table: str) -> None:
    k = conn.cursor()
    k.execute(f"insert into {table} (id, c, b) values (1, 'abcabc', :1)", [b"\xa1\xb2"])
    k.execute("select to_clob('x'), to_blob(:1) from dual", [b"\xff"])
    assert [d[1] for d in k.description] == [oracledb.DB_TYPE_CLOB, oracledb.DB_TYPE_BLOB]
    clob, blob = k.fetchone()
    assert (clob.read(), blob.read()) == ("x", b"\xff")
    k.execute(f"select dbms_lob.getlength(c), dbms_lob.substr(c, 2, 3), dbms_lob.instr(c, 'bc', 1, 2),"
              f" length(c), dbms_lob.getlength(b), dbms_lob.instr(c, 'z') from {table}")
    assert k.fetchone() == (6, "ca", 5, 6, 2, 0)
    k.execute(f"select id from {table} where c like 'abc%' and dbms_lob.instr(c, 'ca') = 3")
    assert k.fetchall() == [(1,)]
    k.execute(f"select c || 'd' from {table}")
    (value,) = k.fetchone()
    assert (value if isinstance(value, str) else value.read()) == "abcabcd"


def test_async_lobs(wire_server: OracleTestServer) -> None:
    async def scenario() -> tuple[str, bytes, int]:
        conn = await oracledb.connect_async(user="scott", password="tiger", dsn=wire_server.dsn)
        try:
            k = conn.cursor()
            await k.execute("create table lob_async (c clob, b blob)")
            clob = await conn.createlob(oracledb.DB_TYPE_CLOB, "async ")
            await clob.write("text", 7)
            await k.execute("insert into lob_async values (:1, :2)", [clob, b"\x07" * 50000])
            await k.execute("select c, b from lob_async")
            fetched_clob, fetched_blob = await k.fetchone()
            await fetched_clob.trim(9)
            result = (await fetched_clob.read(), await fetched_blob.read(), await fetched_blob.size())
            await k.execute("drop table lob_async")
            return result
        finally:
            await conn.close()

    assert asyncio.run(scenario()) == ("async tex", b"\x07" * 50000, 50000)


def test_select_for_update_then_write_changes_the_row(conn: oracledb.Connection, table: str) -> None:
    k = conn.cursor()
    k.execute(f"insert into {table} (id, c, b) values (1, 'original', :1)", [b"\x01\x02\x03"])
    k.execute(f"insert into {table} (id, c) values (2, 'other')")
    conn.commit()
    k.execute(f"select c, t.b from {table} t where id = 1 for update")
    clob, blob = k.fetchone()
    clob.write("ORIG", 1)
    clob.trim(6)
    blob.write(b"\xff", 2)
    k.execute(f"select c, b, dbms_lob.getlength(c) from {table} order by id")
    rows = [(c.read(), b.read() if b else None, n) for c, b, n in k]
    assert rows == [("ORIGin", b"\x01\xff\x03", 6), ("other", None, 5)]
    conn.rollback()
    k.execute(f"select c from {table} where id = 1")
    assert k.fetchone()[0].read() == "original"
    k.execute(f"select c from {table} where id = 1")  # without FOR UPDATE: a copy
    (copy,) = k.fetchone()
    copy.write("X", 1)
    k.execute(f"select dbms_lob.substr(c, 1, 1) from {table} where id = 1")
    assert k.fetchone() == ("o",)


@pytest.mark.parametrize("condition", ["c = 'abc'", "'abc' = t.c", "c <> :1", "b = :1", "n < 'x'"])
def test_lobs_do_not_compare(conn: oracledb.Connection, table: str, condition: str) -> None:
    k = conn.cursor()
    args = [b"\x01"] if ":1" in condition and condition.startswith("b") else ["x"] if ":1" in condition else []
    with pytest.raises(oracledb.DatabaseError, match="ORA-00932"):
        k.execute(f"select id from {table} t where {condition}", args)
    with pytest.raises(oracledb.DatabaseError, match="ORA-00932"):
        k.execute(f"delete from {table} t where {condition}", args)
    k.execute(f"select id from {table} where dbms_lob.getlength(c) = 3 and c like 'a%'")


def test_out_binds_give_locators_dml_and_plsql(conn: oracledb.Connection, table: str,
                                                fetch_lobs_off: None) -> None:
    conn.call_timeout = 10_000
    k = conn.cursor()
    c = k.var(oracledb.DB_TYPE_CLOB, outconverter=lambda lob: lob.read())
    n, b = k.var(oracledb.DB_TYPE_NCLOB), k.var(oracledb.DB_TYPE_BLOB)
    k.execute(f"insert into {table} values (1, :c, :n, :b) returning c, n, b into :oc, :onc, :ob",
              c="short \u00e9", n="\u3042", b=b"\x00\x01", oc=c, onc=n, ob=b)
    assert c.getvalue() == ["short \u00e9"]
    assert n.getvalue()[0].read() == "\u3042" and b.getvalue()[0].read() == b"\x00\x01"
    k.execute(f"update {table} set c = null returning c into :oc", oc=c)
    assert c.getvalue() == [None]
    out = k.var(oracledb.DB_TYPE_CLOB)  # fetch_lobs=False does not apply to OUT binds
    k.execute("begin :v := to_clob('test clob'); end;", v=out)
    assert isinstance(out.getvalue(), oracledb.LOB) and out.getvalue().read() == "test clob"


def test_returning_and_into_inside_a_name_are_read_as_the_client_reads_them(conn: oracledb.Connection) -> None:
    # python-oracledb finds RETURNING ... INTO as runs of letters, so in this name too, and then
    # sends no value for :c; the server must expect none (it used to wait for it for ever)
    conn.call_timeout = 10_000
    k = conn.cursor()
    k.execute("create table lob_returning_into (id number, c clob)")
    with pytest.raises(oracledb.DatabaseError, match="ORA-01008"):
        k.execute("insert into lob_returning_into values (1, :c)", c="x")
    out = k.var(oracledb.DB_TYPE_CLOB)
    k.execute("insert into lob_returning_into values (2, 'two') returning c into :o", o=out)
    assert out.getvalue()[0].read() == "two"
    k.execute("drop table lob_returning_into")


@pytest.mark.parametrize(("kind", "block", "start", "expected"), [
    (str, "dbms_lob.writeappend(:v, 3, 'xyzw')", "ab", "abxyz"),
    (str, "dbms_lob.append(:v, 'cd')", "ab", "abcd"),
    (str, "dbms_lob.write(:v, 2, 5, 'XY')", "ab", "ab  XY"),
    (str, "dbms_lob.copy(:v, 'hello', 3, 2, 2)", "ab", "aell"),
    (str, "dbms_lob.trim(:v, 1)", "ab", "a"),
    (bytes, "dbms_lob.writeappend(:v, 2, '5151')", b"L", b"LQQ"),
    (bytes, "dbms_lob.erase(:v, :n, 2)", b"LLLL", b"L\x00\x00\x00"),
])
def test_dbms_lob_procedures_change_a_lob_in_a_block(conn: oracledb.Connection, kind: type, block: str,
                                                     start: object, expected: object) -> None:
    with conn.cursor() as k:
        var = k.var(kind, 100)
        var.setvalue(0, start)
        binds: dict[str, object] = {"v": var}
        if ":n" in block:
            binds["n"] = k.var(int)
            binds["n"].setvalue(0, 5)  # type: ignore[attr-defined]
        k.execute(f"begin {block}; end;", binds)
        assert var.getvalue() == expected
        if ":n" in block:
            assert binds["n"].getvalue() == 3  # type: ignore[attr-defined]


def test_dbms_lob_refuses_an_amount_past_the_buffer(conn: oracledb.Connection) -> None:
    with conn.cursor() as k:
        var = k.var(str, 100)
        var.setvalue(0, "ab")
        with pytest.raises(oracledb.DatabaseError, match="ORA-21560: argument amount is null, invalid"):
            k.execute("begin dbms_lob.writeappend(:v, 9, 'xy'); end;", v=var)
        with pytest.raises(oracledb.DatabaseError, match="ORA-22926"):
            k.execute("begin dbms_lob.trim(:v, 9); end;", v=var)
