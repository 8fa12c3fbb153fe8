"""The address register: persons and organisations, their validation, names and addresses, duplicates and merges."""
