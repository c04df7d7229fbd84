"""Why a test of python-oracledb's connection and cursor files fails against the server.

:data:`RULES` maps a failing test (by its id and its failure line) to the
reason the expected-failures list gives for it; the first rule that matches
wins. ``python -m tests.compat.reasons RUN.json`` writes
``server_failures.tsv`` from a run saved with ``--save`` (keeping the
``hangs:`` and ``flaky:`` entries already listed), so that the list follows
the server as it grows; a failure no rule explains is written as
``unexplained: <failure line>``, which a test refuses.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Sequence
from pathlib import Path

from tests.compat import expected

# (test id pattern, failure line pattern, reason): searched, not matched whole.
RULES: tuple[tuple[str, str, str], ...] = (
    # whole files: features the server does not emulate
    (r"test_1800_subscription", "", ("continuous query notification and AQ (subscribe(), TTC "
     "functions 122 and 125) are not emulated")),
    # PL/SQL beyond the shapes clients send
    (r"", r"bind type 102", ("REF CURSOR binds (bind type 102: OPEN ... FOR, SYS_REFCURSOR "
     "parameters) are not emulated")),
    (r"test_cursor_27(20|25|32|33)", r"this declaration is not run", ("implicit results "
     "(DBMS_SQL.RETURN_RESULT of SYS_REFCURSOR locals) are not emulated")),
    (r"", r"DECLARE blocks", "PL/SQL DECLARE blocks (local variables) are not run by the server"),
    (r"test_cursor_2[23]09", r"ORA-01001", ("a REF CURSOR bind passed IN (to pkg_TestRefCursors."
     "TestInCursor, called from SQL) is not emulated: FETCH from it is ORA-01001")),
    (r"", r"PKG_TEST|pkg_Test|PKG_TESTLOBS", "PL/SQL packages (pkg_TestLOBs ...) are not emulated"),
    (r"", r"PLS-00201: identifier 'DBMS_PICKLER.GET_TYPE_SHAPE'", ("object types and PL/SQL "
     "collection types are not emulated (conn.gettype() calls DBMS_PICKLER.GET_TYPE_SHAPE)")),
    (r"test_cursor_1226|test_cursor_13\d\d", r"assert 0 == 3",
     "PL/SQL DECLARE blocks (local variables) are not run by the server"),
    # tables the runner does not create
    (r"test_cursor_10[3]\d|test_cursor_11[3]\d", r"ORA-00942", ("object types (TestObjects, "
     "UDT_OBJECT) are not emulated")),
    (r"test_cursor_22(19|20|21)|test_cursor_23(18|19|20)", r"ORA-00942", ("index-organized tables "
     "and universal rowids (TestUniversalRowids) are not emulated")),
    (r"", r"ORA-00942", ("a LOB table of the suite's schema (TestCLOBs, TestBLOBs, TestNCLOBs) is "
     "not created by the runner yet (LOB tables are the lob work's block of schema.py)")),
    # other server gaps
    (r"", r"XMLELEMENT", "XMLType is not emulated"),
    (r"test_cursor_18(21)|test_cursor_19(14)", "", ("cursor.lastrowid is not set by executemany() "
     "(Oracle gives the rowid of the last row inserted)")),
)


def reason(test: str, message: str) -> str:
    """The reason the list gives for ``test`` failing with ``message``."""
    for test_pattern, message_pattern, why in RULES:
        if re.search(test_pattern, test) and re.search(message_pattern, message):
            return why
    return f"unexplained: {message or 'no failure line'}"


def write(run: dict[str, object], path: Path = expected.LIST) -> int:
    """Write the list from a run saved by ``--save`` (its ``oracledb`` report); returns its size."""
    report = run["oracledb"]
    assert isinstance(report, dict)
    outcomes, messages = report["outcomes"], report["messages"]
    kept = {test: why for test, why in expected.load(path).items()
            if why.startswith((expected.HANGS, expected.FLAKY))} if path.is_file() else {}
    failing = {test: reason(test, messages.get(test, "")) for test, kind in sorted(outcomes.items())
               if kind in ("failed", "error") and test not in kept}
    lines = ["# python-oracledb's connection and cursor tests that fail against the embedded server,",
             "# with the reason: test id<TAB>reason (see tests/compat/expected.py and reasons.py).",
             *(f"{test}\t{why}" for test, why in sorted({**kept, **failing}.items()))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(kept) + len(failing)


def _run(path: Path, parser: argparse.ArgumentParser) -> dict[str, object]:
    """The run saved in ``path``, or an argparse error (exit 2) saying what is wrong with it."""
    try:
        run = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        parser.error(f"cannot read {path}: {error.strerror or error}")
    except ValueError as error:
        parser.error(f"{path} is not JSON ({error}): give a file written by python -m tests.compat --save")
    if not isinstance(run, dict) or not isinstance(run.get("oracledb"), dict):
        parser.error(f"{path} has no 'oracledb' run: save one with python -m tests.compat --mode oracledb --save")
    return run


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite the list from the run named on the command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.compat.reasons",
        description="Write server_failures.tsv from a run saved by python -m tests.compat --save.")
    parser.add_argument("run", type=Path, metavar="RUN.json", help="a run saved with --save")
    run = _run(parser.parse_args(argv).run, parser)
    print(f"{expected.LIST}: {write(run)} tests")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
