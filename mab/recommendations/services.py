"""Use cases of the recommendations register: add a recommendation (a paragraph of a
recommendations draft, through the draft's own services) and set its details; the details'
carry-over into each new version. They change rows, audit and flush; the boundary commits."""
from mab.recommendations.details import carry_over, version_digest

__all__ = ["carry_over", "version_digest"]
