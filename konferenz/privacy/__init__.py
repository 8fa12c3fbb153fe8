"""DSGVO: access export, erasure by anonymisation, review of old records."""
