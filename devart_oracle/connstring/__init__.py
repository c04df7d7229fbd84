"""Connection strings: the grammar, the parameters, the partition key.

``parse("Host=db:1521/svc;User Id=scott;Password=tiger", PoolId=2)`` returns
a ConnectionParameters, an immutable mapping with a fingerprint for pool
partitioning and the arguments for ``oracledb.connect()``. See
``docs/connection-strings.md``.
"""

from __future__ import annotations

from .._errors import ConnectionStringError
from ._parameters import ConnectionParameters, parse

__all__ = ["ConnectionParameters", "ConnectionStringError", "parse"]
