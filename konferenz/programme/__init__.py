"""Agenda, minutes and the follow-up of recommendations."""
