"""Sharing between agencies: what one agency may see of another's holdings."""
