"""Parse cost of a typical connection string, uncached and cached.

Run as ``python bench/bench_parse.py``. ``connect()`` parses on every pooled
checkout, so the cached path is the one that matters: it should stay well
under a microsecond.
"""

from __future__ import annotations

import timeit

from _harness import command_line

from devart_oracle.connstring import ConnectionParameters, parse

TEXT = (
    "Direct=True;Host=db.example.com:1521/orclpdb1;User Id=scott;Password=tiger;"
    "Connection Timeout=10;PoolId=1"
)
BASE = TEXT.replace(";PoolId=1", "")


def _best_microseconds(stmt: str, number: int) -> float:
    """Return the best per-call time of ``stmt`` over a few runs, in µs."""
    runs = timeit.repeat(stmt, globals=globals(), number=number, repeat=5)
    return min(runs) / number * 1e6


def main() -> None:
    """Print the figures."""
    command_line(__doc__).parse_args()  # --help, and no stray arguments
    parse(TEXT)
    parse(BASE, PoolId=2)
    print(f"string: {ConnectionParameters(TEXT)!r}")
    cases = [
        ("uncached (ConnectionParameters(text))", "ConnectionParameters(TEXT)", 1_000),
        ("cached   parse(text)", "parse(TEXT)", 500_000),
        ("cached   parse(text, PoolId=2)", "parse(BASE, PoolId=2)", 500_000),
    ]
    for label, stmt, number in cases:
        print(f"{label:40} {_best_microseconds(stmt, number):10.3f} µs")


if __name__ == "__main__":
    main()
