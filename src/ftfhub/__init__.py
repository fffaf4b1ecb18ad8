"""ftfhub: share records, resolve identities across scripts, screen travel, answer every hit."""

__version__ = "0.1.0"
