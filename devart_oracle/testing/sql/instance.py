"""The instance behind the sessions: its names, version, parameters and statistics.

Oracle clients and test suites ask the database who it is (``V$DATABASE``,
``V$INSTANCE``, ``SYS_CONTEXT('USERENV', 'DB_NAME')``), how it is set up
(``V$PARAMETER``, ``NLS_DATABASE_PARAMETERS``) and how much a session has
done (``V$MYSTAT``: user calls, parses, round trips). This module holds
those facts as plain records, which the server fills in at logon and the
wire layer counts into; ``views`` turns them into the V$ rows and
``userenv`` into SYS_CONTEXT values. The NLS settings are the ones the
backend actually uses (its date formats, AL32UTF8); ALTER SESSION does not
change them, so the session's NLS parameters equal the database's.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import socket
from dataclasses import dataclass, field

from .cpool import PoolStatistics
from .formats import DATE_FORMAT, TIMESTAMP_FORMAT
from .tpc import Branches

__all__ = ["NLS_PARAMETERS", "PARAMETERS", "STATISTICS", "Client", "Instance", "Statistics",
           "sql_id"]

_SQL_ID_DIGITS = "0123456789abcdfghjkmnpqrstuvwxyz"


def _now() -> datetime.datetime:
    return datetime.datetime.now().replace(microsecond=0)


@dataclass(frozen=True)
class Instance:
    """The database and instance every session of one server belongs to.

    ``branches`` are its global transaction branches (``tpc``), which any of its sessions may
    commit or roll back.
    """

    name: str = "FREE"
    db_name: str = "FREE"
    db_unique_name: str = "FREE"
    pdb_name: str = "FREEPDB1"
    host_name: str = field(default_factory=socket.gethostname)
    version: str = "19.3.0.0.0"
    dbid: int = 1521197903
    started: datetime.datetime = field(default_factory=_now)
    cpool: PoolStatistics | None = field(default=None, compare=False, repr=False)  # DRCP's counters
    branches: Branches = field(default_factory=Branches, compare=False, repr=False)  # two-phase commit

    @property
    def banner(self) -> str:
        """V$VERSION's BANNER for this version."""
        major = self.version.split(".", 1)[0]
        return f"Oracle Database {major}c Enterprise Edition Release {major}.0.0.0.0 - Production"


@dataclass(frozen=True)
class Client:
    """What the client said about itself at logon (AUTH phase one and two)."""

    osuser: str = ""
    terminal: str = ""
    process: str = ""
    driver: str = ""
    version: str = ""
    address: str = ""
    port: int = 0
    proxy_user: str | None = None
    logon_time: datetime.datetime = field(default_factory=_now)


@dataclass
class Statistics:
    """One session's counters, as V$MYSTAT and V$SESSTAT show them.

    The wire layer counts where it sees the client: a round trip per
    request answered, a user call per function call, a parse per EXECUTE
    that carries SQL text (a re-execute of an open cursor is no parse).
    """

    user_calls: int = 0
    parses: int = 0
    executes: int = 0
    round_trips: int = 0
    open_cursors: int = 0

    def values(self) -> list[tuple[int, int]]:
        """(STATISTIC#, VALUE) for every statistic in ``STATISTICS``."""
        return [(number, int(getattr(self, attribute)) if attribute else default)
                for number, _, _, attribute, default in STATISTICS]


# (STATISTIC#, NAME, CLASS, Statistics attribute or "" for a constant, constant).
# The numbers are this server's: they differ between Oracle releases too, so
# clients join V$STATNAME by NAME.
STATISTICS: tuple[tuple[int, str, int, str, int], ...] = (
    (0, "logons cumulative", 1, "", 1),
    (1, "logons current", 1, "", 1),
    (3, "opened cursors current", 1, "open_cursors", 0),
    (6, "user calls", 1, "user_calls", 0),
    (1090, "parse count (total)", 64, "parses", 0),
    (1095, "execute count", 64, "executes", 0),
    (1100, "SQL*Net roundtrips to/from client", 1, "round_trips", 0),
)

NLS_PARAMETERS: tuple[tuple[str, str], ...] = (
    ("NLS_LANGUAGE", "AMERICAN"),
    ("NLS_TERRITORY", "AMERICA"),
    ("NLS_CURRENCY", "$"),
    ("NLS_ISO_CURRENCY", "AMERICA"),
    ("NLS_NUMERIC_CHARACTERS", ".,"),
    ("NLS_CALENDAR", "GREGORIAN"),
    ("NLS_DATE_FORMAT", DATE_FORMAT),
    ("NLS_DATE_LANGUAGE", "AMERICAN"),
    ("NLS_SORT", "BINARY"),
    ("NLS_TIME_FORMAT", "HH.MI.SSXFF AM"),
    ("NLS_TIMESTAMP_FORMAT", TIMESTAMP_FORMAT),
    ("NLS_TIME_TZ_FORMAT", "HH.MI.SSXFF AM TZR"),
    ("NLS_TIMESTAMP_TZ_FORMAT", f"{TIMESTAMP_FORMAT} TZR"),
    ("NLS_DUAL_CURRENCY", "$"),
    ("NLS_COMP", "BINARY"),
    ("NLS_LENGTH_SEMANTICS", "BYTE"),
    ("NLS_NCHAR_CONV_EXCP", "FALSE"),
)
# Only in NLS_DATABASE_PARAMETERS.
DATABASE_NLS: tuple[tuple[str, str], ...] = (
    ("NLS_CHARACTERSET", "AL32UTF8"),
    ("NLS_NCHAR_CHARACTERSET", "AL16UTF16"),
)

# V$PARAMETER: (NAME, TYPE, VALUE or None for a value from the instance).
# TYPE: 1 boolean, 2 string, 3 integer. The values are what the server does:
# AUTH_MAX_OPEN_CURSORS is 65535, identifiers are up to 128 bytes.
PARAMETERS: tuple[tuple[str, int, str | None], ...] = (
    ("open_cursors", 3, "65535"),
    ("db_name", 2, None),
    ("db_unique_name", 2, None),
    ("db_domain", 2, None),
    ("instance_name", 2, None),
    ("service_names", 2, None),
    ("compatible", 2, None),
    ("nls_language", 2, "AMERICAN"),
    ("nls_territory", 2, "AMERICA"),
    ("nls_date_format", 2, DATE_FORMAT),
    ("max_string_size", 2, "STANDARD"),
    ("cursor_sharing", 2, "EXACT"),
    ("enable_pluggable_database", 1, "TRUE"),
)


def parameter_value(name: str, instance: Instance, service_name: str) -> str | None:
    """The value of a parameter that depends on the instance (None: not set)."""
    return {
        "db_name": instance.db_name,
        "db_unique_name": instance.db_unique_name,
        "db_domain": None,
        "instance_name": instance.name,
        "service_names": service_name,
        "compatible": ".".join(instance.version.split(".")[:2]) + ".0",
    }.get(name)


@functools.lru_cache(maxsize=1024)
def sql_id(text: str) -> str:
    """A statement's SQL_ID: 13 base-32 digits of the last 64 bits of its text's MD5.

    This is the scheme Oracle is known to use (MD5 of the text with a
    trailing NUL, the last two 32-bit words little-endian); the same text
    always gets the same id.
    """
    digest = hashlib.md5(text.encode() + b"\x00").digest()
    number = int.from_bytes(digest[8:12], "little") << 32 | int.from_bytes(digest[12:16], "little")
    digits = []
    for _ in range(13):
        number, digit = divmod(number, 32)
        digits.append(_SQL_ID_DIGITS[digit])
    return "".join(reversed(digits))
