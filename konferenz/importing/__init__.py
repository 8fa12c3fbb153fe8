"""Importing staff spreadsheets into the register: preview, per-row decisions, all-or-nothing writing, undo.

Start from ``service``: ``plan_import``, ``remap``, ``commit_import`` and ``import_file`` are what the
window's wizard and ``konferenz import`` call (the flow is in its docstring); ``undo`` lists and undoes
committed imports, ``profiles`` keeps saved column mappings. Below them: ``resolver`` decides what each row
does (create, update, duplicate, reject) with ``updates`` (comparing updates with the stored records),
``resolution`` (what it hands the writer) and ``context`` (the database as the import sees it); ``writer``
writes a resolution in one unit of work; ``plan`` holds the preview and the report; ``rows`` the row rules
and ``cells`` the rules for one cell; ``running`` progress, cancelling and the paused garbage collector.

Each module imports only modules listed after it: service, profiles, resolver, writer, undo, updates,
resolution, context, plan, rows, cells, running.
"""
