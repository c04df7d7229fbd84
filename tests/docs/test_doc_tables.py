"""Tables and lists in the docs that name things in the code: each name exists, each thing is named."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

from devart_oracle.connstring._keywords import KEYWORDS
from devart_oracle.testing import OracleTestServer

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "devart_oracle"
ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text()
CONNECTION_STRINGS = (ROOT / "docs" / "connection-strings.md").read_text()


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _unnamed_by_file() -> list[str]:
    """Every module but a sub-package's ``__init__.py`` (the doc names the package)."""
    return [
        str(p.relative_to(ROOT))
        for p in _modules()
        if p.name != "__init__.py" or p.parent == PACKAGE
    ]


@pytest.mark.parametrize("module", _unnamed_by_file())
def test_architecture_names_every_module(module: str) -> None:
    named = re.findall(r"`([\w/]+\.py)`", ARCHITECTURE)
    assert any(module == n or module.endswith(("/" + n, "/" + Path(n).name)) for n in named), module


def test_every_module_architecture_names_exists() -> None:
    named = set(re.findall(r"`([\w/]+\.py)`", ARCHITECTURE))
    known = {p.name for p in _modules()}
    missing = {n for n in named if Path(n).name not in known and not (ROOT / n).exists()}
    assert not missing


def _keyword_rows() -> dict[str, tuple[set[str], str]]:
    table = CONNECTION_STRINGS.split("## Parameters", 1)[1]
    rows: dict[str, tuple[set[str], str]] = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 4 or cells[0] in ("canonical", "") or set(cells[0]) <= {"-"}:
            if rows and not line.startswith("|"):
                break
            continue
        synonyms = {s.strip() for s in cells[1].split(",") if s.strip()}
        rows[cells[0]] = (synonyms, cells[3])
    return rows


def test_the_keyword_table_is_the_code_s_keyword_table() -> None:
    rows = _keyword_rows()
    assert list(rows) == [k.name for k in KEYWORDS]
    for keyword in KEYWORDS:
        synonyms, default = rows[keyword.name]
        assert synonyms == set(keyword.synonyms), keyword.name
        if keyword.default is not None:
            assert default == str(keyword.default), keyword.name


def test_the_test_server_signature_is_the_documented_one() -> None:
    doc = (ROOT / "docs" / "testing-server.md").read_text()
    block = next(b for b in re.findall(r"```python\n(.*?)```", doc, re.DOTALL) if b.startswith("OracleTestServer("))
    documented = re.sub(r"#.*", "", block).replace("OracleTestServer(", "def f(", 1).rstrip().rstrip(")") + "): ..."
    args = ast.parse(documented).body[0].args  # type: ignore[attr-defined]
    written = [a.arg for a in args.args] + [a.arg for a in args.kwonlyargs]
    defaults = [ast.literal_eval(d) for d in args.defaults + args.kw_defaults if d is not None]
    parameters = inspect.signature(OracleTestServer).parameters
    assert written == list(parameters)
    assert defaults == [p.default for p in parameters.values() if p.default is not inspect.Parameter.empty]
