"""A stored row's values as its columns' types: the shortcuts for common values change nothing.

``values.coercer`` takes an int without decoding it, an int in a NUMBER
column of scale 0 or more without rounding it, and a DATE or TIMESTAMP
value without replacing it when it has no fraction (DATE) or zone: each
must give what the conversion in full gives.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Context, Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from devart_oracle.testing.sql import Column
from devart_oracle.testing.sql.values import coercer, encode

_ZONES = st.sampled_from([None, datetime.timezone.utc, datetime.timezone(datetime.timedelta(hours=-5))])


@given(st.integers(-(2**63), 2**63 - 1), st.integers(1, 38), st.integers(-5, 10))
@example(10**18, 1, 10).via("discovered failure")  # 29 digits once scaled
@example(-(2**63), 38, -5)
def test_an_int_in_a_number_column_is_rounded_to_its_scale_only(value: int, precision: int, scale: int) -> None:
    column = Column("N", "NUMBER", 0, precision, scale)
    exact = Context(prec=60, rounding=ROUND_HALF_UP)  # 19 digits and 10 places: beyond the default 28
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-scale), context=exact)
    assert coercer([column])((encode(value),)) == (int(rounded),)


@given(st.integers(-(2**70), 2**70))
def test_an_int_of_a_number_expression_is_itself(value: int) -> None:
    (converted,) = coercer([Column("N", "NUMBER", 0, 0, -127)])((encode(value),))
    assert converted == value and type(converted) is int


@given(st.datetimes(min_value=datetime.datetime(1, 1, 2)), _ZONES)
def test_a_date_drops_its_fraction_and_zone_and_a_timestamp_its_zone(
        naive: datetime.datetime, zone: datetime.timezone | None) -> None:
    moment = naive.replace(tzinfo=zone)
    date, stamp = coercer([Column("D", "DATE", 0, 0, 0), Column("T", "TIMESTAMP", 0, 0, 6)])(
        (encode(moment), encode(moment)))
    assert date == moment.replace(microsecond=0, tzinfo=None)
    assert stamp == moment.replace(tzinfo=None)
