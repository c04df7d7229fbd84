"""At interpreter exit, test servers and fault proxies stop first.

A script may end with a server still running and clients still connected.
Interpreter shutdown runs the ``atexit`` handlers while daemon threads still
run, then finalizes objects once they no longer do: a client's logoff in its
finalizer would then wait for ever for a server (or proxy) thread that is
gone. So every live server and proxy is closed from an ``atexit`` handler:
their sockets close, and whatever logs off later (devart_oracle's own exit
handler, a client's finalizer) meets a closed socket and ends at once.

This module is imported by the server and proxy modules, after
devart_oracle's pool hooks are registered, and ``atexit`` runs handlers last
in, first out: so the servers stop before the pools log their sessions off.
"""

from __future__ import annotations

import atexit
import logging
import weakref
from typing import Protocol

__all__ = ["close_at_exit"]

log = logging.getLogger("devart_oracle.testing")


class _Closeable(Protocol):
    def close(self) -> None: ...


#: Proxies before servers: clients lose their sockets first.
_live: tuple[weakref.WeakSet[_Closeable], weakref.WeakSet[_Closeable]] = (weakref.WeakSet(), weakref.WeakSet())


def close_at_exit(thing: _Closeable, *, proxy: bool = False) -> None:
    """Have ``thing.close()`` run at exit unless it is collected before."""
    _live[0 if proxy else 1].add(thing)


def _close_all() -> None:
    for things in _live:
        for thing in list(things):
            try:
                thing.close()
            except Exception:  # keep closing the others
                log.exception("closing %r at exit failed", thing)


atexit.register(_close_all)
