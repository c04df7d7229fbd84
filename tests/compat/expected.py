"""The expected failures of python-oracledb's connection and cursor files.

``server_failures.tsv`` beside this module lists, one a line, each test of
those files that does not pass against the embedded server, with the reason
(``test id<TAB>reason``; ``#`` starts a comment). Two reasons are special:

- ``hangs: ...``: the test is not run at all (deselected), since it would
  only wait out its timeout;
- ``flaky: ...``: the test may pass or fail (it depends on timing), so
  neither outcome is reported.

:func:`check` compares a run with the list: a failure or error of a test
that is not listed is *unexpected*, and a listed test that passed (or was
skipped, or is no longer collected) is *stale*. Either fails CI.
``python -m tests.compat.expected`` prints the list as the Markdown table
that docs/testing-server.md holds (a test keeps the two equal).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

LIST = Path(__file__).with_name("server_failures.tsv")
HANGS, FLAKY = "hangs:", "flaky:"


@dataclass(frozen=True)
class Mismatch:
    """What a run did that the list did not say: unexpected failures, stale entries."""

    unexpected: tuple[tuple[str, str], ...]  # (test id, failure line)
    stale: tuple[tuple[str, str], ...]  # (test id, what it did instead of failing)

    def __bool__(self) -> bool:
        return bool(self.unexpected or self.stale)

    def lines(self) -> list[str]:
        """The report: one indented line per test, under a counted title."""
        out = [f"failed, not in {LIST.name}: {len(self.unexpected)}"]
        out += [f"  {test}: {why}" for test, why in self.unexpected]
        out.append(f"listed in {LIST.name}, yet did not fail: {len(self.stale)}")
        out += [f"  {test}: {what}" for test, what in self.stale]
        return out


def load(path: Path = LIST) -> dict[str, str]:
    """Test id -> reason, in file order.

    Raises:
        ValueError: a line without a tab-separated reason, or a test listed twice.
    """
    entries: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        test, tab, reason = line.partition("\t")
        if not tab or not test.strip() or not reason.strip():
            raise ValueError(f"{path.name} line {number}: expected 'test id<TAB>reason', got {line!r}")
        if test in entries:
            raise ValueError(f"{path.name} line {number}: {test} is listed twice")
        entries[test] = reason.strip()
    return entries


def deselected(entries: Mapping[str, str]) -> list[str]:
    """The tests not to run: those whose reason says they hang."""
    return [test for test, reason in entries.items() if reason.startswith(HANGS)]


def check(entries: Mapping[str, str], outcomes: Mapping[str, str],
          messages: Mapping[str, str], files: list[str]) -> Mismatch:
    """Compare a run's outcomes with the list, for the tests of ``files`` only.

    Args:
        entries: the list (:func:`load`).
        outcomes: test id -> passed, failed, error or skipped (the plugin's report).
        messages: test id -> failure line.
        files: the suite files the run ran; entries of other files are ignored.
    """
    unexpected = tuple((test, messages.get(test, kind)) for test, kind in sorted(outcomes.items())
                       if kind in ("failed", "error") and test not in entries)
    stale = []
    for test, reason in entries.items():
        if test.split("::")[0] not in files or reason.startswith(FLAKY):
            continue
        kind = outcomes.get(test)
        if reason.startswith(HANGS):
            if kind is not None:
                stale.append((test, f"{kind} (listed as hanging, so it should not have run)"))
        elif kind not in ("failed", "error"):
            stale.append((test, kind or "not collected"))
    return Mismatch(unexpected, tuple(stale))


def markdown(entries: Mapping[str, str]) -> str:
    """The list as a Markdown table: test id, reason."""
    rows = [f"| `{test}` | {reason.replace('|', '/')} |" for test, reason in entries.items()]
    return "\n".join(["| test | reason |", "| --- | --- |", *rows])


def main(argv: Sequence[str] | None = None) -> int:
    """Print the list as Markdown; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.compat.expected",
        description="Print server_failures.tsv as the Markdown table docs/testing-server.md holds.")
    parser.parse_args(argv)
    try:
        entries = load()
    except (OSError, ValueError) as error:
        parser.error(f"cannot read the list: {error}")
    print(markdown(entries))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
