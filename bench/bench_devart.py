"""Devart's own connector against devart_oracle, in one run on one server.

Both connect to the same embedded server, which runs in a separate process
(Devart's C extension holds the GIL while it waits on the network, so an
in-process server would deadlock). Rows, in microseconds:

  * pooled ``connect()`` + ``close()`` (``connection_pool.enabled``);
  * the same with ``connection_pool.validate = True``;
  * unpooled ``connect()`` + ``close()``;
  * a ``select 1 from dual`` round trip on an open connection;
  * 8 threads sharing a pool, each cycle a pooled connect, a query and a
    close: throughput (cycles per second) and p99 latency.

Targets: devart_oracle's pooled cycle >= 20x faster than Devart's, and no row
slower. Needs ``pip install devart-oracle-connector`` (a 30-day trial): when
it is missing or its trial has run out, the script says so and exits 0.

    python bench/bench_devart.py [--plot DIR]
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

import _plot
from _harness import (
    command_line,
    devart_string,
    per_call_us,
    percentile,
    server_process,
    show_chart,
)

import devart_oracle

THREADS = 8
TRIAL_WORDS = ("trial", "expired", "licen", "register")
CYCLES_PER_THREAD = 150


def _slow_us(cycle: Callable[[], None], count: int, repeat: int = 3) -> float:
    """Best-of-``repeat`` microseconds per call over ``count`` calls (for slow cycles)."""
    cycle()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        for _ in range(count):
            cycle()
        runs.append((time.perf_counter() - started) / count * 1e6)
    return min(runs)


def _query(conn: Any) -> None:
    cursor = conn.cursor()
    cursor.execute("select 1 from dual")
    cursor.fetchall()
    cursor.close()


def _threads(module: ModuleType, text: str) -> tuple[float, float]:
    """(cycles per second, p99 microseconds) of THREADS threads sharing a pool."""
    latencies: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        mine = []
        for _ in range(CYCLES_PER_THREAD):
            started = time.perf_counter()
            conn = module.connect(text)
            _query(conn)
            conn.close()
            mine.append((time.perf_counter() - started) * 1e6)
        with lock:
            latencies.extend(mine)

    workers = [threading.Thread(target=worker) for _ in range(THREADS)]
    started = time.perf_counter()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, percentile(latencies, 99)


class Side:
    """One connector's rows, measured one at a time so both see the same load."""

    def __init__(self, module: ModuleType, base: str) -> None:
        self.module, self.base = module, base
        pool = module.connection_pool
        pool.enabled = True
        pool[72].validate = True

    def cycle(self, text: str) -> Callable[[], None]:
        return lambda: self.module.connect(text).close()

    def rows(self) -> dict[str, Callable[[], float]]:
        base = self.base
        return {
            "pooled connect()+close()": lambda: per_call_us(self.cycle(base + ";PoolId=71"), 2.0),
            "validate=True connect()+close()": lambda: per_call_us(self.cycle(base + ";PoolId=72"), 2.0),
            "select 1 round trip": self._round_trip,
            "unpooled connect()+close()": lambda: _slow_us(self.cycle(base + ";DisablePooling=True"), 40),
        }

    def _round_trip(self) -> float:
        conn = self.module.connect(self.base + ";PoolId=71")
        try:
            return per_call_us(lambda: _query(conn), 2.0)
        finally:
            conn.close()


def _refusal(exc: BaseException) -> str | None:
    """Why Devart's connector will not run, if ``exc`` is its licence check."""
    text = str(exc).strip()
    if any(word in text.lower() for word in TRIAL_WORDS):
        return f"Devart's connector refuses to run (its 30-day trial has run out?): {text}"
    return None


def _connector(base: str) -> ModuleType | str:
    """Devart's connector once it has logged on to the server, or why it cannot."""
    try:
        import devart.oracle as devart  # type: ignore[import-untyped]
    except ImportError as exc:
        return f"Devart's connector is not installed ({exc}): pip install devart-oracle-connector"
    except Exception as exc:  # a licence check that fails at import
        if (why := _refusal(exc)) is None:
            raise
        return why
    try:
        devart.connect(base).close()
    except devart.Error as exc:
        if (why := _refusal(exc)) is None:
            raise
        return why
    return devart  # type: ignore[no-any-return]


def _table(devart: ModuleType, base: str) -> tuple[dict[str, float], dict[str, float]]:
    sides = [Side(devart, base), Side(devart_oracle, base)]
    theirs: dict[str, float] = {}
    ours: dict[str, float] = {}
    for name in sides[0].rows():
        theirs[name], ours[name] = (side.rows()[name]() for side in sides)
    for side, out in zip(sides, (theirs, ours)):
        throughput, p99 = _threads(side.module, base + ";PoolId=73")
        out[f"{THREADS} threads: cycles/s"], out[f"{THREADS} threads: p99 us"] = throughput, p99
    return theirs, ours


def main() -> None:
    args = command_line(__doc__, charts=("devart.png",)).parse_args()
    with server_process() as dsn:
        devart = _connector(devart_string(dsn))
        if isinstance(devart, str):
            print(f"skipped: {devart}")
            return
        theirs, ours = _table(devart, devart_string(dsn))
    print(f"{'':36s} {'Devart':>12s} {'devart_oracle':>14s} {'ratio':>8s}")
    for name in theirs:
        higher_is_better = name.endswith("cycles/s")
        ratio = ours[name] / theirs[name] if higher_is_better else theirs[name] / ours[name]
        print(f"{name:36s} {theirs[name]:12.1f} {ours[name]:14.1f} {ratio:7.1f}x")
    pooled = theirs["pooled connect()+close()"] / ours["pooled connect()+close()"]
    print(f"pooled cycle: devart_oracle {pooled:.1f}x faster (target >= 20x); "
          "ratio > 1 means devart_oracle is better on that row")
    print("Devart's threads share one GIL that its C extension holds while it waits on the network,"
          " so its 8 threads run one network wait at a time")
    if args.plot:
        show_chart(_plot.devart(theirs, ours, args.plot))


if __name__ == "__main__":
    main()
