"""Bad input to any command line: an argparse-style message, status 2, no traceback."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from devart_oracle.__main__ import main as devart_main
from devart_oracle.testing.__main__ import main as serve_main

BENCH = Path(__file__).resolve().parents[2] / "bench"
Main = Callable[[Sequence[str]], int]


def _refused(main: Main, argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run a main() that must refuse ``argv``; return its stderr."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    err = capsys.readouterr().err
    assert info.value.code == 2, err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["demo", "--requests", "0"], "argument --requests: expected a whole number of at least 1, got '0'"),
        (["demo", "--threads", "-1"], "argument --threads: expected a whole number of at least 1, got '-1'"),
        (["demo", "--threads", "many"], "argument --threads: expected a whole number of at least 1, got 'many'"),
        (["demo", "--logon-delay", "-1"], "argument --logon-delay: expected a number of seconds at least 0"),
        (["demo", "--logon-delay", "nan"], "argument --logon-delay: expected a number of seconds at least 0"),
        (["parse", "Host=db;Port=0"], "parse: error: invalid value '0' for 'Port'"),
    ],
)
def test_devart_oracle_refuses_bad_input(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert message in _refused(devart_main, argv, capsys)


def test_parse_hides_a_password_written_after_a_forgotten_semicolon(capsys: pytest.CaptureFixture[str]) -> None:
    err = _refused(devart_main, ["parse", "Host=db;User Id=scott Password=S3cr3t"], capsys)
    assert "S3cr" not in err and "User Id=***" in err


def test_parse_says_why_the_fingerprint_differs_between_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert devart_main(["parse", "Host=db;Password=S3cr3t"]) == 0
    out = capsys.readouterr().out
    assert "S3cr" not in out
    assert "different on every run" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--port", "99999"], "argument --port: expected a port from 0 to 65535 (0 picks a free one), got '99999'"),
        (["--port", "-5"], "argument --port: expected a port from 0 to 65535"),
        (["--logon-delay", "-1"], "argument --logon-delay: expected a number of seconds at least 0, got '-1'"),
        (["--connect-timeout", "0"], "argument --connect-timeout: expected a number of seconds above 0, got '0'"),
        (["--user", "/S3cr3t"], "argument --user: expected USER/PASSWORD, got nothing before '/'"),
        (["--user", "scott/"], "got no password after 'scott/'"),
        (["--user", "scott/a", "--user", "scott/b"], "serve: error: --user 'scott' given twice"),
        (["--user", "scott/a", "--user", "SCOTT/b"], "'scott' and 'SCOTT' are the same user"),
        (["--service", " "], "service_name must not be empty or blank"),
    ],
)
def test_serve_refuses_bad_input(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    if "--user" not in argv:
        argv = [*argv, "--user", "scott/tiger"]
    err = _refused(serve_main, ["serve", "--port", "0", *argv], capsys)
    assert message in err
    assert "S3cr" not in err


@contextlib.contextmanager
def _taken_port() -> Iterator[int]:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        yield listener.getsockname()[1]


def test_serve_on_a_port_in_use_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    with _taken_port() as port:
        err = _refused(serve_main, ["serve", "--port", str(port), "--user", "scott/tiger"], capsys)
    assert f"serve: error: cannot listen on 127.0.0.1:{port}: address already in use" in err
    assert "pick another --port" in err


@pytest.mark.parametrize(("content", "message"), [(None, "unable to open database file"),
                                                  (b"not sqlite" * 20, "file is not a database")])
def test_serve_on_an_unusable_database_file_says_so(
    tmp_path: Path, content: bytes | None, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "db.sqlite" if content is not None else tmp_path / "missing" / "db.sqlite"
    if content is not None:
        path.write_bytes(content)
    err = _refused(serve_main, ["serve", "--port", "0", "--user", "scott/tiger", "--database", str(path)], capsys)
    assert f"serve: error: cannot use --database {str(path)!r}: {message}" in err


def _run(args: list[str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=timeout)


def test_demo_without_a_terminal_prints_no_carriage_returns() -> None:
    done = _run(["-m", "devart_oracle", "demo", "--threads", "2", "--requests", "3", "--logon-delay", "0"])
    assert done.returncode == 0, done.stderr
    assert "\r" not in done.stdout
    assert "  6/6 requests\n" in done.stdout


BENCHES = ["bench_parse.py", "bench_connect.py", "bench_pools.py", "bench_server.py", "fuzz_connstring.py"]


@pytest.mark.parametrize("script", BENCHES)
def test_bench_scripts_answer_help_and_refuse_stray_arguments(script: str) -> None:
    helped = _run([str(BENCH / script), "--help"])
    assert helped.returncode == 0 and helped.stdout.startswith("usage:"), helped.stderr
    stray = _run([str(BENCH / script), "--bogus"])
    assert stray.returncode == 2 and "unrecognized arguments: --bogus" in stray.stderr


@pytest.mark.parametrize(
    ("script", "argv", "message"),
    [
        ("bench_server.py", ["--clients", "1,x"], "argument --clients: expected a whole number of at least 1, got 'x'"),
        ("bench_server.py", ["--duration", "0"], "argument --duration: expected a number of seconds above 0"),
        ("fuzz_connstring.py", ["--count", "0"], "argument --count: expected a whole number of at least 1"),
    ],
)
def test_bench_scripts_refuse_bad_values(script: str, argv: list[str], message: str) -> None:
    done = _run([str(BENCH / script), *argv])
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


def test_fuzz_runs_a_few_inputs() -> None:
    done = _run([str(BENCH / "fuzz_connstring.py"), "--count", "200", "--seed", "1"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "200 inputs" in done.stdout and "0 password leaks" in done.stdout
