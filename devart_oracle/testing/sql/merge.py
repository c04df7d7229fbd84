"""MERGE as the statements SQLite can run: a check, an UPDATE ... FROM, an INSERT ... SELECT.

``MERGE INTO t a USING src s ON (cond) WHEN MATCHED THEN UPDATE SET ...
[WHERE w1] WHEN NOT MATCHED THEN INSERT (cols) VALUES (...) [WHERE w2]``
(either branch alone, in either order; the source a table, a view or a
subquery, DUAL included) becomes, in one transaction under a savepoint:

1. a query for a target row that two source rows match: Oracle then fails
   with ORA-30926, where SQLite's UPDATE ... FROM would pick one;
2. ``UPDATE t AS a SET ... FROM src AS s WHERE (cond) AND (w1)``;
3. ``INSERT INTO t (cols) SELECT ... FROM src AS s WHERE NOT EXISTS
   (SELECT 1 FROM t AS a WHERE cond) AND (w2)``.

The INSERT sees the UPDATE's changes, which cannot alter which rows match:
as in Oracle, a column of the ON condition may not be updated (ORA-38104).
The row count is the rows updated plus the rows inserted, as Oracle's.
Each statement gets the values of the binds it repeats from the MERGE's
own, by position. ``DELETE WHERE`` in the matched branch is refused with
ORA-00900.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .blocks import tokens_of
from .errors import OracleError
from .lexer import Token, Words, name_of, significant, split_commas, tokenize
from .results import Result

__all__ = ["Step", "merge_steps", "unstable_match"]


@dataclass(frozen=True)
class Step:
    """One statement of a MERGE: its kind (``check``, ``UPDATE``, ``INSERT``), SQL and binds.

    ``binds`` gives, for each bind of ``sql`` in order, the index of the
    MERGE's bind value it takes.
    """

    kind: str
    sql: str
    binds: tuple[int, ...]


@dataclass
class _Merge:
    target: list[Token]
    target_alias: list[Token]
    source: list[Token]
    source_alias: list[Token]
    condition: list[Token]
    sets: list[list[Token]] | None = None
    update_where: list[Token] | None = None
    columns: list[Token] | None = None
    values: list[Token] | None = None
    insert_where: list[Token] | None = None


@functools.lru_cache(maxsize=256)
def merge_steps(sql: str) -> tuple[Step, ...]:
    """The statements a MERGE runs as.

    Raises:
        OracleError: ORA-00905/ORA-00969 for a malformed MERGE, ORA-38104 for
            an update of an ON column, ORA-00900 for DELETE WHERE.
    """
    words = significant(tokenize(sql))
    ordinals = {t.pos: n for n, t in enumerate(t for t in words if t.kind == "bind")}
    merge = _parse(Words(words))
    steps = [*_update(merge), *_insert(merge)]
    if merge.sets is not None:
        steps.insert(0, _check(merge))
    return tuple(Step(kind, " ".join(t.text for t in tokens),
                      tuple(ordinals[t.pos] for t in tokens if t.kind == "bind"))
                 for kind, tokens in steps)


def _expect(words: Words, *expected: str) -> None:
    for word in expected:
        if not words.accept(word):
            raise OracleError(969 if word == "ON" else 905)


def _item(words: Words) -> tuple[list[Token], list[Token]]:
    """A table (maybe schema-qualified) or subquery, and its alias (the name if none)."""
    start = words.i
    if words.peek() == "(":
        words.group()
    else:
        words.name()
    item = words.tokens[start:words.i]
    if words.peek() not in ("USING", "ON", "") and words.tokens[words.i].kind in ("word", "ident"):
        return item, [words.take()]
    if item[0].text == "(":
        raise OracleError(905)  # a subquery needs an alias to be referred to
    return item, item[-1:]


def _parse(words: Words) -> _Merge:
    _expect(words, "MERGE", "INTO")
    target, target_alias = _item(words)
    _expect(words, "USING")
    source, source_alias = _item(words)
    _expect(words, "ON")
    merge = _Merge(target, target_alias, source, source_alias, words.group())
    while words.accept("WHEN"):
        matched = not words.accept("NOT")
        _expect(words, "MATCHED", "THEN")
        _matched(words, merge) if matched else _not_matched(words, merge)
    if words.peek() or (merge.sets is None and merge.values is None):
        raise OracleError(905 if not words.peek() else 933)
    return merge


def _clause_end(words: Words) -> list[Token]:
    """The tokens up to the next WHEN (or the end), outside parentheses."""
    start = words.i
    while words.peek() and words.peek() not in ("WHEN", "DELETE"):
        if words.peek() == "(":
            words.group()
        else:
            words.take()
    return words.tokens[start:words.i]


def _matched(words: Words, merge: _Merge) -> None:
    _expect(words, "UPDATE", "SET")
    body = _clause_end(words)
    if words.peek() == "DELETE":
        raise OracleError(900, "DELETE WHERE in MERGE is not supported by the test server")
    where = next((i for i, t in enumerate(body) if t.is_word("WHERE")), len(body))
    merge.sets = split_commas(body[:where])
    merge.update_where = body[where + 1:] or None
    _no_update_of_on_columns(merge)


def _not_matched(words: Words, merge: _Merge) -> None:
    _expect(words, "INSERT")
    if words.peek() == "(":
        merge.columns = words.group()
    _expect(words, "VALUES")
    merge.values = words.group()
    rest = _clause_end(words)
    if rest and not rest[0].is_word("WHERE"):
        raise OracleError(933)
    merge.insert_where = rest[1:] or None


def _column(tokens: list[Token]) -> str:
    """The name of a SET target, without its qualifier."""
    return name_of(tokens[-1])


def _no_update_of_on_columns(merge: _Merge) -> None:
    on = merge.condition
    alias = name_of(merge.target_alias[0])
    used = {name_of(on[i + 2]) for i in range(len(on) - 2)
            if on[i + 1].text == "." and name_of(on[i]) == alias}
    for assignment in merge.sets or []:
        name = _column(assignment[:_equals(assignment)])
        if name in used:
            raise OracleError(38104, f'"{alias}"."{name}"')


def _equals(assignment: list[Token]) -> int:
    index = next((i for i, t in enumerate(assignment) if t.text == "="), None)
    if index is None:
        raise OracleError(927)
    return index


def _joined(merge: _Merge) -> list[Token]:
    """``target AS a JOIN source AS s ON (cond)``."""
    return [*merge.target, *tokens_of("AS"), *merge.target_alias, *tokens_of("JOIN"),
            *merge.source, *tokens_of("AS"), *merge.source_alias, *tokens_of("ON ("),
            *merge.condition, *tokens_of(")")]


def _check(merge: _Merge) -> tuple[str, list[Token]]:
    key = [*merge.target_alias, *tokens_of(". ROWID")]
    return "check", [*tokens_of("SELECT 1 FROM"), *_joined(merge), *tokens_of("GROUP BY"), *key,
                     *tokens_of("HAVING COUNT(*) > 1")]


def _update(merge: _Merge) -> list[tuple[str, list[Token]]]:
    if merge.sets is None:
        return []
    sets: list[Token] = []
    for assignment in merge.sets:
        equals = _equals(assignment)
        sets += [*(tokens_of(",") if sets else []), *assignment[equals - 1:equals],
                 *assignment[equals:]]
    where = [*tokens_of("WHERE ("), *merge.condition, *tokens_of(")")]
    if merge.update_where:
        where += [*tokens_of("AND ("), *merge.update_where, *tokens_of(")")]
    return [("UPDATE", [*tokens_of("UPDATE"), *merge.target, *tokens_of("AS"),
                        *merge.target_alias, *tokens_of("SET"), *sets, *tokens_of("FROM"),
                        *merge.source, *tokens_of("AS"), *merge.source_alias, *where])]


def _insert(merge: _Merge) -> list[tuple[str, list[Token]]]:
    if merge.values is None:
        return []
    columns = [*tokens_of("("), *merge.columns, *tokens_of(")")] if merge.columns else []
    where = [*tokens_of("WHERE NOT EXISTS (SELECT 1 FROM"), *merge.target, *tokens_of("AS"),
             *merge.target_alias, *tokens_of("WHERE ("), *merge.condition, *tokens_of("))")]
    if merge.insert_where:
        where += [*tokens_of("AND ("), *merge.insert_where, *tokens_of(")")]
    return [("INSERT", [*tokens_of("INSERT INTO"), *merge.target, *columns, *tokens_of("SELECT"),
                        *merge.values, *tokens_of("FROM"), *merge.source, *tokens_of("AS"),
                        *merge.source_alias, *where])]


def unstable_match(check: Result) -> None:
    """ORA-30926 if the check found a target row that two source rows match."""
    found = check.fetch(1)
    check.close()
    if found:
        raise OracleError(30926)
