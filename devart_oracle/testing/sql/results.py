"""A statement's result: its columns, counts and (for a query) its rows.

Rows stream from the SQLite cursor through ``pull``; one row more than asked
for is read ahead, so that ``exhausted`` is exact the moment the last row is
handed out (the wire layer then says "no more rows" in the same reply).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .errors import OracleError
from .lob_rows import WRAPPER
from .rewrite import Plan
from .values import Column, coercer, declared_column, decode, inferred_column

__all__ = ["Result", "column_name", "describe_columns", "drain_all", "run_rows"]

Row = tuple[object, ...]
_BATCH = 64
_CANCELLED = 1013
# The batch errors Oracle finds while it converts the array's bound values to the
# columns' types, before it changes any row: they come before the others. ORA-01438
# is the one python-oracledb's suite shows (its test 2722, run against Oracle).
_CONVERSION = frozenset({1438})


class Result:
    """What ``execute`` returns.

    Attributes:
        columns: the query's columns; None when the statement is not a query.
        rowcount: rows affected (DML) or fetched so far (query).
        row_counts: for ``executemany``, the rows affected per iteration.
        returned: for DML with ``RETURNING ... INTO``, per iteration, the
            values of the returned expressions for each row it changed.
        batch_errors: for ``executemany`` with batch errors, the offset and
            error of each row that failed, in Oracle's order (``add_batch_error``).
        out_binds: for a PL/SQL block, the direction (``"IN"``, ``"OUT"``,
            ``"IN OUT"``) and final value of each bind, in wire order.
    """

    def __init__(self, columns: list[Column] | None, rowcount: int = 0,
                 row_counts: list[int] | None = None, *, rows: Sequence[Row] = (),
                 pull: Callable[[int], list[Row]] | None = None,
                 returned: list[list[Row]] | None = None,
                 out_binds: tuple[tuple[str, object], ...] | None = None,
                 convert: Callable[[Sequence[object]], tuple[object, ...]] | None = None) -> None:
        self.columns = columns
        self.rowcount = rowcount
        self.row_counts = row_counts if row_counts is not None else []
        self.returned = returned if returned is not None else []
        self.batch_errors: list[tuple[int, Exception]] = []
        self.out_binds = out_binds
        self.lastrowid: str | None = None  # the ROWID of the row an INSERT added last
        # FOR UPDATE: the table and LOB columns the rows' LOBs live in; each row ends with its rowid
        self.lob_origin: tuple[str, frozenset[str]] | None = None
        self._buffer = list(rows)
        self._pull = pull
        self._convert = convert if convert is not None else coercer(columns or [])

    def add_batch_error(self, offset: int, error: Exception) -> None:
        """Keep a failed row's error where Oracle reports it.

        Errors of converting bound values (ORA-01438) come first, then the
        others (constraints ...), each kind in row order.
        """
        def converting(e: Exception) -> bool:
            return getattr(e, "code", None) in _CONVERSION
        at = sum(map(converting, (e for _, e in self.batch_errors))) if converting(error) \
            else len(self.batch_errors)
        self.batch_errors.insert(at, (offset, error))

    def __repr__(self) -> str:
        names = None if self.columns is None else [c.name for c in self.columns]
        return f"<Result columns={names} rowcount={self.rowcount} exhausted={self.exhausted}>"

    @property
    def exhausted(self) -> bool:
        """True when every row has been fetched (always, for a non-query)."""
        return not self._buffer and self._pull is None

    def fetch(self, n: int) -> list[Row]:
        """The next ``n`` rows (fewer at the end).

        Raises:
            OracleError: when reading or converting a row fails, or the
                fetch is cancelled (ORA-01013).
        """
        if self._pull is not None:
            self._fill(n + 1)
        buffer = self._buffer
        if len(buffer) <= n:  # the rest: most fetches of a small result
            taken, self._buffer = buffer, []
        else:
            taken, self._buffer = buffer[:n], buffer[n:]
        convert = self._convert
        if self.lob_origin is None:
            rows = list(map(convert, taken))
        else:  # FOR UPDATE: a row ends with its rowid, after the columns
            width = len(self.columns or ())
            rows = [convert(row) + tuple(row[width:]) for row in taken]
        self.rowcount += len(rows)
        return rows

    def drain(self) -> None:
        """Read every remaining row into memory and let the cursor go."""
        self._fill(None)

    def close(self) -> None:
        """Drop the remaining rows and the cursor."""
        self._buffer, self._pull = [], None

    def _fill(self, wanted: int | None) -> None:
        while self._pull is not None and (wanted is None or len(self._buffer) < wanted):
            count = _BATCH if wanted is None else max(wanted - len(self._buffer), _BATCH)
            rows = self._pull(count)
            if len(rows) < count:
                self._pull = None
            self._buffer.extend(rows)


def drain_all(results: Iterable[Result]) -> None:
    """Read the rows open results still hold, so their SQLite cursors end."""
    for result in list(results):
        try:
            result.drain()
        except OracleError:
            result.close()  # a result that cannot be read any more is dropped


def run_rows(execute: Callable[[Sequence[object]], Result], rows: Sequence[Sequence[object]],
             batch_errors: bool) -> Result:
    """One statement run once per row of bind values (``SqlSession.executemany``): the sum.

    With ``batch_errors`` a failing row is skipped (count 0) and its error kept in
    ``batch_errors``; only a cancel stops it.

    Raises:
        OracleError: at the first failing row; ``rowcount`` counts the rows done.
    """
    result = Result(None, 0, [], returned=[])
    for offset, params in enumerate(rows):
        try:
            done = execute(params)
        except OracleError as exc:
            if not batch_errors or exc.code == _CANCELLED:
                exc.rowcount, exc.row_counts = result.rowcount, result.row_counts
                raise
            result.add_batch_error(offset, exc)
            done = Result(None, 0, returned=[[]])
        result.rowcount += done.rowcount
        result.row_counts.append(done.rowcount)
        result.returned += done.returned
        result.lastrowid = done.lastrowid
    return result


def describe_columns(description: Any, declared: list[str] | None, rows: Sequence[Row],
                     plan: Plan) -> list[Column]:
    """The columns of a query, from SQLite's description, declared types and first rows."""
    columns = []
    usable = declared if declared is not None and len(declared) == len(description) else None
    for index, entry in enumerate(description):
        name = column_name(entry[0], plan)
        column = declared_column(name, usable[index]) if usable else None
        if column is None:
            values = [decode(row[index]) for row in rows]
            column = inferred_column(name, values, timestamp="TIMESTAMP" in name.upper())
        columns.append(column)
    return columns


_SPACE_OUTSIDE_QUOTES = re.compile(r"('(?:[^']|'')*')|\s+")
_READ_WHOLE = re.compile(WRAPPER + r"\(([^()]*)\)")


def column_name(name: str, plan: Plan) -> str:
    """Oracle's name for a result column SQLite named ``name``.

    An alias or a column keeps its name; an expression is named by its text
    in upper case without blanks, as Oracle does (``COUNT(*)``, ``1+1``).
    """
    if name in plan.quoted or re.fullmatch(r"[\w$#]+", name):
        return name
    name = _READ_WHOLE.sub(r"\1", name) if WRAPPER in name else name  # lob_rows.deref's
    for rewritten, original in sorted(plan.names, key=lambda pair: -len(pair[0])):
        name = name.replace(rewritten, original)
    return _SPACE_OUTSIDE_QUOTES.sub(lambda m: m.group(1) or "", name).upper()
