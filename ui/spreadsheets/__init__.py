"""Import wizard and list export in the window."""
