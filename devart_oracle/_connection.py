"""DB-API 2.0 connection handles over python-oracledb sessions.

A handle is what ``connect()`` and ``pool.acquire()`` return. It lends the
caller one physical session until ``close()``: cursors are python-oracledb's
own (no wrapping cost on execute and fetch), but the handle remembers them and
closes them when it is closed, so a stale cursor can never run on a session
that has since been lent to someone else. With ``connect()`` (Devart's
clean-session contract), session state the caller changed through the handle
(autocommit, call timeout, end-to-end attributes) is put back before the
session returns to its pool; an explicit pool's sessions keep it, as
python-oracledb's do (that is what tags and session callbacks are for).
"""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Generator
from typing import Any, Protocol

from ._errors import PEP_249_EXCEPTIONS, Error, InterfaceError, driver_error
from .pool._core import Entry
from .pool._physical import is_fatal

__all__ = ["AsyncConnection", "Connection", "Handle", "Lessor", "end_lease", "lease", "retag"]

#: Session attributes a handle lets callers set, as python-oracledb does:
#: name -> readable. What a borrower sets is put back before the session
#: returns to its pool (write-only ones are reset to None).
_SESSION_ATTRIBUTES = {
    "autocommit": True, "call_timeout": True, "current_schema": True, "external_name": True,
    "internal_name": True, "inputtypehandler": True, "outputtypehandler": True, "stmtcachesize": True,
    "action": False, "client_identifier": False, "clientinfo": False, "dbop": False,
    "econtext_id": False, "module": False,
}
#: Changed, these cannot be put back without a round trip: the session is logged off instead.
_UNRESTORABLE = frozenset({"current_schema"})

#: A handle's list of its cursors drops those already collected when it
#: reaches this length and each power of two past it (amortized: a handle
#: that opens cursor after cursor keeps only the live ones for long).
_PRUNE_AT = 64


class Lessor(Protocol):
    """What a handle's session is lent by (a pool engine): the lease contract's pool side.

    A pool makes a handle with ``handle_type(conn, connectstring, lessor,
    entry)``; the handle gives the session back exactly once, through
    ``release`` on ``close()``, or through ``orphan`` when it is collected
    unclosed. The pool side asks :func:`lease` and :func:`end_lease`.
    """

    def release(self, entry: Entry, healthy: bool | None = True, tag: str | None = None) -> Any: ...

    def orphan(self, entry: Entry, healthy: bool | None) -> None: ...


def lease(handle: object, lessor: Lessor) -> Entry | None:
    """The pool's record of the session ``handle`` borrowed from ``lessor``,
    or None once the handle was closed.

    Raises:
        LookupError: ``handle`` is not a handle lent by ``lessor``.
    """
    if not isinstance(handle, Handle) or handle._pool is not lessor:
        raise LookupError("not a handle of this lessor")
    return handle._entry if handle._conn is not None else None


def retag(handle: object, lessor: Lessor, tag: str | None) -> bool:
    """For ``pool.release(handle, tag)``: whether ``handle`` is out of
    ``lessor`` (then it takes ``tag``, if one is given); False for a stranger
    or a handle closed already (:func:`lease` then says which)."""
    if not isinstance(handle, Handle) or handle._pool is not lessor or handle._conn is None:
        return False
    if tag is not None:
        handle.tag = tag
    return True


def end_lease(handle: Handle) -> None:
    """End a lease without giving the session back (the pool logs it off):
    the handle turns unusable and its cursors are closed."""
    handle._detach()


def _closed_error() -> Error:
    return driver_error(InterfaceError, 1001, "the connection is closed")


def _write_only(name: str) -> Any:
    raise AttributeError(f"{name} is not readable")


