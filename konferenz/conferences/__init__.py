"""Conferences, forums, invitations, replies, capacity, check-in and statistics."""
