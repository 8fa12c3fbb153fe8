"""Importing staff spreadsheets into the register: preview, per-row decisions, all-or-nothing writing, undo."""
