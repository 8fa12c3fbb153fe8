"""E-mail invitations: the message per invitation (``messages``: the same content as the letter, HTML with
a plain-text alternative, attachments, headers), the calendar entry (``calendar``), drafts as ``.eml`` files
(``drafts``), the settings stored in the database (``settings``), and the sending that is never twice
(``outbox``: the state of every message; ``smtp``: the server)."""
