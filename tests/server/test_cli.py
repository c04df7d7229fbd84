"""``python -m devart_oracle.testing serve``."""

from __future__ import annotations

import re
import signal
import subprocess
import sys

import oracledb
import pytest


def _serve(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "devart_oracle.testing", "serve", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_serve_prints_where_and_stops_cleanly(signum: int) -> None:
    process = _serve("--port", "0", "--user", "scott/tiger", "--user", "alice/s;cret", "--service", "TESTPDB")
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        dsn = re.fullmatch(r"listening on (127\.0\.0\.1:\d+/TESTPDB)\n", first).group(1)  # type: ignore[union-attr]
        lines = [process.stdout.readline() for _ in range(4)]
        port = dsn.split(":")[1].split("/")[0]
        assert f"Direct=True;Host=127.0.0.1;Port={port};ServiceName=TESTPDB;UserName=scott;Password=tiger\n" \
            in lines[1]
        assert 'Password="s;cret"' in lines[3]
        with oracledb.connect(user="scott", password="tiger", dsn=dsn) as conn:
            conn.ping()
    finally:
        process.send_signal(signum)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert out.endswith("stopped\n")


@pytest.mark.parametrize("rounds", ["0", "-1", "many"])
def test_serve_rejects_logon_rounds_below_one(rounds: str) -> None:
    process = _serve("--port", "0", "--user", "scott/tiger", "--logon-rounds", rounds)
    _, err = process.communicate(timeout=20)
    assert process.returncode == 2
    assert f"argument --logon-rounds: expected a whole number of at least 1, got {rounds!r}" in err


def test_serve_rejects_a_malformed_user() -> None:
    process = _serve("--port", "0", "--user", "scott")
    _, err = process.communicate(timeout=20)
    assert process.returncode == 2
    assert "USER/PASSWORD" in err
