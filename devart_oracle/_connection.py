"""DB-API 2.0 connection handles over python-oracledb sessions.

A handle is what ``connect()`` and ``pool.acquire()`` return. It lends the
caller one physical session until ``close()``: cursors are python-oracledb's
own (no wrapping cost on execute and fetch), but the handle remembers them and
closes them when it is closed, so a stale cursor can never run on a session
that has since been lent to someone else. Session state the caller changed
through the handle (autocommit, call timeout, end-to-end attributes) is put
back before the session returns to its pool.
"""

from __future__ import annotations

import weakref
from collections.abc import Awaitable
from typing import Any, Protocol

from ._errors import Error, InterfaceError
from .pool._core import Entry
from .pool._physical import is_fatal

__all__ = ["AsyncConnection", "Connection"]

#: Session attributes that python-oracledb lets us read back.
_READABLE = ("autocommit", "call_timeout")


class _Releaser(Protocol):
    def release(self, entry: Entry, healthy: bool = True, tag: str | None = None) -> Any: ...


def _closed_error() -> InterfaceError:
    return InterfaceError("the connection is closed")


def _write_only(name: str) -> Any:
    raise AttributeError(f"{name} is not readable")


class _Handle:
    """What sync and async handles share: state, cursors and settings."""

    __slots__ = ("_conn", "_entry", "_pool", "_connectstring", "_cursors", "_saved", "_fatal", "tag", "__weakref__")

    def __init__(self, conn: Any, connectstring: str, pool: _Releaser | None = None, entry: Entry | None = None) -> None:
        self._conn = conn
        self._entry = entry
        self._pool = pool
        self._connectstring = connectstring
        self._cursors: weakref.WeakSet[Any] | None = None
        self._saved: dict[str, Any] | None = None
        self._fatal = False
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
        """Open a python-oracledb cursor, closed with this handle."""
        cursor = self._live().cursor(*args, **kwargs)
        if self._cursors is None:
            self._cursors = weakref.WeakSet()
        self._cursors.add(cursor)
        return cursor

    @property
    def connectstring(self) -> str:
        """The canonical connection string, password masked."""
        return self._connectstring

    @property
    def version(self) -> str:
        """The database version."""
        return str(self._live().version)

    @property
    def autocommit(self) -> bool:
        """Whether every statement commits by itself."""
        return bool(self._live().autocommit)

    @autocommit.setter
    def autocommit(self, value: bool) -> None:
        self._set("autocommit", value)

    @property
    def call_timeout(self) -> int:
        """Milliseconds a round trip may take (0 = no limit)."""
        return int(self._live().call_timeout)

    @call_timeout.setter
    def call_timeout(self, value: int) -> None:
        self._set("call_timeout", value)

    # python-oracledb's end-to-end attributes are write-only; so are ours.
    client_identifier = property(
        lambda self: _write_only("client_identifier"),
        lambda self, value: self._set("client_identifier", value),
        doc="End-to-end client identifier (write-only).",
    )
    module = property(
        lambda self: _write_only("module"),
        lambda self, value: self._set("module", value),
        doc="End-to-end module name (write-only).",
    )
    action = property(
        lambda self: _write_only("action"),
        lambda self, value: self._set("action", value),
        doc="End-to-end action name (write-only).",
    )

    def _set(self, name: str, value: Any) -> None:
        """Change a session attribute, remembering its value to restore on release."""
        conn = self._live()
        if self._pool is not None:
            saved = self._saved if self._saved is not None else {}
            if name not in saved:
                saved[name] = getattr(conn, name) if name in _READABLE else None
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
        cursors, self._cursors = self._cursors, None
        for cursor in list(cursors or ()):
            try:
                cursor.close()
            except Error:
                pass
        return conn

    def _restore(self, conn: Any) -> None:
        for name, value in (self._saved or {}).items():
            setattr(conn, name, value)
        self._saved = None


class Connection(_Handle):
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
        """Give the session back to its pool (or log it off); idempotent."""
        if self._conn is None:
            return
        conn = self._detach()
        if self._pool is None:
            conn.close()
            return
        assert self._entry is not None
        self._pool.release(self._entry, self._reset(conn), self.tag)

    def _reset(self, conn: Any) -> bool:
        """Roll back and restore session state; True when the session is reusable."""
        if self._fatal:
            return False
        try:
            if conn.transaction_in_progress:
                conn.rollback()
            if self._saved:
                self._restore(conn)
            return bool(conn.is_healthy())
        except Error:
            return False

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        # A handle dropped without close() still gives its session back.
        if self._conn is not None and self._pool is not None:
            try:
                self.close()
            except Exception:
                pass


class AsyncConnection(_Handle):
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
        """Give the session back to its pool (or log it off); idempotent."""
        if self._conn is None:
            return
        conn = self._detach()
        if self._pool is None:
            await conn.close()
            return
        assert self._entry is not None
        released = self._pool.release(self._entry, await self._reset(conn), self.tag)
        if isinstance(released, Awaitable):
            await released

    async def _reset(self, conn: Any) -> bool:
        if self._fatal:
            return False
        try:
            if conn.transaction_in_progress:
                await conn.rollback()
            if self._saved:
                self._restore(conn)
            return bool(conn.is_healthy())
        except Error:
            return False

    async def __aenter__(self) -> AsyncConnection:
        return self

    def __del__(self) -> None:
        # Dropped without close(): it cannot be rolled back from here, so it
        # is logged off; that frees its slot in the pool either way.
        if self._conn is not None and self._pool is not None and self._entry is not None:
            self._conn = None
            try:
                self._pool.release(self._entry, False)
            except Exception:  # no running loop to log off from: the slot is free already
                pass

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
