"""How OUT binds and RETURNING INTO targets' values go on the wire (``_cursor``)."""

from __future__ import annotations

from collections.abc import Callable

from ._refs import REF_CURSOR, RefOpener, ref_writer
from .wire.codec import Writer
from .wire.lob import LOB_TYPES, LobStore, lob_data, write_locator
from .wire.oraerror import WireError
from .wire.requests import BindSpec
from .wire.types import VARCHAR, bind_encoder

__all__ = ["ValueWriter", "value_writer", "write_out_bind"]

_NATIONAL_FORM = 2  # csfrm of NCHAR / NVARCHAR2: UTF-16 text

ValueWriter = Callable[[Writer, object], int]  # writes a value, returns its "actual length"


def value_writer(spec: BindSpec, lobs: LobStore, *, truncate: bool = False) -> ValueWriter:
    """How an OUT or RETURNING value of ``spec``'s type goes on the wire.

    A CLOB, NCLOB or BLOB target gets a locator of a value the session holds
    (as a fetched LOB does); any other type its encoded bytes. Text longer
    than the target's buffer is PL/SQL's ORA-06502, or with ``truncate`` (a
    RETURNING INTO target, which SQL fills) cut to the buffer at a character
    boundary, the writer returning its untruncated length in bytes.

    Raises:
        WireError: ORA-03115 for a type the server cannot send back.
    """
    if spec.ora_type in LOB_TYPES:
        def write_lob(w: Writer, value: object) -> int:
            if value is None:
                w.ub(0)
            else:
                write_locator(w, lobs, spec.ora_type, spec.csfrm, lob_data(spec.ora_type, value))
            return 0
        return write_lob
    encoder = bind_encoder(spec.ora_type, spec.csfrm)

    def write(w: Writer, value: object) -> int:
        data = None if value is None else encoder(value)
        if spec.ora_type != VARCHAR or data is None or len(data) <= spec.buffer_size:
            w.b(data)
            return 0
        if not truncate:
            raise WireError(6502, "character string buffer too small")
        w.b(_cut(data, spec.buffer_size, spec.csfrm))
        return len(data)
    return write


def _cut(data: bytes, size: int, csfrm: int) -> bytes:
    """The longest prefix of encoded text within ``size`` bytes that ends on a character."""
    encoding = "utf-16-be" if csfrm == _NATIONAL_FORM else "utf-8"
    return data[:size].decode(encoding, errors="ignore").encode(encoding)


def write_out_bind(w: Writer, spec: BindSpec, value: object, lobs: LobStore, refs: RefOpener) -> None:
    """One OUT value (or an array's count and elements), each with a zero "actual length"."""
    write = value_writer(spec, lobs) if spec.ora_type != REF_CURSOR else ref_writer(refs)
    values = value if spec.is_array and isinstance(value, list) else [value]
    if spec.is_array:
        w.ub(len(values))
    for item in values:
        w.ub(write(w, item))
