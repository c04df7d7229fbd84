"""What the docs say is so: snippets are whole, claims match the code, the licence exists."""

from __future__ import annotations

import ast
import builtins
import configparser
import re
from pathlib import Path

import pytest

from devart_oracle import connection_pool
from devart_oracle.pool._records import Reason
from devart_oracle.pool._registry import _Registry

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
POOLING = (ROOT / "docs" / "pooling.md").read_text()


def _python_blocks(markdown: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown, re.DOTALL)


def _undefined_names(code: str) -> set[str]:
    """Names a snippet reads that it neither imports nor assigns (``...`` aside)."""
    tree = ast.parse(code)
    bound = set(dir(builtins))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            bound |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return used - bound


@pytest.mark.parametrize("code", _python_blocks(README))
def test_readme_snippets_import_what_they_use(code: str) -> None:
    assert not _undefined_names(code), code


def test_pool_0_settings_are_not_defaults_for_other_pool_ids(registry: _Registry) -> None:
    default = connection_pool[7].max_size
    connection_pool.max_size = default + 1
    assert connection_pool[7].max_size == default
    line = next(line for line in README.splitlines() if line.startswith("connection_pool.max_size ="))
    assert "pool 0 only" in line and "default for new pool ids" not in line


@pytest.mark.parametrize("reason", [reason.value for reason in Reason])
def test_every_destroyed_reason_is_documented(reason: str) -> None:
    assert f"`{reason}`" in POOLING.split("### Semantics")[0]


def test_the_licence_is_the_one_setup_cfg_names() -> None:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    assert config["metadata"]["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 the devart_oracle authors" in text
