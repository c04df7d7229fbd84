"""Argument types for the command lines: argparse-style messages, exit code 2.

Each factory returns a ``type=`` callable for ``add_argument``; a bad value
raises ``argparse.ArgumentTypeError``, which argparse prints after the
usage line (``argument --requests: expected a whole number of at least 1,
got '0'``) before exiting with status 2, instead of a traceback later.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

__all__ = ["port", "seconds", "whole"]


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
