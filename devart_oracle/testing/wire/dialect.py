"""Which TTC dialect a client speaks, read from its compile-time capabilities.

Two clients reach the server: python-oracledb thin, and older TTC
implementations such as Devart's Direct mode (``PROGRAM=ODAC Direct``).
They differ in a few layouts, each of which Oracle ties to a capability the
client announces in data-types negotiation, so the server keys every
difference off those bytes and nothing else:

* the TTC field version (byte 7; the server's 12 caps it): below 12.2 (8)
  EXECUTE lacks the SQL-signature and chunk-id fields, and bind and column
  descriptors lack ``oaccolid``;
* END_OF_CALL_STATUS (byte 15, bit 0x01): without it ERROR carries no call
  status, end-to-end sequence number, extended error number or row count,
  STATUS is the bare message type, and calls that report nothing end with
  ERROR;
* BIG_CHUNK_CLR (byte 37, bit 0x20): without it the chunks of a long ``B``
  string have one-byte lengths rather than ``ub4`` ones.

``THIN`` is what python-oracledb thin announces; a reader or writer that was
never told otherwise speaks it, so thin's exchange is the default one.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Dialect", "THIN"]

SERVER_FIELD_VERSION = 12
FIELD_VERSION_12_2 = 8
FIELD_VERSION_12_2_EXT1 = 9
_FIELD_VERSION = 7
_TTC1 = 15
_END_OF_CALL_STATUS = 0x01
_TTC3 = 37
_BIG_CHUNK_CLR = 0x20
_TTC4 = 40
_END_OF_RESPONSE = 0x20


@dataclass(frozen=True)
class Dialect:
    """The layout choices one client's capabilities make.

    Attributes:
        field_version: the TTC field version both sides use.
        end_of_call_status: ERROR and STATUS carry the call status.
        big_chunks: long ``B`` strings use ``ub4`` chunk lengths.
        end_of_response: each reply to a call ends with END_OF_RESPONSE
            (protocol 319: the client asks for it once the ACCEPT offers it).
    """

    field_version: int = SERVER_FIELD_VERSION
    end_of_call_status: bool = True
    big_chunks: bool = True
    end_of_response: bool = False

    @property
    def legacy(self) -> bool:
        """Whether this is an older client (no end-of-call status)."""
        return not self.end_of_call_status

    @property
    def has_sql_signature(self) -> bool:
        """EXECUTE carries the 12.2 SQL-signature fields; descriptors carry oaccolid."""
        return self.field_version >= FIELD_VERSION_12_2

    @property
    def has_chunk_ids(self) -> bool:
        """EXECUTE carries the 12.2 EXT1 chunk-id fields."""
        return self.field_version >= FIELD_VERSION_12_2_EXT1

    @classmethod
    def from_caps(cls, compile_caps: bytes) -> Dialect:
        """The dialect of a client that announced ``compile_caps``."""
        def bit(index: int, mask: int) -> bool:
            # a cap the client's array is too short to hold is a cap it lacks
            return index < len(compile_caps) and bool(compile_caps[index] & mask)

        version = compile_caps[_FIELD_VERSION] if len(compile_caps) > _FIELD_VERSION else 0
        return cls(field_version=min(version, SERVER_FIELD_VERSION),
                   end_of_call_status=bit(_TTC1, _END_OF_CALL_STATUS),
                   big_chunks=bit(_TTC3, _BIG_CHUNK_CLR),
                   end_of_response=bit(_TTC4, _END_OF_RESPONSE))


THIN = Dialect()
