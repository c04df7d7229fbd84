"""``connection_pool``: Devart's module-level pooling, partitioned by parameters.

Connections are pooled per partition, a (PoolId, parameter fingerprint) pair:
identical parameters share sessions, any other difference gets a partition of
its own, and every partition takes its settings from its PoolId. Settings
change at run time: each change is pushed to the partitions of that PoolId.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from typing import Any, Generic, TypeVar, overload

from .._connection import Connection
from .._errors import DatabaseUnavailableError, ProgrammingError, shaped
from ..connstring import ConnectionParameters
from . import _upkeep as upkeep
from ._core import Entry, Failure
from ._physical import LOGOFF_WAIT, ParamsConnector, is_refused, open_connection
from ._poolconfig import PoolConfig, check_sizes
from ._stats import PartitionStats
from ._sync import SyncPool
from ._upkeep import Upkeep, current

__all__ = ["GlobalPool", "PoolView"]

INT_MAX = 2**31 - 1
T = TypeVar("T")


class _Setting(Generic[T]):
    """A validated pool attribute: type and range checked, pushed to partitions."""

    def __init__(self, kind: type, low: float, high: float, what: str) -> None:
        self.kind = kind
        self.low = low
        self.high = high
        self.what = what

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, view: None, owner: type) -> _Setting[T]: ...
    @overload
    def __get__(self, view: PoolView, owner: type) -> T: ...
    def __get__(self, view: PoolView | None, owner: type) -> Any:
        if view is None:
            return self
        return getattr(view._registry.config(view.pool_id), self.name)

    def __set__(self, view: PoolView, value: Any) -> None:
        label = view.label(self.name)
        view._registry.configure(view.pool_id, label, **{self.name: self.check(label, value)})

    def check(self, label: str, value: Any) -> Any:
        """Return ``value`` if it is valid, else raise ProgrammingError naming it."""
        ok_type = isinstance(value, self.kind) and (self.kind is bool or not isinstance(value, bool))
        if self.kind is float and isinstance(value, int) and not isinstance(value, bool):
            ok_type = True
        if not ok_type or not self.low <= value <= self.high:
            raise shaped(ProgrammingError, f"invalid value {value!r} for {label}: expected {self.what}")
        return value


class _GlobalSetting(_Setting[T]):
    """A validated setting of the whole process (of its current upkeep) rather than of one PoolId."""

    def __get__(self, view: PoolView | None, owner: type) -> Any:
        if view is None:
            return self
        return getattr(current(), self.name)

    def __set__(self, view: PoolView, value: Any) -> None:
        upkeep = current()
        setattr(upkeep, self.name, float(self.check(view.label(self.name), value)))
        upkeep.validator.wake()


class PoolView:
    """The settings of one PoolId: ``connection_pool[n]``."""

    __slots__ = ("_registry", "pool_id")

    min_size = _Setting[int](int, 0, INT_MAX, f"an integer from 0 to {INT_MAX}, at most max_size")
    max_size = _Setting[int](int, 1, INT_MAX, f"an integer from 1 to {INT_MAX}, at least min_size")
    lifetime = _Setting[int](int, 0, INT_MAX, "milliseconds as an integer from 0 (unlimited)")
    validate = _Setting[bool](bool, False, True, "True or False")
    idle_timeout = _Setting[float](float, 0, 10**9, "seconds as a number from 0 (never)")
    leak_threshold = _Setting[float](float, 0, 10**9, "seconds as a number from 0 (off)")

    def __init__(self, registry: _Registry, pool_id: int) -> None:
        self._registry = registry
        self.pool_id = pool_id

    def label(self, name: str) -> str:
        """How errors name an attribute of this view."""
        return f"connection_pool[{self.pool_id}].{name}"

    def __repr__(self) -> str:
        c = self._registry.config(self.pool_id)
        return (
            f"<pool {self.pool_id}: min_size={c.min_size} max_size={c.max_size}"
            f" lifetime={c.lifetime} validate={c.validate} idle_timeout={c.idle_timeout}>"
        )

    def clear(self) -> None:
        """Log off every idle session of this PoolId."""
        self._registry.clear(self.pool_id)

    def stats(self) -> list[PartitionStats]:
        """A snapshot of each partition of this PoolId."""
        return self._registry.stats(self.pool_id)

    def get_stats(self) -> list[dict[str, Any]]:
        """Each partition's statistics (``pool_id`` and ``fingerprint`` first,
        then as an explicit pool's ``get_stats()``)."""
        return self._registry.figures(self.pool_id, reset=False)

    def pop_stats(self) -> list[dict[str, Any]]:
        """As ``get_stats()``; each partition's counters then restart from zero."""
        return self._registry.figures(self.pool_id, reset=True)

    def drain(self) -> None:
        """Retire every session of this PoolId and keep pooling: idle ones are
        logged off now, busy ones when they come back."""
        for partition in self._registry.selected(self.pool_id):
            partition.drain()


