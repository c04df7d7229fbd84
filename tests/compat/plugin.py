"""A pytest plugin loaded into python-oracledb's own test suite by the runner.

It does three things, each switched by an environment variable the runner
sets, so the suite's files run unmodified:

- ``DEVART_COMPAT_POOL=devart`` puts devart_oracle's pools where the suite
  looks for python-oracledb's (see :mod:`tests.compat.substitute`);
  ``oracledb`` (or unset) leaves python-oracledb's own.
- The suite's setup asks the database two things the embedded server may not
  answer yet (``SYS_CONTEXT('USERENV','CLOUD_SERVICE')`` and
  ``NLS_DATABASE_PARAMETERS``). The shim below asks the server first and only
  answers itself when the server refuses with "no such parameter/view", so it
  retires by itself once the server answers; the report says whether it was used.
- ``DEVART_COMPAT_REPORT=PATH`` writes one outcome per test id to PATH (JSON).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

import oracledb
import pytest

from tests.compat.outcomes import Recorder

_NAME = "devart-compat"
#: ORA codes with which a database says it lacks a view or a USERENV parameter.
_UNANSWERED = {942, 2003}
#: What a database without those lookups is taken to be: on premises, AL32UTF8.
_SHIM_ANSWERS = {"_is_on_oracle_cloud": False, "_get_charset": "AL32UTF8"}


def shimmed(method: Callable[[Any], Any], answer: Any, used: set[str]) -> Callable[[Any], Any]:
    """Wrap a setup lookup: the database's answer, or ``answer`` if it has none.

    Args:
        method: the bound lookup, called with the connection.
        answer: what to return when the database lacks the view or parameter.
        used: gets the lookup's name when the shim answered.
    """

    def lookup(conn: Any) -> Any:
        try:
            return method(conn)
        except oracledb.DatabaseError as error:
            if getattr(error.args[0], "code", None) not in _UNANSWERED:
                raise
            used.add(method.__name__)
            return answer

    return lookup


def failure_line(report: pytest.TestReport) -> str:
    """The exception line of a failed phase (``ORA-00942: table or view does not exist``).

    A line ending in a colon (``ORA-06550: line 1, column 7:``) gets the next
    one appended, since that is where the cause is; "Help:" links are left out.
    """
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(report.longrepr)
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("Help:")]
    shown = lines[:2] if lines and lines[0].endswith(":") else lines[:1]
    return " ".join(shown)[:300]


class CompatPlugin:
    """The plugin object: substitution, setup shim and outcome recording."""

    def __init__(self, mode: str, report: str | None) -> None:
        self.mode = mode
        self.report = report
        self.recorder = Recorder()
        self.shim_used: set[str] = set()
        self._patch = pytest.MonkeyPatch()

    def pytest_configure(self, config: pytest.Config) -> None:
        if self.mode == "devart":
            from tests.compat.substitute import substitute

            substitute(self._patch)

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        self._patch.undo()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        message = failure_line(report) if report.failed else ""
        self.recorder.add(report.nodeid, report.when, report.outcome, message)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.report is None:
            return
        document = {"mode": self.mode, "collected": session.testscollected, "shim": sorted(self.shim_used),
                    "outcomes": self.recorder.outcomes, "messages": self.recorder.messages}
        with open(self.report, "w", encoding="utf-8") as out:
            json.dump(document, out, indent=1)


@pytest.fixture(autouse=True, scope="session")
def _compat_setup_shim(request: pytest.FixtureRequest, test_env: Any) -> None:
    """Wrap the suite's two setup lookups on its ``test_env`` before any test uses them."""
    plugin = request.config.pluginmanager.get_plugin(_NAME)
    assert isinstance(plugin, CompatPlugin), "tests.compat.plugin's pytest_configure registers it"
    for name, answer in _SHIM_ANSWERS.items():
        setattr(test_env, name, shimmed(getattr(test_env, name), answer, plugin.shim_used))


def pytest_configure(config: pytest.Config) -> None:
    mode = os.environ.get("DEVART_COMPAT_POOL", "oracledb")
    if mode not in ("oracledb", "devart"):
        raise pytest.UsageError(f"DEVART_COMPAT_POOL must be 'oracledb' or 'devart', not {mode!r}")
    config.pluginmanager.register(CompatPlugin(mode, os.environ.get("DEVART_COMPAT_REPORT")), _NAME)
