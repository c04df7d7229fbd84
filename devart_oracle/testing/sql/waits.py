"""Waits for another session, a pooled server or the clock, made known to the scheduler.

The server runs its sessions' calls one at a time (``testing._turns``). A
call that waits for something another session may have to do first (a
lock that session holds) must let the others run meanwhile, or it waits
for nothing. Every such wait runs inside ``waiting()``: the hook that the
thread's scheduler set with ``set_hook`` gives the turn back before the wait
and takes it again after. With no hook (a thread of the caller's own,
the SQL layer used alone), ``waiting()`` does nothing.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager as ContextManager

__all__ = ["set_hook", "waiting"]

Hook = Callable[[], ContextManager[None]]

_local = threading.local()
_NOTHING = contextlib.nullcontext()


def set_hook(hook: Hook | None) -> None:
    """Set (None: clear) this thread's hook for ``waiting()``."""
    _local.hook = hook


def waiting() -> ContextManager[None]:
    """A context for a wait: the other sessions may run while it lasts."""
    hook: Hook | None = getattr(_local, "hook", None)
    return _NOTHING if hook is None else hook()
