"""docs/monitoring.md names every statistic and every metric the code reports, and no other."""

from __future__ import annotations

import re
from pathlib import Path

from devart_oracle import metrics
from devart_oracle.pool._core import PoolCore, PoolSettings, Reason
from devart_oracle.pool._metrics import PoolMetrics

MONITORING = (Path(__file__).resolve().parents[2] / "docs" / "monitoring.md").read_text()


def _table_keys(heading: str) -> set[str]:
    """The first column of the tables under a ``##`` heading."""
    section = MONITORING.split(f"## {heading}")[1].split("\n## ")[0]
    return {key for cell in re.findall(r"^\| ([^|]+) \|", section, re.MULTILINE) for key in re.findall(r"`([^`]+)`", cell)}


def test_every_statistic_is_documented_and_every_documented_one_exists() -> None:
    stats = PoolMetrics().snapshot(PoolCore(PoolSettings()))
    assert _table_keys("`get_stats()` and `pop_stats()`") == set(stats)


def test_every_destroyed_reason_is_listed() -> None:
    row = next(line for line in MONITORING.splitlines() if line.startswith("| `destroyed`"))
    assert all(f"`{reason.value}`" in row for reason in Reason)


def test_the_metric_table_is_the_one_in_the_code() -> None:
    # tests/pool/test_otel.py checks the code's table against what the SDK receives
    documented = {name for name in _table_keys("OpenTelemetry") if name.startswith("db.client.connection.")}
    in_code = set(re.findall(r"^``(db\.client\.connection\.[a-z_.]+)``", metrics.__doc__ or "", re.MULTILINE))
    assert documented == in_code and len(in_code) == 9
