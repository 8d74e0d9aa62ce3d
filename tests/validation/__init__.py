"""Validation rounds and sign-offs."""
