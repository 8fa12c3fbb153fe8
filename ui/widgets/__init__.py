"""Building blocks every area uses: lazy list models, list panels, layouts, dialog helpers, background tasks."""
