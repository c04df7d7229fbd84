"""Devart's per-PoolId settings (``connection_pool[n].min_size`` and the
rest), in Devart's units, and what the pool core makes of them."""

from __future__ import annotations

from dataclasses import dataclass

from .._errors import ProgrammingError, shaped
from ._core import PoolSettings
from ._options import LIFETIME_SPREAD

__all__ = ["PoolConfig", "check_sizes"]


@dataclass(frozen=True)
class PoolConfig:
    """Devart's per-pool settings, in Devart's units."""

    min_size: int = 0
    max_size: int = 100
    lifetime: int = 0  # milliseconds, 0 = unlimited
    validate: bool = False
    idle_timeout: float = 240.0  # seconds
    leak_threshold: float = 0.0  # seconds, 0 = off

    def core_settings(self) -> PoolSettings:
        """The pool core's view: no cap on open sessions, ``max_size`` kept idle."""
        return PoolSettings(
            min=self.min_size,
            max=None,
            max_idle=self.max_size,
            lifetime=self.lifetime / 1000,
            idle_timeout=self.idle_timeout,
            ping_interval=0.0 if self.validate else -1.0,
            lifetime_spread=LIFETIME_SPREAD,
        )


def check_sizes(label: str, config: PoolConfig) -> None:
    """Refuse settings whose ``min_size`` exceeds ``max_size`` (``label`` names the attribute)."""
    if config.min_size > config.max_size:
        raise shaped(
            ProgrammingError, f"invalid value for {label}: min_size ({config.min_size}) would exceed max_size ({config.max_size})"
        )
