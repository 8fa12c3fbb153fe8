"""The Konferenzen area: conferences, forums, inviting, replies, check-in, statistics."""