class Handle:
    """What sync and async handles share: state, cursors and settings."""

    __slots__ = ("_conn", "_entry", "_pool", "_connectstring", "_cursors", "_saved", "_fatal", "_resets", "tag",
                 "__weakref__")  # fmt: skip

    def __init__(self, conn: Any, connectstring: str, pool: Lessor | None = None, entry: Entry | None = None) -> None:
        self._conn = conn
        self._entry = entry
        self._pool = pool
        self._connectstring = connectstring
        self._cursors: list[weakref.ref[Any]] | None = None  # weak: a cursor dropped is not kept
        self._saved: dict[str, Any] | None = None
        self._fatal = False
        #: Whether what the borrower changed is put back on release: Devart's
        #: clean-session contract; python-oracledb's explicit pools keep it.
        self._resets = True
        self.tag = entry.tag if entry is not None else None

    def __repr__(self) -> str:
        state = "closed" if self._conn is None else ("pooled" if self._pool else "standalone")
        return f"<{type(self).__name__} {state} {self._connectstring!r}>"

    def _live(self) -> Any:
        conn = self._conn
        if conn is None:
            raise _closed_error()
        return conn

    def cursor(self, *args: Any, **kwargs: Any) -> Any:
        """Open a python-oracledb cursor, closed with this handle.

        The cursor keeps the handle alive, so ``connect(...).cursor()`` works
        for as long as the cursor is used.
        """
        cursor = self._live().cursor(*args, **kwargs)
        cursors = self._cursors
        if cursors is None:
            self._cursors = cursors = []
        elif len(cursors) >= _PRUNE_AT and len(cursors) & (len(cursors) - 1) == 0:
            cursors[:] = [ref for ref in cursors if ref() is not None]  # at 64, 128, 256...: amortized
        cursors.append(weakref.ref(cursor))
        cursor._devart_handle = self
        return cursor

    @property
    def connectstring(self) -> str:
        """The canonical connection string, password masked."""
        return self._connectstring

    @property
    def version(self) -> str:
        """The database version."""
        return str(self._live().version)

    def _set(self, name: str, value: Any) -> None:
        """Change a session attribute, remembering its value to restore on release."""
        conn = self._live()
        if self._pool is not None and self._resets:
            saved = self._saved if self._saved is not None else {}
            if name not in saved:
                saved[name] = getattr(conn, name) if _SESSION_ATTRIBUTES[name] else None
            self._saved = saved
        setattr(conn, name, value)

    def is_healthy(self) -> bool:
        """Local check: False once the session is known to be unusable."""
        conn = self._conn
        return conn is not None and not self._fatal and bool(conn.is_healthy())

    def __getattr__(self, name: str) -> Any:
        # Everything else python-oracledb offers, straight from the session.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._live(), name)

    def _note(self, exc: BaseException) -> None:
        if isinstance(exc, Error) and is_fatal(exc):
            self._fatal = True

    def _detach(self) -> Any:
        """Make the handle unusable and close its cursors; returns the session."""
        conn, self._conn = self._conn, None
        if self._cursors is not None:
            self._close_cursors()
        return conn

    def _close_cursors(self) -> None:
        refs, self._cursors = self._cursors, None
        for ref in refs or ():
            cursor = ref()
            if cursor is not None:
                try:
                    cursor.close()
                except Error:
                    pass

    def _fit(self, conn: Any) -> bool:
        """Whether a released session may be reset at all (a lost session is
        not touched: python-oracledb may crash setting attributes on one)."""
        return not self._fatal and bool(conn.is_healthy())

    def _restore(self, conn: Any) -> bool | None:
        """Put back what the borrower changed: True, or None when that cannot
        be done without a round trip (the session is then logged off)."""
        if not self._saved:
            return True
        saved, self._saved = self._saved, None
        if not _UNRESTORABLE.isdisjoint(saved):
            return None
        for name, value in saved.items():
            setattr(conn, name, value)
        return True

    def __del__(self) -> None:
        # Collected without close(). The collector may run anywhere, even in
        # this thread while it holds the pool's lock: so no lock and no I/O
        # here. Its cursors are gone (each kept the handle alive); a session
        # with nothing to undo goes back to the pool, any other is logged off.
        conn = self._conn
        if conn is not None and self._pool is not None and self._entry is not None:
            self._conn = None
            healthy: bool | None
            try:
                healthy = self._fit(conn) and (None if self._saved or conn.transaction_in_progress else True)
            except Exception:
                healthy = False
            self._pool.orphan(self._entry, healthy)