class GlobalPool(PoolView):
    """Devart's ``connection_pool``: global switches, and the settings of pool 0."""

    __slots__ = ()

    validation_interval = _GlobalSetting[float](float, 0.01, 10**6, "seconds as a number from 0.01")

    def __init__(self, registry: _Registry | None = None) -> None:
        super().__init__(registry or _Registry(), 0)

    def label(self, name: str) -> str:
        """How errors name an attribute of the module-level object."""
        return f"connection_pool.{name}"

    @property
    def enabled(self) -> bool:
        """Whether new connections are pooled (unless DisablePooling=True)."""
        return self._registry.enabled

    @enabled.setter
    def enabled(self, value: bool) -> None:
        if not isinstance(value, bool):
            raise shaped(ProgrammingError, f"invalid value {value!r} for connection_pool.enabled: expected True or False")
        self._registry.enabled = value

    def __getitem__(self, pool_id: int) -> PoolView:
        if not isinstance(pool_id, int) or isinstance(pool_id, bool):
            raise TypeError(f"pool ids are integers, not {type(pool_id).__name__}")
        if abs(pool_id) >= _POOL_ID_LIMIT:
            raise shaped(ProgrammingError, f"pool id {pool_id} is out of range (PoolId has at most 18 digits)")
        return self if pool_id == 0 else _View(self._registry, pool_id)

    def clear(self) -> None:
        """Log off every idle session of every pool."""
        self._registry.clear(None)

    def get_stats(self) -> list[dict[str, Any]]:
        """Every partition's statistics, of every pool id."""
        return self._registry.figures(None, reset=False)

    def pop_stats(self) -> list[dict[str, Any]]:
        """As ``get_stats()``; every partition's counters then restart from zero."""
        return self._registry.figures(None, reset=True)

    def drain(self) -> None:
        """Retire every session of every pool id and keep pooling."""
        for partition in self._registry.selected(None):
            partition.drain()

    def stats(self) -> list[PartitionStats]:
        """A snapshot of every partition of every pool."""
        return self._registry.stats(None)

    def connect(self, params: ConnectionParameters) -> Connection:
        """Hand out a pooled or standalone connection for parsed parameters."""
        registry = self._registry
        if registry.enabled:
            known = registry.known.get(id(params))  # the fast path: see _Registry.checkout
            if known is not None and known[0] is params:
                partition = known[1]
                entry = partition.lend(None, None)
                if entry is None:
                    entry, _ = partition.acquire_within(lend=False)  # just tried
                return Connection(entry.conn, partition.masked, partition, entry)
            pooled = registry.checkout(params)
            if pooled is not None:
                return pooled
        return Connection(open_connection(params), params.masked())


