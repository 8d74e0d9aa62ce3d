"""The report annex."""
