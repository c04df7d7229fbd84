"""Fuzz the connection-string parser for password leaks and foreign exceptions.

Run as ``python bench/fuzz_connstring.py --count 1000000`` from the repository
root (not in CI: about a minute per 100,000 inputs on one core). It draws the
inputs of the hypothesis property in ``tests/connstring/test_secrecy.py`` from a
seeded ``random.Random``, parses each, and reports every exception other than
ConnectionStringError and every password letter found in an error's text, a
repr, ``masked()``, a fingerprint or a value other than the password.
Exit status 1 if it found any.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from _harness import command_line

from devart_oracle._cli import whole

# The inputs are the test suite's; the repository root makes them importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.connstring.secret_inputs import Case, draw_case, try_case  # noqa: E402

_SHOWN = 5  # findings printed per kind


def _parser() -> argparse.ArgumentParser:
    parser = command_line(__doc__)
    parser.add_argument("--count", type=whole(1), default=100_000, help="inputs to try (default 100000)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: a fresh one, printed)")
    return parser


def _check(case: Case) -> tuple[str, str] | None:
    """Return (kind, detail) for a finding, or None."""
    try:
        leak = try_case(case)
    except Exception as exc:  # the point: anything but ConnectionStringError
        return "exception", f"{type(exc).__name__}: {exc} for {case!r}"
    return None if leak is None else ("leak", f"{leak} for {case!r}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the fuzz; returns 1 if anything was found."""
    args = _parser().parse_args(argv)
    seed = random.randrange(2**32) if args.seed is None else args.seed
    rng, found = random.Random(seed), {"exception": 0, "leak": 0}
    print(f"fuzzing {args.count} inputs, seed {seed}", flush=True)
    started = time.perf_counter()
    for n in range(1, args.count + 1):
        finding = _check(draw_case(rng))
        if finding is not None:
            kind, detail = finding
            found[kind] += 1
            if found[kind] <= _SHOWN:
                print(f"{kind}: {detail}", flush=True)
        if n % 100_000 == 0:
            print(f"  {n} inputs, {found['exception']} exceptions, {found['leak']} leaks", flush=True)
    seconds = time.perf_counter() - started
    print(f"{args.count} inputs in {seconds:.0f} s: {found['exception']} exceptions other than "
          f"ConnectionStringError, {found['leak']} password leaks")
    return 1 if any(found.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
