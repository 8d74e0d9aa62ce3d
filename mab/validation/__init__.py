"""Validation rounds: sign-offs by the active board and the outcome."""
