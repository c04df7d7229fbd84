"""Scale-out with DRCP: many client processes with pools against one server.

Runs the embedded server in its own process (``serve --pooled-servers``),
then 8 client processes, each with a pool of max 10 and 10 worker threads
(80 concurrent workers), each worker looping acquire, one small query,
release, for ``--duration`` seconds. Two configurations:

* dedicated: plain connections, one server session per pooled connection;
* DRCP: ``(SERVER=POOLED)`` with 16 pooled servers, cclass ``BENCH``,
  PURITY_SELF.

Reported per configuration: server-side sessions at their peak (sampled
from V$SESSION every 50 ms; with DRCP also V$CPOOL_STATS' HISTORIC_MAX),
cycles per second over all processes (and of the slowest process), p99 and max of the time a worker
waited in ``acquire()`` (ms), p99 of a whole cycle (with DRCP the wait for a
pooled server is in the cycle's first call, not in ``acquire()``), and the
errors workers saw. ``--pool``
picks the client pool: devart_oracle's ``create_pool`` (default) or
python-oracledb's. Bounded: every worker stops at the deadline, every wait
has a timeout.

Usage: ``python bench/bench_drcp.py [--duration 5] [--processes 8] [--pool devart|oracledb]``.
"""

from __future__ import annotations

import json
import multiprocessing
import re
import subprocess
import sys
import threading
import time
from typing import Any

import oracledb
from _harness import command_line

from devart_oracle._cli import seconds, whole

USER, PASSWORD = "scott", "tiger"
POOLED_SERVERS, POOL_MAX, WORKERS_PER_PROCESS = 16, 10, 10


