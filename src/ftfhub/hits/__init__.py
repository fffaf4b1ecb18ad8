"""Hits between owners: notification, acknowledgement, escalation."""
