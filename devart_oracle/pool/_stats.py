"""The statistics record of one pool partition."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from ._core import PoolCore, Reason

__all__ = ["PartitionStats"]


@dataclass(frozen=True)
class PartitionStats:
    """A snapshot of one partition: sessions now, and counts since it began.

    Attributes:
        pool_id: the PoolId the partition belongs to.
        fingerprint: the partition key (reveals nothing about the password).
        host: the database host.
        user: the user the sessions log on as.
        opened: sessions open now (idle + busy + being validated).
        idle: sessions waiting in the pool.
        busy: sessions lent out.
        created: sessions logged on since the partition began.
        destroyed: sessions logged off, by reason: lifetime, idle, invalid
            (found dead), overflow, cleared, dropped (fine, but state the
            borrower changed could not be reset; ``pool.drop()``) and closed.
    """

    pool_id: int | str
    fingerprint: str
    host: str
    user: str | None
    opened: int
    idle: int
    busy: int
    created: int
    destroyed: Mapping[str, int]

    @classmethod
    def of(cls, core: PoolCore, pool_id: int | str, fingerprint: str, host: str, user: str | None) -> PartitionStats:
        """Snapshot a core; call with the pool's lock held."""
        destroyed = MappingProxyType({reason.value: core.destroyed[reason] for reason in Reason})
        return cls(pool_id, fingerprint, host, user, core.opened, core.idle, core.busy, core.created, destroyed)
