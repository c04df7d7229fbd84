"""SQLAlchemy ``Text`` and ``LargeBinary`` (CLOB and BLOB) round trips through the test server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from devart_oracle.testing import OracleTestServer

sa = pytest.importorskip("sqlalchemy")


@pytest.fixture(scope="module")
def engine() -> Iterator[object]:
    with OracleTestServer(users={"scott": "tiger"}) as server:
        url = f"oracle+oracledb://scott:tiger@127.0.0.1:{server.port}/?service_name={server.service_name}"
        created = sa.create_engine(url)
        try:
            yield created
        finally:
            created.dispose()


def test_text_and_large_binary_round_trip(engine: object) -> None:
    metadata = sa.MetaData()
    docs = sa.Table("docs", metadata, sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("body", sa.Text), sa.Column("data", sa.LargeBinary))
    # the DDL SQLAlchemy emits for these types, without its catalog lookups
    ddl = str(sa.schema.CreateTable(docs).compile(engine))  # type: ignore[arg-type]
    assert "CLOB" in ddl and "BLOB" in ddl
    body, data = "\u00e9crit " * 20000, bytes(range(256)) * 400
    with engine.begin() as conn:  # type: ignore[attr-defined]
        conn.exec_driver_sql(ddl)
        conn.execute(docs.insert(), [{"id": 1, "body": body, "data": data},
                                     {"id": 2, "body": "short", "data": None}])
    with engine.connect() as conn:  # type: ignore[attr-defined]
        rows = conn.execute(sa.select(docs).order_by(docs.c.id)).all()
        assert [tuple(row) for row in rows] == [(1, body, data), (2, "short", None)]
        matched = conn.execute(sa.select(docs.c.id).where(docs.c.body.like("%crit%"))).all()
        assert [tuple(row) for row in matched] == [(1,)]


def test_pandas_default_to_sql_types_round_trip(engine: object) -> None:
    """pandas' default type for text (object) columns is Text, a CLOB on Oracle; bytes need LargeBinary.

    (pandas maps a bytes column to Text as well, which python-oracledb cannot
    bind from binary data, on Oracle as here: the dtype is given for it.)
    """
    pd = pytest.importorskip("pandas")
    long_text = "x\u00e9" * 30000
    frame = pd.DataFrame({"id": [1, 2, 3], "note": ["short", long_text, None],
                          "blob": [b"\x00\x01", bytes(range(256)) * 100, None]})
    frame.to_sql("pd_lobs", engine, index=False, dtype={"blob": sa.LargeBinary})  # note: pandas' Text
    try:
        inspector = sa.inspect(engine)
        types = {c["name"]: type(c["type"]).__name__ for c in inspector.get_columns("pd_lobs")}
        assert types["note"] == "CLOB" and types["blob"] == "BLOB"
        back = pd.read_sql("select id, note, blob from pd_lobs order by id", engine)
        assert back["note"].tolist()[:2] == ["short", long_text] and back["note"].isna().tolist()[2]
        assert back["blob"].tolist()[:2] == [b"\x00\x01", bytes(range(256)) * 100]
        assert back["blob"].isna().tolist()[2]
    finally:
        with engine.begin() as conn:  # type: ignore[attr-defined]
            conn.exec_driver_sql("drop table pd_lobs")
