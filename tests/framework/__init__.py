"""The indicator catalogue."""
