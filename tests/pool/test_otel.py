"""devart_oracle.metrics: every pool, both faces, through the OpenTelemetry
SDK's in-memory metric reader, against the embedded server."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("opentelemetry.sdk.metrics")
from opentelemetry.sdk.metrics import MeterProvider  # noqa: E402
from opentelemetry.sdk.metrics.export import InMemoryMetricReader  # noqa: E402

import devart_oracle as do  # noqa: E402
from devart_oracle import connect, connection_pool, metrics  # noqa: E402
from devart_oracle.pool import _metrics  # noqa: E402
from tests.fixtures.pooling import wait_for  # noqa: E402

POOL = "db.client.connection.pool.name"
UNITS = {
    "db.client.connection.count": "{connection}",
    "db.client.connection.idle.max": "{connection}",
    "db.client.connection.idle.min": "{connection}",
    "db.client.connection.max": "{connection}",
    "db.client.connection.pending_requests": "{request}",
    "db.client.connection.timeouts": "{timeout}",
    "db.client.connection.create_time": "s",
    "db.client.connection.wait_time": "s",
    "db.client.connection.use_time": "s",
}


@pytest.fixture
def reader() -> Iterator[InMemoryMetricReader]:
    memory = InMemoryMetricReader()
    instrumentation = metrics.instrument(MeterProvider(metric_readers=[memory]))
    yield memory
    instrumentation.close()


def collect(reader: InMemoryMetricReader) -> dict[str, tuple[str, list[Any]]]:
    """Metric name -> (unit, data points)."""
    found: dict[str, tuple[str, list[Any]]] = {}
    for resource in reader.get_metrics_data().resource_metrics:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                found[metric.name] = (metric.unit, list(metric.data.data_points))
    return found


def point(points: list[Any], pool: str, **attributes: str) -> Any:
    wanted = {POOL: pool, **{f"db.client.connection.{k}": v for k, v in attributes.items()}}
    [match] = [p for p in points if dict(p.attributes) == wanted]
    return match


def test_every_pool_of_both_faces_reports_with_the_conventions_names(reader, registry, private_server):
    sync = do.create_pool(user="scott", password="tiger", dsn=private_server.dsn, min=2, max=2, pool_alias="orders",
                          getmode=do.POOL_GETMODE_TIMEDWAIT, wait_timeout=10)  # fmt: skip
    assert wait_for(lambda: sync.opened == 2)  # neither acquire below waits for a logon
    a, b = sync.acquire(), sync.acquire()
    with pytest.raises(do.PoolExhaustedError):
        sync.acquire()  # times out
    sync.release(b)
    held = connect(private_server.connection_string("scott"), PoolId=7)

    async def use_async() -> dict[str, tuple[str, list[Any]]]:
        pool = do.create_pool_async(user="scott", password="tiger", dsn=private_server.dsn, min=0, max=3,
                                    pool_alias="async-orders")  # fmt: skip
        async with pool.acquire() as conn:
            await conn.cursor().execute("select 1 from dual")
        found = collect(reader)  # while the asyncio pool lives
        await pool.close()
        return found

    found = asyncio.run(use_async())
    assert {name: unit for name, (unit, _) in found.items()} == UNITS
    count = found["db.client.connection.count"][1]
    assert point(count, "orders", state="used").value == 1 and point(count, "orders", state="idle").value == 1
    assert point(count, "poolid:7", state="used").value == 1
    assert point(count, "async-orders", state="idle").value == 1
    assert point(found["db.client.connection.max"][1], "orders").value == 2
    assert point(found["db.client.connection.idle.min"][1], "orders").value == 2
    assert point(found["db.client.connection.idle.max"][1], "poolid:7").value == 100  # max_size
    assert point(found["db.client.connection.pending_requests"][1], "orders").value == 0
    assert point(found["db.client.connection.timeouts"][1], "orders").value == 1
    assert point(found["db.client.connection.wait_time"][1], "orders").count == 3 - 1  # the timed-out one got none
    assert point(found["db.client.connection.use_time"][1], "orders").count == 1
    assert point(found["db.client.connection.use_time"][1], "async-orders").count == 1
    assert point(found["db.client.connection.create_time"][1], "poolid:7").count == 1
    shown = repr(reader.get_metrics_data().to_json())
    assert "tiger" not in shown and connection_pool.stats()[0].fingerprint not in shown
    sync.release(a)
    sync.close()
    held.close()


def test_nothing_is_reported_before_instrument_or_after_close(private_server):
    pool = do.create_pool(user="scott", password="tiger", dsn=private_server.dsn, min=0, max=1)
    assert pool._engine.metrics.sink is None  # the only cost when not instrumented: a None test
    memory = InMemoryMetricReader()
    instrumentation = metrics.instrument(MeterProvider(metric_readers=[memory]))
    assert pool._engine.metrics.sink is instrumentation
    instrumentation.close()
    pool.release(pool.acquire())
    assert pool._engine.metrics.sink is None and not _metrics._sink
    data = memory.get_metrics_data()
    names = {m.name for r in data.resource_metrics for s in r.scope_metrics for m in s.metrics} if data else set()
    assert "db.client.connection.use_time" not in names and "db.client.connection.count" not in names
    pool.close()


def test_instrument_takes_the_global_meter_provider_by_default(monkeypatch, private_server):
    from opentelemetry import metrics as otel

    memory = InMemoryMetricReader()
    monkeypatch.setattr(otel, "get_meter_provider", lambda: MeterProvider(metric_readers=[memory]))
    instrumentation = metrics.instrument()
    try:
        pool = do.create_pool(user="scott", password="tiger", dsn=private_server.dsn, min=0, max=1, pool_alias="g")
        pool.release(pool.acquire())
        assert point(collect(memory)["db.client.connection.use_time"][1], "g").count == 1
        pool.close()
    finally:
        instrumentation.close()
