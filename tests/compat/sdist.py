"""python-oracledb's own test suite, taken from the sdist of the installed version.

The sdist is downloaded from the package index (CI reaches package registries
only) into a cache directory outside the repository, and only its ``tests/``
tree is unpacked; nothing of it is ever committed. The index's JSON API
(PEP 691) gives the file and its hash in one request; ``pip download`` is the
fallback, and a slow one: it prepares the sdist's metadata, building its build
requirements (Cython) first. The suite's SQL schema scripts are
not in the sdist (see :mod:`tests.compat.schema`).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

import oracledb

#: Where the sdist is kept between runs unless DEVART_COMPAT_CACHE says otherwise.
DEFAULT_CACHE = Path.home() / ".cache" / "devart_oracle-compat"
#: The index asked first: ``$PIP_INDEX_URL`` when set, else PyPI's.
DEFAULT_INDEX = "https://pypi.org/simple"


class SuiteUnavailable(RuntimeError):
    """The suite could not be downloaded or unpacked."""


def cache_dir() -> Path:
    """The cache directory: ``$DEVART_COMPAT_CACHE`` or ``~/.cache/devart_oracle-compat``."""
    return Path(os.environ.get("DEVART_COMPAT_CACHE") or DEFAULT_CACHE)


def suite_root(version: str = oracledb.__version__, cache: Path | None = None) -> Path:
    """The unpacked sdist directory (holding ``tests/``), downloading it if needed.

    Raises:
        SuiteUnavailable: the download failed, or the archive has no ``tests/conftest.py``.
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
    try:
        _from_index(archive, os.environ.get("PIP_INDEX_URL") or DEFAULT_INDEX)
    except (OSError, ValueError, KeyError) as exc:
        print(f"compat: the index's JSON API failed ({exc}); trying pip download", file=sys.stderr)
    if archive.is_file():
        return archive
    command = [sys.executable, "-m", "pip", "download", f"oracledb=={version}",
               "--no-binary", "oracledb", "--no-deps", "--quiet", "--dest", str(cache)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not archive.is_file():
        raise SuiteUnavailable(f"pip could not download the oracledb {version} sdist: {done.stderr.strip()[-500:]}")
    return archive


def _from_index(archive: Path, index: str) -> None:
    """Fetch ``archive``'s file name from ``index`` (PEP 691 JSON), checking its sha256."""
    request = urllib.request.Request(f"{index.rstrip('/')}/oracledb/",
                                     headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        files = json.load(answer)["files"]
    (entry,) = [f for f in files if f["filename"] == archive.name] or [None]
    if entry is None:
        raise ValueError(f"{archive.name} is not on {index}")
    with urllib.request.urlopen(entry["url"], timeout=120) as answer:
        body = answer.read()
    expected = entry.get("hashes", {}).get("sha256")
    if expected and hashlib.sha256(body).hexdigest() != expected:
        raise ValueError(f"{archive.name} from {index} does not match its sha256")
    partial = archive.with_suffix(".part")
    partial.write_bytes(body)
    partial.replace(archive)


def _unpack(archive: Path, cache: Path) -> None:
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if m.name.split("/")[1:2] == ["tests"]]
        tar.extractall(cache, members=members, filter="data")
