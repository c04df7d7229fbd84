"""``connection_pool`` settings: types, ranges, views and messages (no database)."""

from __future__ import annotations

import sys
import threading

import pytest

import devart_oracle
from devart_oracle import ProgrammingError, connection_pool


def test_defaults(registry):
    registry.enabled = False
    assert connection_pool.enabled is False
    assert (connection_pool.min_size, connection_pool.max_size) == (0, 100)
    assert (connection_pool.lifetime, connection_pool.validate) == (0, False)
    assert connection_pool.idle_timeout == 240
    assert connection_pool.validation_interval == 30


def test_pool_zero_is_the_module_object(registry):
    connection_pool.max_size = 7
    assert connection_pool[0].max_size == 7
    connection_pool[0].min_size = 2
    assert connection_pool.min_size == 2


def test_views_are_independent(registry):
    connection_pool[42].max_size = 3
    assert connection_pool[42].max_size == 3
    assert connection_pool.max_size == 100
    assert connection_pool[43].max_size == 100


def test_view_has_no_global_switches(registry):
    with pytest.raises(AttributeError, match=r"^enabled is global: set connection_pool.enabled, not connection_pool\[42\].enabled$"):
        connection_pool[42].enabled  # noqa: B018
    with pytest.raises(AttributeError, match="enabled is global"):
        connection_pool[42].enabled = True
    with pytest.raises(AttributeError, match="validation_interval is global"):
        connection_pool[42].validation_interval = 5
    with pytest.raises(AttributeError, match=r"^connection_pool\[42\] has no attribute 'max_sise'$"):
        connection_pool[42].max_sise  # noqa: B018


@pytest.mark.parametrize("index", [10**18, -(10**18), 10**30])
def test_pool_ids_beyond_what_poolid_can_write(registry, index):
    with pytest.raises(ProgrammingError, match="out of range"):
        connection_pool[index]


@pytest.mark.parametrize("index", ["1", 1.0, None, True])
def test_non_int_index(registry, index):
    with pytest.raises(TypeError, match="pool ids are integers"):
        connection_pool[index]


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("max_size", 0, "invalid value 0 for connection_pool.max_size: expected an integer from 1 to 2147483647"),
        ("max_size", "10", "invalid value '10' for connection_pool.max_size"),
        ("max_size", 10.0, "invalid value 10.0 for connection_pool.max_size"),
        ("min_size", -1, "invalid value -1 for connection_pool.min_size: expected an integer from 0"),
        ("min_size", True, "invalid value True for connection_pool.min_size"),
        ("lifetime", -5, "invalid value -5 for connection_pool.lifetime: expected milliseconds"),
        ("validate", 1, "invalid value 1 for connection_pool.validate: expected True or False"),
        ("idle_timeout", -1, "invalid value -1 for connection_pool.idle_timeout"),
        ("validation_interval", 0, "invalid value 0 for connection_pool.validation_interval"),
        ("enabled", "yes", "invalid value 'yes' for connection_pool.enabled: expected True or False"),
    ],
)
def test_bad_values_name_attribute_value_and_range(registry, name, value, message):
    with pytest.raises(ProgrammingError) as info:
        setattr(connection_pool, name, value)
    assert str(info.value).startswith(message)


def test_view_errors_name_the_pool(registry):
    with pytest.raises(ProgrammingError, match=r"connection_pool\[42\]\.max_size"):
        connection_pool[42].max_size = -1


def test_min_above_max_is_refused(registry):
    connection_pool[5].max_size = 4
    with pytest.raises(ProgrammingError, match=r"min_size \(5\) would exceed max_size \(4\)"):
        connection_pool[5].min_size = 5
    assert connection_pool[5].min_size == 0


def test_float_seconds_accepted(registry):
    connection_pool.idle_timeout = 0.5
    connection_pool.validation_interval = 2
    assert connection_pool.idle_timeout == 0.5 and connection_pool.validation_interval == 2


def test_repr_shows_settings(registry):
    assert "max_size=100" in repr(connection_pool[3])


def test_stats_empty_without_partitions(registry):
    assert connection_pool.stats() == [] and connection_pool[9].stats() == []


def test_connect_without_arguments():
    with pytest.raises(ProgrammingError, match="connect\\(\\) needs a connection string"):
        devart_oracle.connect()


def test_concurrent_changes_leave_partitions_with_the_last_setting(registry, oracle_server):
    devart_oracle.connect(oracle_server.connection_string("scott")).close()  # one partition
    (partition,) = registry._partitions.values()
    mismatches = 0
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: the race shows
    try:
        mismatches = _race_sizes(partition)
    finally:
        sys.setswitchinterval(interval)
    assert mismatches == 0


def _race_sizes(partition) -> int:
    mismatches = 0
    for _ in range(200):
        barrier = threading.Barrier(2)

        def set_to(size: int) -> None:
            barrier.wait()
            connection_pool.max_size = size

        threads = [threading.Thread(target=set_to, args=(size,)) for size in (5, 7)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        mismatches += partition.core.settings.max_idle != connection_pool.max_size
    return mismatches
