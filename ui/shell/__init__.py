"""The main window and what holds it together: application start, actions, context, change watcher."""
