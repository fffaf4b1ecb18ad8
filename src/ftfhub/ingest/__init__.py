"""Ingest: adapters turn agency files into canonical Records; the pipeline stores them."""
