"""Name intelligence: scripts, transliteration, name structure, comparable keys."""
