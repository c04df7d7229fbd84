"""Charts of the benchmark results: PNG files drawn by matplotlib's Agg backend.

Each chart function takes the figures a bench script measured, as plain
dicts and lists (the same numbers the script prints), writes one PNG into
``directory`` (made when missing) and returns its path. No pyplot and no
global state: every chart is its own ``Figure`` on an Agg canvas, so this
runs without a display. matplotlib is the ``bench`` extra; without it a
chart function raises RuntimeError naming the extra (the scripts' ``--plot``
option refuses earlier, at the command line).
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from devart_oracle._cli import BENCH_EXTRA

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["Spike", "connect", "contention", "cycle", "devart", "server", "spike"]

COLORS = {"devart_oracle": "#1f77b4", "python-oracledb": "#ff7f0e", "fifo floor": "#7f7f7f", "Devart": "#d62728"}
DPI = 100


class Spike(NamedTuple):
    """One pool's spike: ``timeline`` of (seconds since the requests, sessions open), and each wait in ms."""

    timeline: Sequence[tuple[float, int]]
    waits_ms: Sequence[float]


def _figure(width: float, height: float, panels: int = 1,
            widths: Sequence[float] | None = None) -> tuple[Figure, list[Axes]]:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise RuntimeError(f"charts need matplotlib ({exc}): {BENCH_EXTRA}") from None
    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    grid = figure.subplots(1, panels, squeeze=False, width_ratios=widths)
    return figure, list(grid[0])


def _save(figure: Figure, directory: Path, name: str, script: str) -> Path:
    """Caption the figure with where and when it was measured, and write it."""
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    figure.supxlabel(f"bench/{script} · {os.cpu_count()} cores · {platform.machine()} · "
                     f"Python {platform.python_version()} · {when}", fontsize=7, color="#555555")
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    figure.savefig(path, format="png", dpi=DPI, metadata={"Title": name})
    return path


def _number(value: float) -> str:
    """A figure as the text prints it: whole above 100, else 3 significant digits."""
    return f"{value:,.0f}" if value >= 100 else f"{value:.3g}"


def _color(label: str) -> str | None:
    return next((color for peer, color in COLORS.items() if label.startswith(peer)), None)


def _hbars(axes: Axes, rows: Mapping[str, float], unit: str, log: bool = False) -> None:
    """One horizontal bar per row, top to bottom, each labelled with its value."""
    labels = list(rows)[::-1]
    values = [rows[label] for label in labels]
    bars = axes.barh(labels, values, color=[_color(label) or "#2ca02c" for label in labels])
    axes.bar_label(bars, labels=[f" {_number(value)} {unit}" for value in values], fontsize=8)
    if log:
        axes.set_xscale("log")
    axes.set_xlim(right=max(values) * (8 if log else 1.3))
    axes.set_xlabel(unit)
    axes.grid(axis="x", alpha=0.3)


def _grouped(axes: Axes, groups: Sequence[str], series: Mapping[str, Sequence[float]], unit: str) -> None:
    """Vertical bars: one cluster per group, one bar per series (a peer), labelled."""
    width = 0.8 / len(series)
    for index, (name, values) in enumerate(series.items()):
        places = [group + (index - (len(series) - 1) / 2) * width for group in range(len(groups))]
        bars = axes.bar(places, values, width, label=name, color=_color(name))
        axes.bar_label(bars, labels=[_number(value) for value in values], fontsize=8)
    axes.set_xticks(range(len(groups)), list(groups))
    axes.set_ylabel(unit)
    axes.set_ylim(top=max(max(values) for values in series.values()) * 1.2)
    axes.grid(axis="y", alpha=0.3)
    axes.legend(fontsize=8)


