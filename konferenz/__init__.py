"""Konferenz: the Qt-free core (domain, persistence, use cases, spreadsheets, letter content)."""

__version__ = "0.1.0"
