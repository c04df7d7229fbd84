"""A script that ends with servers, pools and connections still open exits.

Each scenario runs as a script in a subprocess with a timeout: before, the
interpreter never exited (a client's logoff in its finalizer waited for a
server thread that no longer ran, and the exit handler's logoffs behind a
stalled network had no timeout). The timeout is generous, for a loaded
machine: the bug was a hang for ever.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import devart_oracle

ROOT = Path(devart_oracle.__file__).resolve().parent.parent
#: Seconds a script may take in all (imports included) before it counts as hung.
HUNG = 60.0

SERVER = """
    import asyncio
    import oracledb
    import devart_oracle as do
    from devart_oracle.testing import FaultProxy, OracleTestServer

    server = OracleTestServer(users={"scott": "tiger"})
    proxy = FaultProxy(server.host, server.port)
    through = f"{proxy.host}:{proxy.port}/{server.service_name}"
    text = (f"Direct=True;Host={proxy.host};Port={proxy.port};"
            f"ServiceName={server.service_name};User Id=scott;Password=tiger")
"""

#: Idle sessions of connect() and of an explicit pool, then the network goes quiet.
STALLED = """
        do.connection_pool.enabled = True
        conns = [do.connect(text) for _ in range(3)]
        for conn in conns:
            conn.close()
        pool = do.create_pool(user="scott", password="tiger", dsn=through, min=2, max=2)
        pool.release(pool.acquire())
        proxy.deaf = True
"""

SCENARIOS = {
    "an unpooled python-oracledb connection": """
        conn = oracledb.connect(user="scott", password="tiger", dsn=server.dsn)
    """,
    "an unpooled devart_oracle connection": """
        conn = do.connect(text, DisablePooling=True)
    """,
    "pooled connections, busy and idle": """
        do.connection_pool.enabled = True
        held = do.connect(text)
        do.connect(text, PoolId=2).close()
    """,
    "an explicit pool with busy and idle sessions": """
        pool = do.create_pool(user="scott", password="tiger", dsn=through, min=3, max=4)
        held = pool.acquire()
    """,
    "idle pooled sessions behind a stalled network": STALLED,
    # The proxy stays deaf through the exit: the exit handler's logoffs time out.
    "a stalled network that outlives the script": """
        from devart_oracle.testing import _exit
        _exit._live[0].discard(proxy)
    """ + STALLED,
    "an asyncio pool and connection left open": """
        async def main():
            global pool, conn
            pool = do.create_pool_async(user="scott", password="tiger", dsn=through, min=1, max=2)
            await pool.release(await pool.acquire())
            conn = await oracledb.connect_async(user="scott", password="tiger", dsn=server.dsn)
        asyncio.run(main())
    """,
}


def _run(body: str) -> subprocess.CompletedProcess[str]:
    script = textwrap.dedent(SERVER) + textwrap.dedent(body) + '\nprint("end of script", flush=True)\n'
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script], capture_output=True, text=True, timeout=HUNG, env=env,
        cwd=ROOT,
    )


@pytest.mark.slow
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_a_script_that_leaves_things_open_exits(scenario: str) -> None:
    try:
        done = _run(SCENARIOS[scenario])
    except subprocess.TimeoutExpired as hung:
        pytest.fail(f"the interpreter did not exit within {HUNG:.0f} s ({scenario}): {hung.stdout!r}")
    assert "end of script" in done.stdout, done.stderr
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
