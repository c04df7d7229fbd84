"""O5LOGON with the 12c password verifier, server side.

Oracle stores a 12c verifier rather than the password: a random salt and
``password_key = PBKDF2-SHA512(password, salt + "AUTH_PBKDF2_SPEEDY_KEY",
4096 rounds, 64 bytes)``, from which ``password_hash = SHA512(password_key
+ salt)[:32]`` keys AES-256. ``Verifier`` computes both once per user and
round count, so a logon costs the server only the three-round "combo key"
derivation. The client derives the same key from the password with the
round count the server sends (``AUTH_PBKDF2_VGEN_COUNT``): Oracle sends
4096 (``ORACLE_ROUNDS``), a test server may send fewer.

Phase one: the server encrypts 32 random bytes (its half of the session
key) under ``password_hash`` with AES-CBC and a zero IV, unpadded, and sends
it with the salt and the PBKDF2 parameters. The verifier type, 0x4815, rides
in the flags of ``AUTH_VFR_DATA``. A padded (48-byte) key would send the
client down its 11g path.

Phase two: the client returns its half, encrypted the same way (it always
pads, and sends the first 32 bytes), and the password encrypted under the
combo key ``PBKDF2-SHA512(HEX(client half + server half), csk_salt, 3
rounds, 32 bytes)`` behind 16 random bytes. The server decrypts and checks
the password, then proves it knows the verifier by sending ``AUTH_SVR_
RESPONSE``: 16 random bytes + ``SERVER_TO_CLIENT`` under the combo key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

__all__ = ["ORACLE_ROUNDS", "VERIFIER_TYPE_12C", "Logon", "Verifier"]

VERIFIER_TYPE_12C = 0x4815
ORACLE_ROUNDS = 4096  # AUTH_PBKDF2_VGEN_COUNT, as Oracle's 12c verifier has it
_SDER_COUNT = 3
_ZERO_IV = bytes(16)
_SPEEDY = b"AUTH_PBKDF2_SPEEDY_KEY"
_SERVER_TO_CLIENT = b"SERVER_TO_CLIENT"


def _pbkdf2(secret: bytes, salt: bytes, length: int, rounds: int) -> bytes:
    """PBKDF2-HMAC-SHA512 (hashlib's, in C: the combo key's three rounds are most of its cost)."""
    return hashlib.pbkdf2_hmac("sha512", secret, salt, rounds, length)


def _aes(key: bytes) -> Cipher[modes.CBC]:
    """AES-CBC under ``key`` with a zero IV; one per key, since making one costs more than a logon's use of it."""
    return Cipher(algorithms.AES(key), modes.CBC(_ZERO_IV))


def _encrypt(cipher: Cipher[modes.CBC], data: bytes) -> bytes:
    """Encrypt with no padding (``data`` is block-aligned)."""
    encryptor = cipher.encryptor()
    return encryptor.update(data) + encryptor.finalize()


def _decrypt(cipher: Cipher[modes.CBC], data: bytes) -> bytes:
    """Decrypt; padding, if any, is left to the caller."""
    decryptor = cipher.decryptor()
    return decryptor.update(data) + decryptor.finalize()


@dataclass(frozen=True, repr=False)
class Verifier:
    """A user's stored 12c verifier (and the password, to check logons)."""

    salt: bytes
    password_key: bytes
    password_hash: bytes
    password: bytes
    rounds: int = ORACLE_ROUNDS  # of PBKDF2 for password_key
    cipher: Cipher[modes.CBC] = field(init=False, repr=False, compare=False)  # AES under password_hash

    def __post_init__(self) -> None:
        object.__setattr__(self, "cipher", _aes(self.password_hash))

    def __repr__(self) -> str:
        return "Verifier(...)"

    @classmethod
    def create(cls, password: str, rounds: int = ORACLE_ROUNDS, salt: bytes | None = None) -> Verifier:
        """Derive the verifier for ``password`` with ``rounds`` PBKDF2 rounds."""
        salt = os.urandom(16) if salt is None else salt
        secret = password.encode()
        password_key = _pbkdf2(secret, salt + _SPEEDY, 64, rounds)
        password_hash = hashlib.sha512(password_key + salt).digest()[:32]
        return cls(salt, password_key, password_hash, secret, rounds)

    def matches(self, password: bytes) -> bool:
        """Whether ``password`` is this verifier's (a password change's old one)."""
        return hmac.compare_digest(password, self.password)

    @classmethod
    def decoy(cls, rounds: int = ORACLE_ROUNDS) -> Verifier:
        """A verifier no password matches, for unknown users (its challenge looks like a user's)."""
        return cls(os.urandom(16), os.urandom(64), os.urandom(32), os.urandom(33), rounds)


class Logon:
    """One O5LOGON exchange against a verifier."""

    __slots__ = ("_verifier", "_server_key", "_csk_salt", "_combo")

    def __init__(self, verifier: Verifier) -> None:
        self._verifier = verifier
        self._server_key = os.urandom(32)
        self._csk_salt = os.urandom(16)
        self._combo: Cipher[modes.CBC] | None = None  # AES under the combo key, once ``verify`` made it

    def challenge(self) -> list[tuple[str, str, int]]:
        """The phase-one parameters: (key, value, flags) triples."""
        session_key = _encrypt(self._verifier.cipher, self._server_key)
        return [
            ("AUTH_SESSKEY", session_key.hex().upper(), 1),
            ("AUTH_VFR_DATA", self._verifier.salt.hex().upper(), VERIFIER_TYPE_12C),
            ("AUTH_PBKDF2_CSK_SALT", self._csk_salt.hex().upper(), 0),
            ("AUTH_PBKDF2_VGEN_COUNT", str(self._verifier.rounds), 0),
            ("AUTH_PBKDF2_SDER_COUNT", str(_SDER_COUNT), 0),
        ]

    def verify(self, client_session_key: str, encrypted_password: str) -> bool:
        """Check the phase-two answer; True when the password is right."""
        try:
            client_key = _decrypt(self._verifier.cipher, bytes.fromhex(client_session_key))
        except ValueError:
            return False
        if len(client_key) < 32:
            return False
        mixed = (client_key[:32] + self._server_key).hex().upper().encode()
        self._combo = _aes(_pbkdf2(mixed, self._csk_salt, 32, _SDER_COUNT))
        password = self.unseal(encrypted_password)
        return password is not None and self._verifier.matches(password)

    def unseal(self, encrypted: str) -> bytes | None:
        """A secret the client sealed under the combo key (a password, a new one).

        The client puts 16 random bytes before the secret and pads it to the
        block size; None when the text is not such a seal (or before
        ``verify`` made the combo key).
        """
        try:
            sealed = bytes.fromhex(encrypted)
        except ValueError:
            return None
        if self._combo is None or not sealed or len(sealed) % 16:
            return None
        padded = _decrypt(self._combo, sealed)[16:]
        pad = padded[-1] if padded else 0
        if not 1 <= pad <= 16 or pad > len(padded):
            return None
        return padded[:-pad]

    def server_response(self) -> str:
        """``AUTH_SVR_RESPONSE``: proof that the server holds the verifier."""
        if self._combo is None:
            raise ValueError("server_response() before verify() made the combo key")
        plain = os.urandom(16) + _SERVER_TO_CLIENT + bytes([16]) * 16
        return _encrypt(self._combo, plain).hex().upper()
