"""The listener's half of a connection: CONNECT in, ACCEPT or REFUSE out.

The CONNECT packet carries the client's protocol versions and SDU at fixed
offsets (counted from the start of the packet, header included), then the
connect descriptor. A descriptor longer than 230 bytes does not fit: the
CONNECT then ends after its fixed part and the descriptor follows in DATA
packets, still framed with 16-bit lengths since nothing has been accepted.

A client older than protocol 315 (Devart's Direct mode asks for 314) has no
u32 SDU fields in its CONNECT, and is answered at its own version, whose
packets keep 16-bit lengths.

The server answers at protocol version 319 with no service options and the
ACCEPT flag HAS_END_OF_RESPONSE, as Oracle 23ai does: the client expects no
out-of-band breaks, and it asks for END_OF_RESPONSE at the end of every reply
(``_replies``), which is what lets it pipeline its calls. Neither Native
Network Encryption nor fast authentication is offered. A client at 318 or
below is answered at its own version, without the flag.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

from .wire.reader import ProtocolError

__all__ = [
    "ConnectRequest",
    "Descriptor",
    "accept_payload",
    "parse_connect",
    "parse_descriptor",
    "refusal",
    "refuse_payload",
]

PROTOCOL_VERSION = 319
LARGE_SDU_VERSION = 315  # from here on: u32 SDU/TDU in CONNECT, u32 packet lengths after ACCEPT
END_OF_RESPONSE_VERSION = 319  # from here on the ACCEPT may offer END_OF_RESPONSE
_HAS_END_OF_RESPONSE = 0x02000000  # ACCEPT flags (the last u32)
_MIN_CLIENT_VERSION = 300
_CONNECT_FIXED = struct.Struct(">HHHHHHHHHH")
_ACCEPT = struct.Struct(">HHHHHHHBB8xIIxI")
_MIN_SDU = 512
_MAX_SDU = 2 * 1024 * 1024
_HEADER_SIZE = 8
_NO_SERVICE = (12504, "TNS:listener was not given the SERVICE_NAME in CONNECT_DATA")
_NO_POOL = (12520, "TNS:listener could not find available handler for requested type of server")
_UNKNOWN_SERVICE = "TNS:listener does not currently know of service requested in connect descriptor"
_UNKNOWN_SID = "TNS:listener does not currently know of SID given in connect descriptor"


@dataclass
class ConnectRequest:
    """The fixed part of a CONNECT packet."""

    version: int
    sdu: int
    data_length: int
    data: bytes


def parse_connect(payload: bytes) -> ConnectRequest:
    """Parse a CONNECT packet's payload (the bytes after its header).

    Raises:
        ProtocolError: the packet is too short or the client too old.
    """
    if len(payload) < _CONNECT_FIXED.size:
        raise ProtocolError(f"CONNECT packet of {len(payload)} bytes is too short")
    fields = _CONNECT_FIXED.unpack_from(payload)
    version, sdu16, data_length, data_offset = fields[0], fields[3], fields[8], fields[9]
    if version < _MIN_CLIENT_VERSION:
        raise ProtocolError(f"client protocol version {version} is older than {_MIN_CLIENT_VERSION}")
    sdu = sdu16
    if version >= LARGE_SDU_VERSION and len(payload) >= 54:
        sdu = max(sdu, int.from_bytes(payload[50:54], "big"))
    start = data_offset - _HEADER_SIZE
    data = payload[start:start + data_length] if start >= 0 else b""
    return ConnectRequest(version, min(max(sdu, _MIN_SDU), _MAX_SDU), data_length, data)


@dataclass
class Descriptor:
    """The parts of a connect descriptor that the server uses."""

    service_name: str | None = None
    sid: str | None = None
    program: str = ""
    machine: str = ""
    server: str | None = None  # (SERVER=POOLED) asks for DRCP
    cclass: str | None = None  # (POOL_CONNECTION_CLASS=..)
    purity: str | None = None  # (POOL_PURITY=SELF|NEW)

    @property
    def pooled(self) -> bool:
        """Whether the client asked for a pooled (DRCP) server."""
        return (self.server or "").upper() == "POOLED"


# A word: a run of characters other than ( ) =, without the whitespace at its
# ends (a run of whitespace alone is no token).
_WORD = r"[^()=\s](?:[^()=]*[^()=\s])?"
# The tokens of a descriptor, with the two runs that make up most of one taken
# whole: "(KEY=" (group 1) and "(KEY=VALUE)" (groups 1 and 2); else one
# token (group 3): a parenthesis, "=" or a word.
_TOKENS = re.compile(rf"\(\s*({_WORD})\s*=(?:\s*({_WORD})\s*\))?|([()=]|{_WORD})")


def parse_descriptor(text: str) -> Descriptor:
    """Pull the service, SID and client identity out of a connect descriptor.

    Each value is filed under its key path (``CONNECT_DATA.SERVICE_NAME``,
    keys upper case); a field takes the first value whose path ends in its
    own two keys (``_tail``), so ``(ADDRESS=(CID=(PROGRAM=x)))`` names the
    program too. Unparseable text yields an empty descriptor, which the
    caller refuses.
    """
    get = _values(text).get
    return Descriptor(
        service_name=get("CONNECT_DATA.SERVICE_NAME"),
        sid=get("CONNECT_DATA.SID"),
        program=get("CID.PROGRAM") or "",
        machine=get("CID.HOST") or "",
        server=get("CONNECT_DATA.SERVER"),
        cclass=get("CONNECT_DATA.POOL_CONNECTION_CLASS"),
        purity=get("CONNECT_DATA.POOL_PURITY"),
    )


def _values(text: str) -> dict[str, str]:
    """The first value filed under each ``_tail`` of a key path.

    Token by token: "(" then a word names the key, "=" opens it (a level of
    the path), ")" closes the innermost level, and a word after "=" is a
    value. A "(KEY=" or "(KEY=VALUE)" run does the same in one step.
    """
    found: dict[str, str] = {}
    path: list[str] = []
    key = previous = ""
    for named, value, token in _TOKENS.findall(text):
        if named:
            key = named
            if value:  # "(", key, "=", value, ")": the path is back as it was
                found.setdefault(_tail(".".join([*path, named.upper()])), value)
                previous = ")"
            else:
                path.append(named.upper())
                previous = "="
        elif token == "=":
            path.append(key.upper())
        elif token == ")":
            del path[-1:]
        elif previous == "(":
            key = token
        elif previous == "=" and token != "(":
            found.setdefault(_tail(".".join(path)), token)
        if token:
            previous = token
    return found


def _tail(path: str) -> str:
    """The last two keys of a key path (``A.B.C`` gives ``B.C``), or the path if it has one.

    A path ends in ``X.Y`` (equals it, or ends in ``.X.Y``) exactly when
    its tail is ``X.Y``.
    """
    return ".".join(path.rsplit(".", 2)[-2:])


def accept_payload(sdu: int, client_version: int = PROTOCOL_VERSION) -> bytes:
    """Return the ACCEPT payload agreeing to ``sdu`` (45 bytes with the header).

    The version agreed is the client's when it is older than the server's:
    below 315 that keeps packet lengths at 16 bits, below 319 the ACCEPT
    offers no END_OF_RESPONSE.
    """
    sdu16 = min(sdu, 0xFFFF)
    version = min(client_version, PROTOCOL_VERSION)
    flags = _HAS_END_OF_RESPONSE if version >= END_OF_RESPONSE_VERSION else 0
    return _ACCEPT.pack(version, 0, sdu16, sdu16, 0x0100, 0, 45, 0x04, 0x04, sdu, sdu, flags)


def refuse_payload(error: int, message: str) -> bytes:
    """Return a REFUSE payload carrying ``ORA-<error>`` as the listener does."""
    text = (
        f"(DESCRIPTION=(TMP=)(VSNNUM=0)(ERR={error})"
        f"(ERROR_STACK=(ERROR=(CODE={error})(EMFI=4)(ARGS='({message})'))))"
    ).encode()
    return struct.pack(">BBH", 34, 0, len(text)) + text


def refusal(descriptor: Descriptor, service_name: str, sid: str | None, *,
            pooling: bool) -> tuple[int, str] | None:
    """The TNS error (number, text) a connect descriptor is refused with; None to accept it.

    Args:
        descriptor: what the client asked for.
        service_name: the service the server offers.
        sid: the SID it also accepts, if any.
        pooling: whether DRCP is on, i.e. (SERVER=POOLED) is served.
    """
    if descriptor.pooled and not pooling:
        return _NO_POOL
    if descriptor.service_name is not None:
        return None if descriptor.service_name.upper() == service_name.upper() else (12514, _UNKNOWN_SERVICE)
    if descriptor.sid is not None:
        return None if sid is not None and descriptor.sid.upper() == sid.upper() else (12505, _UNKNOWN_SID)
    return _NO_SERVICE
