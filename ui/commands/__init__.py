"""Subcommands of ``konferenz``, one module per group; each has ``register(subparsers)``.

Keep these modules light: import services inside the command functions, so that ``konferenz --help`` and
the window start fast.
"""
