"""What the server allocates to move one large CLOB and BLOB, step by step.

The server runs in this process under ``tracemalloc``; the client (the real
python-oracledb, thin) runs in a child process, so that only the server's
allocations are traced. The child does one step per line it reads on its
standard input and answers ``done`` (or ``error: ...``): insert the CLOB and
the BLOB (bound as ``DB_TYPE_CLOB`` and ``DB_TYPE_BLOB``: python-oracledb
sends their data in the bind), fetch their locators, read each
whole, read a piece of each, delete the row. Before each step the peak is
reset; after it, :func:`measure` records the peak above what the server held
when the step began.

``python -m devart_oracle.testing.lob_memory`` prints the figures
(``bench/bench_lob_memory.py`` adds the RSS of a separate server process).
"""

from __future__ import annotations

import gc
import subprocess
import sys
import tracemalloc
from dataclasses import dataclass

from . import OracleTestServer

__all__ = ["STEPS", "Step", "measure"]

STEPS = ("insert", "fetch", "read clob", "read blob", "read pieces", "delete")

_CHILD = r"""
import sys, oracledb
dsn, size = sys.argv[1], int(sys.argv[2])
conn = oracledb.connect(user="scott", password="tiger", dsn=dsn)
conn.call_timeout = 60_000  # no step waits on the server for ever
k = conn.cursor()
text, data = "x" * size, bytes(range(256)) * (size // 256)
def step(name):
    global clob, blob
    if name == "insert":
        k.setinputsizes(None, oracledb.DB_TYPE_CLOB, oracledb.DB_TYPE_BLOB)
        k.execute("insert into big values (:1, :2, :3)", [1, text, data])
        conn.commit()
    elif name == "fetch":
        k.execute("select c, b from big where id = 1")
        clob, blob = k.fetchone()
        assert clob.size() == blob.size() == size
    elif name == "read clob":
        assert clob.read() == text
    elif name == "read blob":
        assert blob.read() == data
    elif name == "read pieces":
        assert clob.read(size - 2, 10) == text[:3] and blob.read(1, 3) == data[:3]
    elif name == "delete":
        del clob, blob
        k.execute("delete from big where id = 1")
        conn.commit()
print("ready", flush=True)
for line in sys.stdin:
    try:
        step(line.strip())
        print("done", flush=True)
    except Exception as exc:
        print("error:", repr(exc)[:300], flush=True)
"""


@dataclass(frozen=True)
class Step:
    """One step: the server's traced peak above its start, and what it still holds after."""

    name: str
    peak: int
    held: int


def _ask(child: subprocess.Popen[str], line: str) -> None:
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(line + "\n")
    child.stdin.flush()
    answer = child.stdout.readline().strip()
    if answer != "done":
        raise RuntimeError(f"the client's step {line!r} failed: {answer or 'no answer'}")


def measure(size: int, timeout: float = 120.0) -> list[Step]:
    """Run the steps with a ``size``-byte CLOB and BLOB; the server's figures per step.

    Raises:
        RuntimeError: a step failed in the client.
    """
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    try:
        with OracleTestServer(users={"scott": "tiger"}) as server:
            import oracledb
            with oracledb.connect(user="scott", password="tiger", dsn=server.dsn) as conn:
                conn.cursor().execute("create table big (id number primary key, c clob, b blob)")
            with subprocess.Popen([sys.executable, "-c", _CHILD, server.dsn, str(size)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as child:
                try:
                    assert child.stdout is not None and child.stdin is not None
                    if child.stdout.readline().strip() != "ready":
                        raise RuntimeError("the client did not connect")
                    return [_step(child, name) for name in STEPS]
                finally:
                    if child.stdin is not None:
                        child.stdin.close()
                    child.wait(timeout)
    finally:
        if started:
            tracemalloc.stop()


def _step(child: subprocess.Popen[str], name: str) -> Step:
    gc.collect()
    start, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    _ask(child, name)
    gc.collect()
    current, peak = tracemalloc.get_traced_memory()
    return Step(name, peak - start, current - start)


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10 * 1024 * 1024
    mb = 1024 * 1024
    print(f"server allocations (tracemalloc) moving a {size / mb:g} MB CLOB and a {size / mb:g} MB BLOB")
    for step in measure(size):
        print(f"  {step.name:12} peak {step.peak / mb:7.1f} MB  ({step.peak / size:4.1f}x)   "
              f"held after {step.held / mb:7.1f} MB")


if __name__ == "__main__":
    main()
