"""Fixtures for the differential tests: Devart's own connector beside devart_oracle.

Devart's Python Connector for Oracle (``devart-oracle-connector``, in the
``test`` extra) runs the same scenarios as devart_oracle against one
embedded server. Its C extension holds the GIL while it waits on the
network, so the server, and the relay that records what each client sends,
run in child processes: in this process they would deadlock against it.

The tests are skipped, with the reason, when the connector cannot be
imported or its 30-day trial has run out.
"""

from __future__ import annotations

import json
import os
import pathlib
import selectors
import subprocess
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import IO, Any

import oracledb
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SERVICE = "FREEPDB1"
USER, PASSWORD = "scott", "tiger"
_START_TIMEOUT = 30.0
_REPLY_TIMEOUT = 10.0
_TRIAL_WORDS = ("trial", "expired", "licen", "register")


def _read_line(stream: IO[str], timeout: float, what: str) -> str:
    """One line from a child's stdout, or fail after ``timeout`` seconds."""
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        if not selector.select(timeout):
            raise RuntimeError(f"{what} said nothing in {timeout:.0f} s")
    line = stream.readline()
    if not line:
        raise RuntimeError(f"{what} exited before it was ready")
    return line.strip()


class Child:
    """A Python child process that announces itself on its first line."""

    def __init__(self, args: list[str], what: str) -> None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
        self.what = what
        self.proc = subprocess.Popen([sys.executable, *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        assert self.proc.stdout is not None
        self.first_line = _read_line(self.proc.stdout, _START_TIMEOUT, what)

    def stop(self) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        self.proc.terminate()
        try:
            self.proc.wait(_REPLY_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()


class Server(Child):
    """``python -m devart_oracle.testing serve`` on a free port."""

    def __init__(self) -> None:
        super().__init__(["-m", "devart_oracle.testing", "serve", "--port", "0", "--service", SERVICE,
                          "--sid", "FREE", "--user", f"{USER}/{PASSWORD}"], "the test server")
        self.port = int(self.first_line.rsplit(":", 1)[1].split("/")[0])

    def thin(self) -> oracledb.Connection:
        """A python-oracledb thin connection, to look at the server's side."""
        return oracledb.connect(user=USER, password=PASSWORD, dsn=f"127.0.0.1:{self.port}/{SERVICE}")

    def sessions(self) -> set[tuple[int, int]]:
        """(sid, serial#) of every session but the one asking."""
        with self.thin() as conn:
            rows = conn.cursor().execute(
                'select sid, "SERIAL#" from v$session '
                "where sid != sys_context('USERENV', 'SID')").fetchall()
        return {(int(sid), int(serial)) for sid, serial in rows}


class Relay(Child):
    """``relay.py``: a recording relay in front of the server."""

    def __init__(self, server: Server) -> None:
        super().__init__([str(pathlib.Path(__file__).with_name("relay.py")), str(server.port)], "the relay")
        self.port = int(self.first_line.split()[-1])

    def take(self) -> list[str]:
        """The requests clients sent through the relay since the last take."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("take\n")
        self.proc.stdin.flush()
        names: list[str] = json.loads(_read_line(self.proc.stdout, _REPLY_TIMEOUT, self.what))
        return names


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    child = Server()
    try:
        yield child
    finally:
        child.stop()


@pytest.fixture(scope="session")
def relay(server: Server) -> Iterator[Relay]:
    child = Relay(server)
    try:
        yield child
    finally:
        child.stop()


def connection_string(port: int, **extra: object) -> str:
    """A Devart connection string for the server at ``port``, plus ``extra``."""
    parts = [f"Direct=True;Host=127.0.0.1;Port={port};ServiceName={SERVICE}",
             f"UserName={USER};Password={PASSWORD}"]
    parts += [f"{key}={value}" for key, value in extra.items()]
    return ";".join(parts)


@pytest.fixture(scope="session")
def devart(server: Server) -> ModuleType:
    """Devart's connector, once it has logged on to the server (else the test is skipped)."""
    try:
        import devart.oracle as module
    except ImportError as exc:
        pytest.skip(f"devart-oracle-connector is not installed ({exc}): "
                    "pip install devart-oracle-connector, or the test extra")
    except Exception as exc:  # a licence check that fails at import
        _skip_if_trial_is_over(exc)
        raise
    try:
        module.connect(connection_string(server.port)).close()
    except module.Error as exc:
        _skip_if_trial_is_over(exc)
        raise
    return module


def _skip_if_trial_is_over(exc: BaseException) -> None:
    text = str(exc).strip()
    if any(word in text.lower() for word in _TRIAL_WORDS):
        pytest.skip(f"Devart's connector refuses to run (its 30-day trial has run out?): {text}")


@pytest.fixture
def pools(devart: ModuleType) -> Iterator[tuple[Any, Any]]:
    """Both module-level pools, enabled, with their settings restored afterwards."""
    import devart_oracle

    ours, theirs = devart_oracle.connection_pool, devart.connection_pool
    names = ("enabled", "max_size", "min_size", "lifetime", "validate")
    saved = [{name: getattr(pool, name) for name in names} for pool in (ours, theirs)]
    for pool in (ours, theirs):
        pool.enabled = True
    try:
        yield ours, theirs
    finally:
        for pool, values in zip((ours, theirs), saved):
            for name, value in values.items():
                setattr(pool, name, value)
