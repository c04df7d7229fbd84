"""Test support: an embedded server that speaks Oracle's wire protocol.

``OracleTestServer`` accepts the real python-oracledb thin client (sync and
asyncio) over TCP and runs its SQL on SQLite; ``FaultProxy`` sits between a
client and any server to inject network faults; ``SessionInfo`` describes a
live session. The pytest fixtures live in ``devart_oracle.testing.
pytest_plugin`` and the hypothesis strategies in ``devart_oracle.testing.
strategies``.

The names are imported on first use, so that importing one of the
submodules (the strategies, say) does not start up the server's machinery.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._clock import FakeClock
    from ._proxy import FaultProxy
    from ._server import OracleTestServer
    from .sql import SessionInfo

__all__ = ["FakeClock", "FaultProxy", "OracleTestServer", "SessionInfo"]

_HOMES = {"FakeClock": "._clock", "FaultProxy": "._proxy", "OracleTestServer": "._server", "SessionInfo": ".sql"}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
