"""The cancel watcher: notices ``conn.cancel()`` while a session runs SQL.

A session thread that runs SQL does not read its socket, so it cannot see
the MARKER that python-oracledb sends in-band to cancel the call. One
watcher thread per server looks, every ``interval`` seconds, at the
sessions that have been busy at least that long and asks each to peek at its
socket (``Session.poll_interrupt``). Short calls never pay for this: being
busy costs a session two attribute writes.
"""

from __future__ import annotations

import logging
import threading
import time

from ._registry import SessionRegistry

__all__ = ["CancelWatcher"]

log = logging.getLogger("devart_oracle.testing")


class CancelWatcher:
    """Polls the busy sessions of a registry for interrupts."""

    def __init__(self, registry: SessionRegistry, interval: float = 0.02) -> None:
        self._registry = registry
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
            deadline = time.monotonic() - self._interval
            for member in self._registry.busy():
                since = member.busy_since
                if since and since <= deadline:
                    try:
                        member.poll_interrupt()
                    except Exception:
                        log.exception("cancel watcher: polling %r failed", member)
