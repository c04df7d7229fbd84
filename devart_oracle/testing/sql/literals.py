"""SQL literals: quoting text, reading string literals, datetime literals.

Oracle's string literals come plain (``'it''s'``) or quoted with a
delimiter (``q'[it's]'``); both stand for the text between the quotes. A
``DATE '2024-01-31'`` or ``TIMESTAMP '...'`` literal becomes the stored form
of a datetime (``values``), so that SQLite compares and sorts it as a bind
of the same value.
"""

from __future__ import annotations

import datetime

from .errors import OracleError
from .lexer import Token
from .values import encode_datetime

__all__ = ["datetime_literal", "literal_body", "quote_literal"]


def quote_literal(text: str) -> str:
    """``text`` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def literal_body(token: Token) -> str:
    """The text a string or q-string literal stands for."""
    text = token.text
    if token.kind == "qstring":
        start = text.index("'")
        return text[start + 2:-2]
    return text[text.index("'") + 1:-1].replace("''", "'")


def datetime_literal(kind: str, token: Token) -> str:
    """The stored form of a ``DATE '...'`` or ``TIMESTAMP '...'`` literal.

    Raises:
        OracleError: ORA-01861 for text that is no such date.
    """
    text = literal_body(token)
    try:
        if kind == "DATE":
            value = datetime.datetime.strptime(text.strip(), "%Y-%m-%d")
        else:
            value = datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        raise OracleError(1861) from None
    return quote_literal(encode_datetime(value))
