"""The plugin's one-line summary of a failure."""

from __future__ import annotations

import pytest

from tests.compat.plugin import failure_line


def _report(longrepr: str) -> pytest.TestReport:
    return pytest.TestReport("t.py::test_a", ("t.py", 1, "test_a"), {}, "failed", longrepr, "call")


@pytest.mark.parametrize(
    ("longrepr", "line"),
    [
        ("ORA-00942: table or view does not exist\nHelp: https://docs.oracle.com/x", "ORA-00942: table or view does not exist"),
        ("ORA-06550: line 1, column 7:\nHelp: https://x\nPLS-00201: identifier 'P' must be declared\nmore",
         "ORA-06550: line 1, column 7: PLS-00201: identifier 'P' must be declared"),
        ("\n\n", ""),
        ("x" * 400, "x" * 300),
    ],
)
def test_the_failure_line_carries_the_cause(longrepr: str, line: str) -> None:
    assert failure_line(_report(longrepr)) == line
