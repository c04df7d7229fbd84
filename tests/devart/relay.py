"""A TCP relay, run as its own process, that records what clients send.

    python tests/devart/relay.py TARGET_PORT

prints ``relay on PORT``, then forwards every connection to
127.0.0.1:TARGET_PORT. Each request (a DATA packet from a client) is
recorded by name; a line ``take`` on stdin prints the names recorded since
the last ``take`` as one JSON line, and EOF on stdin ends the relay.

It runs apart from the tests because Devart's connector holds the GIL while
it waits on the network: a relay thread in the test process could not
forward the reply that connector is waiting for.
"""

from __future__ import annotations

import json
import socket
import sys
import threading

_CONNECT, _ACCEPT, _DATA = 1, 2, 6
_DATA_EOF = 0x0040
_LARGE_SDU_VERSION = 315
_FUNCTIONS = {9: "logoff", 14: "commit", 15: "rollback", 147: "ping", 94: "execute",
              5: "fetch", 98: "describe", 59: "version", 118: "auth", 115: "auth"}


class Link:
    """One client connection's framing state, shared by its two directions."""

    def __init__(self) -> None:
        self.large = False


def name(payload: bytes) -> str:
    """A request's name: the function that ends it, or what it starts with.

    A bare call (``03 fn seq``) ends every request it is in, after any
    piggybacks; a longer call such as EXECUTE is named by its opening.
    """
    if len(payload) >= 3 and payload[-3] == 3 and payload[-2] in (9, 14, 15, 147):
        return _FUNCTIONS[payload[-2]]
    kind = payload[0]
    if kind == 3:
        return _FUNCTIONS.get(payload[1], f"function {payload[1]}")
    if kind == 17:  # piggybacks, then a call: name it by the first call opening found
        for function in (94, 98, 5):
            if bytes((3, function)) in payload:
                return _FUNCTIONS[function]
        return "piggyback"
    return {1: "protocol", 2: "data types"}.get(kind, f"message {kind}")


class Recorder:
    """The names recorded since the last ``take``."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.names: list[str] = []

    def add(self, value: str) -> None:
        with self.lock:
            self.names.append(value)

    def take(self) -> list[str]:
        with self.lock:
            names, self.names = self.names, []
        return names


def _packets(sock: socket.socket, link: Link):  # type: ignore[no-untyped-def]
    buf = b""
    while True:
        while len(buf) >= 8:
            size = int.from_bytes(buf[:4] if link.large else buf[:2], "big")
            if len(buf) < size:
                break
            yield buf[:size]
            buf = buf[size:]
        chunk = sock.recv(65536)
        if not chunk:
            return
        buf += chunk


def _pump(src: socket.socket, dst: socket.socket, link: Link, recorder: Recorder | None) -> None:
    try:
        for packet in _packets(src, link):
            kind = packet[4]
            if kind == _CONNECT and recorder is not None:
                recorder.add("connect")
            if kind == _DATA and recorder is not None and len(packet) > 10:
                if not int.from_bytes(packet[8:10], "big") & _DATA_EOF:
                    recorder.add(name(packet[10:]))
            if kind == _ACCEPT:  # before the client can answer it
                link.large = int.from_bytes(packet[8:10], "big") >= _LARGE_SDU_VERSION
            dst.sendall(packet)
    except OSError:
        pass
    finally:
        for sock in (src, dst):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def _serve(listener: socket.socket, target: int, recorder: Recorder) -> None:
    while True:
        client, _ = listener.accept()
        upstream = socket.create_connection(("127.0.0.1", target))
        link = Link()
        for args in ((client, upstream, link, recorder), (upstream, client, link, None)):
            threading.Thread(target=_pump, args=args, daemon=True).start()


def main() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    recorder = Recorder()
    threading.Thread(target=_serve, args=(listener, int(sys.argv[1]), recorder), daemon=True).start()
    print(f"relay on {listener.getsockname()[1]}", flush=True)
    for line in sys.stdin:
        if line.strip() == "take":
            print(json.dumps(recorder.take()), flush=True)


if __name__ == "__main__":
    main()
