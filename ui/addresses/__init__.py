"""The Adressen area: register editors, filters, merge, duplicates and the data-protection window."""
