"""The threads that run sessions, kept a while to run the next one.

The server is thread-per-session, and a test suite logs on and off all the
time: creating and starting a thread for each connection cost a logon about
a millisecond of the acceptor's time on a busy machine (``Thread.start``
waits for the new thread to be scheduled). A thread whose session ended
waits ``linger`` seconds for the next one instead, then ends.

``drain`` ends them all: it tells the idle threads to go, waits for the
running sessions to end (the server has dropped their sockets) and joins
every thread, so that a stopped server leaves none behind.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable

__all__ = ["DEFAULT_LINGER", "SessionWorkers"]

DEFAULT_LINGER = 5.0
Job = Callable[[], None]


class SessionWorkers:
    """Runs each job (a session's body) on an idle thread, or on a new one.

    Args:
        linger: seconds an idle thread waits for a job before it ends.
    """

    def __init__(self, linger: float = DEFAULT_LINGER) -> None:
        self._linger = linger
        self._lock = threading.Lock()
        self._jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._idle = 0  # threads waiting for a job that no job has been promised to
        self._threads: set[threading.Thread] = set()
        self._draining = False

    def __len__(self) -> int:
        return len(self._threads)

    def submit(self, job: Job, name: str) -> None:
        """Run ``job`` on an idle thread, or start a thread called ``name`` for it."""
        with self._lock:
            if self._idle:
                self._idle -= 1
                self._jobs.put(job)
                return
            thread = threading.Thread(target=self._work, args=(job,), name=name, daemon=True)
            self._threads.add(thread)
            thread.start()  # under the lock: drain() never sees a thread it cannot join yet

    def drain(self, timeout: float) -> list[str]:
        """End every thread; the names of those still running after ``timeout`` seconds."""
        with self._lock:
            self._draining = True
            for _ in range(self._idle):
                self._jobs.put(None)
            self._idle = 0
            threads = list(self._threads)
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(deadline - time.monotonic(), 0.0))
        with self._lock:
            self._draining = False
        return [thread.name for thread in threads if thread.is_alive()]

    def _work(self, job: Job | None) -> None:
        try:
            while job is not None:
                job()
                job = self._next()
        finally:
            with self._lock:
                self._threads.discard(threading.current_thread())

    def _next(self) -> Job | None:
        """The next job, or None when the thread is to end."""
        with self._lock:
            if self._draining:
                return None
            self._idle += 1
        try:
            return self._jobs.get(timeout=self._linger)
        except queue.Empty:
            with self._lock:
                try:
                    return self._jobs.get_nowait()  # promised to this thread as it timed out
                except queue.Empty:
                    self._idle -= 1
                    return None
