"""Text made safe to show: on a terminal (rendering.terminal), in JSON lines
(rendering.jsonl) and in a spreadsheet (rendering.spreadsheet).

Pure helpers: a record's content is data from a partner, and data must be shown, never run —
not as Rich markup, not as terminal escape sequences, not as bidi controls that reorder a
line, not as a spreadsheet formula.
"""
