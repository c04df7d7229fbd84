"""Throughput of the embedded Oracle test server, as python-oracledb sees it.

Starts ``python -m devart_oracle.testing serve`` on a free port in its own
process, then measures from this process, with 1 and 16 client threads:

* logons per second (connect + close, a full O5LOGON each time), with the
  server's default logon rounds and, against a second server started with
  ``--logon-rounds 4096``, with Oracle's (the client's PBKDF2 then costs it
  milliseconds a logon);
* round trips per second for ``ping()``;
* round trips per second for a small query (``select :x + 1 from dual``
  with a new value each time, re-executed with its fetch in one round trip
  once the client's statement cache holds it).

Then the ratios of issue 13, each against its target (the first and the last
client counts given are "1" and "16"):

* a query round trip over a ping round trip (one client): at most 1.5x;
* queries per second with 16 clients over those with one: at least 1x;
* logons per second, with the default rounds and with 4096, against the
  server as it was before the work on issue 13 (``--before``, the commit
  ``BEFORE``, when every logon had 4096 rounds), measured in the same run:
  at least 2x. The script exports that commit from git into a temporary
  directory and runs its server beside today's; where git or the commit is
  not there (an sdist), it falls back to the figures ``BEFORE_LOGONS``
  measured with this script on a quiet machine, and says so.

The query / ping ratio is measured on its own, after the table: one
client, ``--rounds`` rounds of a ping run and a query run turn about (the
order swapped each round), the ratio of each round's two rates, and their
median (with the lowest and highest). Measured one after the other, as in the
table, the two figures fall on different moments of a shared machine, and
their ratio moved by 0.2x between runs of the same code.

Beside each figure, on Linux, the server process's CPU time (user + system)
per operation: unlike the rates, it hardly moves when other work shares the
machine, so it is the figure to compare between runs on a busy machine.

Usage: ``python bench/bench_server.py [--duration 2] [--clients 1,16] [--rounds 7] [--before REV] [--plot DIR]``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import os
import re
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import _plot
import oracledb
from _harness import command_line, show_chart

from devart_oracle._cli import seconds, whole
from devart_oracle.testing._accounts import DEFAULT_LOGON_ROUNDS
from devart_oracle.testing.wire.auth import ORACLE_ROUNDS

USER, PASSWORD = "scott", "tiger"
QUERY = "select :x + 1 from dual"
BEFORE = "3c37269"  # main before issue 13's work on the server
# logons/s by client count at BEFORE (quiet machine, 2 s a figure): when git cannot export BEFORE
BEFORE_LOGONS = {1: 182.0, 16: 278.0}
QUERY_OVER_PING, SCALING, LOGON_GAIN = 1.5, 1.0, 2.0  # the targets
LOGONS = f"logons/s ({DEFAULT_LOGON_ROUNDS} rounds)"
ORACLE_LOGONS = f"logons/s ({ORACLE_ROUNDS} rounds)"


def start_server(*options: str, source: Path | None = None) -> tuple[subprocess.Popen[str], str]:
    """Run the server in a child process (``serve`` with ``options``); returns it and its DSN.

    ``source``: a directory holding another version of the package, run instead of this one.
    """
    env = None if source is None else {**os.environ, "PYTHONPATH": str(source)}
    process = subprocess.Popen(
        [sys.executable, "-m", "devart_oracle.testing", "serve", "--port", "0",
         "--user", f"{USER}/{PASSWORD}", *options],
        stdout=subprocess.PIPE, text=True, env=env, cwd=source)
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.search(r"listening on (\S+)", line)
    if match is None:
        process.kill()
        raise SystemExit(f"server did not start: {line!r}")
    return process, match.group(1)


@contextlib.contextmanager
def exported(revision: str) -> Iterator[Path | None]:
    """The package at ``revision``, exported from this checkout's git into a temporary directory.

    None when there is no git, no repository or no such commit.
    """
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory(prefix="devart-before-") as directory:
        try:
            archive = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", revision,
                                      "devart_oracle"], capture_output=True, check=True, timeout=60).stdout
        except (OSError, subprocess.SubprocessError):
            yield None
            return
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:  # our own repository's files
            safe: dict[str, Any] = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}  # Python >= 3.11.4
            tar.extractall(directory, **safe)
        yield Path(directory)


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a process so far; None where /proc does not tell."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


Scenario = tuple[Callable[[], object], Callable[[object], None], Callable[[object], None]]  # setup, step, teardown


def measure(clients: int, duration: float, setup: Callable[[], object],
            step: Callable[[object], None], teardown: Callable[[object], None],
            server: int) -> tuple[float, float | None]:
    """Operations per second of ``step`` run by ``clients`` threads, and server CPU µs per operation."""
    counts = [0] * clients
    start = threading.Barrier(clients + 1)
    stop = threading.Event()

    def worker(index: int) -> None:
        state = setup()
        start.wait()
        while not stop.is_set():
            step(state)
            counts[index] += 1
        teardown(state)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    cpu_before = cpu_seconds(server)
    began = time.perf_counter()
    time.sleep(duration)
    stop.set()
    elapsed = time.perf_counter() - began
    cpu_after = cpu_seconds(server)
    done = sum(counts)  # read before the teardowns: a logoff is not the step's work
    for thread in threads:
        thread.join()
    if cpu_before is None or cpu_after is None or not done:
        return done / elapsed, None
    return done / elapsed, (cpu_after - cpu_before) * 1e6 / done


def turn_about(ping: Scenario, query: Scenario, rounds: int, duration: float, server: int) -> list[float]:
    """One client's query / ping round trip ratio, one per round: the two measured turn about."""
    order = [("ping", ping), ("query", query)]
    ratios = []
    for index in range(rounds):
        rates = {name: measure(1, duration, *scenario, server)[0]
                 for name, scenario in (order if index % 2 == 0 else order[::-1])}
        ratios.append(rates["ping"] / rates["query"])
    return ratios