def cycle(cycles: Mapping[str, tuple[float, float]], directory: Path) -> Path:
    """acquire()+release() µs per peer, (sync, asyncio): bench_pools.py's first figures."""
    figure, (axes,) = _figure(6.4, 3.6)
    series = {name: list(pair) for name, pair in cycles.items()}
    _grouped(axes, ["sync", "asyncio"], series, "µs per acquire()+release() (lower is better)")
    ours, theirs = cycles.get("devart_oracle"), cycles.get("python-oracledb")
    ratios = "" if ours is None or theirs is None else (
        f": python-oracledb's pool takes {theirs[0] / ours[0]:.1f}x (sync), {theirs[1] / ours[1]:.1f}x (asyncio)")
    axes.set_title(f"pool cycle, one idle session{ratios}", fontsize=9)
    return _save(figure, directory, "cycle.png", "bench_pools.py")


def connect(rows: Mapping[str, float], directory: Path) -> Path:
    """µs per cycle of each row of bench_connect.py (log scale: unpooled is ~1000x)."""
    figure, (axes,) = _figure(7.5, 2.8)
    _hbars(axes, rows, "µs", log=True)
    axes.set_title("connect() + close() cycle, µs (log scale, lower is better)", fontsize=9)
    return _save(figure, directory, "connect.png", "bench_connect.py")


def contention(figures: Mapping[str, tuple[float, float, float, float]], directory: Path) -> Path:
    """Wait p50 and p99 (ms) per peer beside the fifo floor; figures are (cycles/s, p50, p99, worst)."""
    figure, (axes,) = _figure(6.4, 3.6)
    names = [f"{name}\n{rate:,.0f} cycles/s" for name, (rate, *_) in figures.items()]
    series = {"p50": [p50 for _, p50, _, _ in figures.values()], "p99": [p99 for _, _, p99, _ in figures.values()]}
    width = 0.38
    for index, (label, values) in enumerate(series.items()):
        places = [place + (index - 0.5) * width for place in range(len(names))]
        bars = axes.bar(places, values, width, label=f"wait {label}", alpha=0.55 if label == "p50" else 1.0,
                        color=[_color(name) for name in figures], edgecolor="black", linewidth=0.5)
        axes.bar_label(bars, labels=[f"{value:.2f}" for value in values], fontsize=8)
    axes.set_xticks(range(len(names)), names, fontsize=8)
    axes.set_ylabel("wait for a session, ms (lower is better)")
    axes.set_ylim(top=max(series["p99"]) * 1.2)
    axes.legend(fontsize=8)
    axes.grid(axis="y", alpha=0.3)
    axes.set_title("8 threads sharing 4 sessions, each holding one for a query", fontsize=9)
    return _save(figure, directory, "contention.png", "bench_pools.py")


def spike(runs: Mapping[str, Spike], directory: Path, most: int = 8, median_ms: float = 30.0) -> Path:
    """Sessions open over time, and the distribution of waits, when requests arrive at once
    (bench_pools.py's spike: 50 requests, logons of 150 ms; targets ``most`` sessions, a median under ``median_ms``)."""
    figure, (opened, waits) = _figure(9.0, 3.6, panels=2)
    _sessions_panel(opened, runs, most)
    _waits_panel(waits, runs, median_ms)
    for axes in (opened, waits):
        axes.legend(fontsize=8)
        axes.grid(alpha=0.3)
    return _save(figure, directory, "spike.png", "bench_pools.py")


def _sessions_panel(axes: Axes, runs: Mapping[str, Spike], most: int) -> None:
    from matplotlib.ticker import MaxNLocator

    for name, run in runs.items():
        times = [seconds * 1000 for seconds, _ in run.timeline]
        axes.step(times, [count for _, count in run.timeline], where="post", label=name, color=_color(name))
    axes.axhline(most, linestyle="--", color="black", linewidth=0.8, label=f"target: at most {most}")
    requests = max(len(run.waits_ms) for run in runs.values())
    axes.set(xlabel=f"ms since the {requests} requests arrived", ylabel="sessions open")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(bottom=0)
    axes.set_title("sessions opened (each logon takes 150 ms)", fontsize=9)


