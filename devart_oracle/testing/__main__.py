"""``python -m devart_oracle.testing serve``: run the test server until Ctrl-C.

Example::

    python -m devart_oracle.testing serve --port 1521 --user scott/tiger

prints the address and a ready-to-paste connection string per user, then
serves until SIGINT or SIGTERM and exits cleanly (status 0).
"""

from __future__ import annotations

import argparse
import errno
import gc
import logging
import signal
import sqlite3
import sys
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .._cli import port, seconds, whole
from ._accounts import DEFAULT_LOGON_ROUNDS
from ._drcp import DEFAULT_WAIT_TIMEOUT

if TYPE_CHECKING:
    from ._server import OracleTestServer

__all__ = ["main"]

_IN_USE_HINT = " (is another server running there? pick another --port, or 0 for a free one)"


def _user(text: str) -> tuple[str, str]:
    # The value may be a password typed wrong: it is never echoed whole.
    name, slash, password = text.partition("/")
    if not slash:
        raise argparse.ArgumentTypeError("expected USER/PASSWORD, got a value without '/'")
    if not name:
        raise argparse.ArgumentTypeError("expected USER/PASSWORD, got nothing before '/'")
    if not password:
        raise argparse.ArgumentTypeError(f"expected USER/PASSWORD, got no password after {name + '/'!r}")
    return name, password


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m devart_oracle.testing",
                                     description="Oracle wire-protocol test server backed by SQLite.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="listen for python-oracledb thin clients")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=port, default=1521, help="port to bind; 0 picks a free one")
    serve.add_argument("--user", type=_user, action="append", required=True, metavar="USER/PASSWORD",
                       help="a user that may log on (repeatable)")
    serve.add_argument("--service", default="FREEPDB1", help="service name (default FREEPDB1)")
    serve.add_argument("--sid", default=None, help="instance SID also accepted")
    serve.add_argument("--database", default=None, metavar="PATH",
                       help="SQLite file to keep data in (default: a temporary file)")
    serve.add_argument("--logon-delay", type=seconds(zero=True), default=0.0, metavar="SECONDS",
                       help="seconds added to each logon")
    serve.add_argument("--connect-timeout", type=seconds(zero=False), default=60.0, metavar="SECONDS",
                       help="seconds a client has to log on before it is disconnected (default 60)")
    serve.add_argument("--pooled-servers", type=whole(0), default=0, metavar="N",
                       help="emulate DRCP with at most N pooled server sessions (default 0: no DRCP)")
    serve.add_argument("--pooled-wait-timeout", type=seconds(zero=False), default=DEFAULT_WAIT_TIMEOUT,
                       metavar="SECONDS", help="seconds a DRCP request waits for a busy pool before "
                       f"ORA-24457 (default {DEFAULT_WAIT_TIMEOUT:g})")
    serve.add_argument("--logon-rounds", type=whole(1), default=DEFAULT_LOGON_ROUNDS, metavar="N",
                       help="PBKDF2 rounds python-oracledb thin derives its logon key with (default "
                       f"{DEFAULT_LOGON_ROUNDS}, for tests; 4096 as Oracle; Devart's client always gets 4096)")
    serve.add_argument("-v", "--verbose", action="store_true", help="log sessions and faults")
    serve.set_defaults(command_parser=serve)
    return parser


def _server(args: argparse.Namespace) -> OracleTestServer:
    """Create and start the server; bad arguments and a taken port exit with status 2."""
    from ._server import OracleTestServer

    parser: argparse.ArgumentParser = args.command_parser
    names = [name for name, _ in args.user]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        parser.error(f"--user {twice[0]!r} given twice")
    try:
        return OracleTestServer(dict(args.user), args.service, host=args.host, port=args.port,
                                database=args.database, sid=args.sid, logon_delay=args.logon_delay,
                                connect_timeout=args.connect_timeout,
                                pooled_servers=args.pooled_servers,
                                pooled_wait_timeout=args.pooled_wait_timeout,
                                logon_rounds=args.logon_rounds)
    except (TypeError, ValueError) as exc:
        parser.error(str(exc))
    except sqlite3.Error as exc:
        parser.error(f"cannot use --database {args.database!r}: {exc} (give a writable path, or none for a temporary file)")
    except OSError as exc:
        # create_server() appends the address to strerror; the message says it already.
        reason = (exc.strerror or str(exc)).split(" (while attempting")[0].lower()
        hint = _IN_USE_HINT if exc.errno == errno.EADDRINUSE else ""
        parser.error(f"cannot listen on {args.host}:{args.port}: {reason}{hint}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    done = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: done.set())
    users = dict(args.user)
    with _server(args) as server:
        # What exists now (modules, grammars, tables) lives as long as the process: the
        # collector need not walk it again at each full collection (~0.1 ms a logon).
        gc.freeze()
        print(f"listening on {server.dsn}", flush=True)
        for name in users:
            print(f"  python-oracledb: user={name!r} dsn={server.dsn!r}")
            print(f"  Devart:          {server.connection_string(name)}", flush=True)
        while not done.wait(0.5):
            pass
    try:
        print("stopped", flush=True)
    except BrokenPipeError:  # whoever read the address has gone: nothing to tell
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
