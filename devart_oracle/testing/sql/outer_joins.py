"""Oracle's ``(+)`` outer joins, as LEFT JOINs.

``FROM a, b WHERE a.id = b.a_id(+) AND b.kind(+) = 'x' AND a.n > 1``
marks ``b`` as the optional side: every condition with ``(+)`` on b's
columns moves into the ON of ``LEFT JOIN b``, the others stay in WHERE:

    FROM a LEFT JOIN b ON (a.id = b.a_id) AND (b.kind = 'x') WHERE (a.n > 1)

The tables that no ``(+)`` marks keep their order, joined by commas; the
optional ones follow, each once the tables its ON names are in place.
As in Oracle, one condition may not mark two tables (ORA-01468), and two
tables may not be outer-joined to each other (ORA-01416). A marked column
must be qualified by its table's name or alias: the rewrite cannot look
the column up (ORA-00900 otherwise). The columns of ``SELECT *`` come in
the new order of the tables, not the written one.
"""

from __future__ import annotations

from .blocks import Block, and_joined, conjuncts, tokens_of
from .errors import OracleError
from .lexer import Token, name_of, split_commas

__all__ = ["outer_join_rule"]


def outer_join_rule(block: Block) -> None:
    """Rebuild a block whose WHERE has ``(+)`` with LEFT JOINs."""
    parts = conjuncts(block.body("WHERE"))
    if block.verb != "SELECT" or not any(_marks(part) for part in parts):
        return
    tables = split_commas(block.body("FROM"))
    aliases = [_alias(table) for table in tables]
    joins: dict[str, list[list[Token]]] = {}
    rest = []
    for part in parts:
        marked = _marks(part)
        if not marked:
            rest.append(part)
            continue
        if len(marked) > 1:
            raise OracleError(1468)
        (name,) = marked
        if name not in aliases:
            raise OracleError(904, f'"{name}"')
        joins.setdefault(name, []).append(_unmarked(part))
    block.replace("WHERE", [*tokens_of("WHERE"), *and_joined(rest)] if rest else [])
    block.replace("FROM", [*tokens_of("FROM"), *_joined(tables, aliases, joins)])


def _marks(part: list[Token]) -> set[str]:
    """The tables whose columns carry ``(+)`` in a condition.

    Raises:
        OracleError: ORA-00900 for a ``(+)`` after an unqualified column.
    """
    found = set()
    for i in range(len(part) - 2):
        if [t.text for t in part[i:i + 3]] != ["(", "+", ")"]:
            continue
        if i < 3 or part[i - 2].text != ".":
            raise OracleError(900, "(+) after a column without its table's name or alias is "
                              "not supported by the test server")
        found.add(name_of(part[i - 3]))
    return found


def _unmarked(part: list[Token]) -> list[Token]:
    out: list[Token] = []
    for token in part:
        out.append(token)
        if [t.text for t in out[-3:]] == ["(", "+", ")"]:
            del out[-3:]
    return out


def _alias(table: list[Token]) -> str:
    """The name a FROM item is referred to by: its alias, else its (last) name."""
    return name_of(table[-1])


def _joined(tables: list[list[Token]], aliases: list[str],
            joins: dict[str, list[list[Token]]]) -> list[Token]:
    """The FROM items: the plain ones by commas, then each optional one as a LEFT JOIN."""
    out: list[Token] = []
    placed = set()
    for table, alias in zip(tables, aliases):
        if alias not in joins:
            out += [*(tokens_of(",") if out else []), *table]
            placed.add(alias)
    waiting = [(table, alias) for table, alias in zip(tables, aliases) if alias in joins]
    while waiting:
        ready = next(((t, a) for t, a in waiting if _names(joins[a]) - {a} <= placed), None)
        if ready is None or not out:
            raise OracleError(1416)
        table, alias = ready
        out += [*tokens_of("LEFT JOIN"), *table, *tokens_of("ON"), *and_joined(joins[alias])]
        placed.add(alias)
        waiting.remove(ready)
    return out


def _names(conditions: list[list[Token]]) -> set[str]:
    """The qualifiers (``x`` of ``x.col``) the conditions use."""
    return {name_of(part[i]) for part in conditions for i in range(len(part) - 1)
            if part[i + 1].text == "." and part[i].kind in ("word", "ident")}
