"""Oracle SQL to SQLite SQL: statement kinds and the rewrite of queries and DML.

The rewrite works token by token (see ``lexer``), so literals, quoted
identifiers and comments are never touched:

- unquoted words are folded to upper case, as Oracle does, so that result
  column names come out as Oracle reports them; a word with ``$`` or ``#``
  (``V$SESSION``, ``SERIAL#``) is quoted, since SQLite would not read it;
- binds become numbered ``?NNN`` placeholders, one per occurrence, numbered
  in the order of the original text (a structural rewrite may move them);
- query blocks with ROWNUM conditions, CONNECT BY or ``(+)`` are rebuilt
  first (``structural``), and any other ROWNUM is ``ROW_NUMBER() OVER ()``;
- ``SYSDATE``, ``USER`` and friends, ``seq.NEXTVAL``, ``ROWID`` (``rowid``)
  and ``DBMS_LOB.f`` become calls of functions the session registers;
- ``DATE``, ``TIMESTAMP`` and ``INTERVAL`` literals become stored values
  (``typed_literals``), ``q'[...]'`` a plain literal and ``''`` NULL;
- a number literal SQLite would not hold exactly (beyond 64-bit integers,
  or a fraction of more than 15 significant digits) becomes its stored form,
  tagged text (``values``), as a bind of the same value would, its sign
  included: SQLite reads such literals as binary doubles; ``MINUS`` is ``EXCEPT``;
- arithmetic with ``+``, ``-``, ``/`` and ``||`` becomes calls of
  ``ORA_ADD``, ``ORA_SUB``, ``ORA_DIV`` and ``ORA_CONCAT`` (``numeric``), for
  date arithmetic, NULL in ``||``, exact division and ORA errors; the
  operands come from ``arithmetic``, and ``*`` stays SQLite's. A ``/`` the
  chain parser does not reach still divides exactly (``* 1.0 /``);
- ``CAST(expr AS type)`` becomes ``ORA_CAST(expr, 'type')`` (``casts``),
  ``LISTAGG ... WITHIN GROUP (ORDER BY ...)`` ``ORA_LISTAGG`` (``listagg``);
- DML's ``RETURNING exprs INTO :targets`` keeps its expressions for
  SQLite's own RETURNING and loses its INTO (the wire layer sends the
  returned rows back into the targets);
- ``OFFSET n ROWS FETCH FIRST m ROWS ONLY`` becomes ``LIMIT m OFFSET n``;
  a trailing ``FOR UPDATE ...`` is dropped and reported, the caller takes the
  write lock instead;
- a schema prefix naming the session's own schema, its current schema, a
  user of the server (or SYS, PUBLIC), quoted or not, is dropped: SQLite has
  one namespace for all users, and would read ``"SCOTT".T`` as a table of
  an attached database.

Each change that shows in an expression's column name is recorded, so that
``SELECT SYSDATE FROM DUAL`` still names its column ``SYSDATE``.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from decimal import Decimal

from .arithmetic import Chain, cast_parts, chain_at, combine, operand_may_follow
from .dml_targets import target_table
from .errors import OracleError
from .lexer import Token, significant, tokenize
from .listagg import listagg_sql
from .literals import literal_body, quote_literal
from .returning import returning_clause
from .rowid import PACKAGES, pseudo_call
from .structural import restructured
from .typed_literals import typed_literal
from .values import encode

__all__ = ["Plan", "classify", "plan"]

_KINDS = {
    "SELECT": "query", "WITH": "query",
    "INSERT": "dml", "UPDATE": "dml", "DELETE": "dml", "MERGE": "dml",
    "CREATE": "ddl", "DROP": "ddl", "TRUNCATE": "ddl", "RENAME": "ddl",
    "COMMENT": "ddl", "GRANT": "ddl", "REVOKE": "ddl", "ALTER": "ddl",
    "COMMIT": "commit", "ROLLBACK": "rollback", "SAVEPOINT": "savepoint",
    "BEGIN": "plsql", "DECLARE": "plsql", "CALL": "plsql",
    "LOCK": "lock", "SET": "set",
}
_ALTER = {"SESSION": "session", "SYSTEM": "system"}
_FUNCTIONS = {
    word: f"(ORA_{word}())" for word in
    ("SYSDATE", "CURRENT_DATE", "SYSTIMESTAMP", "CURRENT_TIMESTAMP", "LOCALTIMESTAMP", "USER")
}
_FUNCTIONS["MINUS"] = "EXCEPT"
_FUNCTIONS["ROWNUM"] = "(ROW_NUMBER() OVER ())"  # where no rule made it a LIMIT
_QUALIFIERS = frozenset({"SYS", "PUBLIC"})
_OPERAND_STARTS = frozenset({"number", "string", "qstring", "bind", "word", "ident"})


def classify(tokens: tuple[Token, ...]) -> tuple[str, str]:
    """The statement's kind (``"query"``, ``"dml"``, ``"ddl"`` ...) and first keyword.

    Raises:
        OracleError: ORA-00900 when no statement starts that way.
    """
    words = [t for t in significant(tokens) if t.text != "("]
    verb = words[0].text.upper() if words and words[0].kind == "word" else ""
    kind = _KINDS.get(verb)
    if kind is None:
        raise OracleError(900)
    if verb == "ALTER" and len(words) > 1:
        kind = _ALTER.get(words[1].text.upper(), kind)
    return kind, verb


@dataclass(frozen=True)
class Plan:
    """A query or DML statement rewritten for SQLite.

    Attributes:
        sql: the SQLite text.
        binds: how many values it takes.
        names: (SQLite text, Oracle text) pairs, to give columns Oracle's names.
        quoted: the quoted identifiers in the statement (their case is kept).
        objects: special objects it mentions (``"V$SESSION"``).
        for_update: it ended with ``FOR UPDATE``.
        target: the table a DML statement changes, for error messages.
        returning: how many ``RETURNING ... INTO`` targets the statement had;
            the SQLite text keeps the RETURNING list and drops the INTO.
    """

    sql: str
    binds: int
    names: tuple[tuple[str, str], ...] = ()
    quoted: frozenset[str] = frozenset()
    objects: frozenset[str] = frozenset()
    for_update: bool = False
    target: str = ""
    returning: int = 0


@functools.lru_cache(maxsize=1024)
def plan(sql: str, schemas: frozenset[str]) -> Plan:
    """Rewrite a query or DML statement; ``schemas`` are prefixes to drop.

    Raises:
        OracleError: ORA-00911 for a ``;``, ORA-01861 for a bad datetime
            literal, or a tokenizer error.
    """
    tokens = tokenize(sql)
    body, returning = returning_clause(tokens)
    body = restructured(body)
    rewritten = _Rewriter(body, schemas | _QUALIFIERS).run()
    return dataclasses.replace(rewritten, target=target_table(significant(tokens)), returning=returning)


@dataclass
class _Rewriter:
    tokens: tuple[Token, ...]
    schemas: frozenset[str]
    out: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    quoted: set[str] = field(default_factory=set)
    objects: set[str] = field(default_factory=set)
    binds: int = 0
    ordinals: dict[int, int] = field(default_factory=dict)  # a bind's offset -> its number
    depth: int = 0
    for_update: bool = False
    limit: str | None = None
    offset: str | None = None
    end: int = -1  # where the tokens being rewritten end; -1: at the end of the statement

    def run(self) -> Plan:
        offsets = sorted({t.pos for t in self.tokens if t.kind == "bind"})
        self.ordinals = {pos: number for number, pos in enumerate(offsets, 1)}
        self.binds = len(offsets)
        i = 0
        while i < len(self.tokens):
            i = self._step(i)
        if self.limit is not None or self.offset is not None:
            self.out.append(f" LIMIT {self.limit or -1}")
            if self.offset is not None:
                self.out.append(f" OFFSET {self.offset}")
        return Plan("".join(self.out), self.binds, tuple(self.names.items()),
                    frozenset(self.quoted), frozenset(self.objects), self.for_update)

    def _next(self, i: int) -> int:
        """The index of the next significant token after ``i``."""
        i += 1
        while i < len(self.tokens) and self.tokens[i].kind in ("ws", "comment"):
            i += 1
        return i

    def _at(self, i: int) -> Token | None:
        return self.tokens[i] if i < len(self.tokens) else None

    def _emit(self, text: str, original: str | None = None) -> None:
        self.out.append(text)
        if original is not None and text != original:
            self.names[text] = original

    def _step(self, i: int) -> int:
        token = self.tokens[i]
        exact = self._exact_number(i)
        if exact is not None:
            return exact
        if token.kind in _OPERAND_STARTS or token.text in "(+-":
            chain = chain_at(self.tokens, i, self._end())
            if chain is not None and chain.rewritten:
                return self._arithmetic(i, chain)
        if token.kind == "word":
            return self._word(i)
        if token.kind == "bind":
            self._emit(f"?{self.ordinals[token.pos]}", token.text.upper())
        elif token.kind in ("string", "qstring"):
            body = literal_body(token)
            self.out.append(quote_literal(body) if body else "NULL")
            if body and quote_literal(body) != token.text:
                self.names[quote_literal(body)] = token.text
        elif token.kind == "ident":
            return self._quoted(i)
        elif token.kind == "comment":
            self.out.append(" ")
        else:
            self._operator(token)
        return i + 1

    def _exact_number(self, start: int) -> int | None:
        """A number literal SQLite would round, with its sign, as tagged text; None if none."""
        i, sign = start, ""
        if self.tokens[i].text in ("+", "-") and operand_may_follow(self.tokens, i):
            sign, i = self.tokens[i].text, self._next(i)
        token = self._at(i)
        if token is None or token.kind != "number" or i >= self._end():
            return None
        stored = encode(Decimal(sign + token.text))
        if not isinstance(stored, str):
            return None
        self._emit(quote_literal(stored), self._original(start, i + 1))
        return i + 1

    def _end(self) -> int:
        return self.end if self.end >= 0 else len(self.tokens)

    def _span(self, start: int, end: int) -> str:
        """The SQLite text for ``tokens[start:end]``, rewritten as the rest is."""
        out, outer_end = self.out, self.end
        self.out, self.end = [], end
        i = start
        while i < end:
            i = self._step(i)
        text = "".join(self.out)
        self.out, self.end = out, outer_end
        return text

    def _original(self, start: int, end: int) -> str:
        return "".join(t.text for t in self.tokens[start:end])

    def _arithmetic(self, start: int, chain: Chain) -> int:
        """A chain with Oracle's operators: calls of ORA_ADD, ORA_SUB, ORA_DIV, ORA_CONCAT."""
        texts = [self._span(first, last) for first, last in chain.operands]
        self._emit(combine(texts, chain.operators), self._original(start, chain.end))
        return chain.end

    def _cast(self, i: int, opening: int) -> int | None:
        """``CAST(expr AS type)`` as ``ORA_CAST(expr, 'type')``; None if it is not one."""
        parts = cast_parts(self.tokens, opening, self._end())
        if parts is None:
            return None
        as_, closing = parts
        expression = self._span(opening + 1, as_)
        target = quote_literal(self._original(as_ + 1, closing - 1).strip())
        self._emit(f"ORA_CAST({expression}, {target})", self._original(i, closing))
        return closing

    def _operator(self, token: Token) -> None:
        text = token.text
        if text == ";":
            raise OracleError(911)
        self.depth += {"(": 1, ")": -1}.get(text, 0)
        self._emit("* 1.0 /" if text == "/" else text, text)

    def _word(self, i: int) -> int:
        token, j = self.tokens[i], self._next(i)
        upper, after = token.text.upper(), self._at(j)
        if after is not None and after.text == "." and self._at(self._next(j)) is not None:
            return self._dotted(i, upper, self._next(j))
        if upper in ("DATE", "TIMESTAMP", "INTERVAL") and after is not None and "string" in after.kind:
            text, after_literal = typed_literal(upper, self.tokens, j)
            self._emit(text, self._original(i, after_literal).rstrip())
            return after_literal
        if self.depth == 0 and upper in ("FOR", "OFFSET", "FETCH"):
            return self._tail(i, upper)
        if upper == "CAST" and after is not None and after.text == "(":
            end = self._cast(i, j)
            if end is not None:
                return end
        if upper == "LISTAGG" and after is not None and after.text == "(":
            text, end = listagg_sql(self.tokens, j, self._end(), self._span)
            self._emit(text, self._original(i, end))
            return end
        if upper in _FUNCTIONS:
            self._emit(_FUNCTIONS[upper], upper)
        elif upper == "ROWID":
            self._emit(*pseudo_call(self.tokens, "", upper))
        else:
            self._name(upper)
        return i + 1

    def _name(self, upper: str) -> None:
        if "$" in upper or "#" in upper:
            self.objects.add(upper)
            upper = f'"{upper}"'
        self.out.append(upper)

    def _quoted(self, i: int) -> int:
        """``"name"``: kept as written, unless it is a schema prefix to drop."""
        text = self.tokens[i].text
        j = self._next(i)
        member = self._member(j)
        if member is not None and text[1:-1] in self.schemas:
            return self._next(j)
        if member is not None and member.is_word("NEXTVAL", "CURRVAL"):
            self._sequence(text[1:-1], member)
            return self._next(j) + 1
        self.quoted.add(text[1:-1])
        self.out.append(text)
        return i + 1

    def _member(self, j: int) -> Token | None:
        """The name after the ``.`` at ``j``, if ``j`` is one."""
        dot, member = self._at(j), self._at(self._next(j))
        if dot is None or dot.text != "." or member is None:
            return None
        return member if member.kind in ("word", "ident") else None

    def _dotted(self, i: int, upper: str, k: int) -> int:
        """``word.next``: a schema prefix, a sequence, or a plain qualified name."""
        member = self.tokens[k]
        if upper in self.schemas and member.kind in ("word", "ident"):
            return k
        if member.is_word("NEXTVAL", "CURRVAL"):
            self._sequence(upper, member)
            return k + 1
        after = self._at(self._next(k))
        called = after is not None and after.text == "("
        if upper in PACKAGES or member.is_word("ROWID"):
            self._emit(*pseudo_call(self.tokens, upper, member.text.upper(), called))
            return k + 1
        if called and member.kind == "word":  # package.function(...): a stored package's (``functions``)
            name = f"{upper}.{member.text.upper()}"
            self._emit(f'"{name}"', name)
            return k + 1
        self._name(upper)
        return i + 1

    def _sequence(self, name: str, member: Token) -> None:
        function = f"(ORA_{member.text.upper()}({quote_literal(name)}))"
        self._emit(function, f"{name}.{member.text.upper()}")

    def _tail(self, i: int, upper: str) -> int:
        """The clauses that end a query: FOR UPDATE, OFFSET, FETCH FIRST."""
        words = significant(self.tokens[i:])
        texts = [t.text.upper() for t in words]
        if upper == "FOR" and texts[1:2] == ["UPDATE"]:
            self.for_update = True
            return len(self.tokens)
        if upper == "OFFSET" and len(texts) >= 3 and texts[2] in ("ROW", "ROWS"):
            self.offset = self._count(words[1])
            return self._skip(i, 3)
        if upper == "FETCH" and texts[1:2] in (["FIRST"], ["NEXT"]) and texts[4:5] == ["ONLY"]:
            self.limit = self._count(words[2])
            return self._skip(i, 5)
        self.out.append(upper)
        return i + 1

    def _count(self, token: Token) -> str:
        if token.kind == "number":
            return token.text
        if token.kind == "bind":
            return f"?{self.ordinals[token.pos]}"
        raise OracleError(933)

    def _skip(self, i: int, count: int) -> int:
        """The index after ``count`` significant tokens from ``i``."""
        for _ in range(count - 1):
            i = self._next(i)
        return i + 1
