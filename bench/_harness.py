"""Benchmark plumbing: the embedded server in a separate process, and timers."""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from devart_oracle._cli import plot_directory

USER, PASSWORD = "scott", "tiger"


def command_line(doc: str | None, charts: tuple[str, ...] = ()) -> argparse.ArgumentParser:
    """A parser for a bench script: its docstring is the ``--help`` text.

    A script that draws ``charts`` (file names) gets ``--plot DIR``, the same
    option in every script: ``args.plot`` is then a directory or None.
    """
    summary, _, details = (doc or "").partition("\n")
    parser = argparse.ArgumentParser(description=summary, epilog=details.strip() or None,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    if charts:
        parser.add_argument("--plot", type=plot_directory, metavar="DIR",
                            help=f"also write {', '.join(charts)} into DIR (needs matplotlib: the bench extra)")
    return parser


def show_chart(path: Path) -> None:
    """Say where a chart went and how big it is."""
    print(f"chart: {path} ({path.stat().st_size / 1024:.0f} KB)")


@contextlib.contextmanager
def server_process(logon_delay: float = 0.0) -> Iterator[str]:
    """Run ``python -m devart_oracle.testing serve`` on a free port; yields its dsn."""
    command = [
        sys.executable, "-m", "devart_oracle.testing", "serve", "--port", "0",
        "--user", f"{USER}/{PASSWORD}", "--logon-delay", str(logon_delay),
    ]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("listening on "):
            raise RuntimeError(f"server did not start: {line!r}")
        yield line.split()[-1]
    finally:
        proc.terminate()
        proc.wait(10)


def devart_string(dsn: str) -> str:
    """The Devart connection string for a ``host:port/service`` dsn."""
    address, service = dsn.split("/")
    host, port = address.split(":")
    return f"Direct=True;Host={host};Port={port};ServiceName={service};UserName={USER};Password={PASSWORD}"


def per_call_us(cycle: Callable[[], None], seconds: float = 1.0, repeat: int = 5,
                clock: Callable[[], float] = time.perf_counter) -> float:
    """Best-of-``repeat`` microseconds per call, the runs lasting about ``seconds``
    in all, on ``clock`` (``time.process_time``: CPU time, which other work on
    a shared machine does not inflate)."""
    cycle()
    runs = []
    for _ in range(repeat):
        count, started = 0, clock()
        while (elapsed := clock() - started) < seconds / repeat:
            for _ in range(100):
                cycle()
            count += 100
        runs.append(elapsed / count * 1e6)
    return min(runs)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def median(values: list[float]) -> float:
    return statistics.median(values)
