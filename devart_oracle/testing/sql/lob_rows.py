"""LOB columns in statements: read ``FOR UPDATE`` (so that a LOB write reaches its row), compared.

Oracle's ``SELECT c FROM t WHERE ... FOR UPDATE`` hands out locators of the
rows' LOBs, and a write through one changes the row. Here the query of a
single table gets the table's ``rowid`` as a hidden last column; the
result's ``lob_origin`` names the table and its LOB columns, each row ends
with its rowid, and ``write_lob`` stores a changed value back.

Oracle refuses a LOB in a comparison (ORA-00932); ``check_comparisons``
finds LOB columns by name next to a comparison operator.
"""

from __future__ import annotations

from .errors import OracleError
from .lexer import Token, significant, tokenize
from .rowid import tables

__all__ = ["LobOrigin", "check_comparisons", "with_rowid"]

LobOrigin = tuple[str, frozenset[str]]  # the table, the names of its LOB columns


def with_rowid(sql: str) -> tuple[str, str] | None:
    """The query with its table's rowid added last, and the table; None for a join or none."""
    tokens = tokenize(sql)
    found = tables(tokens)
    table = found.get("")
    if table is None or len(set(found.values())) != 1:
        return None
    alias = next((name for name in found if name not in ("", table)), table)
    depth = 0
    for i, token in enumerate(tokens):
        depth += {"(": 1, ")": -1}.get(token.text, 0)
        if depth == 0 and token.is_word("FROM"):
            head, tail = "".join(t.text for t in tokens[:i]), "".join(t.text for t in tokens[i:])
            return f'{head}, "{alias}".rowid {tail}', table
    return None


_COMPARISONS = frozenset({"=", "!=", "<>", "^=", "<", ">", "<=", ">="})


def _lob_name(words: list[Token], i: int, lobs: frozenset[str]) -> bool:
    """Whether ``words[i]`` (or ``x.words[i]``) names one of the LOB columns."""
    return 0 <= i < len(words) and words[i].kind in ("word", "ident") \
        and words[i].text.strip('"').upper() in lobs


def check_comparisons(sql: str, lobs: frozenset[str]) -> None:
    """Refuse a LOB column compared with ``=``, ``<`` ... as Oracle does.

    Raises:
        OracleError: ORA-00932 (expected - got CLOB) naming the column.
    """
    if not lobs:
        return
    words = significant(tokenize(sql))
    depth, assigning = 0, False  # UPDATE's SET c = ... assigns, it does not compare
    for i, token in enumerate(words):
        depth += {"(": 1, ")": -1}.get(token.text, 0)
        if depth == 0 and token.kind == "word":
            assigning = token.is_word("SET") or assigning and not token.is_word("WHERE", "RETURNING")
        if token.text not in _COMPARISONS or assigning and depth == 0:
            continue
        before = i - 1
        after = i + 3 if i + 2 < len(words) and words[i + 2].text == "." else i + 1
        if _lob_name(words, before, lobs) or _lob_name(words, after, lobs):
            raise OracleError(932, "- got LOB")
