"""Alembic environment: runs on the connection handed over by konferenz.storage.migrations."""

from alembic import context

from konferenz.storage.migrations import include_object
from konferenz.storage.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - the program always passes a connection
    raise RuntimeError("Migrations run through konferenz.storage.migrations.upgrade(), not the alembic CLI.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
