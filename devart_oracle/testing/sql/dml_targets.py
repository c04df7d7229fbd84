"""The target table of UPDATE and DELETE as Oracle writes it, in SQLite's form.

Oracle allows ``DELETE t WHERE ...`` (no FROM), a bare alias after the
table (``UPDATE t x SET ...``, ``DELETE FROM t x WHERE x.id = 1``) and
qualified columns in SET (``SET x.n = 5``, ``SET t.n = 5``). SQLite wants
``DELETE FROM``, ``AS`` before an alias, and plain column names in SET;
this rule rewrites the first two and drops the qualifier of the third.
"""

from __future__ import annotations

from .blocks import Block, tokens_of
from .lexer import Token, name_of, split_commas

__all__ = ["dml_target_rule", "target_table"]

_AFTER_TABLE = ("SET", "WHERE", "RETURNING", "RETURN", "LOG", "")


def dml_target_rule(block: Block) -> None:
    """Put a DELETE's or UPDATE's target in SQLite's form."""
    if block.verb not in ("UPDATE", "DELETE"):
        return
    words = block.tokens
    if block.verb == "DELETE" and not (len(words) > 1 and words[1].is_word("FROM")):
        words.insert(1, tokens_of("FROM")[0])
    start = 2 if block.verb == "DELETE" else 1
    if len(words) <= start:
        return  # no table: SQLite says what is wrong
    end = start + (3 if len(words) > start + 2 and words[start + 1].text == "." else 1)
    names = {name_of(words[end - 1])}
    after = words[end].text.upper() if end < len(words) else ""
    if after == "AS" and end + 1 < len(words):  # SQLite's form already (MERGE writes it)
        names.add(name_of(words[end + 1]))
    elif after not in _AFTER_TABLE and words[end].kind in ("word", "ident"):
        names.add(name_of(words[end]))
        words.insert(end, tokens_of("AS")[0])
    if block.verb == "UPDATE":
        _unqualify_set(block, names)


def _unqualify_set(block: Block, names: set[str]) -> None:
    """``SET x.a = 1, b = 2`` as ``SET a = 1, b = 2`` when x names the target."""
    assignments = split_commas(block.body("SET"))
    plain: list[Token] = tokens_of("SET")
    for index, part in enumerate(assignments):
        if len(part) > 3 and part[1].text == "." and name_of(part[0]) in names:
            part = part[2:]
        plain += [*(tokens_of(",") if index else []), *part]
    block.replace("SET", plain)


def target_table(words: list[Token]) -> str:
    """The table after INSERT INTO, UPDATE, DELETE [FROM] or MERGE INTO."""
    texts = [t.text.upper() for t in words]
    start = 2 if texts[:2] in (["INSERT", "INTO"], ["MERGE", "INTO"], ["DELETE", "FROM"]) else 1
    if texts[:1] not in (["INSERT"], ["UPDATE"], ["DELETE"], ["MERGE"]) or len(words) <= start:
        return ""
    if len(words) > start + 2 and texts[start + 1] == ".":
        start += 2
    return name_of(words[start])
