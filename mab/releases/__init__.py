"""Releases (issue 20): dated, published states of the report, and the public site /p/<slug>/
that shows them without sign-in."""
