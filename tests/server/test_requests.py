"""The request parsers on arbitrary bytes: only the protocol's own errors come out."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devart_oracle.testing.wire.oraerror import WireError
from devart_oracle.testing.wire.piggybacks import read_piggyback
from devart_oracle.testing.wire.reader import MessageReader, ProtocolError
from devart_oracle.testing.wire.requests import (
    BindSpec,
    read_auth,
    read_bind_rows,
    read_data_types,
    read_execute,
    read_fetch,
    read_reexecute,
)
from devart_oracle.testing.wire.types import decode_bind


class _Exhausted(Exception):
    """The request ended: the reader would wait for another packet."""


def _reader(data: bytes) -> MessageReader:
    def more() -> bytes:
        raise _Exhausted()

    reader = MessageReader(more)
    reader.start(data)
    return reader


PARSERS: list[Callable[[MessageReader], object]] = [
    read_execute, read_reexecute, read_fetch, read_auth, read_data_types,
    *(lambda r, f=f: read_piggyback(r, f) for f in (105, 135, 152, 154, 176, 99)),
]


@pytest.mark.parametrize("parse", PARSERS)
@settings(max_examples=300)
@given(data=st.binary(max_size=400))
def test_parsers_raise_only_protocol_errors(parse: Callable[[MessageReader], object], data: bytes) -> None:
    try:
        parse(_reader(data))
    except (ProtocolError, WireError, _Exhausted):
        pass


@settings(max_examples=300)
@given(
    specs=st.lists(st.builds(BindSpec, st.sampled_from([1, 2, 3, 12, 23, 96, 100, 101, 180, 252, 109]),
                             st.sampled_from([1, 0x41]), st.integers(0, 9000), st.sampled_from([0, 1, 2])),
                   min_size=1, max_size=4),
    data=st.binary(max_size=300),
)
def test_bind_rows_and_values_raise_only_protocol_errors(specs: list[BindSpec], data: bytes) -> None:
    try:
        rows = read_bind_rows(_reader(b"\x07" + data), specs, 1, False)
    except (ProtocolError, _Exhausted):
        return
    for spec, value in zip(specs, rows[0]):
        for item in value if isinstance(value, list) else [value]:
            try:
                decode_bind(spec.ora_type, spec.csfrm, item)  # type: ignore[arg-type]
            except WireError:
                pass
