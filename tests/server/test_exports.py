"""The public surface of devart_oracle.testing."""

from __future__ import annotations

import subprocess
import sys

import pytest

import devart_oracle.testing as testing


def test_every_public_name_is_exported_once_and_resolves() -> None:
    assert sorted(set(testing.__all__)) == sorted(testing.__all__)
    assert set(testing.__all__) == {"FakeClock", "FaultProxy", "OracleTestServer", "SessionInfo"}
    for name in testing.__all__:
        assert getattr(testing, name).__name__ == name
    assert set(testing.__all__) <= set(dir(testing))


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        testing.Nope  # noqa: B018


def test_importing_the_package_does_not_load_the_server() -> None:
    code = ("import sys, devart_oracle.testing; "
            "print(any(m.startswith(('devart_oracle.testing._s', 'devart_oracle.testing.sql', 'devart_oracle.testing.wire')) for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
