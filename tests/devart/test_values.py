"""Query results: the same rows from both connectors, but for how NUMBER comes back.

Devart returns a NUMBER column without a declared scale (``select 1``,
``count(*)``, a ``number`` column) as float; devart_oracle returns what
python-oracledb does (an int when the value is integral). Columns declared
``number(p)`` come back as int from both. The difference is in
docs/devart-differences.md.
"""

from __future__ import annotations

import datetime
from contextlib import closing
from types import ModuleType
from typing import Any

from .conftest import Relay, Server
from .scenarios import both, maker

QUERIES = (
    "select 'abc', null, sysdate - sysdate from dual",
    "select id, name, born from devart_values order by id",
    "select count(*), max(id) from devart_values",
    "select amount from devart_values order by id",
)


def _rows(module: ModuleType, text: str) -> list[list[Any]]:
    with closing(module.connect(text)) as conn:
        cursor = conn.cursor()
        out = []
        for query in QUERIES:
            cursor.execute(query)
            out.append([tuple(row) for row in cursor.fetchall()])
        return out


def test_both_return_the_same_values(devart: ModuleType, relay: Relay, server: Server) -> None:
    with server.thin() as conn:
        cursor = conn.cursor()
        cursor.execute("create table devart_values (id number(10), name varchar2(20), born date, "
                       "amount number)")
        cursor.executemany("insert into devart_values values (:1, :2, :3, :4)",
                           [(1, "one", datetime.datetime(2020, 1, 2, 3, 4, 5), 2.5),
                            (2, None, None, 7)])
        conn.commit()
    theirs, ours = (_rows(module, maker(relay)()) for module in both(devart))
    assert theirs[1] == ours[1] == [(1, "one", datetime.datetime(2020, 1, 2, 3, 4, 5)),
                                    (2, None, None)]
    assert theirs[0] == [("abc", None, 0.0)] and ours[0] == [("abc", None, 0)]
    assert theirs[2] == [(2.0, 2)] and ours[2] == [(2, 2)]  # count(*) is a NUMBER without scale
    assert theirs[3] == [(2.5,), (7.0,)] and ours[3] == [(2.5,), (7,)]
