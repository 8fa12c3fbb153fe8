"""The list queries behind every table in the window, in SQLAlchemy Core (no ORM on the start path)."""
