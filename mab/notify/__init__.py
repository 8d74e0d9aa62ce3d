"""notify feature."""
