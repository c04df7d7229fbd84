"""What the pool statistics cost on the uncontended acquire()+release() cycle.

1. The cycle of a sync explicit pool (min=1, max=1), as shipped: counting on,
   not instrumented.
2. The counting alone: the hooks one cycle runs (a request counted, a lease
   served, a return with its use time), timed in a loop of their own on the
   same pool's statistics (target: at most 5 % of the cycle).
3. The same cycle with the counting hooks emptied, for a cross-check.
4. The cycle instrumented: devart_oracle.metrics.instrument() with the
   OpenTelemetry SDK's MeterProvider and an in-memory reader (its histograms
   record each wait and use time).

    python bench/bench_metrics.py
"""

from __future__ import annotations

import time
from typing import Any

from _harness import PASSWORD, USER, command_line, per_call_us, server_process

import devart_oracle
from devart_oracle.pool._metrics import PoolMetrics


class Uncounted(PoolMetrics):
    """Statistics whose per-cycle hooks do nothing: the cycle without counting."""

    __slots__ = ()

    def served_at_once(self, entry: Any, now: float) -> None:
        pass

    def returned(self, entry: Any, now: float, healthy: bool | None) -> None:
        pass


#: Rounds of the three cycles, alternated.
ROUNDS = 4


def cycle_us(pool: Any) -> float:
    return per_call_us(lambda: pool.release(pool.acquire()), 1.0)


def counting_us(pool: Any) -> float:
    """The hooks of one cycle, as the engine calls them."""
    metrics, entry = pool._engine.metrics, next(iter(pool._engine.core.idle_entries()))
    now = time.monotonic()  # the engine reads the clock anyway: not the counting's cost

    def hooks() -> None:
        metrics.served_at_once(entry, now)
        metrics.returned(entry, now, True)

    def nothing() -> None:
        pass

    # Less the loop's own cost: calling a function that does nothing.
    return per_call_us(hooks, 2.0) - per_call_us(nothing, 2.0)


def instrumented_us(pool: Any) -> float:
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader

    instrumentation = devart_oracle.metrics.instrument(MeterProvider(metric_readers=[InMemoryMetricReader()]))
    try:
        return cycle_us(pool)
    finally:
        instrumentation.close()


def main() -> None:
    command_line(__doc__).parse_args()
    import devart_oracle.metrics  # noqa: F401  (instrument() below)

    with server_process() as dsn:
        pool = devart_oracle.create_pool(user=USER, password=PASSWORD, dsn=dsn, min=1, max=1)
        while pool.opened < 1:
            time.sleep(0.01)
        counted = pool._engine.metrics
        shipped = bare = traced = float("inf")
        for _ in range(ROUNDS):  # alternated, each figure its best round: the machine's load shifts
            shipped = min(shipped, cycle_us(pool))
            pool._engine.metrics = Uncounted(counted.name)
            bare = min(bare, cycle_us(pool))
            pool._engine.metrics = counted
            traced = min(traced, instrumented_us(pool))
        counting = counting_us(pool)
        pool.close()
    print("acquire()+release() of a sync pool, us per cycle")
    print(f"  as shipped (counting on)      {shipped:8.2f}")
    print(f"  the counting hooks alone      {counting:8.2f}   {counting / shipped:6.1%} of the cycle (target <= 5 %)")
    print(f"  hooks emptied                 {bare:8.2f}   shipped/emptied {shipped / bare:.3f}")
    print(f"  instrumented (OpenTelemetry)  {traced:8.2f}   instrumented/shipped {traced / shipped:.2f}x")


if __name__ == "__main__":
    main()
