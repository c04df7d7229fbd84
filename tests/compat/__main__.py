"""``python -m tests.compat``: see :mod:`tests.compat.runner`."""

from __future__ import annotations

from tests.compat.runner import main

raise SystemExit(main())
