"""SQLAlchemy's asyncio engine (``oracle+oracledb_async``) against the embedded server.

Connections come from python-oracledb's ``connect_async`` and from a
devart_oracle asyncio pool; the schema work runs through ``run_sync``, as
SQLAlchemy's documentation shows.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import oracledb
import pytest

sa = pytest.importorskip("sqlalchemy")
pytest.importorskip("greenlet")  # SQLAlchemy's asyncio layer needs it

from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

import devart_oracle  # noqa: E402
from devart_oracle.testing import OracleTestServer  # noqa: E402

_metadata = sa.MetaData()
_items = sa.Table("sa_async_item", _metadata,
                  sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
                  sa.Column("name", sa.String(20), nullable=False, comment="what it is"))


async def _exercise(creator: Callable[[], Awaitable[Any]], pooled: bool) -> None:
    options: dict[str, Any] = {} if pooled else {"poolclass": NullPool}
    engine = create_async_engine("oracle+oracledb_async://", async_creator=creator, **options)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_metadata.create_all)
            await conn.run_sync(_metadata.create_all)  # checkfirst
            await conn.execute(_items.insert(), [{"name": "pen"}, {"name": "ink"}])
        async with engine.connect() as conn:
            names = await conn.scalars(sa.select(_items.c.name).order_by(_items.c.id))
            assert names.all() == ["pen", "ink"]
            columns = await conn.run_sync(
                lambda sync: sa.inspect(sync).get_columns("sa_async_item"))
            assert [(c["name"], c["comment"]) for c in columns] == [
                ("id", None), ("name", "what it is")]
        async with engine.begin() as conn:
            await conn.run_sync(_metadata.drop_all)
            assert not await conn.run_sync(lambda sync: sa.inspect(sync).has_table("sa_async_item"))
    finally:
        await engine.dispose()


def test_async_engine_with_python_oracledb(app_server: OracleTestServer) -> None:
    async def creator() -> Any:
        return await oracledb.connect_async(user="scott", password="tiger", dsn=app_server.dsn)
    asyncio.run(_exercise(creator, pooled=True))


def test_async_engine_with_a_devart_pool(app_server: OracleTestServer) -> None:
    async def run() -> None:
        pool = devart_oracle.create_pool_async(user="scott", password="tiger",
                                               dsn=app_server.dsn, min=1, max=3)
        try:
            await _exercise(lambda: pool.acquire(), pooled=False)
        finally:
            await pool.close(force=True)
    asyncio.run(run())
