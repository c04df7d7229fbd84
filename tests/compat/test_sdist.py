"""Taking the suite from an sdist: only its tests/ tree is unpacked."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from tests.compat.sdist import SuiteUnavailable, suite_root


def _sdist(cache: Path, version: str, files: dict[str, str]) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    with tarfile.open(cache / f"oracledb-{version}.tar.gz", "w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            member = tarfile.TarInfo(f"oracledb-{version}/{name}")
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))


def test_only_the_tests_are_unpacked(tmp_path: Path) -> None:
    _sdist(tmp_path, "9.9.9", {"tests/conftest.py": "", "tests/pool/test_x.py": "", "src/oracledb/x.py": ""})
    root = suite_root("9.9.9", tmp_path)
    assert root == tmp_path / "oracledb-9.9.9"
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*.py")) == [
        "tests/conftest.py", "tests/pool/test_x.py"]


def test_an_unpacked_suite_is_reused(tmp_path: Path) -> None:
    (tmp_path / "oracledb-9.9.9" / "tests").mkdir(parents=True)
    (tmp_path / "oracledb-9.9.9" / "tests" / "conftest.py").write_text("")
    assert suite_root("9.9.9", tmp_path) == tmp_path / "oracledb-9.9.9"  # no archive needed


def test_an_sdist_without_a_suite_is_refused(tmp_path: Path) -> None:
    _sdist(tmp_path, "9.9.9", {"src/oracledb/x.py": ""})
    with pytest.raises(SuiteUnavailable, match="has no tests/conftest.py"):
        suite_root("9.9.9", tmp_path)
