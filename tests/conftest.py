"""Shared fixtures, loaded as plugins."""

pytest_plugins = ["devart_oracle.testing.pytest_plugin", "tests.fixtures.pooling"]
