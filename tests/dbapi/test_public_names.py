"""The public surface of devart_oracle: every name exported once, each of
ours reporting ``devart_oracle`` as its home."""

from __future__ import annotations

import pickle

import oracledb

import devart_oracle


def test_every_public_name_is_exported_once_and_resolves():
    assert sorted(set(devart_oracle.__all__)) == sorted(devart_oracle.__all__)
    for name in devart_oracle.__all__:
        assert hasattr(devart_oracle, name), name


def test_every_exported_class_and_function_of_ours_reports_its_public_home():
    drivers = {id(value) for value in vars(oracledb).values()}
    for name in devart_oracle.__all__:
        value = getattr(devart_oracle, name)
        if not (isinstance(value, type) or callable(value)):
            continue
        if id(value) in drivers:
            assert value.__module__.startswith("oracledb"), name  # python-oracledb's own, left alone
            continue
        assert value.__module__ == "devart_oracle", f"{name} reports {value.__module__!r}"
        assert getattr(devart_oracle, value.__name__) is value, name


def test_public_classes_pickle_by_their_public_name():
    assert pickle.loads(pickle.dumps(devart_oracle.ConnectionPool)) is devart_oracle.ConnectionPool
    assert repr(devart_oracle.AsyncConnection) == "<class 'devart_oracle.AsyncConnection'>"


def test_the_fake_clock_reports_the_testing_package():
    from devart_oracle.testing import FakeClock

    assert FakeClock.__module__ == "devart_oracle.testing"
