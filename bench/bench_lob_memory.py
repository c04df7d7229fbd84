"""Server memory for a 10 MB CLOB and a 10 MB BLOB: peak RSS per step, and tracemalloc's view.

Part 0 runs ``--sessions`` concurrent sessions (3 by default) against a
fresh server in its own process, each inserting, fetching, reading and deleting
its own 10 MB CLOB and BLOB, and prints the peak RSS growth per session.
Part 1 runs the server as its own process and one python-oracledb session
against it, step by step (insert both, bound as DB_TYPE_CLOB/BLOB, fetch the locators,
read each whole, read pieces, delete); before each step the server's peak
RSS is reset (``/proc/PID/clear_refs``), after it the peak's growth over the
RSS at the start of the step is printed. Part 2 repeats the steps with the
server in this process under tracemalloc (Python allocations only: SQLite's
own memory is not traced) through ``devart_oracle.testing.lob_memory``.

    python bench/bench_lob_memory.py [--size BYTES] [--sessions N]
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import oracledb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import PASSWORD, USER, command_line, server_process

from devart_oracle.testing import lob_memory

MB = 1024 * 1024


def _status_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise LookupError(key)


def _server_pid() -> int:
    """The server this script started: its child running ``devart_oracle.testing serve``."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            parent = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (proc / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue
        if parent == os.getpid() and b"serve" in command:
            return int(proc.name)
    raise LookupError("the server process is not a child of this one")


def rss_steps(dsn: str, pid: int, size: int) -> list[tuple[str, float]]:
    """Peak RSS growth (bytes) of the server for each step."""
    figures = []
    conn = oracledb.connect(user=USER, password=PASSWORD, dsn=dsn)
    k = conn.cursor()
    k.execute("create table big (id number primary key, c clob, b blob)")
    text, data = "x" * size, bytes(range(256)) * (size // 256)
    lobs: list[oracledb.LOB] = []

    def insert() -> None:
        k.setinputsizes(None, oracledb.DB_TYPE_CLOB, oracledb.DB_TYPE_BLOB)
        k.execute("insert into big values (:1, :2, :3)", [1, text, data])
        conn.commit()

    def fetch() -> None:
        k.execute("select c, b from big where id = 1")
        lobs[:] = k.fetchone()

    def pieces() -> None:
        assert lobs[0].read(size - 2, 10) == text[:3] and lobs[1].read(1, 3) == data[:3]

    def delete() -> None:
        lobs.clear()
        k.execute("delete from big where id = 1")
        conn.commit()

    steps = [("insert", insert), ("fetch", fetch), ("read clob", lambda: lobs[0].read()),
             ("read blob", lambda: lobs[1].read()), ("read pieces", pieces), ("delete", delete)]
    for name, step in steps:
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # resets VmHWM to the current RSS
        start = _status_kb(pid, "VmRSS")
        step()
        figures.append((name, (_status_kb(pid, "VmHWM") - start) * 1024.0))
    conn.close()
    return figures


def _round_trip(dsn: str, key: int, size: int, errors: list[BaseException]) -> None:
    try:
        with oracledb.connect(user=USER, password=PASSWORD, dsn=dsn) as conn:
            k = conn.cursor()
            text, data = chr(ord("a") + key % 26) * size, bytes([key % 256]) * size
            k.setinputsizes(None, oracledb.DB_TYPE_CLOB, oracledb.DB_TYPE_BLOB)
            k.execute("insert into big values (:1, :2, :3)", [key, text, data])
            conn.commit()
            clob, blob = k.execute("select c, b from big where id = :1", [key]).fetchone()
            if clob.read() != text or blob.read() != data:
                raise AssertionError(f"session {key} read back other values")
            del clob, blob
            k.execute("delete from big where id = :1", [key])
            conn.commit()
    except BaseException as exc:  # reported by main()
        errors.append(exc)


def concurrent_growth(dsn: str, pid: int, size: int, sessions: int) -> float:
    """Peak RSS growth (bytes) of the server while ``sessions`` round trips run at once."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    start = _status_kb(pid, "VmRSS")
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_round_trip, args=(dsn, 1000 + n, size, errors)) for n in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    if errors:
        raise RuntimeError(f"a session failed: {errors[0]!r}")
    return (_status_kb(pid, "VmHWM") - start) * 1024.0


def main() -> None:
    parser = command_line(__doc__)
    parser.add_argument("--size", type=int, default=10 * MB, help="bytes of each LOB")
    parser.add_argument("--sessions", type=int, default=3, help="concurrent sessions of part 0")
    args = parser.parse_args()
    with server_process() as dsn:
        pid = _server_pid()
        with oracledb.connect(user=USER, password=PASSWORD, dsn=dsn) as conn:
            conn.cursor().execute("create table big (id number primary key, c clob, b blob)")
        together = concurrent_growth(dsn, pid, args.size, args.sessions)  # first: on a fresh heap
    with server_process() as dsn:
        pid = _server_pid()
        base = _status_kb(pid, "VmRSS")
        figures = rss_steps(dsn, pid, args.size)
        growth = (_status_kb(pid, "VmHWM") - base) * 1024
    print(f"server process, {args.sessions} concurrent sessions, each a {args.size / MB:g} MB CLOB and BLOB: "
          f"peak RSS growth {together / MB:.1f} MB, {together / args.sessions / MB:.1f} MB per session")
    print(f"server process, one session, a {args.size / MB:g} MB CLOB and BLOB: peak RSS growth per step")
    for name, grown in figures:
        print(f"  {name:12} {grown / MB:7.1f} MB  ({grown / args.size:4.1f}x one LOB)")
    print(f"  after the last step, RSS is {growth / MB:.1f} MB above the start (the allocator keeps freed pages)")
    print("in-process server, tracemalloc (Python allocations only)")
    for step in lob_memory.measure(args.size):
        print(f"  {step.name:12} peak {step.peak / MB:7.1f} MB  ({step.peak / args.size:4.1f}x)   "
              f"held after {step.held / MB:7.1f} MB")


if __name__ == "__main__":
    main()
