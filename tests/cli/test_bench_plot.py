"""bench/_plot.py turns small fixed results into PNG charts that matplotlib drew.

No benchmark runs here: each chart function gets the figures a bench script
would have measured, and the file it writes is read back.
"""

from __future__ import annotations

import importlib.util
import re
import struct
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BLUE = (0x1F, 0x77, 0xB4)  # devart_oracle's colour in every chart
ORANGE = (0xFF, 0x7F, 0x0E)  # python-oracledb's


def _load_plot() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_plot_under_test", BENCH / "_plot.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


plot = _load_plot()


def _chunks(data: bytes) -> dict[bytes, list[bytes]]:
    """The PNG's chunks by type, each checked against its CRC."""
    assert data[:8] == PNG_SIGNATURE
    chunks: dict[bytes, list[bytes]] = {}
    offset = 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        kind, body = data[offset + 4:offset + 8], data[offset + 8:offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length:offset + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        chunks.setdefault(kind, []).append(body)
        offset += 12 + length
    assert next(iter(chunks)) == b"IHDR" and b"IEND" in chunks
    return chunks


def _colours(path: Path) -> set[tuple[int, int, int]]:
    """The distinct RGB colours of the decoded image (Pillow comes with matplotlib)."""
    from PIL import Image

    with Image.open(path) as image:
        counted = image.convert("RGB").getcolors(maxcolors=1 << 24)
    assert counted is not None
    return {colour for _, colour in counted}


SPIKE_TIMELINE = [(0.0, 5), (0.15, 5), (0.16, 6), (0.31, 7), (0.6, 7)]
CHARTS: dict[str, tuple[str, Callable[[ModuleType, Path], Path]]] = {
    "cycle": ("cycle.png", lambda p, d: p.cycle({"devart_oracle": (4.8, 5.9), "python-oracledb": (17.5, 22.0)}, d)),
    "connect": ("connect.png", lambda p, d: p.connect({
        "devart_oracle pooled connect()+close()": 4.6,
        "python-oracledb pool acquire()+release()": 17.2,
        "python-oracledb unpooled connect()+close()": 3400.0}, d)),
    "contention": ("contention.png", lambda p, d: p.contention({
        "devart_oracle": (5200.0, 0.05, 1.9, 6.0), "python-oracledb": (4800.0, 0.3, 4.1, 9.0),
        "fifo floor": (5400.0, 0.04, 1.7, 5.0)}, d)),
    "spike": ("spike.png", lambda p, d: p.spike({
        "devart_oracle": p.Spike(SPIKE_TIMELINE, [0.01, 3.0, 9.5, 12.0, 18.0]),
        "python-oracledb": p.Spike([(t, n + 1) for t, n in SPIKE_TIMELINE], [0.05, 40.0, 42.0, 150.0, 207.0])}, d)),
    "server": ("server.png", lambda p, d: p.server({
        "logons/s": [80.0, 199.0, 281.0], "ping round trips/s": [32678.0, 24054.0, 9817.0],
        "small query round trips/s": [1871.0, 1819.0, 3137.0]}, [1, 4, 16], d)),
    "devart": ("devart.png", lambda p, d: p.devart(
        {"pooled connect()+close()": 533.4, "select 1 round trip": 438.9, "8 threads: cycles/s": 428.5},
        {"pooled connect()+close()": 24.9, "select 1 round trip": 182.6, "8 threads: cycles/s": 3842.9}, d)),
}


@pytest.mark.parametrize("chart", list(CHARTS))
def test_a_chart_is_a_small_png_that_matplotlib_drew(chart: str, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="matplotlib (the bench extra) is not installed")
    name, draw = CHARTS[chart]
    directory = tmp_path / "made" / "on demand"
    path = draw(plot, directory)
    assert path == directory / name
    data = path.read_bytes()
    assert len(data) < 100 * 1024
    chunks = _chunks(data)
    width, height = struct.unpack(">II", chunks[b"IHDR"][0][:8])
    assert width >= 600 and height >= 250
    text = {key: value for key, _, value in (body.partition(b"\0") for body in chunks.get(b"tEXt", []))}
    assert text[b"Software"].startswith(b"Matplotlib version")
    assert text[b"Title"] == name.encode()
    colours = _colours(path)
    assert len(colours) > 20  # text, axes and bars, not a blank canvas
    peer = BLUE if chart != "server" else ORANGE  # server.png draws scenarios in matplotlib's cycle
    assert peer in colours


def test_without_matplotlib_a_chart_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for module in ("matplotlib.figure", "matplotlib.backends.backend_agg"):
        monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(RuntimeError, match=r"charts need matplotlib .*pip install 'devart_oracle\[bench\]'"):
        plot.cycle({"devart_oracle": (1.0, 1.0)}, tmp_path)
    assert not any(tmp_path.iterdir())


def test_the_doc_shows_every_chart_and_the_committed_ones_are_small_pngs() -> None:
    doc = (BENCH.parent / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    shown = re.findall(r"!\[[^\]]+\]\(img/([\w-]+\.png)\)", doc)
    assert sorted(shown) == sorted(name for name, _ in CHARTS.values())
    for name in shown:
        data = (BENCH.parent / "docs" / "img" / name).read_bytes()
        assert data[:8] == PNG_SIGNATURE and len(data) < 100 * 1024, name
    assert "python -m devart_oracle bench --plot docs/img" in doc
