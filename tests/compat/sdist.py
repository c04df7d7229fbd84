"""python-oracledb's own test suite, taken from the sdist of the installed version.

The sdist is downloaded with pip (CI reaches package registries only) into a
cache directory outside the repository, and only its ``tests/`` tree is
unpacked; nothing of it is ever committed. The suite's SQL schema scripts are
not in the sdist (see :mod:`tests.compat.schema`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import oracledb

#: Where the sdist is kept between runs unless DEVART_COMPAT_CACHE says otherwise.
DEFAULT_CACHE = Path.home() / ".cache" / "devart_oracle-compat"


class SuiteUnavailable(RuntimeError):
    """The suite could not be downloaded or unpacked."""


def cache_dir() -> Path:
    """The cache directory: ``$DEVART_COMPAT_CACHE`` or ``~/.cache/devart_oracle-compat``."""
    return Path(os.environ.get("DEVART_COMPAT_CACHE") or DEFAULT_CACHE)


def suite_root(version: str = oracledb.__version__, cache: Path | None = None) -> Path:
    """The unpacked sdist directory (holding ``tests/``), downloading it if needed.

    Raises:
        SuiteUnavailable: pip failed, or the archive has no ``tests/conftest.py``.
    """
    cache = cache or cache_dir()
    root = cache / f"oracledb-{version}"
    if not (root / "tests" / "conftest.py").is_file():
        _unpack(_download(version, cache), cache)
    if not (root / "tests" / "conftest.py").is_file():
        raise SuiteUnavailable(f"the oracledb {version} sdist has no tests/conftest.py under {root}")
    return root


def _download(version: str, cache: Path) -> Path:
    archive = cache / f"oracledb-{version}.tar.gz"
    if archive.is_file():
        return archive
    cache.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", f"oracledb=={version}",
               "--no-binary", "oracledb", "--no-deps", "--quiet", "--dest", str(cache)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not archive.is_file():
        raise SuiteUnavailable(f"pip could not download the oracledb {version} sdist: {done.stderr.strip()[-500:]}")
    return archive


def _unpack(archive: Path, cache: Path) -> None:
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if m.name.split("/")[1:2] == ["tests"]]
        tar.extractall(cache, members=members, filter="data")
