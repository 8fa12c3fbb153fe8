"""The audit log: who changed which field of which record, read back in German."""
