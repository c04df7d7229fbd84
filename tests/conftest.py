"""Shared fixtures: see tests/fixtures/ for the plugins."""
