"""Session threads are reused, linger a bounded time, and a drain ends them all."""

from __future__ import annotations

import threading

from devart_oracle.testing._workers import SessionWorkers

_WAIT = 5.0  # bound of every wait here; each normally ends in milliseconds


def _run(workers: SessionWorkers, name: str) -> threading.Thread:
    """Submit a job; returns the thread that ran it, once it ran."""
    ran: list[threading.Thread] = []
    done = threading.Event()

    def job() -> None:
        ran.append(threading.current_thread())
        done.set()

    workers.submit(job, name)
    assert done.wait(_WAIT)
    return ran[0]


def _until(condition: object, timeout: float = _WAIT) -> bool:
    event = threading.Event()
    for _ in range(int(timeout / 0.01)):
        if callable(condition) and condition():
            return True
        event.wait(0.01)
    return False


def test_an_idle_thread_runs_the_next_job() -> None:
    workers = SessionWorkers(linger=_WAIT)
    first = _run(workers, "worker-a")
    assert _until(lambda: workers._idle == 1)
    assert _run(workers, "worker-b") is first
    assert len(workers) == 1
    assert workers.drain(_WAIT) == []
    assert not first.is_alive()


def test_an_idle_thread_ends_after_its_linger() -> None:
    workers = SessionWorkers(linger=0.05)
    thread = _run(workers, "worker-linger")
    thread.join(_WAIT)
    assert not thread.is_alive()
    assert len(workers) == 0
    assert _run(workers, "worker-again") is not thread  # a new one starts


def test_drain_waits_for_running_jobs_and_ends_idle_ones() -> None:
    workers = SessionWorkers(linger=_WAIT)
    release, started = threading.Event(), threading.Event()

    def long_job() -> None:
        started.set()
        release.wait(_WAIT)

    idle = _run(workers, "worker-idle")
    assert _until(lambda: workers._idle == 1)
    workers.submit(long_job, "worker-long")  # taken by the idle thread
    assert started.wait(_WAIT)
    workers.submit(lambda: None, "worker-other")  # no idle thread: a new one
    assert workers.drain(0.05) == ["worker-idle"]  # still in long_job
    release.set()
    assert workers.drain(_WAIT) == []
    assert not idle.is_alive() and len(workers) == 0
