"""Throughput of the embedded Oracle test server, as python-oracledb sees it.

Starts ``python -m devart_oracle.testing serve`` on a free port in its own
process, then measures from this process, with 1 and 16 client threads:

* logons per second (connect + close, a full O5LOGON each time);
* round trips per second for ``ping()``;
* round trips per second for a small query (``select 1 from dual``,
  re-executed with fetch in one round trip once the statement is cached).

Usage: ``python bench/bench_server.py [--duration 2] [--clients 1,16] [--plot DIR]``.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable

import _plot
import oracledb
from _harness import command_line, show_chart

from devart_oracle._cli import seconds, whole

USER, PASSWORD = "scott", "tiger"


def start_server() -> tuple[subprocess.Popen[str], str]:
    """Run the server in a child process; returns it and its DSN."""
    process = subprocess.Popen(
        [sys.executable, "-m", "devart_oracle.testing", "serve", "--port", "0",
         "--user", f"{USER}/{PASSWORD}"],
        stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    match = re.search(r"listening on (\S+)", line)
    if match is None:
        process.kill()
        raise SystemExit(f"server did not start: {line!r}")
    return process, match.group(1)


def measure(clients: int, duration: float, setup: Callable[[], object],
            step: Callable[[object], None], teardown: Callable[[object], None]) -> float:
    """Operations per second of ``step`` run by ``clients`` threads."""
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
    began = time.perf_counter()
    time.sleep(duration)
    stop.set()
    elapsed = time.perf_counter() - began
    for thread in threads:
        thread.join()
    return sum(counts) / elapsed


def scenarios(dsn: str) -> dict[str, tuple[Callable[[], object], Callable[[object], None],
                                            Callable[[object], None]]]:
    def connect() -> oracledb.Connection:
        return oracledb.connect(user=USER, password=PASSWORD, dsn=dsn)

    def logon(_: object) -> None:
        connect().close()

    def ping(conn: object) -> None:
        assert isinstance(conn, oracledb.Connection)
        conn.ping()

    def query(conn: object) -> None:
        assert isinstance(conn, oracledb.Connection)
        with conn.cursor() as cursor:
            cursor.execute("select 1 from dual")
            cursor.fetchall()

    def close(conn: object) -> None:
        if isinstance(conn, oracledb.Connection):
            conn.close()

    return {
        "logons/s": (lambda: None, logon, close),
        "ping round trips/s": (connect, ping, close),
        "small query round trips/s": (connect, query, close),
    }


def _counts(text: str) -> list[int]:
    return [whole(1)(part) for part in text.split(",")]


def main() -> int:
    parser = command_line(__doc__, charts=("server.png",))
    parser.add_argument("--duration", type=seconds(zero=False), default=2.0, help="seconds per measurement")
    parser.add_argument("--clients", type=_counts, default=[1, 16], metavar="N,N,...",
                        help="comma-separated client thread counts (default 1,16)")
    args = parser.parse_args()
    client_counts = args.clients
    process, dsn = start_server()
    try:
        print(f"server: {dsn} (separate process); {args.duration:.1f} s per figure")
        header = "".join(f"{f'{n} client' + ('s' if n > 1 else ''):>14}" for n in client_counts)
        print(f"{'':28}{header}")
        rates = {}
        for name, (setup, step, teardown) in scenarios(dsn).items():
            figures = rates[name] = [measure(n, args.duration, setup, step, teardown) for n in client_counts]
            print(f"{name:28}" + "".join(f"{figure:14,.0f}" for figure in figures), flush=True)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(10)
    if args.plot:
        show_chart(_plot.server(rates, client_counts, args.plot))
    return 0


if __name__ == "__main__":
    sys.exit(main())
