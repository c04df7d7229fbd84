"""Shared fixtures: see tests/fixtures/ for the plugins."""

pytest_plugins = ["devart_oracle.testing.pytest_plugin"]
