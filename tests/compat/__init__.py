"""python-oracledb's own test suite run against the embedded server (docs/compat.md)."""
