"""The logon's own encodings: the connect descriptor and the PARAMETER message.

Both have a fast path (``parse_descriptor`` takes "(KEY=" and "(KEY=VALUE)"
runs whole; ``parameters`` writes short texts in one step). Each is checked
against the plain model it must equal: a token-by-token descriptor parser,
and the codec's own ``Writer.text`` / ``Writer.ub`` field by field.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devart_oracle.testing._listener import Descriptor, parse_descriptor
from devart_oracle.testing.wire.codec import Writer
from devart_oracle.testing.wire.responses import parameters

THIN = ("(DESCRIPTION=(CONNECT_TIMEOUT=20)(RETRY_COUNT=0)(ADDRESS=(PROTOCOL=tcp)(HOST=127.0.0.1)"
        "(PORT=1521))(CONNECT_DATA=(SERVICE_NAME=FREEPDB1)(CID=(PROGRAM=/usr/bin/python)"
        "(HOST=box)(USER=scott))(CONNECTION_ID=AbC+dE==)))")

DESCRIPTORS = [
    (THIN, Descriptor(service_name="FREEPDB1", program="/usr/bin/python", machine="box")),
    ("(DESCRIPTION = (CONNECT_DATA = ( SID = free ) ( SERVER = pooled )))",
     Descriptor(sid="free", server="pooled")),
    ("(description=(connect_data=(service_name=a)(service_name=b)))", Descriptor(service_name="a")),
    ("(DESCRIPTION=(ADDRESS=(CID=(PROGRAM=p)))(CONNECT_DATA=(CID=(PROGRAM=q))))", Descriptor(program="p")),
    ("(CONNECT_DATA=(POOL_CONNECTION_CLASS=c)(POOL_PURITY=SELF))", Descriptor(cclass="c", purity="SELF")),
    ("(CONNECT_DATA=(SERVICE_NAME=x y))", Descriptor(service_name="x y")),
    ("(CONNECT_DATA=(SERVICE_NAME=))", Descriptor()),
    ("(CONNECT_DATA=(SERVICE_NAME=a=b))", Descriptor(service_name="a")),
    ("((CONNECT_DATA=(SID=s)", Descriptor(sid="s")),
    ("CONNECT_DATA.SERVICE_NAME=x", Descriptor()),
    ("", Descriptor()),
]


def _model(text: str) -> Descriptor:
    """The descriptor token by token, as the server first parsed it."""
    pairs: dict[str, str] = {}
    path: list[str] = []
    key = previous = ""
    for token in (t.strip() for t in re.findall(r"\(|\)|=|[^()=]+", text)):
        if not token:
            continue
        if token == "=":
            path.append(key.upper())
        elif token == ")":
            del path[-1:]
        elif previous == "(":
            key = token
        elif previous == "=" and token != "(":
            pairs.setdefault(".".join(path), token)
        previous = token

    def find(suffix: str) -> str | None:
        return next((v for p, v in pairs.items() if p == suffix or p.endswith("." + suffix)), None)

    return Descriptor(find("CONNECT_DATA.SERVICE_NAME"), find("CONNECT_DATA.SID"), find("CID.PROGRAM") or "",
                      find("CID.HOST") or "", find("CONNECT_DATA.SERVER"),
                      find("CONNECT_DATA.POOL_CONNECTION_CLASS"), find("CONNECT_DATA.POOL_PURITY"))


@pytest.mark.parametrize(("text", "expected"), DESCRIPTORS)
def test_descriptor_fields(text: str, expected: Descriptor) -> None:
    assert parse_descriptor(text) == expected == _model(text)


_PIECES = st.sampled_from(["(", ")", "=", " ", "\t", "\u00a0", ".", "CID", "PROGRAM", "HOST", "CONNECT_DATA",
                           "SERVICE_NAME", "SID", "SERVER", "POOL_PURITY", "x y", "é", "cid", "a.b"])


@given(st.lists(_PIECES, max_size=40).map("".join))
def test_descriptor_equals_the_token_model(text: str) -> None:
    assert parse_descriptor(text) == _model(text)


@given(st.integers(0, len(THIN)), st.integers(0, 8), st.text(alphabet="()= x.\t", max_size=4))
def test_a_damaged_thin_descriptor_equals_the_token_model(at: int, cut: int, inserted: str) -> None:
    text = THIN[:at] + inserted + THIN[at + cut:]
    assert parse_descriptor(text) == _model(text)


def _fields(triples: list[tuple[str, str, int]]) -> bytes:
    w = Writer()
    w.u8(8)
    w.ub(len(triples))
    for key, value, flags in triples:
        w.text(key)
        w.text(value)
        w.ub(flags)
    return bytes(w.buf)


_TEXTS = st.one_of(st.sampled_from(["", "é" * 126, "x" * 252, "x" * 253, "x" * 40000]), st.text(max_size=300))


@given(st.lists(st.tuples(_TEXTS, _TEXTS, st.integers(0, 2**32 - 1)), max_size=5))
def test_parameters_are_the_codec_s_fields(triples: list[tuple[str, str, int]]) -> None:
    w = Writer()
    w.raw(b"before")
    parameters(w, iter(triples))
    assert bytes(w.buf) == b"before" + _fields(triples)
