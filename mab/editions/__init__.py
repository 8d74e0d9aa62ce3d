"""Editions: a version of a draft in each of the assessment's content languages (issue 18)."""
