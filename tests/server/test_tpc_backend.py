"""Two-phase commit in the SQL backend (``sql.tpc``) and its wire codec (``wire.tpc``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devart_oracle.testing.sql import Database, OracleError, SessionInfo, SqlSession
from devart_oracle.testing.sql.instance import Instance
from devart_oracle.testing.sql.tpc import (
    ABORTED,
    BEGIN_NEW,
    BEGIN_RESUME,
    COMMITTED,
    FORGOTTEN,
    READ_ONLY,
    REQUIRES_COMMIT,
    Xid,
)
from devart_oracle.testing.wire.codec import Writer
from devart_oracle.testing.wire.reader import MessageReader
from devart_oracle.testing.wire.tpc import (
    TPC_COMMIT,
    TPC_START,
    read_change_state,
    read_switch,
    state_reply,
    switch_reply,
)

XID: Xid = (7, b"global", b"branch")


@pytest.fixture
def db() -> Iterator[Database]:
    database = Database(lock_timeout=0.2)
    yield database
    database.close()


@pytest.fixture
def pair(db: Database) -> tuple[SqlSession, SqlSession]:
    instance = Instance()  # what the server shares between its sessions
    one, two = (db.open_session(SessionInfo(sid, sid, "SCOTT", instance=instance)) for sid in (1, 2))
    one.execute("create table t (id number primary key, name varchar2(10))")
    return one, two


def _ids(session: SqlSession) -> list[object]:
    return [row[0] for row in session.execute("select id from t order by id").fetch(100)]


def test_forget_drops_a_prepared_branch_only(pair: tuple[SqlSession, SqlSession]) -> None:
    one, two = pair
    one.tpc(lambda link: link.begin(XID, BEGIN_NEW))
    one.execute("insert into t values (1, 'a')")
    with pytest.raises(OracleError) as excinfo:
        one.tpc(lambda link: link.forget(XID, None))
    assert excinfo.value.code == 24756  # active: nothing to forget
    assert one.tpc(lambda link: link.prepare(None, None)) == REQUIRES_COMMIT
    assert two.tpc(lambda link: link.forget(XID, None)) == FORGOTTEN
    assert one.info.instance.branches.pending() == []
    assert _ids(two) == []


def test_a_merge_in_a_branch_is_applied_again_on_resume(pair: tuple[SqlSession, SqlSession]) -> None:
    one, two = pair
    one.tpc(lambda link: link.begin(XID, BEGIN_NEW))
    one.execute("merge into t using (select 5 id from dual) s on (t.id = s.id) "
                "when not matched then insert (id, name) values (s.id, 'm')")
    one.execute("update t set name = 'n' where id = 5")
    one.tpc(lambda link: link.end(None))
    two.tpc(lambda link: link.begin(XID, BEGIN_RESUME))
    assert two.execute("select id, name from t").fetch(10) == [(5, "n")]
    assert two.tpc(lambda link: link.commit(None, None, one_phase=True)) == COMMITTED
    assert _ids(one) == [5]


def test_a_change_of_no_rows_is_no_work(pair: tuple[SqlSession, SqlSession]) -> None:
    one, _ = pair
    one.tpc(lambda link: link.begin(XID, BEGIN_NEW))
    one.execute("update t set name = 'x' where id = 42")
    assert one.tpc(lambda link: link.prepare(None, None)) == READ_ONLY


def test_a_stale_context_rolls_back_the_sessions_own_work(pair: tuple[SqlSession, SqlSession]) -> None:
    one, _ = pair
    token = one.tpc(lambda link: link.begin(XID, BEGIN_NEW))
    one.tpc(lambda link: link.rollback(XID, None))
    one.execute("insert into t values (1, 'local')")
    assert one.in_transaction
    # what python-oracledb sends at close, with the context of a branch long gone
    assert one.tpc(lambda link: link.rollback(None, token)) == ABORTED
    assert not one.in_transaction and _ids(one) == []


def test_committing_a_detached_branch_needs_a_session_without_work(
        pair: tuple[SqlSession, SqlSession]) -> None:
    one, two = pair
    one.tpc(lambda link: link.begin(XID, BEGIN_NEW))
    one.execute("insert into t values (1, 'branch')")
    one.tpc(lambda link: link.prepare(None, None))
    two.execute("insert into t values (2, 'own')")
    with pytest.raises(OracleError) as excinfo:
        two.tpc(lambda link: link.commit(XID, None, one_phase=False))
    assert excinfo.value.code == 24776
    two.commit()
    assert two.tpc(lambda link: link.commit(XID, None, one_phase=False)) == FORGOTTEN
    assert _ids(one) == [1, 2]


def test_unknown_begin_flags_are_named(pair: tuple[SqlSession, SqlSession]) -> None:
    one, _ = pair
    with pytest.raises(OracleError, match="unknown tpc_begin flags 0x40"):
        one.tpc(lambda link: link.begin(XID, 0x40))
    assert not one.in_transaction


def test_a_sequence_read_again_takes_a_new_value(pair: tuple[SqlSession, SqlSession]) -> None:
    one, two = pair  # documented: the journal holds statements, not their results
    one.execute("create sequence s")
    one.tpc(lambda link: link.begin(XID, BEGIN_NEW))
    one.execute("insert into t values (s.nextval, 'seq')")
    assert _ids(one) == [1]
    one.tpc(lambda link: link.end(None))
    two.tpc(lambda link: link.begin(XID, BEGIN_RESUME))
    assert _ids(two) == [2]
    two.tpc(lambda link: link.rollback(None, None))


def _thin_switch(xid: Xid, flags: int, context: bytes | None) -> bytes:
    """Function 103's body laid out as python-oracledb thin writes it."""
    w = Writer()
    data = xid[1] + xid[2]
    data += bytes(128 - len(data))
    w.ub(TPC_START)
    w.u8(1 if context is not None else 0)
    w.ub(len(context or b""))
    for value in (xid[0], len(xid[1]), len(xid[2])):
        w.ub(value)
    w.u8(1)
    w.ub(len(data))
    w.ub(flags)
    w.ub(60)  # timeout
    w.raw(b"\x01\x01\x01")
    w.raw(b"\x01")
    w.ub(4)  # internal name
    w.raw(b"\x00\x00")  # no external name
    w.raw((context or b"") + data)
    w.ub(0)  # application value
    w.raw(b"main")
    return bytes(w.buf)


