"""``python -m devart_oracle``: the demo, the connection-string inspector, the benchmarks.

    python -m devart_oracle demo            # pooled workload on the embedded server
    python -m devart_oracle parse "Direct=True;Host=db:1521/orcl;User ID=scott;Password=tiger"
    python -m devart_oracle bench --plot docs/img   # bench/*.py, one after another, with charts
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from . import ConnectionStringError, connect, connection_pool
from ._cli import names, plot_directory, seconds, whole, whole_numbers
from .connstring import parse

__all__ = ["main"]

BENCH = Path(__file__).resolve().parent.parent / "bench"  # in a source checkout
BENCHES = {"parse": "bench_parse.py", "connect": "bench_connect.py", "pools": "bench_pools.py",
           "server": "bench_server.py", "devart": "bench_devart.py"}
CHARTED = ("connect", "pools", "server", "devart")  # the scripts that take --plot


def _parse_command(text: str, parser: argparse.ArgumentParser) -> int:
    try:
        params = parse(text)
    except ConnectionStringError as exc:
        parser.error(str(exc))  # exits with status 2
    width = max(map(len, params))
    for name, value in params.items():
        shown = "***" if name == "Password" else value
        print(f"  {name:<{width}}  {shown!r}")
    print(f"pool id:      {params.pool_id}")
    print(f"fingerprint:  {params.fingerprint}")
    print("  (keyed by a secret drawn at start-up: equal within one process, different on every run)")
    return 0


def _progress(done: int, total: int, width: int = 40) -> None:
    """Redraw the progress bar; without a terminal, only the final count, once."""
    if not sys.stdout.isatty():
        if done == total:
            print(f"  {done}/{total} requests")
        return
    filled = width * done // total
    sys.stdout.write(f"\r  [{'#' * filled}{'.' * (width - filled)}] {done}/{total} requests")
    sys.stdout.flush()
    if done == total:
        print()


def _workload(text: str, threads: int, requests: int) -> float:
    """Threads that connect, query and close; returns the seconds it took."""
    done = [0]
    lock = threading.Lock()

    def worker(pool_id: int) -> None:
        for _ in range(requests):
            with connect(text, PoolId=pool_id) as conn:
                cursor = conn.cursor()
                cursor.execute("select sys_context('USERENV', 'SID'), sysdate from dual")
                cursor.fetchone()
            with lock:
                done[0] += 1

    workers = [threading.Thread(target=worker, args=(n % 2 + 1,)) for n in range(threads)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    total = threads * requests
    while any(w.is_alive() for w in workers):
        if done[0] < total:
            _progress(done[0], total)
        time.sleep(0.05)
    _progress(done[0], total)
    return time.perf_counter() - started


def _cycle_us(text: str, count: int, **params: object) -> float:
    connect(text, **params).close()  # warm up: the first connect of a pool logs on
    started = time.perf_counter()
    for _ in range(count):
        connect(text, **params).close()
    return (time.perf_counter() - started) / count * 1e6


def _print_stats() -> None:
    print(f"  {'pool':>4} {'user':<8} {'host':<10} {'opened':>6} {'idle':>5} {'busy':>5} {'created':>7} {'overflow':>8}  fingerprint")
    for s in connection_pool.stats():
        print(
            f"  {s.pool_id:>4} {s.user or '':<8} {s.host:<10} {s.opened:>6} {s.idle:>5} {s.busy:>5}"
            f" {s.created:>7} {s.destroyed['overflow']:>8}  {s.fingerprint[:16]}"
        )


def _autocommit(text: str) -> None:
    """Show that a write without ``commit()`` is kept, as with Devart's connector."""
    with connect(text) as conn:
        cursor = conn.cursor()
        cursor.execute("create table demo_autocommit (x number)")
        cursor.execute("insert into demo_autocommit values (1)")  # no commit()
    with connect(text, AutoCommit=False) as conn:
        conn.cursor().execute("insert into demo_autocommit values (2)")  # rolled back at close
    with connect(text) as conn:
        cursor = conn.cursor()
        cursor.execute("select count(*) from demo_autocommit")
        kept = cursor.fetchone()[0]
    print(f"autocommit: {kept} of 2 uncommitted inserts kept (on by default, as with Devart;"
          " AutoCommit=False turns it off)")


