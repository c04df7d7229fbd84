"""Two-phase commit: global transaction branches over SQLite's single writer.

A branch, named by an xid (format id, global transaction id, branch
qualifier), owns the work done while a session is attached to it, from
``tpc_begin`` to ``tpc_end``. Oracle keeps the changes of a detached or
prepared branch in the database, with their rows locked, until some session
commits or rolls the branch back. SQLite has one writer for the whole file:
a transaction kept open for every detached or prepared branch would hold the
write lock and stop every other branch and session (two branches of one
connection, as python-oracledb's own tests use them, could not both have
work). So a branch that is not attached keeps its work as a journal
(``backend.Change``: the SQLite text and values of each statement that
changed something, and of the savepoints around them), taken from the
session's connection when the branch is detached, which then rolls back;
attaching the branch again (RESUME or JOIN) or committing it applies the
journal again, in a transaction of the session that does so.

Prepare detaches the branch. One that did no work is read-only and is
forgotten at once, as in Oracle; one with work is pending (it shows in
DBA_PENDING_TRANSACTIONS) until a session of the server commits or rolls it
back by its xid.

What this costs against Oracle: nothing locks the rows of a detached or
prepared branch, so another session may change them meanwhile, and applying
the journal again can then fail (a unique key, say) where Oracle would have
made the other session wait: the commit reports that statement's error and
the branch stays prepared. A statement that reads SYSDATE or a sequence's
NEXTVAL gets a new value each time it is applied again. The branches live in
the server's memory: a restarted server has none (there is no recovery), and
the timeout of ``tpc_begin`` is not enforced. Only one session at a time can
be attached to a branch (JOIN of a branch another session is attached to is
ORA-25351, where Oracle lets tightly coupled sessions share it).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from .backend import Change, SqliteConnection
from .errors import OracleError

__all__ = ["ABORTED", "BEGIN_JOIN", "BEGIN_NEW", "BEGIN_PROMOTE", "BEGIN_RESUME", "COMMITTED",
           "FORGOTTEN", "PENDING_COLUMNS", "READ_ONLY", "REQUIRES_COMMIT", "Branch", "BranchLink",
           "Branches", "Xid"]

Xid = tuple[int, bytes, bytes]  # format id, global transaction id, branch qualifier

# tpc_begin's flags (OCI's OCI_TRANS_NEW, JOIN, RESUME, PROMOTE)
BEGIN_NEW, BEGIN_JOIN, BEGIN_RESUME, BEGIN_PROMOTE = 0x1, 0x2, 0x4, 0x8
# the states a change of state reports
REQUIRES_COMMIT, COMMITTED, ABORTED, READ_ONLY, FORGOTTEN = 1, 2, 3, 4, 5

PENDING_COLUMNS = (("FORMATID", "NUMBER"), ("GLOBALID", "RAW(64)"), ("BRANCHID", "RAW(64)"))

_NOT_FOUND, _DUPLICATE, _NOT_ATTACHED = 24756, 24757, 24758
_CANNOT_START, _CANNOT_PROMOTE, _IN_USE, _NO_CURRENT = 24776, 24797, 25351, 25352
_IN_DOUBT, _INTERNAL = 2053, 600


@dataclass(eq=False)
class Branch:
    """One branch: its xid, the context token its session holds, its work while detached."""

    xid: Xid
    token: bytes
    changes: list[Change] = field(default_factory=list)
    prepared: bool = False
    holder: object | None = None  # the BranchLink attached to it; None when detached

    def __repr__(self) -> str:
        state = "prepared" if self.prepared else "attached" if self.holder else "detached"
        return f"<Branch {describe(self.xid)} {state} changes={len(self.changes)}>"


def describe(xid: Xid) -> str:
    """An xid as ``format.gtrid.bqual`` (the ids in hex), for messages."""
    return f"{xid[0]}.{xid[1].hex()}.{xid[2].hex()}"


def has_work(changes: Sequence[Change]) -> bool:
    """Whether a journal changed anything (savepoints alone do not)."""
    return any(change.work for change in changes)


class Branches:
    """The branches of one server, by xid; thread-safe.

    A branch's fields change under the lock, or while a session holds the branch (``take``).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_xid: dict[Xid, Branch] = {}
        self._tokens = itertools.count(1)

    def __repr__(self) -> str:
        return f"<Branches {len(self._by_xid)} pending={len(self.pending())}>"

    def create(self, xid: Xid, holder: object) -> Branch:
        """A new branch attached to ``holder``.

        Raises:
            OracleError: ORA-24757 when the xid is taken.
        """
        with self._lock:
            if xid in self._by_xid:
                raise OracleError(_DUPLICATE)
            branch = Branch(xid, next(self._tokens).to_bytes(8, "big"), holder=holder)
            self._by_xid[xid] = branch
            return branch

    def exists(self, xid: Xid) -> bool:
        """Whether a branch has this xid."""
        with self._lock:
            return xid in self._by_xid

    def take(self, xid: Xid | None, token: bytes | None, holder: object) -> Branch:
        """The branch named by its xid, else by the context token, now held by ``holder``.

        A session works on a branch only while it holds it, so that two
        sessions never work on one branch at once; ``release`` gives it back.

        Raises:
            OracleError: ORA-24756 when there is none, ORA-25351 when
                another session holds it.
        """
        with self._lock:
            if xid is not None:
                branch = self._by_xid.get(xid)
            else:
                branch = next((b for b in self._by_xid.values() if token and b.token == token), None)
            if branch is None:
                raise OracleError(_NOT_FOUND)
            if branch.holder is not None and branch.holder is not holder:
                raise OracleError(_IN_USE)
            branch.holder = holder
            return branch

    def release(self, branch: Branch, changes: list[Change] | None = None) -> None:
        """Give a held branch back (detached), with its work when ``changes`` are given."""
        with self._lock:
            if changes is not None:
                branch.changes = changes
            branch.holder = None

    def remove(self, branch: Branch) -> None:
        """Forget a branch (committed, rolled back, or read-only at prepare)."""
        with self._lock:
            if self._by_xid.get(branch.xid) is branch:
                del self._by_xid[branch.xid]

    def pending(self) -> list[tuple[object, ...]]:
        """DBA_PENDING_TRANSACTIONS: the prepared branches, in the order they were begun."""
        with self._lock:
            return [b.xid for b in self._by_xid.values() if b.prepared]


