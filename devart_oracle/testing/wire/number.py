"""Oracle NUMBER on the TTC wire, in both directions.

NUMBER is a base-100 floating point value. Byte 0 holds the sign (bit 7 set
for positive values) and the exponent, biased by 192 and counted in pairs
of decimal digits; positive mantissa bytes are ``pair + 1``. Negative
numbers invert the exponent byte, store ``101 - pair`` and, when the
mantissa is shorter than 20 bytes, end with a 102 sentinel. Zero is ``80``.
The mantissa holds at most 20 bytes (40 digits, 39 when the first pair has
a single digit), so wider values are rounded half away from zero.

An int below 10**38 in magnitude needs no rounding: it is encoded from its
``divmod`` base-100 digits, and an integral NUMBER is decoded the same way,
without the digit strings of the general path.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Union

__all__ = ["Number", "decode_number", "encode_number"]

Number = Union[int, float, Decimal]

_MAX_PAIRS = 20
_ZERO = b"\x80"


def _decimal_parts(value: Number) -> tuple[bool, str, int]:
    """Split a number into (negative, significant digits, point position).

    The value equals ``0.<digits> * 10**point``; digits carry no leading or
    trailing zeros, and are empty for zero.
    """
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        digits = str(abs(value))
        negative, exponent = value < 0, 0
    else:
        if isinstance(value, float):
            value = Decimal(repr(value))
        if not value.is_finite():
            raise ValueError(f"{value} cannot be represented as an Oracle NUMBER")
        sign, digit_tuple, exp = value.as_tuple()
        assert isinstance(exp, int)
        digits = "".join(map(str, digit_tuple))
        negative, exponent = bool(sign), exp
    stripped = digits.lstrip("0")
    if not stripped:
        return False, "", 0
    point = len(stripped) + exponent
    return negative, stripped.rstrip("0"), point


def _round_digits(digits: str, point: int) -> tuple[str, int]:
    """Round to what 20 base-100 mantissa bytes hold (half away from zero)."""
    keep = 2 * _MAX_PAIRS - (point & 1)
    if len(digits) <= keep:
        return digits, point
    rounded = str(int(digits[:keep]) + (digits[keep] >= "5"))
    if len(rounded) > keep:
        point += 1
    return rounded.rstrip("0"), point


def encode_number(value: Number) -> bytes:
    """Encode an int, float or Decimal in Oracle NUMBER format.

    Raises:
        ValueError: the value is NaN, infinite, or at least 1e126 in magnitude.
    """
    if type(value) is int and -_EXACT_INT < value < _EXACT_INT:
        return _positive_int(value) if value > 0 else _encode_int(value)
    negative, digits, point = _decimal_parts(value)
    if not digits:
        return _ZERO
    digits, point = _round_digits(digits, point)
    if point > 126:
        raise ValueError(f"{value} is too large for an Oracle NUMBER")
    if point < -129:
        return _ZERO
    if point & 1:
        digits = "0" + digits
        point += 1
    if len(digits) & 1:
        digits += "0"
    pairs = [int(digits[i:i + 2]) for i in range(0, len(digits), 2)]
    return _packed(negative, pairs, point // 2 + 192)


_EXACT_INT = 10 ** 38  # an int below this in magnitude needs no rounding


def _encode_int(value: int) -> bytes:
    """An int of at most 38 digits: its base-100 digits straight from ``divmod`` (a positive one: ``_positive_int``)."""
    if not value:
        return _ZERO
    magnitude, pairs = abs(value), []
    while magnitude:
        magnitude, pair = divmod(magnitude, 100)
        pairs.append(pair)  # the least significant first
    exponent = len(pairs) + 192
    while not pairs[0]:
        del pairs[0]  # trailing zero pairs are not written
    pairs.reverse()
    return _packed(value < 0, pairs, exponent)


def _positive_int(value: int) -> bytes:
    """``_encode_int`` of a positive int: the mantissa bytes (``pair + 1``) made as the pairs come."""
    digits = []
    while value:
        value, pair = divmod(value, 100)
        digits.append(pair + 1)  # the least significant first
    digits.append(len(digits) + 192)
    while digits[0] == 1:
        del digits[0]  # trailing zero pairs are not written
    digits.reverse()
    return bytes(digits)


def _packed(negative: bool, pairs: list[int], exponent: int) -> bytes:
    """The NUMBER bytes of base-100 ``pairs`` (most significant first) and a biased exponent."""
    if not negative:
        return bytes([exponent, *[pair + 1 for pair in pairs]])
    encoded = bytes([~exponent & 0xFF, *[101 - pair for pair in pairs]])
    return encoded + b"\x66" if len(pairs) < _MAX_PAIRS else encoded


def decode_number(data: bytes) -> int | Decimal:
    """Decode Oracle NUMBER bytes: an int when integral, else a Decimal.

    Raises:
        ValueError: the bytes are not a NUMBER.
    """
    if not data or len(data) > 1 + _MAX_PAIRS + 1:
        raise ValueError(f"{len(data)} bytes cannot hold an Oracle NUMBER")
    head = data[0]
    if len(data) == 1:
        if head & 0x80:
            return 0
        return -10 ** 126
    if head & 0x80:
        negative, exponent = False, head - 192
        if exponent >= len(data) - 1:
            return _positive_integer(data, exponent)
        pairs = [byte - 1 for byte in data[1:]]
    else:
        negative, exponent = True, (~head & 0xFF) - 192
        body = data[1:-1] if data[-1] == 102 else data[1:]
        pairs = [101 - byte for byte in body]
    if pairs and (min(pairs) < 0 or max(pairs) > 99):
        raise ValueError("NUMBER mantissa byte out of range")
    return _from_pairs(negative, pairs, exponent)


def _positive_integer(data: bytes, exponent: int) -> int:
    """A positive integral NUMBER (``_from_pairs``'s integer case), from its bytes without a pair list."""
    magnitude = 0
    for index in range(1, len(data)):
        byte = data[index]
        if not 0 < byte < 101:
            raise ValueError("NUMBER mantissa byte out of range")
        magnitude = magnitude * 100 + byte - 1
    shift: int = 100 ** (exponent - len(data) + 1)
    return magnitude * shift


def _from_pairs(negative: bool, pairs: list[int], exponent: int) -> int | Decimal:
    """Build the value ``0.<pairs> * 100**exponent`` with a sign."""
    if exponent >= len(pairs):  # an integer: no digit string needed
        magnitude = 0
        for pair in pairs:
            magnitude = magnitude * 100 + pair
        shift: int = 100 ** (exponent - len(pairs))
        magnitude *= shift
        return -magnitude if negative else magnitude
    padded = "".join(f"{pair:02d}" for pair in pairs)
    digits = padded.rstrip("0").lstrip("0")
    if not digits:
        return 0
    scale = 2 * (exponent - len(pairs)) + len(padded) - len(padded.rstrip("0"))
    if scale >= 0:
        magnitude = int(digits + "0" * scale)
        return -magnitude if negative else magnitude
    return Decimal((int(negative), tuple(int(char) for char in digits), scale))
