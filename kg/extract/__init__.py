"""Extractors: one module per kind of fact, each a plain typed function."""
