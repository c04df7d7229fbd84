"""ORA errors of the SQL backend: numbers, Oracle's texts, SQLite's mapping.

Every failure the backend reports is an ``OracleError`` whose text is the one
Oracle prints, so a test written against the embedded server reads the same
message as against a real database. SQLite's error messages are English
sentences with the offending name in a fixed place; ``translate`` matches
them with a table of patterns. What it does not recognise becomes ORA-00900
with SQLite's own words appended, so nothing is lost while debugging.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["ErrorContext", "OracleError", "call_hook", "translate"]

# Oracle's message texts; "%s" marks where the details go.
_T = TypeVar("_T")

_TEXTS = {
    1: "unique constraint %s violated",
    26: "missing or invalid session ID",
    27: "cannot kill current session",
    30: "User session ID does not exist.",
    54: "resource busy and acquire with NOWAIT specified or timeout expired",
    600: "internal error code, arguments: %s",
    900: "invalid SQL statement",
    902: "invalid datatype",
    904: "%s: invalid identifier",
    905: "missing keyword",
    906: "missing left parenthesis",
    909: "invalid number of arguments",
    911: "invalid character",
    913: "too many values",
    918: "column ambiguously defined",
    921: "unexpected end of SQL command",
    922: "missing or invalid option",
    927: "missing equal sign",
    932: "inconsistent datatypes: expected %s",
    933: "SQL command not properly ended",
    936: "missing expression",
    937: "not a single-group group function",
    942: "table or view does not exist",
    946: "missing TO keyword",
    947: "not enough values",
    955: "name is already used by an existing object",
    4043: "object %s does not exist",
    957: "duplicate column name",
    969: "missing ON keyword",
    975: "date + date not allowed",
    1008: "not all variables bound",
    1012: "not logged on",
    56500: "DRCP: Pool not found",
    56505: "DRCP: Invalid pool configuration parameter value",
    1013: "user requested cancel of current operation",
    1027: "bind variables not allowed for data definition operations",
    1036: "illegal variable name/number",
    1086: "savepoint %s never established in this session or is invalid",
    1400: "cannot insert NULL into %s",
    1403: "no data found",
    1407: "cannot update %s to NULL",
    1416: "two tables cannot be outer-joined to each other",
    1418: "specified index does not exist",
    1422: "exact fetch returns more than requested number of rows",
    1424: "missing or illegal character following the escape character",
    1425: "escape character must be character string of length 1",
    1410: "invalid ROWID",
    1426: "numeric overflow",
    1428: "argument %s is out of range",
    1435: "user does not exist",
    1436: "CONNECT BY loop in user data",
    1438: "value larger than specified precision allowed for this column",
    1465: "invalid hex number",
    1468: "a predicate may reference only one outer-joined table",
    1476: "divisor is equal to zero",
    1489: "result of string concatenation is too long",
    1722: "invalid number",
    1740: "missing double quote in identifier",
    1742: "comment not terminated properly",
    1756: "quoted string not properly terminated",
    1821: "date format not recognized",
    1760: "illegal argument for function",
    1839: "date not valid for month specified",
    1841: "(full) year must be between -4713 and +9999, and not be 0",
    1861: "literal does not match format string",
    1843: "not a valid month",
    1847: "day of month must be between 1 and last day of month",
    1849: "hour must be between 1 and 12",
    1850: "hour must be between 0 and 23",
    1851: "minutes must be between 0 and 59",
    1852: "seconds must be between 0 and 59",
    1867: "the interval is invalid",
    2003: "invalid USERENV parameter",
    3115: "unsupported network datatype or representation",
    2065: "illegal option for ALTER SYSTEM",
    2248: "invalid option for ALTER SESSION",
    2053: "transaction %s committed, some remote DBs may be in-doubt",
    2089: "COMMIT is not allowed in a subordinate session",
    2289: "sequence does not exist",
    2290: "check constraint %s violated",
    2291: "integrity constraint %s violated - parent key not found",
    2292: "integrity constraint %s violated - child record found",
    51: "timeout occurred while waiting for a resource",
    1001: "invalid cursor",
    1017: "invalid username/password; logon denied",
    6500: "PL/SQL: storage error",
    6501: "PL/SQL: program error",
    6502: "PL/SQL: numeric or value error",
    6553: "%s",
    6572: "Function %s has out arguments",
    6504: "PL/SQL: Return types of Result Set variables or query do not match",
    6510: "PL/SQL: unhandled user-defined exception",
    6511: "PL/SQL: cursor already open",
    6530: "Reference to uninitialized composite",
    6531: "Reference to uninitialized collection",
    6532: "Subscript outside of limit",
    6533: "Subscript beyond count",
    6592: "CASE not found while executing CASE statement",
    21000: "error number argument to raise_application_error of %s is out of range",
    30625: "method dispatch on NULL SELF argument is disallowed",
    6550: "line %s",
    8002: "sequence %s.CURRVAL is not yet defined in this session",
    8177: "can't serialize access for this transaction",
    12899: "value too large for column %s",
    20000: "%s",
    21560: "argument %s is null, invalid, or out of range",
    22922: "nonexistent LOB value",
    22926: "specified trim length is greater than current LOB value's length",
    30926: "unable to get a stable set of rows in the source tables",
    38104: "Columns referenced in the ON Clause cannot be updated: %s",
    25137: "Data value out of range",
    24756: "transaction does not exist",
    24757: "duplicate transaction identifier",
    24758: "not attached to the requested transaction",
    24776: "cannot start a new transaction",
    24797: "cannot promote the current transaction to a distributed transaction",
    25351: "transaction is currently in use",
    25352: "no current transaction",
    38802: "edition does not exist",
    38805: "edition is in use",
    38807: "Implementation restriction: an edition can have only one child",
    38810: "Implementation restriction: cannot drop edition that has a parent and a child",
}


class OracleError(Exception):
    """An ORA-nnnnn error raised by the SQL backend.

    ``OracleError(942)`` takes Oracle's text from a table; ``detail`` fills
    the message's slot (``OracleError(1400, detail='("SCOTT"."T"."X")')``)
    or, for a message without one, is appended after a colon.

    Attributes:
        code: the ORA error number.
        text: the whole message, ``"ORA-00942: table or view does not exist"``.
        rowcount: for ``executemany``, the rows processed before the error.
        row_counts: for ``executemany``, the rows each iteration before the
            failing one changed.
    """

    def __init__(self, code: int, detail: str | None = None) -> None:
        self.code = code
        self.text = f"ORA-{code:05d}: {_message(code, detail)}"
        self.rowcount = 0
        self.row_counts: list[int] = []
        super().__init__(self.text)

    def __str__(self) -> str:
        return self.text


def _message(code: int, detail: str | None) -> str:
    template = _TEXTS.get(code, "internal error")
    if "%s" in template:
        if detail is None:
            return " ".join(template.replace("%s", "").split())
        return template.replace("%s", detail)
    return f"{template}: {detail}" if detail else template


@dataclass(frozen=True)
class ErrorContext:
    """What ``translate`` needs to know about the failed statement.

    Attributes:
        schema: the session's current schema, to qualify names.
        verb: the statement's first keyword (``"INSERT"``, ``"UPDATE"`` ...).
        constraint: gives a constraint's name from its table and columns.
        table: the table a DML statement changes.
    """

    schema: str
    verb: str
    constraint: Callable[[str, tuple[str, ...]], str]
    table: str = ""


Rule = Callable[[re.Match[str], ErrorContext], OracleError]


def _columns(match: re.Match[str]) -> tuple[str, tuple[str, ...]]:
    pairs = [item.strip().split(".", 1) for item in match["cols"].split(",")]
    return pairs[0][0], tuple(pair[-1] for pair in pairs)


def _unique(match: re.Match[str], ctx: ErrorContext) -> OracleError:
    index = re.fullmatch(r"index '(.+)'", match["cols"])
    if index:
        return OracleError(1, f"({ctx.schema}.{index[1]})")
    table, columns = _columns(match)
    return OracleError(1, f"({ctx.schema}.{ctx.constraint(table, columns)})")


def _not_null(match: re.Match[str], ctx: ErrorContext) -> OracleError:
    table, columns = _columns(match)
    target = f'("{ctx.schema}"."{table}"."{columns[0]}")'
    return OracleError(1407 if ctx.verb == "UPDATE" else 1400, target)


def _check(match: re.Match[str], ctx: ErrorContext) -> OracleError:
    name = match["name"].strip()
    if not re.fullmatch(r"[\w$#]+", name):
        name = ctx.constraint("", ())
    return OracleError(2290, f"({ctx.schema}.{name})")


def _foreign_key(_: re.Match[str], ctx: ErrorContext) -> OracleError:
    parent = ctx.verb == "DELETE"
    name = ctx.constraint(ctx.table, ("FK_PARENT" if parent else "FK",))
    return OracleError(2292 if parent else 2291, f"({ctx.schema}.{name})")


def _identifier(match: re.Match[str], _: ErrorContext) -> OracleError:
    parts = match["name"].split(".")
    return OracleError(904, ".".join(f'"{part}"' for part in parts))


def _savepoint(match: re.Match[str], _: ErrorContext) -> OracleError:
    return OracleError(1086, f"'{match['name']}'")


def _code(code: int) -> Rule:
    return lambda _match, _ctx: OracleError(code)


def _values(match: re.Match[str], _: ErrorContext) -> OracleError:
    return OracleError(913 if int(match["given"]) > int(match["wanted"]) else 947)


_RULES: list[tuple[re.Pattern[str], Rule]] = [
    (re.compile(p), rule)
    for p, rule in [
        (r'^UNIQUE constraint failed: DEVART\$ROUTINES\.NAME$', _code(955)),  # routine_ddl's CREATE
        (r"^UNIQUE constraint failed: (?P<cols>.+)$", _unique),
        (r"^NOT NULL constraint failed: (?P<cols>.+)$", _not_null),
        (r"^CHECK constraint failed: (?P<name>.+)$", _check),
        (r"^FOREIGN KEY constraint failed", _foreign_key),
        (r"^no such (?:table|view): ", _code(942)),
        (r"^no such index: ", _code(1418)),
        (r"^no such (?:column|function): (?P<name>.+)$", _identifier),
        (r"^(?:table|index|view|trigger) \S+ already exists", _code(955)),
        (r"^there is already another table or index with this name", _code(955)),
        (r"^interrupted", _code(1013)),
        (r"^no such savepoint: (?P<name>.+)$", _savepoint),
        (r"^database (?:table )?is locked", _code(54)),
        (r"^incomplete input", _code(921)),
        (r"syntax error$", _code(933)),
        (r"^You can only execute one statement at a time", _code(933)),
        (r"^wrong number of arguments to function", _code(909)),
        (r"^ambiguous column name", _code(918)),
        (r"^duplicate column name", _code(957)),
        (r"^misuse of aggregate", _code(937)),
        (r"^string or blob too big", _code(1489)),
        (r"^Incorrect number of bindings", _code(1008)),
        (r"^table \S+ has (?P<wanted>\d+) columns but (?P<given>\d+) values", _values),
        (r"^(?P<given>\d+) values for (?P<wanted>\d+) columns", _values),
        (r"^sub-select returns (?P<given>\d+) columns - expected (?P<wanted>\d+)", _values),
    ]
]


def translate(exc: BaseException, ctx: ErrorContext) -> OracleError:
    """The ORA error for an exception raised by SQLite (or by binding to it)."""
    message = str(exc)
    for pattern, rule in _RULES:
        match = pattern.search(message)
        if match:
            return rule(match, ctx)
    if isinstance(exc, OverflowError):
        return OracleError(1426)
    kind = "sqlite" if isinstance(exc, sqlite3.Error) else type(exc).__name__
    return OracleError(900, f"({kind}: {message})")


def call_hook(call: Callable[[], _T], what: str) -> _T:
    """Call one of the server's hooks; its failure is an ORA-00600, like any internal error."""
    try:
        return call()
    except Exception as exc:
        raise OracleError(600, f"[{what}], [{type(exc).__name__}: {exc}]") from exc
