"""Argument types for the command lines: argparse-style messages, exit code 2.

Each factory returns a ``type=`` callable for ``add_argument``; a bad value
raises ``argparse.ArgumentTypeError``, which argparse prints after the
usage line (``argument --requests: expected a whole number of at least 1,
got '0'``) before exiting with status 2, instead of a traceback later.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
from collections.abc import Callable, Sequence
from pathlib import Path

__all__ = ["BENCH_EXTRA", "names", "plot_directory", "port", "seconds", "whole", "whole_numbers"]

BENCH_EXTRA = "pip install 'devart_oracle[bench]' (or pip install -e '.[bench]' in a checkout)"


def whole(minimum: int) -> Callable[[str], int]:
    """A whole number of at least ``minimum``."""

    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected a whole number of at least {minimum}, got {text!r}")
        return value

    return convert


def whole_numbers(minimum: int) -> Callable[[str], list[int]]:
    """Comma-separated whole numbers, each at least ``minimum``: ``1,4,16``."""
    one = whole(minimum)

    def convert(text: str) -> list[int]:
        return [one(part.strip()) for part in text.split(",")]

    return convert


def names(choices: Sequence[str]) -> Callable[[str], list[str]]:
    """Comma-separated names, each one of ``choices``, in the order given, once each."""

    def convert(text: str) -> list[str]:
        chosen = [part.strip() for part in text.split(",")]
        for name in chosen:
            if name not in choices:
                raise argparse.ArgumentTypeError(f"expected names from {', '.join(choices)}, got {name!r}")
        return list(dict.fromkeys(chosen))

    return convert


def seconds(*, zero: bool) -> Callable[[str], float]:
    """A finite number of seconds, at least 0 (``zero``) or above 0."""
    bound = "at least 0" if zero else "above 0"

    def convert(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value < 0 or (value == 0 and not zero):
            raise argparse.ArgumentTypeError(f"expected a number of seconds {bound}, got {text!r}")
        return value

    return convert


def port(text: str) -> int:
    """A TCP port, 0 (any free one) to 65535."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535 (0 picks a free one), got {text!r}")
    return value


def plot_directory(text: str) -> Path:
    """A directory for PNG charts (made when missing); needs matplotlib, the ``bench`` extra."""
    path = Path(text)
    if not text.strip():
        raise argparse.ArgumentTypeError("expected a directory for the charts, got an empty path")
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a file, not a directory: name a directory for the charts")
    if importlib.util.find_spec("matplotlib") is None:
        raise argparse.ArgumentTypeError(f"charts need matplotlib, which is not installed: {BENCH_EXTRA}")
    return path
