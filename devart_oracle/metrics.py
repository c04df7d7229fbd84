"""OpenTelemetry metrics for every devart_oracle pool, both faces.

``instrument()`` reports the pools through the OpenTelemetry API
(``pip install devart_oracle[otel]`` brings ``opentelemetry-api``; the SDK,
an exporter and a meter provider are the application's choice) under the
semantic conventions for database client connection pools:

==========================================  ===============================  =============
name                                        instrument                       unit
==========================================  ===============================  =============
``db.client.connection.count``              observable up-down counter       {connection}
``db.client.connection.idle.max``           observable up-down counter       {connection}
``db.client.connection.idle.min``           observable up-down counter       {connection}
``db.client.connection.max``                observable up-down counter       {connection}
``db.client.connection.pending_requests``   observable up-down counter       {request}
``db.client.connection.timeouts``           counter                          {timeout}
``db.client.connection.create_time``        histogram                        s
``db.client.connection.wait_time``          histogram                        s
``db.client.connection.use_time``           histogram                        s
==========================================  ===============================  =============

Every point carries ``db.client.connection.pool.name``: an explicit pool's
name (its alias, when it has one) or ``poolid:N`` for the partitions of
``connection_pool[N]`` (summed; a partition's fingerprint is never shown).
``count`` also carries ``db.client.connection.state``, ``idle`` or ``used``.
Until ``instrument()`` is called nothing is reported and the pools pay one
``None`` test per event.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from .pool import _metrics

__all__ = ["Instrumentation", "instrument"]

POOL_NAME = "db.client.connection.pool.name"
STATE = "db.client.connection.state"
_PREFIX = "db.client.connection."

# The semantic conventions' own descriptions.
_WAIT = "The time it took to obtain an open connection from the pool"
_USE = "The time between borrowing a connection and returning it to the pool"
_CREATE = "The time it took to create a new connection"
_TIMEOUTS = "The number of connection timeouts that have occurred trying to obtain a connection from the pool"
_GAUGES = {
    "count": ("{connection}", "The number of connections that are currently in state described by the state attribute"),
    "idle.max": ("{connection}", "The maximum number of idle open connections allowed"),
    "idle.min": ("{connection}", "The minimum number of idle open connections allowed"),
    "max": ("{connection}", "The maximum number of open connections allowed"),
    "pending_requests": ("{request}", "The number of current pending requests for an open connection"),
}


def instrument(meter_provider: Any = None) -> Instrumentation:
    """Report every pool, live and future, to OpenTelemetry until ``close()``.

    Args:
        meter_provider: an OpenTelemetry ``MeterProvider``; None takes the
            global one (``opentelemetry.metrics.get_meter_provider()``).

    Returns:
        The instrumentation; its ``close()`` stops the reports. A second
        ``instrument()`` replaces the first.

    Raises:
        ImportError: opentelemetry-api is not installed.
    """
    try:
        from opentelemetry import metrics
    except ImportError as exc:
        raise ImportError("devart_oracle.metrics needs opentelemetry-api: pip install devart_oracle[otel]") from exc
    provider = meter_provider if meter_provider is not None else metrics.get_meter_provider()
    instrumentation = Instrumentation(provider.get_meter("devart_oracle"))
    _metrics.attach(instrumentation)
    return instrumentation


class Instrumentation:
    """The instruments of one ``instrument()`` call; also the pools' sink of durations."""

    def __init__(self, meter: Any) -> None:
        self._closed = False
        self._attributes: dict[str, dict[str, str]] = {}
        histogram = meter.create_histogram
        self._wait = histogram(f"{_PREFIX}wait_time", unit="s", description=_WAIT)
        self._use = histogram(f"{_PREFIX}use_time", unit="s", description=_USE)
        self._create = histogram(f"{_PREFIX}create_time", unit="s", description=_CREATE)
        self._timeouts = meter.create_counter(f"{_PREFIX}timeouts", unit="{timeout}", description=_TIMEOUTS)
        gauges = {"count": self._count, "idle.max": self._idle_max, "idle.min": self._idle_min,
                  "max": self._max, "pending_requests": self._pending}  # fmt: skip
        for suffix, gauge in gauges.items():
            unit, description = _GAUGES[suffix]
            self._observe(meter, suffix, unit, description, gauge)

    def __repr__(self) -> str:
        return f"<Instrumentation {'closed' if self._closed else 'reporting'}>"

    def close(self) -> None:
        """Stop reporting (the instruments stay registered, with nothing to say)."""
        self._closed = True
        _metrics.attach(None)

    def _observe(self, meter: Any, suffix: str, unit: str, description: str, gauge: Any) -> None:
        meter.create_observable_up_down_counter(
            f"{_PREFIX}{suffix}", callbacks=[lambda options: self._points(gauge)], unit=unit,
            description=description,
        )

    def _attrs(self, pool: str) -> dict[str, str]:
        attributes = self._attributes.get(pool)
        if attributes is None:
            attributes = self._attributes[pool] = {POOL_NAME: pool}
        return attributes

    # -- the sink: durations as they happen -------------------------------

    def wait(self, pool: str, seconds: float) -> None:
        self._wait.record(seconds, self._attrs(pool))

    def use(self, pool: str, seconds: float) -> None:
        self._use.record(seconds, self._attrs(pool))

    def create(self, pool: str, seconds: float) -> None:
        self._create.record(seconds, self._attrs(pool))

    def timeout(self, pool: str) -> None:
        self._timeouts.add(1, self._attrs(pool))

    # -- the gauges: read from every live pool when collected ---------------

    def _points(self, gauge: Any) -> list[Any]:
        from opentelemetry.metrics import Observation

        if self._closed:
            return []
        totals: dict[tuple[tuple[str, str], ...], int] = defaultdict(int)
        for engine in _metrics.live():
            for extra, value in gauge(engine.core):
                totals[((POOL_NAME, engine.metrics.name), *extra)] += value
        return [Observation(value, dict(key)) for key, value in totals.items()]

    @staticmethod
    def _count(core: Any) -> Iterable[tuple[tuple[tuple[str, str], ...], int]]:
        return [(((STATE, "idle"),), core.idle), (((STATE, "used"),), core.busy)]

    @staticmethod
    def _idle_max(core: Any) -> Iterable[tuple[tuple[tuple[str, str], ...], int]]:
        s = core.settings
        limit = s.max_idle if s.max_idle is not None else s.max
        return [] if limit is None else [((), limit)]

    @staticmethod
    def _idle_min(core: Any) -> Iterable[tuple[tuple[tuple[str, str], ...], int]]:
        return [((), core.settings.min)]

    @staticmethod
    def _max(core: Any) -> Iterable[tuple[tuple[tuple[str, str], ...], int]]:
        limit = core.settings.max
        return [] if limit is None else [((), limit)]

    @staticmethod
    def _pending(core: Any) -> Iterable[tuple[tuple[tuple[str, str], ...], int]]:
        return [((), core.waiting)]
