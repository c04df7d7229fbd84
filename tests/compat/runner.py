"""Run python-oracledb's own tests against the embedded server, once per pool.

``python -m tests.compat`` runs the suite's pool files twice against a fresh
:class:`~devart_oracle.testing.OracleTestServer` each time: with
python-oracledb's own pools, then with devart_oracle's in their place. It
prints the counts of both runs and the tests that pass with python-oracledb's
pool and not with ours.

Exit status: 0 when every run collected and finished, whatever the counts
(the failures are known and listed in docs/compat.md); 2 when the runner itself
broke (no download, no server, nothing collected, a run that crashed or ran
out of time; a single test that hangs only fails); 1 with ``--strict`` when a test passes with python-oracledb's
pool only.

``--server-files`` runs python-oracledb's connection and cursor files instead
(they test the server, not the pool), and ``--expect`` checks the outcomes
against the list of expected failures (:mod:`tests.compat.expected`): exit
status 1 when a test outside the list fails or a listed one does not.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import oracledb

from devart_oracle.testing import OracleTestServer
from tests.compat import expected, schema
from tests.compat.outcomes import format_counts, regressions
from tests.compat.sdist import SuiteUnavailable, suite_root

POOL_FILES = ("tests/pool/test_1000_pool.py", "tests/pool/test_1100_pool_async.py",
              "tests/misc/test_1400_pool_params.py")
#: python-oracledb's connection and cursor files but three that need pyarrow
#: (direct path loads, external OCI statements: see docs/testing-server.md).
SERVER_FILES = tuple(f"tests/{name}.py" for name in (
    "connection/test_1000_basic", "connection/test_1100_basic_async",
    "connection/test_1200_pipelining_async", "connection/test_1300_shortcut_methods_async",
    "connection/test_1400_tpc", "connection/test_1500_tpc_async",
    "connection/test_1600_sessionless_transaction", "connection/test_1700_sessionless_transaction_async",
    "connection/test_1800_subscription", "connection/test_1900_externalauth",
    "cursor/test_1000_execute", "cursor/test_1100_execute_async", "cursor/test_1200_executemany",
    "cursor/test_1300_executemany_async", "cursor/test_1400_callproc", "cursor/test_1500_callproc_async",
    "cursor/test_1600_scroll", "cursor/test_1700_scroll_async", "cursor/test_1800_other",
    "cursor/test_1900_other_async", "cursor/test_2000_var", "cursor/test_2100_arrayvar",
    "cursor/test_2200_dml_returning", "cursor/test_2300_dml_returning_async",
    "cursor/test_2400_sql_parser", "cursor/test_2500_type_changes", "cursor/test_2700_features_12_1"))
MODES = ("oracledb", "devart")
REPO = Path(__file__).resolve().parents[2]


class RunBroken(RuntimeError):
    """A run produced no usable outcomes: the runner, not a test, failed."""


def _users() -> dict[str, str]:
    """The suite's three users (main, proxy, admin) with fresh passwords."""
    return {name: secrets.token_urlsafe(12) for name in ("pythontest", "pythontestproxy", "admin")}


def suite_env(server: OracleTestServer, users: dict[str, str], mode: str, report: Path) -> dict[str, str]:
    """The environment of one suite run: the suite's PYO_TEST_* variables and ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYO_TEST_")}
    env.update(PYO_TEST_MAIN_USER="pythontest", PYO_TEST_MAIN_PASSWORD=users["pythontest"],
               PYO_TEST_PROXY_USER="pythontestproxy", PYO_TEST_PROXY_PASSWORD=users["pythontestproxy"],
               PYO_TEST_ADMIN_USER="admin", PYO_TEST_ADMIN_PASSWORD=users["admin"],
               PYO_TEST_CONNECT_STRING=server.dsn, PYO_TEST_EDITION_NAME=schema.EDITION, DEVART_COMPAT_POOL=mode,
               DEVART_COMPAT_REPORT=str(report))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def run_mode(root: Path, mode: str, args: argparse.Namespace, log: Path) -> dict[str, Any]:
    """One run of ``args.files`` against a fresh server; returns the plugin's report.

    A test that runs over ``args.test_timeout`` seconds fails (pytest-timeout),
    so one hang costs one test, not the run; the run as a whole is bounded by
    ``args.run_timeout``.

    Raises:
        RunBroken: the run timed out, crashed or collected nothing.
    """
    users = _users()
    report = log.with_suffix(".json")
    report.unlink(missing_ok=True)
    with OracleTestServer(users=users) as server:
        with oracledb.connect(user="pythontest", password=users["pythontest"], dsn=server.dsn) as conn:
            schema.create(conn.cursor())
        command = [sys.executable, "-m", "pytest", "-p", "tests.compat.plugin", "-p", "no:cacheprovider",
                   "-q", "-rfE", f"--timeout={args.test_timeout:g}", "--timeout-method=signal", *args.files]
        command += [f"--deselect={test}" for test in args.deselect]
        with open(log, "w", encoding="utf-8") as out:
            try:
                done = subprocess.run(command, cwd=root, env=suite_env(server, users, mode, report),
                                      stdout=out, stderr=subprocess.STDOUT, timeout=args.run_timeout)
            except subprocess.TimeoutExpired:
                raise RunBroken(f"the {mode} run took over {args.run_timeout:g} s (log: {log})") from None
    return _report(mode, done.returncode, report, log)


def _report(mode: str, status: int, report: Path, log: Path) -> dict[str, Any]:
    """The run's report, checked: pytest finished (0 or 1) and collected something."""
    if status not in (0, 1) or not report.is_file():
        raise RunBroken(f"the {mode} run ended with pytest status {status} (log: {log})")
    document: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    if not document["outcomes"]:
        raise RunBroken(f"the {mode} run collected no tests (log: {log})")
    return document


