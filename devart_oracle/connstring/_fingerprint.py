"""The partition key: a keyed hash of every parameter but the routing ones.

Pools are partitioned by what a session *is* (where it connects, as whom, in
which mode), not by how the string was spelled. The DRCP parameters are part
of it: a pooled server type makes a session that the database may hand to
another client between requests (not one to mix with dedicated ones); the
connection class decides which pooled servers and session states it may
share; the purity whether it may find state left by an earlier request of
its class; the pool boundary when the database takes the pooled server back
(so which state survives from one call to the next). The values fed in are already
canonical (names, types, defaults filled in), so equivalent strings hash the
same. The key is a per-process random secret: the fingerprint can be logged
or used as a dict key without revealing anything about the password, not even
to someone who could guess it offline.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from typing import Final

from ._keywords import KEYWORDS, Value

__all__ = ["fingerprint"]

_SECRET: Final = os.urandom(32)
_FINGERPRINTED: Final = tuple(k.name for k in KEYWORDS if not k.routing)


def fingerprint(values: Mapping[str, Value]) -> str:
    """Return the hex partition key of canonical parameter values.

    Args:
        values: canonical name -> typed value, as ConnectionParameters holds.

    Returns:
        64 hex digits; equal exactly when the non-routing values are equal.
    """
    # One slot per parameter, in table order, None when absent (no value is
    # None); repr keeps types and string boundaries apart (True, 1, 1.0 and
    # '1' differ), so no two sets collide. A third of what JSON of the
    # sorted pairs cost, and this runs on every uncached parse.
    payload = repr([values.get(name) for name in _FINGERPRINTED])
    # BLAKE2 has a keyed mode of its own: a MAC in one pass, unlike HMAC's two.
    return hashlib.blake2b(payload.encode(), key=_SECRET, digest_size=32).hexdigest()
