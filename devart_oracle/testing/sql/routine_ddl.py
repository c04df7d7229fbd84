"""The DDL of stored routines: where ``CREATE PROCEDURE|FUNCTION`` keeps their source.

The source (what follows the routine's name) goes into the database's
``DEVART$ROUTINES`` table, so every session sees it; ``stored`` reads it
back when a block calls the routine.
"""

from __future__ import annotations

from .lexer import Words, joined
from .literals import quote_literal

__all__ = ["ROUTINES", "create_routine", "drop_routine"]

ROUTINES = '"DEVART$ROUTINES"'
_SCHEMA = f"CREATE TABLE IF NOT EXISTS {ROUTINES} (NAME TEXT PRIMARY KEY, KIND TEXT, SOURCE TEXT)"


def create_routine(kind: str, words: Words, replace: bool) -> list[str]:
    """The SQLite statements that store a routine (``words`` is at its name)."""
    _, name = words.name()
    source = joined(words.rest())
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    values = ", ".join(quote_literal(text) for text in (name, kind, source))
    return [_SCHEMA, f"{verb} INTO {ROUTINES} VALUES ({values})"]


def drop_routine(name: str) -> list[str]:
    """The SQLite statements that drop the routine ``name``."""
    return [_SCHEMA, f"DELETE FROM {ROUTINES} WHERE NAME = {quote_literal(name)}"]
