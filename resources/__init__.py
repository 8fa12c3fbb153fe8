"""Data files shipped with the program: Jinja2 templates, icons, translations, fonts."""
