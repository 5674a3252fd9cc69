"""Liaison: a secure platform for an international cooperation office."""
