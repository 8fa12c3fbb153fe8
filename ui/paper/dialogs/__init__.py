"""The printing dialogs: letters, template editor, sender settings, labels, badges and lists, preview."""
