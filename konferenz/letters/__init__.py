"""Letter content: the sandboxed Jinja2 templates, the sender settings and the record of a sending."""
