"""The report annex and the data export."""
