"""Konferenz: every user-facing interface (Qt windows and the command line) over the core ``konferenz``."""
