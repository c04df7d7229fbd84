"""Piggybacks: the state changes a client sends ahead of a function call.

python-oracledb piggybacks cursor closes (105), end-to-end attributes
(135: module, action, client identifier, client info), session-state flags
(176), the current schema (152), frees of temporary LOBs (96) and
application contexts (154) on its next call, and the start of a pipeline
(199) on a pipeline's first call; ``read_piggyback`` parses one, and the
session applies it (``testing._piggybacks``, ``testing._replies``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .lob import free_temp_locators
from .reader import MessageReader, ProtocolError

__all__ = [
    "AppContext",
    "CloseCursors",
    "CurrentSchema",
    "EndToEnd",
    "FreeLobs",
    "Piggyback",
    "PipelineBegin",
    "read_piggyback",
]


@dataclass(frozen=True)
class CloseCursors:
    cursor_ids: list[int]


@dataclass(frozen=True)
class EndToEnd:
    """End-to-end attributes; only the keys present were changed."""

    changes: dict[str, str | None]


@dataclass(frozen=True)
class AppContext:
    """``conn.set_app_context(namespace, ...)`` or ``clear_app_context``."""

    namespace: str
    values: dict[str, str]
    clear: bool


@dataclass(frozen=True)
class FreeLobs:
    """Temporary and value LOBs the client no longer holds."""

    locators: list[bytes]


@dataclass(frozen=True)
class CurrentSchema:
    """``connection.current_schema = ...``, applied before the call."""

    schema: str


@dataclass(frozen=True)
class PipelineBegin:
    """The calls up to END_PIPELINE are one pipeline: 1 continues on error, 2 aborts."""

    mode: int


Piggyback = AppContext | CloseCursors | CurrentSchema | EndToEnd | FreeLobs | PipelineBegin | None


def read_piggyback(r: MessageReader, function: int) -> Piggyback:
    """Read a piggyback's body; returns what the session must act on.

    Raises:
        ProtocolError: a piggyback this server cannot parse.
    """
    if function == 105:
        r.u8()
        return CloseCursors([r.ub(4) for _ in range(r.ub(4))])
    if function == 135:
        return _read_end_to_end(r)
    if function == 176:  # session state
        r.ub(8)
        return None
    if function == 152:
        r.u8()
        schema = r.s()
        return CurrentSchema(schema.decode("utf-8", "replace") if schema else "")
    if function == 96:  # LOB operation: free temporary LOBs
        return FreeLobs(free_temp_locators(r))
    if function == 154:
        return _read_app_context(r)
    if function == 199:
        r.ub(2)  # error set id
        r.u8()  # error set mode
        return PipelineBegin(r.u8())
    raise ProtocolError(f"unsupported piggyback function {function}")


_E2E_ITEMS = (("client_identifier", 0x01), ("module", 0x08), ("action", 0x10),
              ("client_info", 0x100), ("dbop", 0x200))


def _read_end_to_end(r: MessageReader) -> EndToEnd:
    r.raw(2)
    flags = r.ub(4)
    lengths = []
    for _ in range(9):  # client id, module, action, ecid, (cct, ecs), info, kstk, ktgt, dbop
        r.u8()
        lengths.append(r.ub(4))
    strings = [lengths[0], lengths[1], lengths[2], lengths[5], lengths[8]]
    names = ["client_identifier", "module", "action", "client_info", "dbop"]
    values = {name: (r.b() if size else None) for name, size in zip(names, strings)}
    changes: dict[str, str | None] = {}
    for name, flag in _E2E_ITEMS:
        if flags & flag:
            raw = values[name]
            changes[name] = raw.decode("utf-8", "replace") if raw else None
    return EndToEnd(changes)


_APP_CONTEXT_CLEAR = 0x02


def _read_app_context(r: MessageReader) -> AppContext:
    r.u8()
    r.ub(4)  # namespace length
    r.u8()
    count = r.ub(4)
    flags = r.ub(2)
    r.u8()
    namespace = (r.b() or b"").decode("utf-8", "replace")
    values: dict[str, str] = {}
    for _ in range(count):
        key, value = r.s(), r.s()
        values[(key or b"").decode("utf-8", "replace")] = (value or b"").decode("utf-8", "replace")
        r.ub(4)
    return AppContext(namespace, values, bool(flags & _APP_CONTEXT_CLEAR))
