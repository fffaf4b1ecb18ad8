"""Audit trail: every read, write, match and disclosure, hash-chained."""
