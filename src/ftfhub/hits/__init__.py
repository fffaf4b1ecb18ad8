"""Hits: matches between Records of different owners, their life cycle and deadlines.

This part changes Hit rows in the caller's session; the services commit and audit.
"""
