"""The PBKDF2 rounds of the logon verifier: a server setting, 4096 for Devart's client.

python-oracledb thin derives its logon key with whatever round count the
server's challenge names (``AUTH_PBKDF2_VGEN_COUNT``); a logon only
succeeds when the server's verifier was made with that same count, so a
thin logon that works is proof of both sides agreeing. Devart's client
(tests/devart, against a server left at the default) takes only 4096.
"""

from __future__ import annotations

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer
from devart_oracle.testing._accounts import DEFAULT_LOGON_ROUNDS, Accounts
from devart_oracle.testing.wire.auth import ORACLE_ROUNDS, Logon, Verifier


def _logon(server: OracleTestServer, password: str = "tiger") -> str:
    with oracledb.connect(user="scott", password=password, dsn=server.dsn) as conn:
        return str(conn.cursor().execute("select user from dual").fetchone()[0])


def test_the_default_is_cheap_and_4096_is_oracle_s() -> None:
    assert 1 <= DEFAULT_LOGON_ROUNDS < ORACLE_ROUNDS == 4096


@pytest.mark.parametrize("rounds", [1, DEFAULT_LOGON_ROUNDS, ORACLE_ROUNDS])
def test_thin_logs_on_with_the_rounds_the_server_sends(rounds: int) -> None:
    with OracleTestServer({"scott": "tiger"}, logon_rounds=rounds) as server:
        assert server.logon_rounds == rounds
        assert _logon(server) == "SCOTT"
        with pytest.raises(oracledb.DatabaseError, match="ORA-01017"):
            _logon(server, "lion")


def test_the_rounds_may_change_while_the_server_runs() -> None:
    with OracleTestServer({"scott": "tiger"}, logon_rounds=8) as server:
        assert _logon(server) == "SCOTT"
        server.logon_rounds = ORACLE_ROUNDS
        assert _logon(server) == "SCOTT"
        with pytest.raises(ValueError, match="logon_rounds must be at least 1, got 0"):
            server.logon_rounds = 0
        with pytest.raises(TypeError, match="logon_rounds must be an int, not str"):
            server.logon_rounds = "8"  # type: ignore[assignment]
        assert server.logon_rounds == ORACLE_ROUNDS


def test_the_challenge_names_the_verifier_s_rounds() -> None:
    challenge = {key: value for key, value, _ in Logon(Verifier.create("tiger", 7)).challenge()}
    assert challenge["AUTH_PBKDF2_VGEN_COUNT"] == "7"
    decoy = {key: value for key, value, _ in Logon(Verifier.decoy(7)).challenge()}
    assert decoy["AUTH_PBKDF2_VGEN_COUNT"] == "7"  # an unknown user looks like a known one


def test_verifiers_are_cached_per_user_and_rounds() -> None:
    accounts = Accounts({"scott": "tiger"}, rounds=16)
    cheap = accounts.verifier("SCOTT", 16)
    oracle = accounts.verifier("SCOTT", ORACLE_ROUNDS)
    assert cheap is not None and oracle is not None
    assert (cheap.rounds, oracle.rounds) == (16, ORACLE_ROUNDS)
    assert accounts.verifier("SCOTT", 16) is cheap
    assert accounts.verifier("SCOTT", ORACLE_ROUNDS) is oracle
    assert accounts.verifier("NOBODY", 16) is None


def test_a_password_change_replaces_every_verifier_of_the_user() -> None:
    accounts = Accounts({"scott": "tiger"}, rounds=16)
    old = accounts.verifier("SCOTT", ORACLE_ROUNDS)
    accounts.change_password("scott", "lion")
    for rounds in (16, ORACLE_ROUNDS):
        new = accounts.verifier("SCOTT", rounds)
        assert new is not None and new is not old
        assert new.matches(b"lion") and not new.matches(b"tiger")