def _demo(threads: int, requests: int, logon_delay: float) -> int:
    from .testing import OracleTestServer

    with OracleTestServer(users={"scott": "tiger"}, service_name="FREEPDB1", logon_delay=logon_delay) as server:
        text = server.connection_string("scott")
        print(f"embedded server on {server.dsn} (logon delay {logon_delay * 1000:.0f} ms, like a remote database)")
        connection_pool.enabled = True
        connection_pool[1].max_size = 2
        print(f"{threads} threads x {requests} requests: connect, query, close (pools 1 and 2)")
        print("  pool 1 keeps at most 2 idle sessions (max_size=2): a surplus session is logged off on close")
        seconds = _workload(text, threads, requests)
        print(f"  {threads * requests / seconds:.0f} requests/s; the server saw {server.logons} logons")
        _print_stats()
        pooled = _cycle_us(text, 2000, PoolId=3)
        unpooled = _cycle_us(text, 10, DisablePooling=True)
        print(f"pooled connect()+close():   {pooled:10.1f} us")
        print(f"unpooled connect()+close(): {unpooled:10.1f} us")
        print(f"speed-up: {unpooled / pooled:.0f}x")
        _autocommit(text)
        connection_pool.clear()
    return 0


def bench_commands(args: argparse.Namespace) -> list[list[str]]:
    """The command line of each bench script that ``bench`` runs, in order."""
    commands = []
    for name in args.only:
        command = [sys.executable, str(BENCH / BENCHES[name])]
        if name == "server":
            command += ["--duration", str(args.duration), "--clients", ",".join(map(str, args.clients))]
        if args.plot is not None and name in CHARTED:
            command += ["--plot", str(args.plot)]
        commands.append(command)
    return commands


def _bench(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Run the bench scripts one after another, each in its own process; 1 if any failed."""
    if not BENCH.is_dir():
        parser.error(f"no bench/ scripts beside the package (looked in {str(BENCH)!r}): run from a source checkout")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(BENCH.parent), os.environ.get("PYTHONPATH")])))
    failed = []
    for command in bench_commands(args):
        script = Path(command[1]).name
        print(f"== {script} ==", flush=True)
        status = subprocess.run(command, env=env, check=False).returncode
        if status:
            failed.append(f"{script} (status {status})")
    if failed:
        print(f"bench: failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def _add_bench(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    bench = commands.add_parser("bench", help="run the benchmarks in bench/ (a source checkout), with charts")
    bench.add_argument("--plot", type=plot_directory, metavar="DIR",
                       help="write the PNG charts into DIR (needs matplotlib: the bench extra)")
    bench.add_argument("--only", type=names(list(BENCHES)), default=list(BENCHES), metavar="NAME,...",
                       help=f"run only these, in this order (default: {','.join(BENCHES)})")
    bench.add_argument("--duration", type=seconds(zero=False), default=2.0, metavar="SECONDS",
                       help="bench_server.py: seconds per figure (default 2)")
    bench.add_argument("--clients", type=whole_numbers(1), default=[1, 2, 4, 8, 16], metavar="N,N,...",
                       help="bench_server.py: client thread counts (default 1,2,4,8,16)")
    bench.set_defaults(command_parser=bench)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m devart_oracle")
    commands = parser.add_subparsers(dest="command", required=True)
    show = commands.add_parser("parse", help="show how a connection string is understood")
    show.add_argument("text", help="a Devart connection string")
    show.set_defaults(command_parser=show)
    demo = commands.add_parser("demo", help="a pooled workload on the embedded server")
    demo.add_argument("--threads", type=whole(1), default=8, help="worker threads (default 8)")
    demo.add_argument("--requests", type=whole(1), default=100, help="requests per thread (default 100)")
    demo.add_argument("--logon-delay", type=seconds(zero=True), default=0.02, metavar="SECONDS",
                      help="seconds added to each logon (default 0.02)")
    _add_bench(commands)
    args = parser.parse_args(argv)
    if args.command == "parse":
        return _parse_command(args.text, args.command_parser)
    if args.command == "bench":
        return _bench(args, args.command_parser)
    return _demo(args.threads, args.requests, args.logon_delay)


if __name__ == "__main__":
    sys.exit(main())
