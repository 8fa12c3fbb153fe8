"""Persistence: the schema, the ORM mapping, opening databases, migrations, backups, copies between databases, presence markers and change fingerprints."""
