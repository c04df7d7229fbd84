"""LISTAGG ... WITHIN GROUP (ORDER BY ...): the SQL, and the aggregate behind it.

SQLite 3.40 has no ORDER BY inside an aggregate call, so the rewrite
passes the ordering keys as arguments:

    LISTAGG([DISTINCT] x, ', ') WITHIN GROUP (ORDER BY k1 DESC, k2)
    -> ORA_LISTAGG(x, ', ', 'D0,A0', k1, k2)  (DISTINCT: 'U' before the spec)

and the aggregate sorts the values itself when the group ends: each key
ascending or descending, NULLs last when ascending and first when
descending unless NULLS FIRST/LAST says otherwise, as Oracle orders them.
Without WITHIN GROUP (optional since 19c) the order is the rows' order.
NULL values are left out; the delimiter defaults to none; a result longer
than 4000 bytes is ORA-01489. ``ON OVERFLOW`` clauses and LISTAGG as an
analytic function (``OVER (...)``) are not supported.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass

from .errors import OracleError
from .lexer import Token, split_commas
from .values import decode

__all__ = ["ListaggCall", "listagg_call", "listagg_sql", "listagg_aggregate"]

_MAX_BYTES = 4000


@dataclass(frozen=True)
class ListaggCall:
    """Where a LISTAGG call's parts are: token index ranges, and the sort spec."""

    value: tuple[int, int]
    delimiter: tuple[int, int] | None
    keys: tuple[tuple[int, int], ...]
    spec: str
    end: int  # the index after the WITHIN GROUP (...) clause


def _closing(tokens: tuple[Token, ...], opening: int, end: int) -> int | None:
    depth = 0
    for index in range(opening, end):
        depth += {"(": 1, ")": -1}.get(tokens[index].text, 0)
        if depth == 0:
            return index
    return None


def _parts(tokens: tuple[Token, ...], start: int, end: int) -> list[list[int]]:
    """The indices of the significant tokens in ``tokens[start:end]``, split at top-level commas."""
    indexed = [tokens[i]._replace(pos=i) for i in range(start, end)
               if tokens[i].kind not in ("ws", "comment")]
    return [[t.pos for t in part] for part in split_commas(indexed)]


def listagg_call(tokens: tuple[Token, ...], opening: int, end: int) -> ListaggCall:
    """The parts of ``LISTAGG(...) WITHIN GROUP (ORDER BY ...)`` at ``opening``.

    Raises:
        OracleError: ORA-00909 for LISTAGG without its arguments or ordering.
    """
    close = _closing(tokens, opening, end)
    if close is None:
        raise OracleError(909)
    after = _parts(tokens, close + 1, end)[:1]
    words = after[0] if after else []
    if [tokens[i].text.upper() for i in words[:2]] != ["WITHIN", "GROUP"]:
        return _unordered(tokens, opening, close)
    if [tokens[i].text.upper() for i in words[2:5]] != ["(", "ORDER", "BY"]:
        raise OracleError(909)
    group_close = _closing(tokens, words[2], end)
    if group_close is None:
        raise OracleError(909)
    unordered = _unordered(tokens, opening, close)
    spans, spec = [], []
    for key in _parts(tokens, words[4] + 1, group_close):
        key, direction = _direction(tokens, key)
        spans.append((key[0], key[-1] + 1))
        spec.append(direction)
    return dataclasses.replace(unordered, keys=tuple(spans), spec=unordered.spec + ",".join(spec),
                               end=group_close + 1)


def _unordered(tokens: tuple[Token, ...], opening: int, close: int) -> ListaggCall:
    """The arguments of ``LISTAGG([DISTINCT] value[, delimiter])`` (WITHIN GROUP is optional)."""
    arguments = _parts(tokens, opening + 1, close)
    unique = bool(arguments) and tokens[arguments[0][0]].is_word("DISTINCT")
    if arguments and tokens[arguments[0][0]].is_word("DISTINCT", "ALL"):
        arguments[0] = arguments[0][1:]
    if not 1 <= len(arguments) <= 2 or not arguments[0]:
        raise OracleError(909)
    delimiter = (arguments[1][0], arguments[1][-1] + 1) if len(arguments) == 2 else None
    return ListaggCall((arguments[0][0], arguments[0][-1] + 1), delimiter, (),
                       "U" if unique else "", close + 1)


def listagg_sql(tokens: tuple[Token, ...], opening: int, end: int,
                span: Callable[[int, int], str]) -> tuple[str, int]:
    """The ORA_LISTAGG call for the LISTAGG at ``opening``, and the index after it.

    ``span`` rewrites a range of tokens (the value, delimiter and keys are
    expressions like any other).

    Raises:
        OracleError: ORA-00909 for LISTAGG without its arguments or ordering.
    """
    call = listagg_call(tokens, opening, end)
    delimiter = span(*call.delimiter) if call.delimiter else "NULL"
    parts = [span(*call.value), delimiter, f"'{call.spec}'", *(span(*key) for key in call.keys)]
    return f"ORA_LISTAGG({', '.join(parts)})", call.end


def _direction(tokens: tuple[Token, ...], key: list[int]) -> tuple[list[int], str]:
    """An ordering key without its ASC/DESC and NULLS FIRST/LAST, and their code."""
    nulls = ""
    texts = [tokens[i].text.upper() for i in key]
    if texts[-2:] in (["NULLS", "FIRST"], ["NULLS", "LAST"]):
        nulls, key, texts = texts[-1][0], key[:-2], texts[:-2]
    descending = texts[-1:] == ["DESC"]
    if texts[-1:] in (["DESC"], ["ASC"]):
        key = key[:-1]
    if not key:
        raise OracleError(936)
    direction = "D" if descending else "A"
    return key, direction + (nulls or ("F" if descending else "L"))


def _order(spec: list[str]) -> Callable[[tuple[object, ...], tuple[object, ...]], int]:
    def compare(a: tuple[object, ...], b: tuple[object, ...]) -> int:
        for (x, y), code in zip(zip(a, b), spec):
            if x is None or y is None:
                if x is None and y is None:
                    continue
                return (-1 if x is None else 1) * (1 if code[1] == "F" else -1)
            if x != y:
                less = x < y  # type: ignore[operator]
                return (-1 if less else 1) * (-1 if code[0] == "D" else 1)
        return 0
    return compare


def listagg_aggregate(text_of: Callable[[object], object],
                      on_error: Callable[[OracleError], None]) -> type:
    """The ORA_LISTAGG aggregate class.

    Args:
        text_of: a value's text, as TO_CHAR gives it (numbers and dates too).
        on_error: parks an ORA error for the session to raise.
    """

    class Listagg:
        def __init__(self) -> None:
            self.rows: list[tuple[tuple[object, ...], str]] = []
            self.delimiter = ""
            self.spec = ""

        def step(self, value: object, delimiter: object, spec: object, *keys: object) -> None:
            self.spec = str(spec)
            if delimiter is not None:
                self.delimiter = str(text_of(delimiter))
            if value is not None:
                self.rows.append((tuple(decode(k) for k in keys), str(text_of(value))))

        def finalize(self) -> object:
            unique, spec = self.spec.startswith("U"), self.spec.lstrip("U")
            compare = _order(spec.split(",") if spec else [])
            keys = functools.cmp_to_key(compare)
            values = [value for _, value in sorted(self.rows, key=lambda row: keys(row[0]))]
            if unique:
                values = list(dict.fromkeys(values))
            text = self.delimiter.join(values)
            if len(text.encode()) > _MAX_BYTES:
                on_error(OracleError(1489))
                raise OracleError(1489)
            return text or None

    return Listagg
