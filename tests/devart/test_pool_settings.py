"""``connection_pool``: defaults, attribute types and ranges, ``connection_pool[n]`` views.

Each check runs on Devart's module-level pool and on devart_oracle's and
compares: the defaults and their types, which values each attribute takes
(and what it reads back), and how a per-PoolId view behaves. The pools'
settings are put back afterwards; views are taken for PoolIds no other test
uses. Where the two differ, ``SETTING_DIFFERENCES`` says so, as does
docs/devart-differences.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from .scenarios import both, fresh_pool_ids

ATTRIBUTES = ("enabled", "max_size", "min_size", "lifetime", "validate")
VALUES: dict[str, tuple[object, ...]] = {
    "max_size": (1, 5, 100, 0, -1, "5", 1.5, True, None, 10**10),
    "min_size": (0, 5, -1, 200, "1", 1.5, None),
    "lifetime": (0, 5, 60000, -1, 1.5, "3", None),
    "validate": (True, False, 1, 0, "yes", None),
    "enabled": (True, False, 1, "x", None),
}
# (attribute, value): (Devart's outcome, ours) where they differ, outcomes as _outcome gives them
SETTING_DIFFERENCES = {
    ("max_size", 0): ("0", "rejected"),  # Devart takes 0; a pool that can never lend is refused
    ("max_size", 10**10): ("1410065408", "rejected"),  # Devart truncates to 32 bits silently
    ("min_size", 200): ("200", "rejected"),  # min_size above max_size (100)
}


def _outcome(pool: Any, name: str, value: object) -> str:
    """What setting ``value`` did: the value read back, or "rejected"."""
    old = getattr(pool, name)
    try:
        setattr(pool, name, value)
    except Exception:  # each raises its own kind; only "refused" matters here
        return "rejected"
    try:
        return repr(getattr(pool, name))
    finally:
        setattr(pool, name, old)


@pytest.fixture
def pool_modules(devart: ModuleType) -> Iterator[list[ModuleType]]:
    modules = both(devart)
    saved = [{name: getattr(m.connection_pool, name) for name in ATTRIBUTES} for m in modules]
    try:
        yield modules
    finally:
        for module, values in zip(modules, saved):
            for name, value in values.items():
                setattr(module.connection_pool, name, value)


def test_defaults_and_their_types_match(pool_modules: list[ModuleType]) -> None:
    theirs, ours = ({name: getattr(m.connection_pool, name) for name in ATTRIBUTES}
                    for m in pool_modules)
    assert ours == theirs == {"enabled": False, "max_size": 100, "min_size": 0, "lifetime": 0,
                              "validate": False}
    assert {n: type(v) for n, v in ours.items()} == {n: type(v) for n, v in theirs.items()}


@pytest.mark.parametrize("name,value", [(n, v) for n, values in VALUES.items() for v in values])
def test_each_attribute_takes_the_same_values(pool_modules: list[ModuleType], name: str,
                                              value: object) -> None:
    theirs, ours = (_outcome(m.connection_pool, name, value) for m in pool_modules)
    assert (theirs, ours) == SETTING_DIFFERENCES.get((name, value), (theirs, theirs))


def test_every_setting_difference_is_in_the_table() -> None:
    assert all(value in VALUES[name] for name, value in SETTING_DIFFERENCES)


def _view_behaviour(module: ModuleType, pool_id: int) -> dict[str, object]:
    pool = module.connection_pool
    view = pool[pool_id]
    view.max_size = 3
    view.validate = True
    observed: dict[str, object] = {
        "view keeps its settings": (pool[pool_id].max_size, pool[pool_id].validate),
        "global untouched": (pool.max_size, pool.validate),
        "other view untouched": pool[pool_id + 1].max_size,
        "view attributes": {name: type(getattr(view, name)).__name__
                            for name in ("max_size", "min_size", "lifetime", "validate")},
        "view has enabled": hasattr(view, "enabled"),
    }
    for key in ("a", 1.5):
        try:
            pool[key]
        except TypeError:
            observed[f"[{key!r}]"] = "TypeError"
    return observed


def test_views_per_pool_id_behave_alike(pool_modules: list[ModuleType]) -> None:
    first, second = fresh_pool_ids(2)
    theirs = _view_behaviour(pool_modules[0], first)
    ours = _view_behaviour(pool_modules[1], second)
    assert ours == theirs
    assert theirs["view keeps its settings"] == (3, True)
