"""Blocking calls a caller can stop waiting for: jobs on reused daemon threads.

A caller with a time limit (a TIMEDWAIT acquire, ``connect()`` under a
ConnectionTimeout) cannot make python-oracledb give up in time: a ping bounded
by its call timeout spends that time again on break and reset, and a logon on
a network that has gone quiet waits until it comes back. So such calls run as
a :class:`Job` on a worker thread; the caller waits at most its limit, and a
job it stops waiting for finishes alone and reports through ``then()``.

Workers are daemon threads (a job stalled on the network never holds the
interpreter at exit), reused while jobs keep coming and gone after
:data:`IDLE_SECONDS` without one.

Reservations keep the pool of workers honest without a lost wake-up: a job
is queued either for an idle worker, which ``submit()`` reserves under the
lock, or together with a new worker; a worker leaves only by giving up an
unreserved idle place, so every queued job has a worker waiting for it.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["IDLE_SECONDS", "Job", "submit"]

#: Seconds an idle worker waits for a job before it ends.
IDLE_SECONDS = 30.0


class Job:
    """One call on a worker thread: wait for it with a limit, or leave it."""

    __slots__ = ("_call", "_finished", "_lock", "_then", "value", "error")

    def __init__(self, call: Callable[[], Any]) -> None:
        self._call = call
        self._finished = threading.Event()
        self._lock = threading.Lock()
        self._then: Callable[[Job], object] | None = None
        self.value: Any = None
        self.error: BaseException | None = None

    def __repr__(self) -> str:
        return f"<Job {'done' if self.done else 'running'}>"

    @property
    def done(self) -> bool:
        """Whether the call has returned or raised."""
        return self._finished.is_set()

    def run(self) -> None:
        """Make the call (the worker's part), then report to ``then()``'s callback."""
        try:
            self.value = self._call()
        except BaseException as exc:  # handed to whoever reads the job
            self.error = exc
        with self._lock:
            self._finished.set()
            callback, self._then = self._then, None
        if callback is not None:
            callback(self)

    def wait(self, timeout: float | None) -> bool:
        """Wait at most ``timeout`` seconds (None: until done); True once done."""
        return self._finished.wait(None if timeout is None else max(0.0, timeout))

    def result(self) -> Any:
        """What the call returned; raises what it raised."""
        if self.error is not None:
            raise self.error
        return self.value

    def then(self, callback: Callable[[Job], object]) -> None:
        """Have ``callback(job)`` run once the call is done (now, if it is)."""
        with self._lock:
            if not self._finished.is_set():
                self._then = callback
                return
        callback(self)


class _Workers:
    """The daemon threads that run jobs, with their idle places."""

    def __init__(self) -> None:
        self.jobs: queue.SimpleQueue[Job] = queue.SimpleQueue()
        self.lock = threading.Lock()
        self.idle = 0  # waiting workers not reserved for a queued job

    def submit(self, job: Job) -> None:
        with self.lock:
            reserved = self.idle > 0
            if reserved:
                self.idle -= 1
        self.jobs.put(job)
        if not reserved:
            threading.Thread(target=self.work, name="devart_oracle worker", daemon=True).start()

    def work(self) -> None:
        while True:
            try:
                job = self.jobs.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                if self._leave():
                    return
                continue
            job.run()
            del job  # hold nothing of the job's while idle
            with self.lock:
                self.idle += 1

    def _leave(self) -> bool:
        with self.lock:
            if self.idle == 0:  # every idle place is reserved: a job is on its way
                return False
            self.idle -= 1
            return True


_workers = _Workers()


def submit(call: Callable[[], Any]) -> Job:
    """Run ``call()`` on a worker thread; returns its job at once."""
    job = Job(call)
    _workers.submit(job)
    return job


def _after_fork_in_child() -> None:
    # The parent's workers do not exist here: start with none.
    global _workers
    _workers = _Workers()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
