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


class _Index:
    """A PEP 691 index on 127.0.0.1 serving one archive, optionally with a wrong hash."""

    def __init__(self, body: bytes, name: str, sha256: str) -> None:
        import http.server
        import json
        import threading

        index = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
                if self.path == "/simple/oracledb/":
                    files = [{"filename": name, "url": f"{index.url}/files/{name}", "hashes": {"sha256": sha256}}]
                    payload, kind = json.dumps({"files": files}).encode(), "application/vnd.pypi.simple.v1+json"
                elif self.path == f"/files/{name}":
                    payload, kind = body, "application/octet-stream"
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_the_sdist_comes_from_the_index_json_api_checked_by_hash(tmp_path: Path) -> None:
    import hashlib

    from tests.compat.sdist import _from_index

    body = b"not really a tarball"
    index = _Index(body, "oracledb-9.9.9.tar.gz", hashlib.sha256(body).hexdigest())
    try:
        _from_index(tmp_path / "oracledb-9.9.9.tar.gz", f"{index.url}/simple")
        assert (tmp_path / "oracledb-9.9.9.tar.gz").read_bytes() == body
        with pytest.raises(ValueError, match="is not on"):
            _from_index(tmp_path / "oracledb-1.0.0.tar.gz", f"{index.url}/simple")
    finally:
        index.close()
    wrong = _Index(body, "oracledb-9.9.9.tar.gz", "0" * 64)
    try:
        with pytest.raises(ValueError, match="does not match its sha256"):
            _from_index(tmp_path / "x" / "oracledb-9.9.9.tar.gz", f"{wrong.url}/simple")
    finally:
        wrong.close()
