"""The compat command lines: --help and bad arguments answer as argparse does (exit 2), never a traceback."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from tests.compat import expected, reasons, runner

MAINS: dict[str, Callable[[Sequence[str]], object]] = {
    "python -m tests.compat.reasons": reasons.main,
    "python -m tests.compat.expected": expected.main,
    "python -m tests.compat": runner.main,
}


@pytest.mark.parametrize("prog", MAINS)
def test_help_prints_usage_and_exits_0(prog: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        MAINS[prog](["--help"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: {prog}")


@pytest.mark.parametrize("prog", MAINS)
def test_an_unknown_option_is_an_argparse_error(prog: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        MAINS[prog](["run.json", "--bogus"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: {prog}") and "error: unrecognized arguments:" in err and "--bogus" in err


def _error(main: Callable[[Sequence[str]], object], argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.splitlines()[-1]


def test_reasons_refuses_what_is_not_a_saved_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing, garbage, other = tmp_path / "missing.json", tmp_path / "garbage.json", tmp_path / "other.json"
    garbage.write_text("{not json", encoding="utf-8")
    other.write_text(json.dumps({"devart": {}}), encoding="utf-8")
    assert "error: the following arguments are required: RUN.json" in _error(reasons.main, [], capsys)
    assert f"error: cannot read {missing}: No such file or directory" in _error(reasons.main, [str(missing)], capsys)
    assert f"error: {garbage} is not JSON" in _error(reasons.main, [str(garbage)], capsys)
    assert f"error: {other} has no 'oracledb' run" in _error(reasons.main, [str(other)], capsys)
    assert "error: unrecognized arguments: x" in _error(reasons.main, [str(other), "x"], capsys)


def test_the_runner_refuses_an_unreadable_expect_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("a test without a reason\n", encoding="utf-8")
    assert "error: argument --expect: cannot read" in _error(runner.main, ["--expect", str(tmp_path / "no.tsv")], capsys)
    assert "expected 'test id<TAB>reason'" in _error(runner.main, ["--expect", str(bad)], capsys)


def test_expected_takes_no_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert "error: unrecognized arguments: x" in _error(expected.main, ["x"], capsys)
