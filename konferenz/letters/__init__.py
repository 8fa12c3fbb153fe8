"""Content of everything printed: letters (sandboxed Jinja2 templates, the sender settings, the record of a
sending), labels, badges, sign-in and attendee lists; the paper layer (``ui/paper``) owns the geometry."""
