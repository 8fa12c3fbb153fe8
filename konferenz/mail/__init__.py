"""E-mail: the messages, the mail server settings, and the sending that is never twice."""