class Connection(Handle):
    """A DB-API 2.0 connection (sync)."""

    __slots__ = ()

    def _call(self, method: str) -> None:
        try:
            getattr(self._live(), method)()
        except Error as exc:
            self._note(exc)
            raise

    def commit(self) -> None:
        """Commit the current transaction."""
        self._call("commit")

    def rollback(self) -> None:
        """Roll the current transaction back."""
        self._call("rollback")

    def ping(self) -> None:
        """Check the session with a round trip."""
        self._call("ping")

    def close(self) -> None:
        """Give the session back to its pool (or log it off), rolled back and
        with what the borrower changed put back: healthy (True), broken
        (False), or fine but not resettable (None: the pool logs it off).

        Every pooled cycle ends here, so detaching, the local health check
        (:meth:`_fit`) and the reset are inline.

        Raises:
            InterfaceError: DPY-1001, closed already (PEP 249, as python-oracledb does).
        """
        conn = self._conn
        if conn is None:
            raise _closed_error()
        self._conn = None
        if self._cursors is not None:
            self._close_cursors()
        pool = self._pool
        if pool is None:
            conn.close()
            return
        assert self._entry is not None
        healthy: bool | None = False
        try:
            if not self._fatal and conn.is_healthy():  # a lost session is not touched
                if conn.transaction_in_progress:
                    conn.rollback()
                healthy = self._restore(conn) if self._saved else True  # a failed rollback raised
        except Error:
            healthy = False
        pool.release(self._entry, healthy, self.tag)

    def __enter__(self) -> Connection:
        self._live()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._conn is not None:  # closed inside the block: nothing left to do
            self.close()


class AsyncConnection(Handle):
    """A DB-API-style connection over python-oracledb's asyncio sessions."""

    __slots__ = ()

    async def _call(self, method: str) -> None:
        try:
            await getattr(self._live(), method)()
        except Error as exc:
            self._note(exc)
            raise

    async def commit(self) -> None:
        """Commit the current transaction."""
        await self._call("commit")

    async def rollback(self) -> None:
        """Roll the current transaction back."""
        await self._call("rollback")

    async def ping(self) -> None:
        """Check the session with a round trip."""
        await self._call("ping")

    async def close(self) -> None:
        """Give the session back to its pool (or log it off), as
        :meth:`Connection.close` does; only a rollback (and a DRCP
        release) is awaited.

        Raises:
            InterfaceError: DPY-1001, closed already (PEP 249, as python-oracledb does).
        """
        pending = self._close_now()
        if pending is not None:
            await pending

    def _close_now(self) -> Awaitable[None] | None:
        """:meth:`close` up to its first await: None when it is all done
        (every plain pooled cycle: no coroutine is made), else what is left
        to await (a rollback, a logoff, a DRCP release)."""
        conn = self._conn
        if conn is None:
            raise _closed_error()
        self._conn = None
        if self._cursors is not None:
            self._close_cursors()
        pool = self._pool
        if pool is None:
            return conn.close()  # type: ignore[no-any-return]
        assert self._entry is not None
        healthy: bool | None = False
        try:
            if not self._fatal and conn.is_healthy():  # a lost session is not touched
                if conn.transaction_in_progress:
                    return self._rolled_back(conn, pool)
                healthy = self._restore(conn) if self._saved else True
        except Error:
            healthy = False
        released: Awaitable[None] | None = pool.release(self._entry, healthy, self.tag)  # a DRCP release, or None
        return released

    async def _rolled_back(self, conn: Any, pool: Lessor) -> None:
        """The rest of :meth:`close` when a transaction is open: roll it back, then give the session back."""
        assert self._entry is not None
        healthy: bool | None = False
        try:
            await conn.rollback()
            healthy = self._restore(conn) if self._saved else True  # a failed rollback raised
        except Error:
            healthy = False
        except BaseException:  # cancelled mid-rollback: the session's state is unknown
            pool.release(self._entry, False)
            raise
        released = pool.release(self._entry, healthy, self.tag)
        if released is not None:
            await released

    def __await__(self) -> Generator[Any, None, AsyncConnection]:
        """``await pool.acquire()`` when the pool lent an idle session at once
        (see ``PoolFace.acquire``): the handle itself, already connected."""
        return self
        yield  # a generator that ends at once  # pragma: no cover

    async def __aenter__(self) -> AsyncConnection:
        self._live()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._conn is not None:
            await self.close()


def _session_attribute(name: str, readable: bool) -> property:
    def get(handle: Handle) -> Any:
        return getattr(handle._live(), name) if readable else _write_only(name)

    def set_(handle: Handle, value: Any) -> None:
        handle._set(name, value)

    return property(get, set_, doc=f"python-oracledb's {name}{'' if readable else ' (write-only)'}; reset on release.")


for _name, _readable in _SESSION_ATTRIBUTES.items():
    setattr(Handle, _name, _session_attribute(_name, _readable))
# PEP 249's optional extension: the exception classes as connection attributes.
for _name, _kind in PEP_249_EXCEPTIONS.items():
    setattr(Handle, _name, _kind)
del _name, _readable, _kind
