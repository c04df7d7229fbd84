"""The session watcher: cancels for busy sessions, a deadline for logons, stuck turns.

A session thread that runs SQL does not read its socket, so it cannot see
the MARKER that python-oracledb sends in-band to cancel the call. One
watcher thread per server looks, every ``interval`` seconds, at the
sessions that have been busy at least that long and asks each to peek at its
socket (``Session.poll_interrupt``). Short calls never pay for this: being
busy costs a session two attribute writes.

The same thread enforces the inbound connect timeout, as Oracle's
``SQLNET.INBOUND_CONNECT_TIMEOUT`` does: a connection that has not logged
on within ``connect_timeout()`` seconds of being accepted (one that never
sends anything, or stops half way through the handshake) is closed and
logged, so that it does not hold its thread until the server stops.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from ._registry import SessionRegistry
from ._turns import Turns

if TYPE_CHECKING:
    from ._pump import Pump

__all__ = ["SessionWatcher"]

log = logging.getLogger("devart_oracle.testing")


class SessionWatcher:
    """Polls a registry's busy sessions for interrupts and its logons for deadlines.

    Args:
        registry: the server's connections.
        connect_timeout: gives the seconds a connection has to log on
            (None: no limit); read on every pass, so it may change.
        turns: the sessions' turns, unstuck at every pass (``Turns.unstick``).
        pump: the pump, moved at every pass that finds it in the same call (``Pump.unstick``).
        interval: seconds between passes.
    """

    def __init__(self, registry: SessionRegistry,
                 connect_timeout: Callable[[], float | None] = lambda: None,
                 turns: Turns | None = None, pump: Pump | None = None,
                 interval: float = 0.02) -> None:
        self._registry = registry
        self._turns = turns
        self._pump = pump
        self._connect_timeout = connect_timeout
        self._interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, name: str) -> None:
        """Start the watcher thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=name, daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop and join the watcher thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            if self._turns is not None and self._turns.unstick():
                log.debug("session watcher: a call kept its turn for a whole pass; the others go on")
            if self._pump is not None:
                self._pump.unstick()
            self._poll_busy()
            self._close_late_logons()

    def _poll_busy(self) -> None:
        deadline = time.monotonic() - self._interval
        for member in self._registry.busy():
            since = member.busy_since
            if since and since <= deadline:
                try:
                    member.poll_interrupt()
                except Exception:
                    log.exception("session watcher: polling %r failed", member)

    def _close_late_logons(self) -> None:
        timeout = self._connect_timeout()
        if timeout is None:
            return
        for member in self._registry.not_logged_on(time.monotonic() - timeout):
            log.warning("connection %r did not log on within %.1f s of connecting; closing it",
                        member, timeout)
            member.kill()
            self._registry.leave(member)
