"""The test server's wire protocol: TNS packets and TTC messages (internal).

This package knows the bytes python-oracledb thin sends and expects
(python-oracledb's own source is the reference) and nothing of SQL: ``packet`` frames TNS
packets, ``reader`` and ``codec`` decode and encode TTC's integers, lengths,
numbers and dates, ``requests`` parses the client's function calls,
``responses`` builds the server's messages, ``auth`` runs O5LOGON,
``oraerror`` holds the ORA error texts and ``types`` maps bind and column
types to their wire forms. ``dialect`` tells an older client (Devart's
Direct mode) from thin by its capabilities, and ``legacy`` holds the messages
only such a client exchanges. None of it is public API.
"""