def start_server(pooled: int) -> tuple[subprocess.Popen[str], str]:
    """The server in a child process; returns it and its DSN."""
    command = [sys.executable, "-m", "devart_oracle.testing", "serve", "--port", "0",
               "--user", f"{USER}/{PASSWORD}", "--pooled-servers", str(pooled),
               "--pooled-wait-timeout", "10"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    match = re.search(r"listening on (\S+)", process.stdout.readline())
    if match is None:
        process.kill()
        raise SystemExit("server did not start")
    return process, match.group(1)


def client(spec: dict[str, Any], results: Any, ready: Any, go: Any) -> None:
    """One client process: a pool and its worker threads until the deadline."""
    import devart_oracle

    create = devart_oracle.create_pool if spec["pool"] == "devart" else oracledb.create_pool
    extra = {"cclass": "BENCH", "purity": oracledb.PURITY_SELF} if spec["drcp"] else {}
    pool = create(user=USER, password=PASSWORD, dsn=spec["dsn"], min=0, max=POOL_MAX, increment=1,
                  getmode=oracledb.POOL_GETMODE_TIMEDWAIT, wait_timeout=15000, **extra)
    waits: list[float] = []
    cycle_times: list[float] = []
    counts = {"cycles": 0, "errors": 0}
    lock = threading.Lock()

    def work() -> None:
        while time.time() < deadline:
            started = time.perf_counter()
            try:
                with pool.acquire() as conn:
                    waited = time.perf_counter() - started
                    with conn.cursor() as cursor:
                        cursor.execute("select 1 from dual")
                        cursor.fetchone()
            except oracledb.Error:
                with lock:
                    counts["errors"] += 1
                continue
            with lock:
                waits.append(waited)
                cycle_times.append(time.perf_counter() - started)
                counts["cycles"] += 1

    ready.put(1)
    go.wait(120)
    deadline = time.time() + spec["duration"]
    threads = [threading.Thread(target=work) for _ in range(WORKERS_PER_PROCESS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(spec["duration"] + 60)
    pool.close()
    results.put(json.dumps({**counts, "waits": waits, "cycles_s": cycle_times}))


def sample(dsn: str, drcp: bool, stop: threading.Event, peak: dict[str, int]) -> None:
    """Peak server-side sessions: V$SESSION (less this one), and V$CPOOL_STATS with DRCP."""
    with oracledb.connect(user=USER, password=PASSWORD, dsn=dsn) as conn, conn.cursor() as cursor:
        while not stop.wait(0.05):
            cursor.execute("select count(*) from v$session")
            peak["sessions"] = max(peak["sessions"], cursor.fetchone()[0] - 1)
        if drcp:
            cursor.execute("select historic_max, num_hits, num_misses, num_waits from v$cpool_stats")
            peak["historic_max"], peak["hits"], peak["misses"], peak["waits"] = cursor.fetchone()


def run(drcp: bool, args: Any) -> dict[str, Any]:
    process, dsn = start_server(POOLED_SERVERS if drcp else 0)
    try:
        context = multiprocessing.get_context("spawn")
        results, ready, go = context.Queue(), context.Queue(), context.Event()
        spec = {"dsn": dsn + (":pooled" if drcp else ""), "drcp": drcp, "pool": args.pool,
                "duration": args.duration}
        procs = [context.Process(target=client, args=(spec, results, ready, go))
                 for _ in range(args.processes)]
        for proc in procs:
            proc.start()
        for _ in procs:  # every process has imported and made its pool: all start together
            ready.get(timeout=120)
        go.set()
        stop, peak = threading.Event(), {"sessions": 0}
        sampler = threading.Thread(target=sample, args=(dsn, drcp, stop, peak))
        sampler.start()
        outcomes = [json.loads(results.get(timeout=args.duration + 120)) for _ in procs]
        for proc in procs:
            proc.join(30)
        stop.set()
        sampler.join(30)
    finally:
        process.terminate()
        process.wait(30)
    waits = sorted(w for o in outcomes for w in o["waits"])
    times = sorted(t for o in outcomes for t in o["cycles_s"])
    cycles = sum(o["cycles"] for o in outcomes)
    p99 = _p99(waits)
    return {"peak": peak, "throughput": cycles / args.duration, "p99_ms": p99,
            "least": min(o["cycles"] for o in outcomes) / args.duration, "cycle_p99_ms": _p99(times),
            "max_ms": (waits[-1] * 1000 if waits else float("nan")),
            "errors": sum(o["errors"] for o in outcomes)}


def _p99(values: list[float]) -> float:
    """The 99th percentile of sorted seconds, in milliseconds."""
    return values[max(0, int(len(values) * 0.99) - 1)] * 1000 if values else float("nan")


def main() -> None:
    parser = command_line(__doc__)
    parser.add_argument("--duration", type=seconds(zero=False), default=5.0, help="seconds per configuration")
    parser.add_argument("--processes", type=whole(1), default=8, help="client processes (default 8)")
    parser.add_argument("--pool", choices=("devart", "oracledb"), default="devart",
                        help="the client pool: devart_oracle.create_pool or oracledb.create_pool")
    args = parser.parse_args()
    print(f"{args.processes} processes x pool max {POOL_MAX} x {WORKERS_PER_PROCESS} workers, "
          f"{args.pool} pools, {args.duration:.1f} s each")
    for drcp in (False, True):
        name = f"DRCP ({POOLED_SERVERS} pooled servers)" if drcp else "dedicated"
        r = run(drcp, args)
        print(f"{name:28} peak server sessions {r['peak']['sessions']:3}  "
              f"throughput {r['throughput']:7.0f}/s  acquire wait p99 {r['p99_ms']:7.1f} ms "
              f"max {r['max_ms']:7.1f} ms  cycle p99 {r['cycle_p99_ms']:7.1f} ms  slowest process {r['least']:5.0f}/s  errors {r['errors']}"
              + (f"  cpool {json.dumps({k: v for k, v in r['peak'].items() if k != 'sessions'})}"
                 if drcp else ""), flush=True)


if __name__ == "__main__":
    main()
