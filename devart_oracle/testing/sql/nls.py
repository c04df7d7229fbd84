"""A session's NLS settings: the date and timestamp formats ``ALTER SESSION`` sets.

``ALTER SESSION SET NLS_DATE_FORMAT = 'YYYY-MM-DD HH24:MI'`` (and
``NLS_TIMESTAMP_FORMAT``) changes how the session converts between dates and
text where no format model is given: TO_CHAR and TO_DATE/TO_TIMESTAMP
without a model, and the implicit conversions (``'x' || date``, CAST of a
date to text). NLS_SESSION_PARAMETERS shows the session's values; the
other settings stay the instance's (``instance.NLS_PARAMETERS``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .formats import DATE_FORMAT, TIMESTAMP_FORMAT
from .instance import NLS_PARAMETERS

__all__ = ["NLS_DEFAULT", "Nls"]

_SETTABLE = {"NLS_DATE_FORMAT": "date_format", "NLS_TIMESTAMP_FORMAT": "timestamp_format"}


@dataclass
class Nls:
    """The formats a session converts dates with."""

    date_format: str = DATE_FORMAT
    timestamp_format: str = TIMESTAMP_FORMAT

    def model(self, value: datetime.datetime) -> str:
        """The format a value is shown in: a TIMESTAMP's (fractional seconds) or a DATE's."""
        return self.timestamp_format if value.microsecond else self.date_format

    def set(self, name: str, value: str) -> bool:
        """Set ``name`` (``NLS_DATE_FORMAT`` ...) if it is one of these; whether it was."""
        field = _SETTABLE.get(name)
        if field is not None:
            setattr(self, field, value)
        return field is not None

    def parameters(self) -> list[tuple[str, str]]:
        """NLS_SESSION_PARAMETERS: the instance's settings with the session's formats."""
        own = {name: getattr(self, field) for name, field in _SETTABLE.items()}
        return [(name, own.get(name, value)) for name, value in NLS_PARAMETERS]


#: The formats of a session that set none (Oracle's defaults).
NLS_DEFAULT = Nls()
