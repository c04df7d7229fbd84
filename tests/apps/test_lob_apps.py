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
