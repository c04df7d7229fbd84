"""How a session's replies end, and what a pipeline of calls changes.

A client that the ACCEPT offered END_OF_RESPONSE (protocol 319) and that
asked for it in its compile capabilities no longer takes a STATUS or an
ERROR for the end of a reply: every reply to a call ends with an
END_OF_RESPONSE message (29), in a last DATA packet flagged
END_OF_RESPONSE. The protocol and data-type negotiation replies are the
exception: the client reads those without the mark.

The mark is what lets python-oracledb pipeline its calls
(``AsyncConnection.run_pipeline``): it sends every call of the pipeline, the
first with the PIPELINE_BEGIN piggyback (199) that gives the mode, then
END_PIPELINE (function 200), and only then reads the replies, one a call
and one for END_PIPELINE, telling them apart by the mark. Without it the
client runs each operation as a call of its own, with the cursor defaults
of the moment rather than the operation's own ``fetch_decimals`` and
``fetch_lobs``, which is why those pipelines came back with one number or
LOB type before the server offered the mark. The calls run in order as
they arrive. In the continue-on-error mode each gets its own reply,
failures included; in the abort-on-error mode the calls after the first
failure are not run, and each is answered with ORA-43610 (the client raises
the first failure and discards the rest).
"""

from __future__ import annotations

from .wire.codec import Writer
from .wire.oraerror import WireError
from .wire.packet import (
    DATA_END_OF_RESPONSE,
    MARKER,
    MARKER_BREAK,
    MARKER_RESET,
    PacketStream,
)
from .wire.reader import MessageReader
from .wire.responses import end_of_call, status

__all__ = ["FUNC_PIPELINE_END", "Replies"]

FUNC_PIPELINE_END = 200
MSG_END_OF_RESPONSE = 29
_ABORT_ON_ERROR = 2
_ABORTED = 43610
_CANCELLED = 1013


class Replies:
    """The replies of one session: their end mark and the pipeline under way."""

    __slots__ = ("stream", "end_of_response", "_next", "_mode", "_aborted")

    def __init__(self, stream: PacketStream) -> None:
        self.stream = stream
        self.end_of_response = self._next = False  # until the data types are negotiated
        self._mode = 0  # no pipeline
        self._aborted = False

    def mark_after_this(self, wanted: bool) -> None:
        """The data types are agreed: the replies after the one to them end with the mark if ``wanted``."""
        self._next = wanted

    def send(self, body: bytes | bytearray) -> None:
        """Send a reply, ending it as the client asked."""
        mark, self.end_of_response = self.end_of_response, self._next
        if not mark:
            self.stream.send_data(body)
            return
        if isinstance(body, bytearray):
            body.append(MSG_END_OF_RESPONSE)  # in place: a LOB's reply is not copied
        else:
            body += bytes((MSG_END_OF_RESPONSE,))
        self.stream.send_data(body, last_flags=DATA_END_OF_RESPONSE)

    def after_break(self, w: Writer, call_status: int) -> None:
        """Answer a BREAK: BREAK out, the client's RESET in, RESET and ORA-01013 out."""
        self.stream.send_marker(MARKER_BREAK)
        while True:
            packet = self.stream.read()
            if packet.kind == MARKER and packet.payload[2:3] == bytes((MARKER_RESET,)):
                break
        error = WireError(_CANCELLED)
        end_of_call(w, call_status, error=error.code, text=error.text)
        if self.end_of_response:
            w.u8(MSG_END_OF_RESPONSE)
        reset = self.stream.frame(MARKER, bytes((1, 0, MARKER_RESET)))
        flags = DATA_END_OF_RESPONSE if self.end_of_response else 0
        self.stream.send(reset + self.stream.frame_data(w.buf, last_flags=flags))

    def begin_pipeline(self, mode: int) -> None:
        """PIPELINE_BEGIN: the calls up to END_PIPELINE are one pipeline."""
        self._mode, self._aborted = mode, False

    def check(self) -> None:
        """Refuse a call that an earlier failure of its pipeline aborted.

        Raises:
            WireError: ORA-43610 in an abort-on-error pipeline after a failure.
        """
        if self._aborted:
            raise WireError(_ABORTED)

    def failed(self) -> None:
        """A call failed: in an abort-on-error pipeline, the calls after it are not run."""
        self._aborted = self._mode == _ABORT_ON_ERROR

    def end_pipeline(self, r: MessageReader, w: Writer, call_status: int) -> None:
        """END_PIPELINE (function 200): the pipeline is over; its reply is a STATUS."""
        r.ub(4)  # an id, unused
        self._mode, self._aborted = 0, False
        status(w, call_status)
