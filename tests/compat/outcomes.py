"""Test outcomes of one suite run, and the comparison of two runs.

A test's outcome folds its three phases: ``error`` when setup or teardown
failed, ``failed`` when the test itself did, ``skipped`` when any phase
skipped it, else ``passed``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

KINDS = ("passed", "failed", "error", "skipped")
#: Later entries win over earlier ones when phases disagree.
_RANK = {"passed": 0, "skipped": 1, "failed": 2, "error": 3}


class Recorder:
    """Folds pytest's per-phase reports into one outcome per test id."""

    def __init__(self) -> None:
        self.outcomes: dict[str, str] = {}
        #: The first failure's one-line message per failed or erroring test.
        self.messages: dict[str, str] = {}

    def add(self, nodeid: str, when: str, outcome: str, message: str = "") -> None:
        """Record one phase's outcome (``when`` is setup, call or teardown)."""
        kind = "error" if outcome == "failed" and when != "call" else outcome
        previous = self.outcomes.get(nodeid, "passed")
        self.outcomes[nodeid] = max(previous, kind, key=_RANK.__getitem__)
        if outcome == "failed":
            self.messages.setdefault(nodeid, message)


def counts(outcomes: Mapping[str, str]) -> dict[str, int]:
    """How many tests ended each way, every kind present (zero included)."""
    tally = Counter(outcomes.values())
    return {kind: tally[kind] for kind in KINDS}


def regressions(reference: Mapping[str, str], candidate: Mapping[str, str]) -> list[str]:
    """Test ids that passed in ``reference`` and did not pass in ``candidate``, sorted."""
    return sorted(t for t, kind in reference.items() if kind == "passed" and candidate.get(t) != "passed")


def format_counts(mode: str, outcomes: Mapping[str, str]) -> str:
    """One line: ``mode: 80 passed, 3 failed, 0 error, 20 skipped (103 tests)``."""
    tally = counts(outcomes)
    parts = ", ".join(f"{tally[kind]} {kind}" for kind in KINDS)
    return f"{mode}: {parts} ({len(outcomes)} tests)"
