"""connect() pooling against python-oracledb, one server in a separate process.

Compares the microseconds of one cycle of:
  * devart_oracle: pooled ``connect(string)`` + ``close()``;
  * python-oracledb: its own pool's ``acquire()`` + ``release()``;
  * python-oracledb: unpooled ``oracledb.connect()`` + ``close()``.
Beside each pooled time, the function calls one cycle makes (Python and C,
counted with sys.setprofile: they do not depend on the machine's load).
Targets: ours >= 6x faster than python-oracledb's pool cycle, >= 500x faster
than an unpooled connect.

    python bench/bench_connect.py [--plot DIR]
"""

from __future__ import annotations

import _plot
import oracledb
from _calls import calls_per_cycle
from _harness import PASSWORD, USER, command_line, devart_string, per_call_us, server_process, show_chart

import devart_oracle


def main() -> None:
    args = command_line(__doc__, charts=("connect.png",)).parse_args()
    with server_process() as dsn:
        text = devart_string(dsn)
        devart_oracle.connection_pool.enabled = True

        def ours() -> None:
            devart_oracle.connect(text).close()

        oracle_pool = oracledb.create_pool(user=USER, password=PASSWORD, dsn=dsn, min=1, max=1)

        def theirs() -> None:
            oracle_pool.release(oracle_pool.acquire())

        def unpooled() -> None:
            oracledb.connect(user=USER, password=PASSWORD, dsn=dsn).close()

        results = {
            "devart_oracle pooled connect()+close()": per_call_us(ours, 2.0),
            "python-oracledb pool acquire()+release()": per_call_us(theirs, 2.0),
            "python-oracledb unpooled connect()+close()": per_call_us(unpooled, 3.0, repeat=3),
        }
        calls = [calls_per_cycle(ours), calls_per_cycle(theirs)]
        oracle_pool.close()
    for (name, us), counted in zip(results.items(), [*calls, ""]):
        print(f"{name:45s} {us:12.2f} us/cycle   {counted}")
    ours_us, pool_us, raw_us = results.values()
    print(f"{'python-oracledb pool / ours':45s} {pool_us / ours_us:12.1f}x  (target >= 6x)")
    print(f"{'unpooled / ours':45s} {raw_us / ours_us:12.0f}x  (target >= 500x)")
    if args.plot:
        show_chart(_plot.connect(results, args.plot))


if __name__ == "__main__":
    main()
