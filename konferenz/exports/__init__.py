"""The Excel exports of the register, the invitations and the attendee list."""
