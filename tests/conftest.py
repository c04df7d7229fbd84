"""Shared fixtures, loaded as plugins, and the hypothesis profile of the suite."""

from hypothesis import settings

# Examples are judged by what they find, not by how fast they run: on a
# loaded 2-core machine a single example can take longer than hypothesis's
# default 200 ms deadline, which would fail a correct test.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")

pytest_plugins = ["devart_oracle.testing.pytest_plugin", "tests.fixtures.pooling"]
