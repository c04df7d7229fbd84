"""The compat runner's bookkeeping: folding phases, counting, comparing runs."""

from __future__ import annotations

import pytest

from tests.compat.outcomes import Recorder, counts, format_counts, regressions
from tests.compat.runner import summary


@pytest.mark.parametrize(
    ("phases", "expected"),
    [
        ([("setup", "passed"), ("call", "passed"), ("teardown", "passed")], "passed"),
        ([("setup", "passed"), ("call", "failed"), ("teardown", "passed")], "failed"),
        ([("setup", "failed")], "error"),
        ([("setup", "passed"), ("call", "passed"), ("teardown", "failed")], "error"),
        ([("setup", "skipped")], "skipped"),
        ([("setup", "passed"), ("call", "skipped"), ("teardown", "passed")], "skipped"),
        ([("setup", "passed"), ("call", "failed"), ("teardown", "failed")], "error"),
    ],
)
def test_phases_fold_into_one_outcome(phases: list[tuple[str, str]], expected: str) -> None:
    recorder = Recorder()
    for when, outcome in phases:
        recorder.add("t.py::test_a", when, outcome, f"{when} {outcome}")
    assert recorder.outcomes == {"t.py::test_a": expected}


def test_the_first_failure_message_is_kept() -> None:
    recorder = Recorder()
    recorder.add("t.py::test_a", "call", "failed", "ORA-00942: table or view does not exist")
    recorder.add("t.py::test_a", "teardown", "failed", "later")
    recorder.add("t.py::test_b", "call", "passed")
    assert recorder.messages == {"t.py::test_a": "ORA-00942: table or view does not exist"}


def test_counts_name_every_kind() -> None:
    outcomes = {"a": "passed", "b": "passed", "c": "skipped"}
    assert counts(outcomes) == {"passed": 2, "failed": 0, "error": 0, "skipped": 1}
    assert format_counts("devart", outcomes) == "devart: 2 passed, 0 failed, 0 error, 1 skipped (3 tests)"


def test_regressions_are_passes_lost() -> None:
    reference = {"a": "passed", "b": "passed", "c": "failed", "d": "passed", "e": "skipped"}
    candidate = {"a": "passed", "b": "failed", "c": "passed", "e": "passed"}
    assert regressions(reference, candidate) == ["b", "d"]


def test_summary_lists_the_regressions_with_their_messages() -> None:
    reports = {
        "oracledb": {"outcomes": {"a": "passed", "b": "passed"}, "messages": {}, "shim": ["_get_charset"]},
        "devart": {"outcomes": {"a": "passed", "b": "failed"}, "messages": {"b": "DPY-4005"}, "shim": []},
    }
    assert summary(reports) == [
        "oracledb: 2 passed, 0 failed, 0 error, 0 skipped (2 tests)",
        "devart: 1 passed, 1 failed, 0 error, 0 skipped (2 tests)",
        "setup shim answered: _get_charset",
        "pass with python-oracledb's pool, not with devart_oracle's: 1",
        "  b: DPY-4005",
        "pass with devart_oracle's pool, not with python-oracledb's: 0",
    ]


def test_summary_lists_what_only_devart_oracles_pool_passes() -> None:
    reports = {
        "oracledb": {"outcomes": {"a": "failed", "b": "skipped"}, "messages": {"a": "DPY-4011 not raised"}, "shim": []},
        "devart": {"outcomes": {"a": "passed", "b": "skipped"}, "messages": {}, "shim": []},
    }
    assert summary(reports)[-2:] == [
        "pass with devart_oracle's pool, not with python-oracledb's: 1", "  a: DPY-4011 not raised"]


def test_summary_of_one_mode_says_the_shim_retired() -> None:
    reports = {"oracledb": {"outcomes": {"a": "passed"}, "messages": {}, "shim": []}}
    assert summary(reports)[1:] == ["setup shim: not needed (the server answered)"]