def test_the_switch_and_change_of_state_read_as_thin_writes_them() -> None:
    r = MessageReader(lambda: b"")
    r.start(_thin_switch(XID, BEGIN_NEW, b"\x00\x01"))
    call = read_switch(r)
    assert (call.operation, call.xid, call.context, call.flags, call.timeout) == (
        TPC_START, XID, b"\x00\x01", BEGIN_NEW, 60)
    assert r.at_end()
    w = Writer()
    w.ub(TPC_COMMIT)
    w.raw(b"\x00\x00")  # no context: pointer, length
    w.raw(b"\x00\x00\x00")  # format id, lengths of the xid's parts
    w.raw(b"\x00\x00")  # no xid: pointer, length
    w.ub(0)  # timeout
    w.ub(READ_ONLY)  # one phase
    w.raw(b"\x01")  # returned state pointer
    w.ub(0)  # flags
    r.start(bytes(w.buf))
    change = read_change_state(r)
    assert (change.operation, change.xid, change.context, change.state) == (
        TPC_COMMIT, None, None, READ_ONLY)
    assert r.at_end()
    reply = Writer()
    switch_reply(reply, b"ctx")
    state_reply(reply, FORGOTTEN)
    assert bytes(reply.buf) == b"\x08\x00\x01\x03ctx\x08\x01\x05"


def test_a_branch_is_worked_on_by_one_session_at_a_time(pair: tuple[SqlSession, SqlSession]) -> None:
    one, two = pair
    one.tpc(lambda link: link.begin(XID, BEGIN_NEW))
    one.execute("insert into t values (1, 'a')")
    for operation in (lambda link: link.prepare(XID, None), lambda link: link.rollback(XID, None),
                      lambda link: link.commit(XID, None, one_phase=True),
                      lambda link: link.begin(XID, BEGIN_RESUME)):
        with pytest.raises(OracleError) as excinfo:
            two.tpc(operation)
        assert excinfo.value.code == 25351
    one.tpc(lambda link: link.end(None))
    assert two.tpc(lambda link: link.prepare(XID, None)) == REQUIRES_COMMIT
    with pytest.raises(OracleError) as excinfo:
        one.tpc(lambda link: link.prepare(XID, None))
    assert excinfo.value.code == 24756  # prepared already; and released for the next one
    assert one.tpc(lambda link: link.rollback(XID, None)) == ABORTED
