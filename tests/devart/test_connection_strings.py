"""Connection strings: Devart's connector and devart_oracle accept and reject the same ones.

Every string of ``strings.py`` goes to both ``connect()`` functions (pooling
off) against the server. A string counts as rejected when the connector
refuses the string itself: devart_oracle raises ``ConnectionStringError``,
Devart one of its string messages ("Connection parameter name is unknown",
"... can't be added twice", "Invalid connection parameter or value", or
"Cannot load OCI" when the string asks for OCI, which is absent here).
Logging on or failing to (ORA-01017, a refused port) counts as accepted.

Where the two disagree, the disagreement must be one that
docs/devart-differences.md lists; ``DIFFERENCES`` names each with the
strings it covers and the side that accepts. A difference that no string
shows any more fails too, so the table cannot go stale.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import ModuleType
from typing import Any, NamedTuple

import pytest

import devart_oracle

from .conftest import Server
from .strings import strings

_DEVART_REJECTS = ("Connection parameter", "Invalid connection parameter", "Cannot load OCI")


class Difference(NamedTuple):
    """A documented disagreement: which strings, and which side accepts them."""

    matches: Callable[[str], bool]
    ours_accept: bool


def _has(pattern: str) -> Callable[[str], bool]:
    regex = re.compile(pattern, re.IGNORECASE)
    return lambda text: regex.search(text) is not None


DIFFERENCES: dict[str, Difference] = {
    # devart_oracle accepts, Devart rejects
    "key spelled without its blank or with underscores":
        Difference(_has(r"(^|;)\s*(DataSource|Service_Name|USER_NAME|Auto Commit|Pool Id"
                        r"|Disable Pooling)\s*="), True),
    "empty value means 'not set'": Difference(_has(r"(^|;)\s*\w[\w ]*=\s*(;|$)"), True),
    "quotes around any value": Difference(_has(r"Direct='True'"), True),
    "quoted value holding ';'": Difference(_has(r"='[^']*;[^']*'"), True),
    "fractional Connection Timeout": Difference(_has(r"Connection Timeout=1\.5"), True),
    "OCI mode (Direct=False or no Direct)":
        Difference(lambda text: not re.search(r"Direct\s*=\s*(True|1|-1|2)\b", text, re.I), True),
    # Devart accepts, devart_oracle rejects
    "boolean written as another integer": Difference(_has(r"(Direct|AutoCommit)=(-1|2)\b"), False),
    "port checked before connecting": Difference(_has(r"Port=(-1|0|65536|70000|abc|1\.5|15e3|0x10|9{20})\b"), False),
    "unterminated quote": Difference(_has(r"=(['\"])unterminated"), False),
    "Connection Timeout of 0 or less": Difference(_has(r"Connection Timeout=(0|-1)\b"), False),
    "PoolId of 19 digits": Difference(_has(r"PoolId=\d{19}"), False),
    "ConnectMode checked": Difference(_has(r"ConnectMode=Bogus"), False),
    "HomeName needs Direct=False": Difference(_has(r"(^|;)Home(Name| Name)?="), False),
    "Devart parameters devart_oracle does not implement":
        Difference(_has(r"(Charset|UseUnicode|IPVersion)="), False),
    "one parameter under two names": Difference(_has(
        r"Host=[^;]*;Server=|UserName=[^;]*;User ID=|Password=[^;]*;Pwd=|ServiceName=[^;]*;Service Name="),
        False),
}


def _devart_accepts(devart: ModuleType, text: str) -> bool:
    try:
        devart.connect(text).close()
    except devart.Error as exc:
        return not str(exc).strip().startswith(_DEVART_REJECTS)
    return True


def _ours_accepts(text: str) -> bool:
    try:
        devart_oracle.connect(text).close()
    except (devart_oracle.ConnectionStringError, devart_oracle.ProgrammingError):
        return False
    except devart_oracle.Error:
        return True
    return True


@pytest.fixture(scope="module")
def outcomes(devart: ModuleType, server: Server) -> list[tuple[str, bool, bool]]:
    """(string, Devart accepts, devart_oracle accepts) for the whole table, pooling off."""
    pools: list[Any] = [devart.connection_pool, devart_oracle.connection_pool]
    saved = [pool.enabled for pool in pools]
    for pool in pools:
        pool.enabled = False
    try:
        table = [text.replace("{port}", str(server.port)) for text in strings()]
        return [(text, _devart_accepts(devart, text), _ours_accepts(text)) for text in table]
    finally:
        for pool, enabled in zip(pools, saved):
            pool.enabled = enabled


def _explanations(text: str, ours_accept: bool) -> list[str]:
    return [name for name, diff in DIFFERENCES.items()
            if diff.ours_accept == ours_accept and diff.matches(text)]


def test_the_table_is_a_few_hundred_strings(outcomes: list[tuple[str, bool, bool]]) -> None:
    assert len(outcomes) >= 300
    assert sum(devart for _, devart, _ in outcomes) >= 100  # most strings are variations that work


def test_every_disagreement_is_a_listed_difference(outcomes: list[tuple[str, bool, bool]]) -> None:
    unexplained = [(text, devart, ours) for text, devart, ours in outcomes
                   if devart != ours and not _explanations(text, ours)]
    assert unexplained == []


def test_every_listed_difference_still_shows(outcomes: list[tuple[str, bool, bool]]) -> None:
    shown = {name for text, devart, ours in outcomes if devart != ours
             for name in _explanations(text, ours)}
    assert set(DIFFERENCES) - shown == set()


def test_the_base_string_and_its_shortcuts_log_on_with_both(
        outcomes: list[tuple[str, bool, bool]]) -> None:
    agreed = {text for text, devart, ours in outcomes if devart and ours}
    port = next(text for text, _, _ in outcomes if "Port=" in text).split("Port=")[1].split(";")[0]
    for text in (f"Direct=True;Host=127.0.0.1;Port={port};ServiceName=FREEPDB1;UserName=scott;Password=tiger",
                 f"Direct=True;Server=127.0.0.1:{port}/FREEPDB1;UserName=scott;Password=tiger"):
        assert text in agreed