def summary(reports: dict[str, dict[str, Any]]) -> list[str]:
    """The lines printed after the runs: counts, the setup shim, the regressions."""
    lines = [format_counts(mode, report["outcomes"]) for mode, report in reports.items()]
    shim = sorted({name for report in reports.values() for name in report["shim"]})
    lines.append(f"setup shim answered: {', '.join(shim)}" if shim else "setup shim: not needed (the server answered)")
    if "oracledb" in reports and "devart" in reports:
        ours, theirs = reports["devart"], reports["oracledb"]
        lines += _listed("pass with python-oracledb's pool, not with devart_oracle's", theirs, ours)
        lines += _listed("pass with devart_oracle's pool, not with python-oracledb's", ours, theirs)
    return lines


def _listed(title: str, passing: dict[str, Any], failing: dict[str, Any]) -> list[str]:
    """A title with the count, then one indented line per test with its failure line."""
    lost = regressions(passing["outcomes"], failing["outcomes"])
    why = [failing["messages"].get(test, failing["outcomes"].get(test, "not run")) for test in lost]
    return [f"{title}: {len(lost)}", *(f"  {test}: {message}" for test, message in zip(lost, why))]


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.compat", description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", default=list(POOL_FILES), help="suite files, relative to the sdist")
    parser.add_argument("--mode", choices=(*MODES, "both"), default="both", help="whose pools to run")
    parser.add_argument("--run-timeout", type=float, default=240.0, help="seconds allowed per run")
    parser.add_argument("--test-timeout", type=float, default=60.0, help="seconds allowed per test")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a test passes with python-oracledb's pool only")
    parser.add_argument("--save", type=Path, help="write every test's outcome per mode to this JSON file")
    parser.add_argument("--server-files", action="store_true",
                        help="run the connection and cursor files (SERVER_FILES) instead of FILES")
    parser.add_argument("--expect", type=Path, metavar="LIST",
                        help="exit 1 unless the failures are exactly those LIST names (server_failures.tsv)")
    args = parser.parse_args(argv)
    if args.server_files:
        args.files = list(SERVER_FILES)
    try:
        args.entries = expected.load(args.expect) if args.expect else {}
    except (OSError, ValueError) as error:
        parser.error(f"argument --expect: cannot read {args.expect}: {error}")
    args.deselect = expected.deselected(args.entries)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the suite once per mode, print the summary; returns the exit status."""
    args = _arguments(argv)
    modes = MODES if args.mode == "both" else (args.mode,)
    try:
        root = suite_root()
        logs = Path(tempfile.mkdtemp(prefix="devart-compat-"))
        reports = {mode: run_mode(root, mode, args, logs / f"{mode}.log") for mode in modes}
    except (SuiteUnavailable, RunBroken, OSError, oracledb.Error) as error:
        print(f"compat runner broke: {error}", file=sys.stderr)
        return 2
    lines = summary(reports)
    print("\n".join(["python-oracledb's own tests against the embedded server", *lines, f"logs: {logs}"]))
    if args.save:
        args.save.write_text(json.dumps(reports, indent=1), encoding="utf-8")
    lost = "oracledb" in reports and "devart" in reports and regressions(
        reports["oracledb"]["outcomes"], reports["devart"]["outcomes"])
    mismatched = False
    for mode, report in reports.items() if args.expect else ():
        mismatch = expected.check(args.entries, report["outcomes"], report["messages"], args.files)
        print("\n".join(f"{mode}: {line}" for line in mismatch.lines()))
        mismatched = mismatched or bool(mismatch)
    return 1 if mismatched or args.strict and lost else 0