class _View(PoolView):
    """``connection_pool[n]`` for n != 0: no global attributes."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        self._refuse_global(name)
        raise AttributeError(f"connection_pool[{self.pool_id}] has no attribute {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        self._refuse_global(name)
        super().__setattr__(name, value)

    def _refuse_global(self, name: str) -> None:
        if name in _GLOBAL_ONLY:
            raise AttributeError(f"{name} is global: set connection_pool.{name}, not {self.label(name)}")


_GLOBAL_ONLY = frozenset({"enabled", "validation_interval"})
#: Pool ids as a connection string can write them (PoolId).
_POOL_ID_LIMIT = 10**18


class _Partition(SyncPool):
    """The sessions of one (PoolId, fingerprint) pair."""

    def __init__(self, params: ConnectionParameters, config: PoolConfig, upkeep: Upkeep) -> None:
        wake = upkeep.validator.wake
        super().__init__(
            config.core_settings(), ParamsConnector(params), self._unavailable,
            clock=upkeep.clock, schedule=upkeep.schedule, on_suspect=wake, on_orphan=wake, refused=is_refused,
        )
        self.params = params
        self.masked = params.masked()
        timeout = params.get("ConnectionTimeout")  # read once: the parameters never change
        self.connection_timeout = None if timeout is None else float(timeout)
        self.metrics.name = f"poolid:{params.pool_id}"
        self.metrics.leak_threshold = config.leak_threshold

    def stats(self) -> PartitionStats:
        """Snapshot this partition."""
        p = self.params
        with self.lock:
            return PartitionStats.of(self.core, p.pool_id, p.fingerprint, p.host, p.user)

    def labelled_figures(self, reset: bool) -> dict[str, Any]:
        """This partition's ``get_stats()`` dictionary, led by its pool id and fingerprint."""
        return {"pool_id": self.params.pool_id, "fingerprint": self.params.fingerprint, **self.figures(reset)}

    def _unavailable(self, reason: Failure, waited: float) -> BaseException:
        # The global pool never waits; only ConnectionTimeout can run out.
        return DatabaseUnavailableError(
            f"no session for {self.masked!r} within ConnectionTimeout ({waited:.2f} s):"
            f" the database or the network did not answer in time (the logon or validation"
            f" ping goes on in the background); check the network or raise ConnectionTimeout",
            self.params.pool_id,
        )

    def acquire_within(self, lend: bool = True) -> tuple[Entry, bool]:
        """Borrow a session within the ConnectionTimeout of the parameters, if they set one
        (``lend``: False when the fast path was just tried)."""
        return self.acquire(timeout=self.connection_timeout, lend=lend)