def scenarios(dsn: str) -> dict[str, Scenario]:
    def connect() -> oracledb.Connection:
        return oracledb.connect(user=USER, password=PASSWORD, dsn=dsn)

    def logon(_: object) -> None:
        connect().close()

    def ping(conn: object) -> None:
        assert isinstance(conn, oracledb.Connection)
        conn.ping()

    values = itertools.count()

    def query(conn: object) -> None:
        assert isinstance(conn, oracledb.Connection)
        with conn.cursor() as cursor:
            cursor.execute(QUERY, x=next(values))
            cursor.fetchall()

    def close(conn: object) -> None:
        if isinstance(conn, oracledb.Connection):
            conn.close()

    return {
        "logons/s": (lambda: None, logon, close),  # renamed by main(): LOGONS or ORACLE_LOGONS
        "ping round trips/s": (connect, ping, close),
        "small query round trips/s": (connect, query, close),
    }


def ratios(results: dict[str, list[float]], counts: list[int], before: str | None = None,
           turns: Sequence[float] = ()) -> list[str]:
    """The lines that hold issue 13's ratios against their targets.

    ``before``: the name of the figures of the server before issue 13 in
    ``results``; None compares with ``BEFORE_LOGONS``. ``turns``: the query /
    ping ratios of ``turn_about`` (their median is the figure), else the table's.
    """
    baseline = dict(zip(counts, results[before])) if before is not None else BEFORE_LOGONS
    ping, query = results["ping round trips/s"], results["small query round trips/s"]
    if turns:
        name = f"query / ping round trip (1 client, median of {len(turns)})"
        lines = [_verdict(name, statistics.median(turns), QUERY_OVER_PING, at_most=True)
                 + f"   (rounds {min(turns):.2f}-{max(turns):.2f}x)"]
    else:
        lines = [_verdict(f"query / ping round trip ({counts[0]} client)", ping[0] / query[0],
                          QUERY_OVER_PING, at_most=True)]
    if len(counts) > 1:
        lines.append(_verdict(f"queries/s, {counts[-1]} over {counts[0]} clients",
                              query[-1] / query[0], SCALING, at_most=False))
    for name in (LOGONS, ORACLE_LOGONS):
        for count, figure in zip(counts, results[name]):
            then = baseline.get(count)
            if then is not None:
                lines.append(_verdict(f"{name}, {count} client(s), over {then:.0f}",
                                      figure / then, LOGON_GAIN, at_most=False))
    return lines


