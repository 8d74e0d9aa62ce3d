"""Editions: translations aligned paragraph by paragraph."""
