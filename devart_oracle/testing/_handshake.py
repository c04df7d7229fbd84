"""The TNS handshake: CONNECT in, then ACCEPT or REFUSE out.

A client's first packet is CONNECT, with its connect descriptor in the
packet or, when it is long, in DATA packets after it. The descriptor names
the service (and DRCP's SERVER=POOLED); the server may refuse it (an
unknown service, ORA-12514), else it accepts with the SDU and protocol
version the client asked for, and the stream frames packets from then on
as that version does.
"""

from __future__ import annotations

from collections.abc import Callable

from ._listener import (
    LARGE_SDU_VERSION,
    Descriptor,
    accept_payload,
    parse_connect,
    parse_descriptor,
    refuse_payload,
)
from .wire.packet import ACCEPT, CONNECT, DATA, REFUSE, PacketStream
from .wire.reader import ProtocolError

__all__ = ["handshake"]

Refusal = Callable[[Descriptor], "tuple[int, str] | None"]


def handshake(stream: PacketStream, refusal: Refusal) -> tuple[Descriptor, tuple[int, str] | None]:
    """Read CONNECT (and its data) and answer it; the descriptor, and the refusal sent if any.

    Raises:
        ProtocolError: the client sent something else than CONNECT and its data.
        ConnectionClosed: the socket failed or closed.
    """
    packet = stream.read()
    if packet.kind != CONNECT:
        raise ProtocolError(f"expected CONNECT, received packet type {packet.kind}")
    request = parse_connect(packet.payload)
    data = request.data
    while len(data) < request.data_length:
        packet = stream.read()
        if packet.kind != DATA:
            raise ProtocolError(f"expected connect data, received packet type {packet.kind}")
        data += packet.payload[2:]
    descriptor = parse_descriptor(data[:request.data_length].decode("utf-8", "replace"))
    refused = refusal(descriptor)
    if refused is not None:
        stream.send(stream.frame(REFUSE, refuse_payload(*refused)))
        return descriptor, refused
    stream.send(stream.frame(ACCEPT, accept_payload(request.sdu, request.version)))
    stream.large = request.version >= LARGE_SDU_VERSION
    stream.sdu = stream.max_size = request.sdu
    return descriptor, None