def _verdict(name: str, ratio: float, target: float, *, at_most: bool) -> str:
    met = ratio <= target if at_most else ratio >= target
    bound = "<=" if at_most else ">="
    return f"{name:48}{ratio:8.2f}x   target {bound} {target:g}x   {'met' if met else 'NOT met'}"


def _counts(text: str) -> list[int]:
    return [whole(1)(part) for part in text.split(",")]


def main() -> int:
    parser = command_line(__doc__, charts=("server.png",))
    parser.add_argument("--duration", type=seconds(zero=False), default=2.0, help="seconds per measurement")
    parser.add_argument("--clients", type=_counts, default=[1, 16], metavar="N,N,...",
                        help="comma-separated client thread counts (default 1,16)")
    parser.add_argument("--rounds", type=whole(0), default=7,
                        help="rounds of ping and query turn about for the query / ping ratio (0: from the table)")
    parser.add_argument("--before", default=BEFORE, metavar="REV",
                        help=f"the commit whose server the logons are compared with (default {BEFORE})")
    args = parser.parse_args()
    with exported(args.before) as source:
        return _run(args, source)


def _run(args: argparse.Namespace, source: Path | None) -> int:
    client_counts = args.clients
    process, dsn = start_server()
    oracle, oracle_dsn = start_server("--logon-rounds", str(ORACLE_ROUNDS))
    children = [process, oracle]
    before_name = None
    try:
        if source is None:
            print(f"git cannot export {args.before}: logons are compared with BEFORE_LOGONS, "
                  "figures measured on another run")
        else:
            then, then_dsn = start_server(source=source)
            children.append(then)
            before_name = f"logons/s (at {args.before})"
        print(f"server: {dsn} (separate process; logons with {ORACLE_ROUNDS} rounds: {oracle_dsn});"
              f" {args.duration:.1f} s per figure")
        header = "".join(f"{f'{n} client' + ('s' if n > 1 else ''):>14}" for n in client_counts)
        print(f"{'':28}{header}")
        plan = [(LOGONS if name == "logons/s" else name, scenario, process)
                for name, scenario in scenarios(dsn).items()]
        plan.insert(1, (ORACLE_LOGONS, scenarios(oracle_dsn)["logons/s"], oracle))
        if before_name is not None:
            plan.insert(0, (before_name, scenarios(then_dsn)["logons/s"], then))
        results: dict[str, list[float]] = {}
        for name, (setup, step, teardown), server in plan:
            measured = [measure(n, args.duration, setup, step, teardown, server.pid)
                        for n in client_counts]
            results[name] = [rate for rate, _ in measured]
            print(f"{name:28}" + "".join(f"{rate:14,.0f}" for rate, _ in measured), flush=True)
            print(f"{'  server CPU µs/op':28}" + "".join(
                f"{cpu:14,.0f}" if cpu is not None else f"{'-':>14}" for _, cpu in measured))
        named = scenarios(dsn)
        turns = turn_about(named["ping round trips/s"], named["small query round trips/s"], args.rounds,
                           args.duration / 2, process.pid)
        print()
        for line in ratios(results, client_counts, before_name, turns):
            print(line)
    finally:
        for child in children:
            child.send_signal(signal.SIGTERM)
            child.wait(10)
    if args.plot:
        show_chart(_plot.server(results, client_counts, args.plot))
    return 0


if __name__ == "__main__":
    sys.exit(main())