class _Registry:
    """Partitions and per-PoolId settings behind ``connection_pool`` (the
    validator and the clock are the current upkeep's)."""

    def __init__(self) -> None:
        self.enabled = False
        self._lock = threading.Lock()
        self._configuring = threading.Lock()  # held across a whole settings change, I/O included
        self._configs: dict[int, PoolConfig] = {}
        self._partitions: dict[tuple[int, str], _Partition] = {}
        self.known: dict[int, tuple[ConnectionParameters, _Partition]] = {}  # by id(params): see checkout()

    def config(self, pool_id: int) -> PoolConfig:
        """The settings of a PoolId (defaults until changed)."""
        return self._configs.get(pool_id) or PoolConfig()

    def configure(self, pool_id: int, label: str, **changes: Any) -> None:
        """Change settings of a PoolId and apply them now."""
        with self._configuring:  # the last change wins everywhere, its partitions included
            with self._lock:
                config = replace(self.config(pool_id), **changes)
                check_sizes(label, config)
                self._configs[pool_id] = config
                partitions = [p for (pid, _), p in self._partitions.items() if pid == pool_id]
            for partition in partitions:
                partition.metrics.leak_threshold = config.leak_threshold
                partition.call(partition.core.configure, settings=config.core_settings())
        current().validator.wake()

    def checkout(self, params: ConnectionParameters) -> Connection | None:
        """Lend a session of the partition for ``params`` (None: they disable pooling).

        Parameters seen here are remembered in ``known``, by identity (the
        parse cache hands out the same object for the same text), so that
        :meth:`GlobalPool.connect` finds their partition with one lookup.
        """
        if params.pooling_disabled:
            return None
        found = self._partitions.get((params.pool_id, params.fingerprint))
        if found is not None:
            self._remember(params, found)
            entry, _ = found.acquire_within()
            return Connection(entry.conn, found.masked, found, entry)
        partition = self._partition(params)
        self._remember(params, partition)
        try:
            entry, _ = partition.acquire_within()
        finally:
            # The caller's session counts towards min_size: replenish after
            # it, and only then let the validator see the partition.
            partition.call(partition.core.replenish)
            current().validator.add(partition)
        return Connection(entry.conn, partition.masked, partition, entry)

    def _remember(self, params: ConnectionParameters, partition: _Partition) -> None:
        """Let ``params`` find ``partition`` by identity (the entry keeps them
        alive, so the id is not reused); forgets all past KNOWN_LIMIT."""
        if len(self.known) >= KNOWN_LIMIT:
            self.known.clear()
        self.known[id(params)] = (params, partition)

    def _partition(self, params: ConnectionParameters) -> _Partition:
        key = (params.pool_id, params.fingerprint)
        with self._lock:
            partition = self._partitions.get(key)
            if partition is None:
                partition = _Partition(params, self.config(params.pool_id), current())
                self._partitions[key] = partition
        return partition

    def selected(self, pool_id: int | None) -> list[_Partition]:
        with self._lock:
            return [p for (pid, _), p in self._partitions.items() if pool_id is None or pid == pool_id]

    def clear(self, pool_id: int | None) -> None:
        """Log off idle sessions of one PoolId, or of all, waiting for the
        logoffs at most LOGOFF_WAIT seconds in all."""
        partitions = self.selected(pool_id)
        for partition in partitions:
            partition.call(partition.core.clear)
        settle(partitions, LOGOFF_WAIT)

    def figures(self, pool_id: int | None, reset: bool) -> list[dict[str, Any]]:
        """The ``get_stats()`` dictionaries of the partitions of one PoolId, or of all."""
        return [partition.labelled_figures(reset) for partition in self.selected(pool_id)]

    def stats(self, pool_id: int | None) -> list[PartitionStats]:
        """Snapshots of the partitions of one PoolId, or of all."""
        return [partition.stats() for partition in self.selected(pool_id)]

    def shutdown(self) -> None:
        """At exit: stop the validator and log off the idle sessions of every
        pool, explicit sync pools included, within a few seconds in all."""
        watched = current().validator.pools()
        current().validator.stop(EXIT_VALIDATOR_WAIT)
        partitions = [*self.selected(None), *watched]
        for pool in partitions:
            pool.call(pool.core.clear)
        settle(partitions, LOGOFF_WAIT)

    def forget_after_fork(self) -> None:
        """In a forked child: drop the parent's sessions without logging off.

        Covers every sync pool the validator watches (partitions and explicit
        pools). Only this thread exists in the child, and a lock some parent
        thread held at fork time would stay locked for good: so every lock
        is replaced, none is taken.
        """
        self._lock = threading.Lock()
        self._configuring = threading.Lock()
        current().forget_after_fork()
        self._partitions = {}
        self.known = {}


#: Parameter objects remembered by identity (past this, all are forgotten and remembered anew).
KNOWN_LIMIT = 1024
#: Seconds the exit handler waits for a validator pass under way.
EXIT_VALIDATOR_WAIT = 1.0


def settle(pools: list[_Partition] | list[SyncPool], timeout: float) -> None:
    """Wait for the pools' logoffs, at most ``timeout`` seconds in all."""
    deadline = time.monotonic() + timeout
    for pool in pools:
        pool.settle(max(0.0, deadline - time.monotonic()))


def install(pool: GlobalPool) -> None:
    """Register the process hooks for whatever registry ``pool`` uses then:
    log idle sessions off at exit, forget the parent's sessions after fork."""
    upkeep.install(lambda: pool._registry)