def _waits_panel(axes: Axes, runs: Mapping[str, Spike], median_ms: float) -> None:
    for name, run in runs.items():
        ordered = sorted(run.waits_ms)
        share = [(rank + 1) / len(ordered) for rank in range(len(ordered))]
        axes.step(ordered, share, where="post", label=name, color=_color(name))
    axes.axvline(median_ms, linestyle="--", color="black", linewidth=0.8, label=f"target median < {median_ms:g} ms")
    axes.axhline(0.5, linestyle=":", color="#999999", linewidth=0.8)
    axes.set_xscale("log")
    axes.set(xlabel="wait for a session, ms (log scale)", ylabel="share of the requests served")
    axes.set_title("wait distribution (cumulative)", fontsize=9)


def server(rates: Mapping[str, Sequence[float]], clients: Sequence[int], directory: Path) -> Path:
    """Operations per second of each scenario against the number of client threads."""
    figure, (absolute, relative) = _figure(9.0, 3.6, panels=2)
    for name, values in rates.items():
        absolute.plot(clients, values, marker="o", label=name)
        relative.plot(clients, [value / values[0] for value in values], marker="o", label=name)
    absolute.set(ylabel="per second (higher is better)", yscale="log")
    absolute.set_title("round trips and logons per second", fontsize=9)
    relative.axhline(1.0, linestyle="--", color="black", linewidth=0.8)
    relative.set(ylabel=f"relative to {clients[0]} client{'s' if clients[0] > 1 else ''}")
    relative.set_title("scaling with clients (target: >= 1 at 16)", fontsize=9)
    for axes in (absolute, relative):
        axes.set_xscale("log", base=2)
        axes.set_xticks(list(clients), [str(count) for count in clients])
        axes.set_xlabel("client threads (python-oracledb, one server process)")
        axes.legend(fontsize=8)
        axes.grid(alpha=0.3)
    return _save(figure, directory, "server.png", "bench_server.py")


def devart(theirs: Mapping[str, float], ours: Mapping[str, float], directory: Path) -> Path:
    """Devart's connector beside devart_oracle: the µs rows (log scale), then the threaded throughput."""
    figure, (times, rates) = _figure(10.0, 3.6, panels=2, widths=(3.0, 1.0))
    sides = {"Devart": theirs, "devart_oracle": ours}
    _paired(times, [name for name in theirs if not name.endswith("cycles/s")], sides)
    times.set_title("µs per operation (log scale, lower is better)", fontsize=9)
    counted = next(name for name in theirs if name.endswith("cycles/s"))
    bars = rates.bar(list(sides), [values[counted] for values in sides.values()], color=[_color(s) for s in sides])
    rates.bar_label(bars, labels=[_number(values[counted]) for values in sides.values()], fontsize=8)
    rates.set_ylim(top=max(values[counted] for values in sides.values()) * 1.2)
    rates.set_ylabel("cycles per second (higher is better)", fontsize=8)
    rates.set_title(f"{counted.partition(':')[0]}, each a pooled\nconnect, query and close", fontsize=9)
    rates.grid(axis="y", alpha=0.3)
    return _save(figure, directory, "devart.png", "bench_devart.py")


def _paired(axes: Axes, rows: Sequence[str], sides: Mapping[str, Mapping[str, float]]) -> None:
    """Horizontal bars on a log scale, one pair per row (a bar per side), labelled with values."""
    height = 0.8 / len(sides)
    places = range(len(rows))[::-1]
    for index, (side, values) in enumerate(sides.items()):
        shifted = [place + (len(sides) - 1) / 2 * height - index * height for place in places]
        bars = axes.barh(shifted, [values[row] for row in rows], height, label=side, color=_color(side))
        axes.bar_label(bars, labels=[f" {_number(values[row])}" for row in rows], fontsize=7)
    axes.set_yticks(list(places), list(rows), fontsize=8)
    top = max(values[row] for values in sides.values() for row in rows)
    axes.set_xscale("log")
    axes.set_xlim(right=top * 10)
    axes.legend(fontsize=8)
    axes.grid(axis="x", alpha=0.3)

