"""The expected-failures list of the connection and cursor files, and its check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.compat import expected, reasons
from tests.compat.runner import SERVER_FILES, _arguments

DOCS = Path(__file__).resolve().parents[2] / "docs" / "testing-server.md"
FILE = "tests/cursor/test_1000_execute.py"


def _entries(**reasons: str) -> dict[str, str]:
    return {f"{FILE}::{name}": reason for name, reason in reasons.items()}


def test_a_listed_failure_and_unlisted_passes_match() -> None:
    entries = _entries(test_a="no REF cursors")
    outcomes = {f"{FILE}::test_a": "failed", f"{FILE}::test_b": "passed", f"{FILE}::test_c": "skipped"}
    assert not expected.check(entries, outcomes, {}, [FILE])


def test_an_unlisted_failure_is_unexpected() -> None:
    outcomes = {f"{FILE}::test_a": "failed", f"{FILE}::test_b": "error"}
    mismatch = expected.check({}, outcomes, {f"{FILE}::test_a": "ORA-00942"}, [FILE])
    assert mismatch.unexpected == ((f"{FILE}::test_a", "ORA-00942"), (f"{FILE}::test_b", "error"))
    assert mismatch.lines()[0] == "failed, not in server_failures.tsv: 2"


@pytest.mark.parametrize(("outcome", "shown"), [("passed", "passed"), ("skipped", "skipped"),
                                                 (None, "not collected")])
def test_a_listed_test_that_did_not_fail_is_stale(outcome: str | None, shown: str) -> None:
    outcomes = {} if outcome is None else {f"{FILE}::test_a": outcome}
    mismatch = expected.check(_entries(test_a="no REF cursors"), outcomes, {}, [FILE])
    assert mismatch.stale == ((f"{FILE}::test_a", shown),)


def test_entries_of_files_not_run_are_ignored() -> None:
    assert not expected.check(_entries(test_a="no REF cursors"), {}, {}, ["tests/cursor/other.py"])


def test_hanging_tests_are_deselected_and_flaky_ones_either_way() -> None:
    entries = _entries(test_h="hangs: waits for a notification", test_f="flaky: timing")
    assert expected.deselected(entries) == [f"{FILE}::test_h"]
    for outcome in ("passed", "failed"):
        assert not expected.check(entries, {f"{FILE}::test_f": outcome}, {}, [FILE])
    mismatch = expected.check(entries, {f"{FILE}::test_h": "failed", f"{FILE}::test_f": "passed"}, {}, [FILE])
    assert mismatch.stale and "should not have run" in mismatch.stale[0][1]


def test_a_malformed_or_doubled_line_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "list.tsv"
    bad.write_text("tests/x.py::test_a no tab\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1: expected 'test id<TAB>reason'"):
        expected.load(bad)
    bad.write_text("# comment\ntests/x.py::test_a\twhy\ntests/x.py::test_a\twhy\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 3: tests/x.py::test_a is listed twice"):
        expected.load(bad)


def test_the_list_names_only_tests_of_the_server_files_each_with_a_reason() -> None:
    entries = expected.load()
    assert entries, "the list is where the known failures are explained"
    assert {test.split("::")[0] for test in entries} <= set(SERVER_FILES)
    assert all(len(reason) >= 10 for reason in entries.values())
    assert not [test for test, reason in entries.items() if reason.startswith("unexplained")]


def test_reasons_come_from_the_rules_and_the_list_is_rewritten_from_a_run(tmp_path: Path) -> None:
    assert reasons.reason("tests/connection/test_1800_subscription.py::test_connection_1800",
                          "x").startswith("continuous query notification")
    assert reasons.reason(f"{FILE}::test_x", "ORA-03115: unsupported network datatype or "
                          "representation: bind type 102").startswith("REF CURSOR binds")
    assert reasons.reason(f"{FILE}::test_x", "boom") == "unexplained: boom"
    path = tmp_path / "list.tsv"
    path.write_text(f"{FILE}::test_h\thangs: waits forever\n{FILE}::test_old\tno longer fails\n",
                    encoding="utf-8")
    run = {"oracledb": {"outcomes": {f"{FILE}::test_a": "failed", f"{FILE}::test_b": "passed"},
                        "messages": {f"{FILE}::test_a": "ORA-00904: \"XMLELEMENT\": invalid identifier"}}}
    assert reasons.write(run, path) == 2
    assert expected.load(path) == {f"{FILE}::test_a": reasons.reason(f"{FILE}::test_a", "XMLELEMENT"),
                                   f"{FILE}::test_h": "hangs: waits forever"}


def test_the_docs_table_is_the_list() -> None:
    """docs/testing-server.md holds the list as `python -m tests.compat.expected` prints it."""
    assert expected.markdown(expected.load()) in DOCS.read_text(encoding="utf-8")


def test_the_runner_takes_the_server_files_and_the_list() -> None:
    args = _arguments(["--server-files", "--expect", str(expected.LIST)])
    assert args.files == list(SERVER_FILES) and args.entries == expected.load()
    assert args.deselect == expected.deselected(args.entries)
    assert re.fullmatch(r"tests/(connection|cursor)/test_\d{4}_\w+\.py", args.files[0])
