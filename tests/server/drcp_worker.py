"""One client process of the DRCP tests: a pool, threads that acquire and release.

Run as ``python drcp_worker.py JSON``; prints one JSON line: the number of
cycles done and the session ids seen. The JSON names the pool's kind
(``oracledb`` or ``devart``), dsn, user, password, cclass, purity (NEW or
SELF), min, max, threads and rounds. Bounded: rounds x threads cycles, and
the pool's own wait timeout.
"""

from __future__ import annotations

import json
import sys
import threading
from typing import Any

import oracledb

import devart_oracle


def _pool(spec: dict[str, Any]) -> Any:
    create = oracledb.create_pool if spec["kind"] == "oracledb" else devart_oracle.create_pool
    purity = oracledb.PURITY_NEW if spec["purity"] == "NEW" else oracledb.PURITY_SELF
    return create(user=spec["user"], password=spec["password"], dsn=spec["dsn"], min=spec["min"],
                  max=spec["max"], increment=1, cclass=spec["cclass"], purity=purity,
                  getmode=oracledb.POOL_GETMODE_TIMEDWAIT, wait_timeout=20000)


def main() -> None:
    spec = json.loads(sys.argv[1])
    pool = _pool(spec)
    done: list[int] = []
    sids: set[int] = set()
    lock = threading.Lock()

    def work() -> None:
        for i in range(spec["rounds"]):
            with pool.acquire() as conn, conn.cursor() as cursor:
                cursor.execute("select :n, sys_context('userenv', 'sid') from dual", n=i)
                value, sid = cursor.fetchone()
                assert value == i
            with lock:
                done.append(1)
                sids.add(int(sid))

    threads = [threading.Thread(target=work) for _ in range(spec["threads"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    pool.close()
    print(json.dumps({"done": len(done), "sids": sorted(sids)}), flush=True)


if __name__ == "__main__":
    main()
