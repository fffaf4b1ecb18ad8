"""UN/EDIFACT airline messages (PAXLST for API data, PNRGOV for PNR data).

`syntax` turns the text into numbered segments (pydifact is the tokenizer; we only tidy what
real senders get wrong first); `values` reads the dates, names and codes inside them. The
message grammars live in `ingest/paxlst.py` and `ingest/pnrgov.py`.
"""
