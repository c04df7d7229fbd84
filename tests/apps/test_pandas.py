"""pandas against the embedded server: to_sql, read_sql_table and read_sql.

pandas goes through a SQLAlchemy engine, made from python-oracledb directly
and from devart_oracle's pools (see ``connector``); ``read_sql`` also takes
a plain DB-API connection.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import oracledb
import pytest

pd = pytest.importorskip("pandas")
sa = pytest.importorskip("sqlalchemy")

from devart_oracle.testing import OracleTestServer  # noqa: E402

_FRAME = {"name": ["ada", "alan", "grace"], "score": [1.5, 2.25, 3.0], "rank": [1, 2, 3],
          "born": [datetime.datetime(1815, 12, 10), datetime.datetime(1912, 6, 23),
                   datetime.datetime(1906, 12, 9)]}


@pytest.fixture
def tables_dropped(engine: Any) -> Iterator[Any]:
    """The engine; the tables a test made are dropped afterwards."""
    yield engine
    with engine.begin() as conn:
        for table in sa.inspect(conn).get_table_names():
            conn.exec_driver_sql(f"drop table {table}")


def test_to_sql_then_read_sql_table(tables_dropped: Any) -> None:
    engine = tables_dropped
    frame = pd.DataFrame(_FRAME)
    frame["name"] = frame["name"].astype(object)  # VARCHAR2, not a CLOB (LOBs are not served)
    # pandas' float64 is Float(precision=53), which SQLAlchemy refuses for any Oracle
    dtype = {"name": sa.String(20), "score": sa.Numeric(10, 2)}
    frame.to_sql("pd_people", engine, index=False, dtype=dtype)
    back = pd.read_sql_table("pd_people", engine)
    assert list(back.columns) == ["name", "score", "rank", "born"]
    assert back["name"].tolist() == _FRAME["name"]
    assert back["rank"].tolist() == _FRAME["rank"]
    assert [t.to_pydatetime() for t in back["born"]] == _FRAME["born"]
    # read_sql_table casts by the reflected type, and SQLAlchemy's Oracle NUMBER is an
    # Integer too (so NUMBER(10,2) comes back truncated, on Oracle as here); a query does not
    scores = pd.read_sql("select score from pd_people order by rank", engine)
    assert scores["score"].tolist() == _FRAME["score"]


def test_to_sql_if_exists(tables_dropped: Any) -> None:
    engine = tables_dropped
    frame = pd.DataFrame({"n": [1, 2]})
    frame.to_sql("pd_numbers", engine, index=False)
    with pytest.raises(ValueError, match="already exists"):
        frame.to_sql("pd_numbers", engine, index=False)
    frame.to_sql("pd_numbers", engine, index=False, if_exists="append")
    assert pd.read_sql_table("pd_numbers", engine)["n"].tolist() == [1, 2, 1, 2]
    frame.to_sql("pd_numbers", engine, index=False, if_exists="replace")
    assert pd.read_sql_table("pd_numbers", engine)["n"].tolist() == [1, 2]


def test_read_sql_with_a_query_and_binds(tables_dropped: Any) -> None:
    engine = tables_dropped
    pd.DataFrame({"n": [1, 2, 3, 4]}).to_sql("pd_query", engine, index=False)
    query = sa.text("select n, n * 10 as tens from pd_query where n > :low order by n")
    got = pd.read_sql(query, engine, params={"low": 2})
    assert got.to_dict("list") == {"n": [3, 4], "tens": [30, 40]}


def test_read_sql_on_a_dbapi_connection(app_server: OracleTestServer) -> None:
    with oracledb.connect(user="scott", password="tiger", dsn=app_server.dsn) as conn:
        with pytest.warns(UserWarning, match="SQLAlchemy"):  # pandas' own warning for DB-API
            got = pd.read_sql("select 1 as one, 'x' as ex from dual", conn)
    assert got.to_dict("list") == {"ONE": [1], "EX": ["x"]}