class BranchOwner(Protocol):
    """What a branch link needs from its session."""

    @property
    def in_transaction(self) -> bool: ...


class BranchLink:
    """A session's side of two-phase commit: the branch attached to it, and the operations.

    Every operation runs inside the session's call gate (``SqlSession.tpc``)
    and holds the branch it works on (``Branches.take``); the attached branch
    is held for as long as it is attached.

    Args:
        link: the session's SQLite connection.
        branches: the server's branches.
        owner: the session (whether it has work of its own). The work applied again is in the
            connection's journal, which makes the session dirty after the call.
    """

    def __init__(self, link: SqliteConnection, branches: Branches, owner: BranchOwner) -> None:
        self._link, self._branches, self._owner = link, branches, owner
        self.attached: Branch | None = None

    def __repr__(self) -> str:
        return f"<BranchLink attached={self.attached!r}>"

    def begin(self, xid: Xid, flags: int) -> bytes:
        """``tpc_begin``: start, resume or join a branch, or promote the local transaction.

        Returns:
            The transaction context the client sends back with later calls.

        Raises:
            OracleError: ORA-24757 (the xid exists), ORA-24776 (the session
                has work of its own), ORA-24797 (promote within a branch),
                ORA-24756 (resume of a branch that is not there or prepared),
                ORA-25351 (another session is attached to it).
        """
        if flags == BEGIN_NEW:
            branch = self._new(xid)
        elif flags in (BEGIN_RESUME, BEGIN_JOIN):
            branch = self._resume(xid)
        elif flags == BEGIN_PROMOTE:
            if self.attached is not None:
                raise OracleError(_CANNOT_PROMOTE)
            branch = self._branches.create(xid, self)  # the open transaction is its work
        else:
            raise OracleError(_INTERNAL, f"unknown tpc_begin flags {flags:#x}")
        self.attached = branch
        return branch.token

    def _new(self, xid: Xid) -> Branch:
        if self.attached is not None and self.attached.xid == xid or self._branches.exists(xid):
            raise OracleError(_DUPLICATE)
        self._own_work_forbids()
        self._detach()  # beginning another branch leaves this one detached, as in Oracle
        return self._branches.create(xid, self)

    def _resume(self, xid: Xid) -> Branch:
        if self.attached is not None and self.attached.xid == xid:
            raise OracleError(_IN_USE)
        self._own_work_forbids()
        branch = self._branches.take(xid, None, self)
        try:
            if branch.prepared:
                raise OracleError(_NOT_FOUND)  # Oracle: a prepared branch cannot be resumed
            self._detach()
            self._apply(branch.changes)
        except BaseException:
            self._branches.release(branch)
            raise
        return branch

    def end(self, xid: Xid | None) -> None:
        """``tpc_end``: detach the attached branch (both NORMAL and SUSPEND allow a resume).

        Raises:
            OracleError: ORA-25352 when none is attached, ORA-24758 when
                ``xid`` names another.
        """
        if self.attached is None:
            raise OracleError(_NO_CURRENT)
        if xid is not None and xid != self.attached.xid:
            raise OracleError(_NOT_ATTACHED)
        self._detach()

    def prepare(self, xid: Xid | None, token: bytes | None) -> int:
        """``tpc_prepare``: READ_ONLY (and forgotten) without work, else REQUIRES_COMMIT.

        Raises:
            OracleError: ORA-24756 for no such branch, or one already prepared.
        """
        branch = self._target(xid, token)
        if branch.prepared:
            self._give_back(branch)
            raise OracleError(_NOT_FOUND)
        if branch is self.attached:
            branch.changes = self._set_aside()
        if not has_work(branch.changes):
            self._branches.remove(branch)
            return READ_ONLY
        branch.prepared = True
        self._branches.release(branch)
        return REQUIRES_COMMIT

    def commit(self, xid: Xid | None, token: bytes | None, one_phase: bool) -> int:
        """``tpc_commit``: COMMITTED or READ_ONLY (one phase), FORGOTTEN (two phases).

        Raises:
            OracleError: ORA-24756 for a two-phase commit of a branch that is
                not prepared; ORA-02053 after a one-phase commit of a prepared
                branch (it is committed); ORA-24776 when a detached branch is
                to be committed by a session with work (or a branch) open; the
                error of a change that cannot be applied again (the branch stays).
        """
        branch = self._target(xid, token)
        try:
            done = self._commit(branch, one_phase)
        except BaseException:
            self._give_back(branch)
            raise
        self._branches.remove(branch)
        if not one_phase:
            return FORGOTTEN
        if branch.prepared:
            raise OracleError(_IN_DOUBT, describe(branch.xid))
        return COMMITTED if done else READ_ONLY

    def _commit(self, branch: Branch, one_phase: bool) -> bool:
        """Commit a held branch's work; whether there was any."""
        if not one_phase and not branch.prepared:
            raise OracleError(_NOT_FOUND)
        if branch is self.attached:
            done = has_work(self._link.changes())
            self._link.end("COMMIT")
            self.attached = None
            return done
        if self._owner.in_transaction:  # its work would mix with what this session has open
            raise OracleError(_CANNOT_START)
        self._apply(branch.changes)
        self._link.end("COMMIT")
        return has_work(branch.changes)

    def rollback(self, xid: Xid | None, token: bytes | None) -> int:
        """``tpc_rollback``: ABORTED. Without xid and branch, the session's own work rolls back.

        python-oracledb sends that at close when its context is stale.

        Raises:
            OracleError: ORA-24756 for an xid that names no branch.
        """
        if xid is None and self.attached is None:
            try:
                branch = self._branches.take(None, token, self)
            except OracleError:
                self._link.end("ROLLBACK")
                return ABORTED
        else:
            branch = self._target(xid, token)
        if branch is self.attached:
            self._set_aside()
        self._branches.remove(branch)
        return ABORTED

    def forget(self, xid: Xid | None, token: bytes | None) -> int:
        """Forget a prepared branch (no branch is ever completed heuristically here): FORGOTTEN.

        Raises:
            OracleError: ORA-24756 for a branch that is not prepared.
        """
        branch = self._target(xid, token)
        if not branch.prepared:
            self._give_back(branch)
            raise OracleError(_NOT_FOUND)
        self._branches.remove(branch)
        return FORGOTTEN

    def close(self) -> None:
        """The session ends: the branch attached to it is rolled back, as Oracle's PMON does."""
        branch, self.attached = self.attached, None
        if branch is not None:
            self._branches.remove(branch)

    # ------------------------------------------------------------- helpers

    def _target(self, xid: Xid | None, token: bytes | None) -> Branch:
        """The branch an operation names (the attached one without xid), held."""
        if xid is None and self.attached is not None:
            return self.attached
        return self._branches.take(xid, token, self)

    def _give_back(self, branch: Branch) -> None:
        """After a failed operation: a branch taken for it is released (the attached one stays)."""
        if branch is not self.attached:
            self._branches.release(branch)

    def _own_work_forbids(self) -> None:
        """ORA-24776 when the session has uncommitted work outside any branch."""
        if self.attached is None and self._owner.in_transaction:
            raise OracleError(_CANNOT_START)

    def _set_aside(self) -> list[Change]:
        """The attached branch's work (its journal), rolled back here; no branch is attached then."""
        changes = self._link.changes()
        self._link.abandon()
        self.attached = None
        return changes

    def _detach(self) -> None:
        """Detach the attached branch, if any, keeping its work."""
        branch = self.attached
        if branch is not None:
            self._branches.release(branch, self._set_aside())

    def _apply(self, changes: Sequence[Change]) -> None:
        """Apply a detached branch's work again in a new transaction of this session."""
        if not changes:
            return
        self._link.abandon()  # a serializable read snapshot: the branch has its own transaction
        self._link.begin(self._link.lock_timeout)
        try:
            for change in changes:
                self._link.change(change.sql, change.params, work=change.work, verb=change.verb,
                                  table=change.table).fetchall()
        except BaseException:
            self._link.abandon()
            raise
